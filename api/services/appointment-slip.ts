/**
 * The appointment slip a person brings to the centre: who, which dose, where, when, and the 4-digit secret
 * code the vaccinator asks for. One A5 page; Helvetica, and the bundled Devanagari font for Hindi names and
 * centres (certificates/pdf-text.ts). Nothing is fetched.
 */
import PDFDocument from 'pdfkit';
import { mixedText, registerScriptFonts } from '../../certificates/pdf-text.js';

export interface AppointmentSlip {
  appointmentId: string;
  name: string;
  referenceId: string;
  secretCode: string;
  dose: number;
  centreName: string;
  centreAddress: string;
  /** As shown to people: DD-MM-YYYY. */
  date: string;
  slot: string;
}

const INK = '#1a1a1a';
const MUTED = '#5c5c5c';
const ACCENT = '#0b5d4b';

export function renderAppointmentSlip(slip: AppointmentSlip): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A5',
    margin: 36,
    info: { Title: 'Appointment slip', Subject: slip.appointmentId, Creator: 'Teeka' },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  registerScriptFonts(doc);
  const width = doc.page.width - 72;
  doc.rect(0, 0, doc.page.width, 6).fill(ACCENT);
  doc.fillColor(ACCENT).font('Helvetica-Bold').fontSize(18).text('Vaccination appointment slip', 36, 36, { width });
  doc.moveDown(0.8);

  const field = (label: string, value: string) => {
    doc.fillColor(MUTED).font('Helvetica').fontSize(9).text(label.toUpperCase(), { width });
    doc.fillColor(INK).fontSize(13);
    mixedText(doc, value, {}, { width, weight: 'bold' });
    doc.moveDown(0.5);
  };
  field('Name', slip.name);
  field('Reference id', slip.referenceId);
  field('Secret code', slip.secretCode);
  field('Dose', `Dose ${slip.dose}`);
  field('Centre', `${slip.centreName}\n${slip.centreAddress}`);
  field('Date', slip.date);
  field('Time slot', slip.slot);
  field('Appointment id', slip.appointmentId);

  doc
    .moveDown(0.5)
    .fillColor(MUTED)
    .font('Helvetica')
    .fontSize(9)
    .text(
      'Bring this slip and the photo ID you registered with. Tell the vaccinator your secret code only at the centre.',
      { width },
    );
  doc.end();
  return done;
}
