/**
 * Certificates: signed certificate JSON (JWS) and PDF per second on one core, against DIVOC's published
 * 500 JSON/s and 300 PDF/s; baseline: a bare Ed25519 signature of the same bytes with node:crypto.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { credentialFromJws } from '../certificates/certificate-format.js';
import { issueCertificate, type IssueCertificateInput } from '../certificates/credential.js';
import { keyRingFromJwks, generateSigningJwk } from '../certificates/keys.js';
import { renderCertificatePdf } from '../certificates/pdf.js';
import { round, writeResult } from './lib/report.js';

const DIVOC = { json: 500, pdf: 300 };

function input(i: number): IssueCertificateInput {
  const at = new Date(Date.UTC(2021, 8, 17, 5, 0));
  const dose = (n: number) => ({
    doseNumber: n,
    totalDoses: 2,
    vaccine: 'Covishield',
    batch: `4121Z0${n}${i % 10}`,
    administeredAt: new Date(at.getTime() + (n - 1) * 84 * 86_400_000),
    site: { name: 'Pune Camp Urban Health Centre', district: 'Pune', state: 'Maharashtra' },
    vaccinatorName: 'Asha Patil',
  });
  return {
    holder: {
      referenceId: String(10_000_000_000_000 + i),
      name: `Beneficiary ${i}`,
      birthYear: 1980,
      gender: 'F',
      photoIdLast4: '1234',
    },
    doses: [dose(1), dose(2)],
    kind: 'FINAL',
    issuedAt: at,
  };
}

async function perSecond(seconds: number, work: (i: number) => Promise<unknown> | unknown): Promise<number> {
  const end = performance.now() + seconds * 1000;
  let done = 0;
  while (performance.now() < end) {
    await work(done);
    done++;
  }
  return done / seconds;
}

export async function benchCertificates(seconds = Number(process.env.BENCH_SECONDS ?? 10)) {
  const keyRing = await keyRingFromJwks([await generateSigningJwk()]);
  const { privateKey } = generateKeyPairSync('ed25519');
  const sample = await issueCertificate(input(0), keyRing);
  const payload = Buffer.from(sample.jws.split('.')[1], 'base64url');

  const rawSignPerSecond = await perSecond(seconds / 2, () => sign(null, payload, privateKey));
  const jsonPerSecond = await perSecond(seconds, (i) => issueCertificate(input(i), keyRing));
  const pdfPerSecond = await perSecond(seconds, () => renderCertificatePdf(credentialFromJws(sample.jws), sample.jws));

  const result = {
    command: 'npm run bench -- certificates',
    certificateJsonPerSecond: round(jsonPerSecond),
    certificatePdfPerSecond: round(pdfPerSecond),
    baselineRawEd25519SignsPerSecond: round(rawSignPerSecond),
    jsonVsRawSign: round(jsonPerSecond / rawSignPerSecond, 3),
    jsonVsDivoc500: round(jsonPerSecond / DIVOC.json, 2),
    pdfVsDivoc300: round(pdfPerSecond / DIVOC.pdf, 2),
    note: 'one process on one core; the API and worker scale these per process',
  };
  writeResult('certificates', result);
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await benchCertificates();
