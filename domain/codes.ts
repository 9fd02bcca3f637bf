import { createHash, createHmac, randomInt, timingSafeEqual } from 'node:crypto';

function digits(count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += String(randomInt(0, 10));
  return out;
}

/** 14-digit beneficiary reference id; never starts with 0 so it survives numeric handling by partners. */
export const newReferenceId = () => String(randomInt(1, 10)) + digits(13);
/** 4-digit secret code shown on the appointment slip and SMS; asked at the desk. */
export const newSecretCode = () => digits(4);
export const newOtp = () => digits(6);

/** Co-WIN clients send SHA-256 hex of the OTP digits; we compare in that form everywhere. */
export const sha256Hex = (value: string) => createHash('sha256').update(value).digest('hex');

/** What is stored for an OTP: a keyed hash of its SHA-256, so the table alone reveals nothing. */
export const otpStoredHash = (secret: string, otpSha256: string) =>
  createHmac('sha256', secret).update(otpSha256.toLowerCase()).digest('hex');

export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
