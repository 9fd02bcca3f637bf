/** Keeps phone numbers out of anything we store or log: error texts from gateways may echo the recipient. */

const LONG_DIGIT_RUN = /\d{10,}/g;
const MAX_ERROR_LENGTH = 300;

/** Masks every run of 10+ digits down to its last 4 ('9876543210' -> '******3210'). */
export function redactNumbers(text: string): string {
  return text.replace(LONG_DIGIT_RUN, (digits) => `${'*'.repeat(digits.length - 4)}${digits.slice(-4)}`);
}

/** An error text fit for sms_message.last_error and logs: numbers masked, one line, bounded. */
export function safeErrorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = redactNumbers(text).replace(/\s+/g, ' ').trim();
  return line.length > MAX_ERROR_LENGTH ? `${line.slice(0, MAX_ERROR_LENGTH - 1)}…` : line;
}
