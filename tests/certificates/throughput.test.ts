/** How much one core issues, verifies and renders, one at a time. Printed for capacity planning, never asserted. */
import { describe, expect, it } from 'vitest';
import { issueCertificate } from '../../certificates/credential.js';
import { renderCertificatePdf } from '../../certificates/pdf.js';
import { verifyCertificate } from '../../certificates/verify.js';
import { newKeyRing, twoDoseInput } from './fixtures.js';

async function perSecond(work: () => Promise<unknown>, forMs = 1500): Promise<number> {
  await work(); // warm up
  let count = 0;
  const started = performance.now();
  while (performance.now() - started < forMs) {
    await work();
    count++;
  }
  return Math.round((count * 1000) / (performance.now() - started));
}

describe('certificate throughput on one core', () => {
  it('reports issues, verifications and PDFs per second', async () => {
    const ring = await newKeyRing();
    const input = twoDoseInput();
    const certificate = await issueCertificate(input, ring);
    const jwks = ring.publicJwks();

    const issued = await perSecond(() => issueCertificate(input, ring));
    const verified = await perSecond(() => verifyCertificate(certificate.jws, { jwks }));
    const rendered = await perSecond(() => renderCertificatePdf(certificate.claims, certificate.jws), 3000);
    console.log(
      `certificates on one core: ${issued} issued (signed JWS)/s, ${verified} verified/s, ${rendered} PDFs/s`,
    );
    expect(Math.min(issued, verified, rendered)).toBeGreaterThan(0);
  });
});
