/**
 * Certificate signing keys. `CERT_SIGNING_KEYS` holds Ed25519 JWKs, each with a `kid`: the first (private)
 * key signs; the others stay published so certificates signed before a rotation still verify (they may be
 * public-only). Outside production, with nothing configured, one key is generated and kept in the data
 * dir so certificates stay verifiable across restarts.
 */
import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { calculateJwkThumbprint, CompactSign, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { developmentDefaultsRefusal, type NodeEnv } from '../config/env.js';
import { CERTIFICATE_JWS_TYPE, CERTIFICATE_SIGNING_ALG } from './certificate-format.js';

export const DEV_SIGNING_KEY_FILE = 'cert-signing-key.json';

export interface PublicSigningJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  use: 'sig';
  alg: typeof CERTIFICATE_SIGNING_ALG;
}

export interface SigningJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  /** Absent from keys that are only published (retired signers). */
  d?: string;
  kid: string;
}

/** What `/.well-known/jwks.json` serves. */
export interface PublishedJwks {
  keys: PublicSigningJwk[];
}

export interface KeyRing {
  activeKid: string;
  /** A compact JWS of the payload: header { alg: 'EdDSA', kid: activeKid, typ: 'teeka-cert+jws' }. */
  sign(payload: Uint8Array): Promise<string>;
  publicJwks(): PublishedJwks;
}

export interface LoadSigningKeysOptions {
  nodeEnv: NodeEnv;
  /** Where development and test keep their generated key. */
  dataDir: string;
  /** `CERT_SIGNING_KEYS`: a JSON array of JWKs, or the path of a file holding one. */
  configured?: string;
}

export async function loadSigningKeys({
  nodeEnv,
  dataDir,
  configured = process.env.CERT_SIGNING_KEYS,
}: LoadSigningKeysOptions): Promise<KeyRing> {
  if (configured?.trim()) return keyRingFromJwks(await readConfiguredKeys(configured.trim()));
  const refusal = nodeEnv === 'production' ? 'NODE_ENV=production' : developmentDefaultsRefusal();
  if (refusal) {
    throw new Error(
      `CERT_SIGNING_KEYS must be set (${refusal}, so no development key is generated): a JSON array of Ed25519 ` +
        'private JWKs with a "kid" (the first signs), or the path of a file holding one. Make a key with ' +
        '`npx tsx certificates/generate-signing-key.ts`.',
    );
  }
  const file = path.join(dataDir, DEV_SIGNING_KEY_FILE);
  return keyRingFromJwks([await developmentKey(file)], file);
}

/** The first key signs, all are published. `source` names where the keys came from, for error messages. */
export async function keyRingFromJwks(jwks: readonly unknown[], source = 'CERT_SIGNING_KEYS'): Promise<KeyRing> {
  if (jwks.length === 0) throw new Error(`${source} holds no keys`);
  const keys = jwks.map((jwk, index) => asSigningJwk(jwk, `${source}[${index}]`));
  if (new Set(keys.map((key) => key.kid)).size !== keys.length)
    throw new Error(`${source} has two keys with the same kid`);
  const published = keys.map(publicPart);
  // Import every published key now: a malformed one would otherwise surface only when someone verifies.
  for (const [index, key] of published.entries()) await importKey(key, `${source}[${index}] (kid "${key.kid}")`);

  const [active] = keys;
  if (!active.d) throw new Error(`${source}[0] (kid "${active.kid}") is the signer, so it needs its private part "d"`);
  // WebCrypto refuses a "d" that is not the private part of "x", so no certificate is signed unverifiably.
  const signingKey = await importKey(
    { kty: active.kty, crv: active.crv, x: active.x, d: active.d },
    `${source}[0] (kid "${active.kid}")`,
  );
  const sign = (payload: Uint8Array) =>
    new CompactSign(payload)
      .setProtectedHeader({ alg: CERTIFICATE_SIGNING_ALG, kid: active.kid, typ: CERTIFICATE_JWS_TYPE })
      .sign(signingKey);

  return {
    activeKid: active.kid,
    sign,
    publicJwks: () => ({ keys: published.map((key) => ({ ...key })) }),
  };
}

/** A new signing key, its kid a short RFC 7638 thumbprint (unique enough among the few keys ever published). */
export async function generateSigningJwk(): Promise<SigningJwk & { d: string }> {
  const { privateKey } = await generateKeyPair(CERTIFICATE_SIGNING_ALG, { crv: 'Ed25519', extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = (await calculateJwkThumbprint(jwk)).slice(0, 12);
  return { kty: 'OKP', crv: 'Ed25519', x: jwk.x!, d: jwk.d!, kid };
}

async function readConfiguredKeys(configured: string): Promise<unknown[]> {
  const fromFile = !configured.startsWith('[');
  let text = configured;
  if (fromFile) {
    try {
      text = await readFile(configured, 'utf8');
    } catch (error) {
      throw new Error(`CERT_SIGNING_KEYS is neither a JSON array nor a readable file: ${(error as Error).message}`);
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Never echo the text: it holds private keys.
    throw new Error(`CERT_SIGNING_KEYS${fromFile ? ` (file ${configured})` : ''} is not valid JSON`);
  }
  if (!Array.isArray(parsed)) throw new Error('CERT_SIGNING_KEYS must be a JSON array of JWKs');
  return parsed;
}

/**
 * The generated development key. Several processes may start at once (npm start runs api and worker):
 * the first to link its fully written file wins and the others adopt that key, so all sign alike.
 */
async function developmentKey(file: string): Promise<SigningJwk> {
  const existing = await readKeyFile(file);
  if (existing) return existing;
  await mkdir(path.dirname(file), { recursive: true });
  const jwk = await generateSigningJwk();
  const draft = `${file}.${randomUUID()}.tmp`;
  await writeFile(draft, `${JSON.stringify(jwk, null, 2)}\n`, { mode: 0o600 });
  try {
    await link(draft, file);
    return jwk;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return (await readKeyFile(file))!;
  } finally {
    await rm(draft, { force: true });
  }
}

async function readKeyFile(file: string): Promise<SigningJwk | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return asSigningJwk(JSON.parse(text), file);
  } catch (error) {
    throw new Error(`${(error as Error).message}; delete the file to generate a new development key`);
  }
}

function asSigningJwk(value: unknown, where: string): SigningJwk {
  const jwk = (typeof value === 'object' && value !== null ? value : {}) as JWK;
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') {
    throw new Error(`${where} is not an Ed25519 JWK (kty "OKP", crv "Ed25519", x)`);
  }
  if (typeof jwk.kid !== 'string' || jwk.kid === '') throw new Error(`${where} has no "kid"`);
  if (jwk.d !== undefined && typeof jwk.d !== 'string') throw new Error(`${where} has a malformed "d"`);
  return { kty: 'OKP', crv: 'Ed25519', x: jwk.x, d: jwk.d, kid: jwk.kid };
}

function publicPart(key: SigningJwk): PublicSigningJwk {
  return { kty: key.kty, crv: key.crv, x: key.x, kid: key.kid, use: 'sig', alg: CERTIFICATE_SIGNING_ALG };
}

async function importKey(jwk: JWK, where: string) {
  try {
    return await importJWK(jwk, CERTIFICATE_SIGNING_ALG);
  } catch (error) {
    throw new Error(`${where} cannot be used: ${(error as Error).message}`);
  }
}
