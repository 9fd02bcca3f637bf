import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { DEV_SIGNING_KEY_FILE, generateSigningJwk, keyRingFromJwks, loadSigningKeys } from '../../certificates/keys.js';

const tempDir = () => mkdtemp(path.join(tmpdir(), 'teeka-cert-keys-'));

describe('loadSigningKeys', () => {
  it('refuses to start in production without configured keys, saying what to set', async () => {
    await expect(loadSigningKeys({ nodeEnv: 'production', dataDir: await tempDir(), configured: '' })).rejects.toThrow(
      /CERT_SIGNING_KEYS must be set \(NODE_ENV=production, so no development key is generated\).*certificates\/generate-signing-key\.ts/,
    );
  });

  it('generates a development key once, in a 0600 file, and reuses it after a restart', async () => {
    const dataDir = await tempDir();
    const first = await loadSigningKeys({ nodeEnv: 'development', dataDir, configured: '' });
    const file = path.join(dataDir, DEV_SIGNING_KEY_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({
      kty: 'OKP',
      crv: 'Ed25519',
      kid: first.activeKid,
    });

    const restarted = await loadSigningKeys({ nodeEnv: 'test', dataDir, configured: '' });
    expect(restarted.publicJwks()).toEqual(first.publicJwks());
  });

  it('gives processes that start together the same development key', async () => {
    const dataDir = await tempDir();
    const rings = await Promise.all(
      Array.from({ length: 6 }, () => loadSigningKeys({ nodeEnv: 'development', dataDir, configured: '' })),
    );
    expect(new Set(rings.map((ring) => JSON.stringify(ring.publicJwks()))).size).toBe(1);
  });

  it('reads keys from a JSON array or from a file, the first one signing', async () => {
    const keys = [await generateSigningJwk(), await generateSigningJwk()];
    const file = path.join(await tempDir(), 'keys.json');
    await writeFile(file, JSON.stringify(keys));
    for (const configured of [JSON.stringify(keys), file]) {
      const ring = await loadSigningKeys({ nodeEnv: 'production', dataDir: '/nonexistent', configured });
      expect(ring.activeKid).toBe(keys[0].kid);
      expect(ring.publicJwks().keys.map((key) => key.kid)).toEqual([keys[0].kid, keys[1].kid]);
      expect(decodeProtectedHeader(await ring.sign(new Uint8Array([1])))).toEqual({
        alg: 'EdDSA',
        kid: keys[0].kid,
        typ: 'teeka-cert+jws',
      });
    }
  });

  it('publishes only public parts, marked for signatures with EdDSA', async () => {
    const key = await generateSigningJwk();
    const ring = await keyRingFromJwks([key]);
    expect(ring.publicJwks()).toEqual({
      keys: [{ kty: 'OKP', crv: 'Ed25519', x: key.x, kid: key.kid, use: 'sig', alg: 'EdDSA' }],
    });
    expect(JSON.stringify(ring.publicJwks())).not.toContain(key.d);
  });

  it('rejects configurations that would sign unverifiable certificates, without echoing private keys', async () => {
    const [a, b] = [await generateSigningJwk(), await generateSigningJwk()];
    const { d: _, ...publicOnly } = a;
    const cases: Array<[string, RegExp]> = [
      ['{"kty":"OKP"', /neither a JSON array nor a readable file/],
      ['[{"kty":"OKP"', /not valid JSON/],
      ['[]', /holds no keys/],
      [JSON.stringify([{ kty: 'RSA', n: 'x', e: 'AQAB', kid: 'r' }]), /\[0\] is not an Ed25519 JWK/],
      [JSON.stringify([{ ...a, kid: undefined }]), /\[0\] has no "kid"/],
      [JSON.stringify([a, { ...b, kid: a.kid }]), /two keys with the same kid/],
      [JSON.stringify([publicOnly]), /needs its private part "d"/],
      [JSON.stringify([{ ...a, d: b.d }]), /\[0\] \(kid "[^"]+"\) cannot be used/],
      [JSON.stringify([a, { ...b, x: 'AAAA' }]), /\[1\] \(kid "[^"]+"\) cannot be used/],
    ];
    for (const [configured, message] of cases) {
      const attempt = loadSigningKeys({ nodeEnv: 'production', dataDir: '/nonexistent', configured });
      await expect(attempt, configured).rejects.toThrow(message);
      await attempt.catch((error: Error) => expect(error.message).not.toContain(b.d));
    }
  });
});
