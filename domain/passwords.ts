import { hash, verify } from '@node-rs/argon2';

/** Argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane). */
export const PASSWORD_HASH_PARAMS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, PASSWORD_HASH_PARAMS);
}

export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}

/** Staff usernames: 3–40 characters of lowercase letters, digits, dots, hyphens or underscores, from a letter. */
export const STAFF_USERNAME_RULE = /^[a-z][a-z0-9._-]{2,39}$/;
export const MIN_STAFF_PASSWORD_LENGTH = 10;

/** Why a staff username cannot be used, or undefined. */
export function staffUsernameProblem(username: string): string | undefined {
  return STAFF_USERNAME_RULE.test(username)
    ? undefined
    : 'a username is 3–40 characters of lowercase letters, digits, dots, hyphens or underscores, starting with a letter';
}

/** Why a staff password cannot be used, or undefined. */
export function staffPasswordProblem(password: string, username: string): string | undefined {
  if (password.length < MIN_STAFF_PASSWORD_LENGTH)
    return `a password needs at least ${MIN_STAFF_PASSWORD_LENGTH} characters`;
  if (password.toLowerCase().includes(username.toLowerCase())) return 'a password must not contain the username';
  return undefined;
}
