/**
 * The secret code checked on a vaccinator's phone with no network. The phone never holds the codes: today's list
 * carries, per person, HMAC-SHA256(desk key, referenceId + ':' + code), and the desk key is one per staff member,
 * session day and date (derived on the server from a server secret), so a check made for one desk fails
 * everywhere else. A 4-digit code under any hash can be found by trying all 10,000 with the key: the phone also
 * counts wrong tries per person (as the server does) and reports them at sync, and the server still checks the
 * code itself when the dose syncs. Web Crypto only: the same code runs on the server and in the browser.
 */

const encoder = new TextEncoder();

function base64url(bytes: ArrayBuffer): string {
  let binary = '';
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Wrong codes for one person at one session before the desk asks for an OTP instead (the server's limit too). */
export const MAX_SECRET_CODE_TRIES = 5;

/** The value today's list carries for a person, and the desk computes from what the person says. */
export async function secretCodeCheck(deskKey: string, referenceId: string, secretCode: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', fromBase64url(deskKey), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  return base64url(await crypto.subtle.sign('HMAC', key, encoder.encode(`${referenceId}:${secretCode}`)));
}

export { base64url as toBase64url };
