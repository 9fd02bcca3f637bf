/**
 * The downloadable certificate: one A4 page with the holder, every dose, and the QR code of the JWS.
 * Latin text is pdfkit's built-in Helvetica; Devanagari (a name written in Hindi) is the bundled Noto Sans
 * Devanagari, embedded only when the certificate has some (certificates/pdf-text.ts). Nothing is fetched.
 */
import { doseLabel } from '../domain/precaution.js';
import PDFDocument from 'pdfkit';
import { INDIA_TZ, indiaDate } from '../domain/time.js';
import type { VaccinationCredential } from './certificate-format.js';
import { mixedText, registerScriptFonts } from './pdf-text.js';
import { renderQrPng } from './qr.js';

const MARGIN = 48;
const QR_SIZE = 190;
const INK = '#1a1a1a';
const MUTED = '#5c5c5c';
const ACCENT = '#0b5d4b';
const RULE = '#c9d6d2';

export async function renderCertificatePdf(credential: VaccinationCredential, jws: string): Promise<Buffer> {
  const qrPng = await renderQrPng(jws);
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    info: {
      Title: 'Certificate of Vaccination',
      Subject: credential.certificateId,
      Author: credential.issuer,
      Creator: 'Teeka',
      // The issue time, not the render time: the same certificate always renders to the same bytes.
      CreationDate: new Date(credential.issuanceDate),
    },
  });
  const done = collect(doc);
  registerScriptFonts(doc);

  drawTitle(doc, credential);
  drawHolder(doc, credential, qrPng);
  drawDoses(doc, credential);
  drawCertificateDetails(doc, credential);
  drawFootnote(doc);

  doc.end();
  return done;
}

function drawTitle(doc: PDFKit.PDFDocument, credential: VaccinationCredential) {
  const width = contentWidth(doc);
  doc.rect(0, 0, doc.page.width, 8).fill(ACCENT);
  doc
    .fillColor(ACCENT)
    .font('Helvetica-Bold')
    .fontSize(24)
    .text('Certificate of Vaccination', MARGIN, MARGIN, { width });
  doc.moveDown(0.2).fillColor(INK).font('Helvetica').fontSize(13).text(kindLine(credential), { width });
  rule(doc, doc.y + 12);
}

/** The last dose tells how far through the schedule the holder is. */
function kindLine(credential: VaccinationCredential): string {
  const last = credential.evidence[credential.evidence.length - 1];
  if (last.dose > last.totalDoses) return 'Final certificate: fully vaccinated, with the precaution dose';
  const progress = `dose ${last.dose} of ${last.totalDoses}`;
  return credential.kind === 'FINAL'
    ? `Final certificate: fully vaccinated (${progress})`
    : `Provisional certificate: ${progress}`;
}

function drawHolder(doc: PDFKit.PDFDocument, credential: VaccinationCredential, qrPng: Buffer) {
  const top = doc.y + 28;
  const subject = credential.credentialSubject;
  const qrLeft = doc.page.width - MARGIN - QR_SIZE;

  sectionHeading(doc, 'Beneficiary details', MARGIN, top);
  const fields: Array<[string, string]> = [
    ['Name', subject.name],
    ['Age', `${subject.age} years`],
    ['Gender', subject.gender],
    ['Photo ID', subject.photoId],
    ['Beneficiary reference ID', subject.refId],
  ];
  const labelWidth = 160;
  const valueWidth = qrLeft - MARGIN - labelWidth - 16;
  let y = doc.y + 8;
  for (const [label, value] of fields) {
    doc.fillColor(MUTED).font('Helvetica').fontSize(10.5).text(label, MARGIN, y, { width: labelWidth });
    doc.fillColor(INK).fontSize(11.5);
    mixedText(doc, value, { x: MARGIN + labelWidth, y }, { width: valueWidth, weight: 'bold' });
    y = doc.y + 9;
  }

  doc.image(qrPng, qrLeft, top, { width: QR_SIZE, height: QR_SIZE });
  doc
    .fillColor(MUTED)
    .font('Helvetica')
    .fontSize(9)
    .text('Scan to verify this certificate', qrLeft, top + QR_SIZE + 4, { width: QR_SIZE, align: 'center' });

  doc.x = MARGIN;
  doc.y = Math.max(y, doc.y) + 18;
}

function drawDoses(doc: PDFKit.PDFDocument, credential: VaccinationCredential) {
  sectionHeading(doc, 'Vaccination details', MARGIN, doc.y);
  doc.moveDown(0.5);
  const header = ['Dose', 'Vaccine', 'Batch', 'Date', 'Vaccination site', 'Vaccinator'];
  const rows = credential.evidence.map((dose) => [
    doseLabel(dose.dose, dose.totalDoses),
    dose.vaccine,
    dose.batch,
    displayDate(dose.date),
    dose.recordedBy === 'OFFICER'
      ? `${dose.facility.name} (given elsewhere; recorded in ${dose.facility.address.district}, ${dose.facility.address.addressRegion} by an officer from evidence)`
      : `${dose.facility.name}, ${dose.facility.address.district}, ${dose.facility.address.addressRegion}`,
    dose.recordedBy === 'OFFICER' ? `Recorded by ${dose.verifier.name}` : dose.verifier.name,
  ]);
  const fixed = [40, 70, 78, 70, 96];
  const widths = [...fixed.slice(0, 4), contentWidth(doc) - fixed.reduce((a, b) => a + b, 0), fixed[4]!];
  let y = doc.y;
  y = drawRow(doc, header, widths, y, { bold: true, fill: '#e8f0ee' });
  for (const row of rows) y = drawRow(doc, row, widths, y, { bold: false });
  doc.x = MARGIN;
  doc.y = y;
  doc.moveDown(1.5);
}

const CELL_PADDING = { x: 5, y: 6 };

/**
 * One table row: each cell in mixed scripts, the row as tall as its tallest cell, ruled like a grid.
 * Returns the y below the row.
 */
function drawRow(
  doc: PDFKit.PDFDocument,
  cells: readonly string[],
  widths: readonly number[],
  top: number,
  style: { bold: boolean; fill?: string },
): number {
  // The background goes under the text, so its height is estimated first (Helvetica metrics); the grid is
  // drawn last, around what the text really took.
  doc.font(style.bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(10);
  const heights = cells.map((cell, index) => doc.heightOfString(cell, { width: widths[index]! - 2 * CELL_PADDING.x }));
  let bottom = top + Math.max(...heights) + 2 * CELL_PADDING.y;
  let x = MARGIN;
  if (style.fill) doc.rect(MARGIN, top, contentWidth(doc), bottom - top).fill(style.fill);
  cells.forEach((cell, index) => {
    const width = widths[index]!;
    doc.fillColor(INK).fontSize(10);
    mixedText(
      doc,
      cell,
      { x: x + CELL_PADDING.x, y: top + CELL_PADDING.y },
      { width: width - 2 * CELL_PADDING.x, weight: style.bold ? 'bold' : 'regular' },
    );
    bottom = Math.max(bottom, doc.y + CELL_PADDING.y);
    x += width;
  });
  doc.lineWidth(0.5).strokeColor(RULE);
  x = MARGIN;
  for (const width of widths) {
    doc.rect(x, top, width, bottom - top).stroke();
    x += width;
  }
  return bottom;
}

function drawCertificateDetails(doc: PDFKit.PDFDocument, credential: VaccinationCredential) {
  sectionHeading(doc, 'Certificate', MARGIN, doc.y);
  const issued = new Date(credential.issuanceDate);
  const fields: Array<[string, string]> = [
    ['Certificate ID', credential.certificateId],
    ['Issued on', `${displayDate(issued)}, ${displayTime(issued)} IST`],
  ];
  let y = doc.y + 8;
  for (const [label, value] of fields) {
    doc.fillColor(MUTED).font('Helvetica').fontSize(10.5).text(label, MARGIN, y, { width: 160 });
    doc
      .fillColor(INK)
      .font('Helvetica-Bold')
      .fontSize(11.5)
      .text(value, MARGIN + 160, y);
    y = doc.y + 9;
  }
  doc.x = MARGIN;
  doc.y = y;
}

function drawFootnote(doc: PDFKit.PDFDocument) {
  const top = doc.page.height - MARGIN - 40;
  rule(doc, top - 10);
  doc
    .fillColor(MUTED)
    .font('Helvetica')
    .fontSize(8.5)
    .text(
      'This certificate is digitally signed. Scanning its QR code on the verify page shows whether it is genuine, ' +
        'unaltered and not revoked, and works without a network once the page has the published keys.',
      MARGIN,
      top,
      { width: contentWidth(doc) },
    );
}

function sectionHeading(doc: PDFKit.PDFDocument, title: string, x: number, y: number) {
  doc.fillColor(ACCENT).font('Helvetica-Bold').fontSize(13).text(title, x, y);
}

function rule(doc: PDFKit.PDFDocument, y: number) {
  doc
    .moveTo(MARGIN, y)
    .lineTo(doc.page.width - MARGIN, y)
    .lineWidth(0.75)
    .strokeColor(RULE)
    .stroke();
  doc.y = y;
}

function contentWidth(doc: PDFKit.PDFDocument): number {
  return doc.page.width - 2 * MARGIN;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const indiaTimeFormat = new Intl.DateTimeFormat('en-IN', {
  timeZone: INDIA_TZ,
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** '27 Nov 2026' of an instant, or of an India date 'YYYY-MM-DD'. Own month names: ICU's change between versions. */
function displayDate(date: Date | string): string {
  const [year, month, day] = (typeof date === 'string' ? date : indiaDate(date)).split('-').map(Number);
  return `${day} ${MONTHS[month - 1]} ${year}`;
}

function displayTime(at: Date): string {
  return indiaTimeFormat.format(at);
}

function collect(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}
