/**
 * How an SMS body is encoded on the air, which decides its cost: GSM-7 fits 160 characters in one part,
 * anything outside the GSM 03.38 alphabet (Devanagari, curly quotes, emoji) forces UCS-2 and 70 characters.
 */
const GSM7_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡' +
    'ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
/** Characters reached through the escape table: each takes two septets. */
const GSM7_EXTENDED = new Set('^{}\\[~]|€\f');

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export function isGsm7(text: string): boolean {
  for (const char of text) {
    if (!GSM7_BASIC.has(char) && !GSM7_EXTENDED.has(char)) return false;
  }
  return true;
}

/** Encoding, length in that encoding's units, and how many parts the operator will bill. */
export function smsSegments(text: string): { encoding: SmsEncoding; units: number; segments: number } {
  if (isGsm7(text)) {
    let units = 0;
    for (const char of text) units += GSM7_EXTENDED.has(char) ? 2 : 1;
    return { encoding: 'GSM-7', units, segments: units <= 160 ? 1 : Math.ceil(units / 153) };
  }
  const units = text.length; // UTF-16 code units, as UCS-2 counts them
  return { encoding: 'UCS-2', units, segments: units <= 70 ? 1 : Math.ceil(units / 67) };
}
