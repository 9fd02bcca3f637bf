import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { base64url } from 'jose';
import { describe, expect, it } from 'vitest';
import { credentialFromJws } from '../../certificates/certificate-format.js';
import { issueCertificate, newCertificateId } from '../../certificates/credential.js';
import { generateSigningJwk, keyRingFromJwks } from '../../certificates/keys.js';
import { verifyCertificate } from '../../certificates/verify.js';
import { newKeyRing, twoDoseInput } from './fixtures.js';

/** The JWS with its payload replaced: what someone editing the QR contents would produce. */
function withPayload(jws: string, edit: (json: string) => string): string {
  const [header, payload, signature] = jws.split('.');
  const edited = edit(new TextDecoder().decode(base64url.decode(payload)));
  return [header, base64url.encode(edited), signature].join('.');
}

describe('issueCertificate', () => {
  it('signs compact claims that expand to the W3C credential it returns', async () => {
    const ring = await newKeyRing();
    const certificate = await issueCertificate(twoDoseInput(), ring);

    expect(certificate.claims).toMatchObject({
      '@context': ['https://www.w3.org/2018/credentials/v1'],
      type: ['VerifiableCredential', 'ProofOfVaccinationCredential'],
      id: `urn:teeka:certificate:${certificate.id}`,
      issuer: 'urn:teeka',
      issuanceDate: '2026-11-27T20:00:00Z',
      certificateId: certificate.id,
      kind: 'FINAL',
      credentialSubject: {
        type: 'Person',
        refId: '12345678901234',
        name: 'Lakshmi Venkataraman Subramanian',
        age: 64,
        gender: 'Female',
        photoId: 'XXXXXXXX4821',
      },
    });
    expect(certificate.claims.evidence).toEqual([
      {
        type: ['Vaccination'],
        certificateId: certificate.id,
        dose: 1,
        totalDoses: 2,
        vaccine: 'Covishield',
        batch: '4121Z025',
        date: '2026-08-01',
        facility: {
          name: 'Bengaluru Shivajinagar Urban Primary Health Centre',
          address: { district: 'Bengaluru Urban', addressRegion: 'Karnataka' },
        },
        verifier: { name: 'Dr. Priyadarshini Raghavendra' },
      },
      expect.objectContaining({ dose: 2, batch: '4121Z117', date: '2026-10-24' }),
    ]);
    // The stored JWS alone rebuilds the credential, so PDFs can be rendered from the certificate row.
    expect(credentialFromJws(certificate.jws)).toEqual(certificate.claims);
  });

  it('keeps the QR payload small enough to scan from a phone', async () => {
    const { jws } = await issueCertificate(twoDoseInput(), await newKeyRing());
    console.log(`QR payload (compact JWS) of a 2-dose certificate with long names: ${jws.length} bytes`);
    expect(jws.length).toBeLessThan(1000);
  });

  it('draws 12-digit certificate ids that do not start with 0', () => {
    const ids = Array.from({ length: 5000 }, newCertificateId);
    for (const id of ids) expect(id).toMatch(/^[1-9]\d{11}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('verifyCertificate', () => {
  it('accepts a certificate against the published JWKS and shows minimal holder details', async () => {
    const ring = await newKeyRing();
    const certificate = await issueCertificate(twoDoseInput(), ring);
    // A JWKS that went through JSON, as a browser fetching /.well-known/jwks.json has it.
    const jwks = JSON.parse(JSON.stringify(ring.publicJwks()));

    expect(await verifyCertificate(certificate.jws, { jwks })).toEqual({
      status: 'VALID',
      certificateId: certificate.id,
      holder: {
        name: 'Lakshmi Venkataraman Subramanian',
        age: 64,
        gender: 'Female',
        photoId: 'XXXXXXXX4821',
        doses: 2,
        kind: 'FINAL',
        issuedOn: '2026-11-28',
      },
    });
  });

  it('rejects a certificate with one character of a claim changed', async () => {
    const ring = await newKeyRing();
    const { jws } = await issueCertificate(twoDoseInput(), ring);
    const tampered = withPayload(jws, (json) => json.replace('"a":64', '"a":44'));
    expect(tampered).not.toBe(jws);
    expect(await verifyCertificate(tampered, { jwks: ring.publicJwks() })).toEqual({
      status: 'INVALID',
      reason: 'BAD_SIGNATURE',
    });
  });

  it("rejects a certificate carrying another certificate's signature", async () => {
    const ring = await newKeyRing();
    const mine = await issueCertificate(twoDoseInput(), ring);
    const other = await issueCertificate(twoDoseInput({ kind: 'PROVISIONAL' }), ring);
    const swapped = `${mine.jws.split('.').slice(0, 2).join('.')}.${other.jws.split('.')[2]}`;
    expect(await verifyCertificate(swapped, { jwks: ring.publicJwks() })).toEqual({
      status: 'INVALID',
      reason: 'BAD_SIGNATURE',
    });
  });

  it('rejects a certificate signed by a key that is not published', async () => {
    const { jws } = await issueCertificate(twoDoseInput(), await newKeyRing());
    const published = await newKeyRing();
    expect(await verifyCertificate(jws, { jwks: published.publicJwks() })).toEqual({
      status: 'INVALID',
      reason: 'UNKNOWN_KEY',
    });
  });

  it('rejects what is not a certificate JWS', async () => {
    const ring = await newKeyRing();
    const jwks = ring.publicJwks();
    for (const text of ['', 'hello', 'a.b.c', 'https://example.org/']) {
      expect(await verifyCertificate(text, { jwks })).toEqual({ status: 'INVALID', reason: 'MALFORMED' });
    }
    const signedJunk = await ring.sign(new TextEncoder().encode('{"v":1,"id":"1"}'));
    expect(await verifyCertificate(signedJunk, { jwks })).toEqual({
      status: 'INVALID',
      reason: 'UNRECOGNISED_CONTENTS',
    });
  });

  it('reports a revoked certificate as REVOKED, asking by its id', async () => {
    const ring = await newKeyRing();
    const certificate = await issueCertificate(twoDoseInput(), ring);
    const asked: string[] = [];
    const isRevoked = async (id: string) => {
      asked.push(id);
      return id === certificate.id;
    };
    const result = await verifyCertificate(certificate.jws, { jwks: ring.publicJwks(), isRevoked });
    expect(result).toMatchObject({ status: 'REVOKED', certificateId: certificate.id, holder: { doses: 2 } });
    expect(asked).toEqual([certificate.id]);

    const other = await issueCertificate(twoDoseInput(), ring);
    expect(await verifyCertificate(other.jws, { jwks: ring.publicJwks(), isRevoked })).toMatchObject({
      status: 'VALID',
    });
  });

  it('keeps certificates of a rotated-out key valid while that key stays published', async () => {
    const [oldKey, newKey] = [await generateSigningJwk(), await generateSigningJwk()];
    const before = await issueCertificate(twoDoseInput(), await keyRingFromJwks([oldKey]));
    // After rotation the old key may be kept public-only: it no longer signs.
    const { d: _, ...oldPublic } = oldKey;
    const rotated = await keyRingFromJwks([newKey, oldPublic]);
    const after = await issueCertificate(twoDoseInput(), rotated);
    const jwks = rotated.publicJwks();

    expect(rotated.activeKid).toBe(newKey.kid);
    expect(await verifyCertificate(before.jws, { jwks })).toMatchObject({ status: 'VALID' });
    expect(await verifyCertificate(after.jws, { jwks })).toMatchObject({ status: 'VALID' });

    const retired = await keyRingFromJwks([newKey]);
    expect(await verifyCertificate(before.jws, { jwks: retired.publicJwks() })).toEqual({
      status: 'INVALID',
      reason: 'UNKNOWN_KEY',
    });
  });

  it('imports nothing Node-only, so the verify page can bundle it', () => {
    const nodeOnly = new Set(builtinModules);
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = readFileSync(file, 'utf8');
      for (const [, specifier] of source.matchAll(/^import\s[^;]*?from\s+'([^']+)'/gms)) {
        expect(specifier.startsWith('node:') || nodeOnly.has(specifier), `${file} imports ${specifier}`).toBe(false);
        if (specifier.startsWith('.')) visit(path.resolve(path.dirname(file), specifier.replace(/\.js$/, '.ts')));
      }
    };
    visit(fileURLToPath(new URL('../../certificates/verify.ts', import.meta.url)));
    expect([...seen].map((file) => path.basename(file)).sort()).toEqual([
      'certificate-format.ts',
      'time.ts',
      'verify.ts',
    ]);
  });
});
