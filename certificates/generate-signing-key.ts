/**
 * Prints a new certificate signing key as a CERT_SIGNING_KEYS value: `npx tsx certificates/generate-signing-key.ts`.
 * To rotate, put the new key first and keep the old one after it (its "d" may be dropped) for as long as
 * certificates it signed must verify.
 */
import { generateSigningJwk } from './keys.js';

console.log(JSON.stringify([await generateSigningJwk()]));
