import { createRequire } from 'node:module';
import path from 'node:path';
import jsqr from 'jsqr';
import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { issueCertificate } from '../../certificates/credential.js';
import { renderCertificatePdf } from '../../certificates/pdf.js';
import { renderQrPng } from '../../certificates/qr.js';
import { newKeyRing, twoDoseInput } from './fixtures.js';

// jsqr is CommonJS declaring an ES default export: under NodeNext its function is `.default`.
const jsQR = jsqr.default;

interface PdfImage {
  width: number;
  height: number;
  /** pdf.js ImageKind: 2 = RGB, 3 = RGBA (it converts grayscale images to RGB). */
  kind: number;
  data: Uint8ClampedArray;
}

/** pdf.js reads the metrics of the 14 standard fonts (the certificate's Helvetica) from its own package. */
const standardFontDataUrl = `${path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'))}/standard_fonts/`;

async function readPdf(pdf: Buffer) {
  const document = await getDocument({ data: new Uint8Array(pdf), standardFontDataUrl, isEvalSupported: false })
    .promise;
  const page = await document.getPage(1);
  const text = (await page.getTextContent()).items.map((item) => ('str' in item ? item.str : '')).join(' ');
  const operators = await page.getOperatorList();
  const imageIds = operators.fnArray.flatMap((fn, index) =>
    fn === OPS.paintImageXObject ? [operators.argsArray[index][0] as string] : [],
  );
  // Decoded images arrive from pdf.js's worker after the operator list: ask for each with a callback.
  const images = await Promise.all(
    imageIds.map((id) => new Promise<PdfImage>((resolve) => page.objs.get(id, (image: PdfImage) => resolve(image)))),
  );
  const { info } = await document.getMetadata();
  const [, , width, height] = page.view;
  await document.destroy();
  // Embedded fonts by name, without the subset tag ('ABCDEF+NotoSansDevanagari-Bold').
  const fonts = [
    ...Buffer.from(pdf)
      .toString('latin1')
      .matchAll(/\/BaseFont \/(?:[A-Z]{6}\+)?([\w-]+)/g),
  ].map((m) => m[1]!);
  return { text: text.replace(/\s+/g, ' '), images, info, pages: document.numPages, width, height, fonts };
}

function toRgba(image: PdfImage): Uint8ClampedArray {
  if (image.kind === 3) return image.data;
  const rgba = new Uint8ClampedArray(image.width * image.height * 4);
  for (let pixel = 0; pixel < image.width * image.height; pixel++) {
    rgba.set(image.data.subarray(pixel * 3, pixel * 3 + 3), pixel * 4);
    rgba[pixel * 4 + 3] = 255;
  }
  return rgba;
}

describe('certificate PDF', () => {
  it('is one A4 page with every field, its metadata naming the certificate', async () => {
    const certificate = await issueCertificate(twoDoseInput(), await newKeyRing());
    const pdf = await readPdf(await renderCertificatePdf(certificate.claims, certificate.jws));

    expect(pdf.pages).toBe(1);
    expect([Math.round(pdf.width), Math.round(pdf.height)]).toEqual([595, 842]);
    expect(pdf.info).toMatchObject({ Title: 'Certificate of Vaccination', Subject: certificate.id });
    for (const field of [
      'Certificate of Vaccination',
      'Final certificate: fully vaccinated (dose 2 of 2)',
      'Lakshmi Venkataraman',
      'Subramanian',
      '64 years',
      'Female',
      'XXXXXXXX4821',
      '12345678901234',
      '1 of 2',
      '2 of 2',
      'Covishield',
      '4121Z025',
      '4121Z117',
      '1 Aug 2026',
      '24 Oct 2026',
      'Bengaluru Shivajinagar Urban',
      'Karnataka',
      'Dr. Priyadarshini',
      certificate.id,
      '28 Nov 2026, 01:30 IST',
    ]) {
      expect(pdf.text).toContain(field);
    }
  });

  it('says provisional on a certificate after the first dose', async () => {
    const input = twoDoseInput({ kind: 'PROVISIONAL' });
    const certificate = await issueCertificate({ ...input, doses: input.doses.slice(0, 1) }, await newKeyRing());
    const pdf = await readPdf(await renderCertificatePdf(certificate.claims, certificate.jws));
    expect(pdf.text).toContain('Provisional certificate: dose 1 of 2');
    expect(pdf.text).not.toContain('4121Z117');
  });

  it('embeds a QR code image that scans to the JWS', async () => {
    const certificate = await issueCertificate(twoDoseInput(), await newKeyRing());
    const pdf = await readPdf(await renderCertificatePdf(certificate.claims, certificate.jws));

    expect(pdf.images).toHaveLength(1);
    const [image] = pdf.images;
    expect([2, 3]).toContain(image.kind);
    expect(jsQR(toRgba(image), image.width, image.height)?.data).toBe(certificate.jws);
  });

  it('renders the QR PNG so that a decoder reads back the JWS exactly', async () => {
    const { jws } = await issueCertificate(twoDoseInput(), await newKeyRing());
    const png = PNG.sync.read(await renderQrPng(jws));
    const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    console.log(
      `QR code: version ${decoded?.version} (${17 + 4 * (decoded?.version ?? 0)} modules), PNG ${png.width}x${png.height}`,
    );
    expect(decoded?.data).toBe(jws);
  });

  it('prints a name written in Devanagari in the embedded Devanagari font, and other scripts as ?', async () => {
    const input = twoDoseInput();
    const keys = await newKeyRing();
    const hindi = await issueCertificate({ ...input, holder: { ...input.holder, name: 'Asha देवी Rao' } }, keys);
    const bytes = await renderCertificatePdf(hindi.claims, hindi.jws);
    const pdf = await readPdf(bytes);
    expect(pdf.text).toContain('Asha देवी Rao');
    expect(pdf.fonts).toContain('NotoSansDevanagari-Bold');
    // Same bytes on every render, Devanagari included.
    expect(bytes.equals(await renderCertificatePdf(hindi.claims, hindi.jws))).toBe(true);

    const tamil = await issueCertificate({ ...input, holder: { ...input.holder, name: 'Asha தேவி Rao' } }, keys);
    expect((await readPdf(await renderCertificatePdf(tamil.claims, tamil.jws))).text).toContain('Asha ???? Rao');

    const plain = await issueCertificate(input, keys);
    const latin = await readPdf(await renderCertificatePdf(plain.claims, plain.jws));
    expect(latin.fonts.some((font) => font.includes('Devanagari'))).toBe(false);
  });

  it('renders the same certificate to the same bytes', async () => {
    const certificate = await issueCertificate(twoDoseInput(), await newKeyRing());
    const [first, second] = [
      await renderCertificatePdf(certificate.claims, certificate.jws),
      await renderCertificatePdf(certificate.claims, certificate.jws),
    ];
    expect(first.equals(second)).toBe(true);
  });
});
