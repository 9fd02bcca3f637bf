/**
 * A dry run's findings as a PDF for the meeting after the rehearsal: the whole run, then each site with its steps
 * and slots. A4, Helvetica, and the bundled Devanagari font for Hindi site names (certificates/pdf-text.ts). The
 * same figures as the JSON and CSV (api/services/dry-runs.ts dryRunFindings); nothing is fetched.
 */
import PDFDocument from 'pdfkit';
import { mixedText, registerScriptFonts } from '../../certificates/pdf-text.js';
import type { DryRunFindings } from './dry-runs.js';

const INK = '#1a1a1a';
const MUTED = '#5c5c5c';
const ACCENT = '#0b5d4b';
const MARGIN = 40;

const STEP_NAMES: Record<string, string> = {
  DOOR_CHECK: 'door check',
  VACCINATION: 'vaccination',
  OBSERVATION: 'observation',
  RELEASE: 'release',
};

export function renderFindingsPdf(findings: DryRunFindings): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    info: { Title: `Dry run findings: ${findings.name}`, Subject: findings.dryRunId, Creator: 'Teeka' },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  registerScriptFonts(doc);
  const width = doc.page.width - 2 * MARGIN;

  doc.rect(0, 0, doc.page.width, 6).fill(ACCENT);
  doc.fillColor(ACCENT).font('Helvetica-Bold').fontSize(18);
  mixedText(doc, `Dry run findings: ${findings.name}`, { x: MARGIN, y: MARGIN }, { width, weight: 'bold' });
  doc
    .fillColor(MUTED)
    .font('Helvetica')
    .fontSize(10)
    .text(
      `${findings.mode === 'SIMULATION' ? 'Simulation' : 'Drill'} on ${findings.date}, ${findings.status.toLowerCase()}` +
        (findings.dayMs ? `; a day lasted ${Math.round(findings.dayMs / 1000)} s of real time` : '') +
        '. Test people only: nothing here counts as real.',
      { width },
    );

  const heading = (text: string) => {
    doc.moveDown(0.8).fillColor(ACCENT).fontSize(13);
    mixedText(doc, text, {}, { width, weight: 'bold' });
    doc.moveDown(0.2).fillColor(INK).font('Helvetica').fontSize(10);
  };
  const line = (label: string, value: string | number) =>
    doc.fillColor(MUTED).text(`${label}: `, { continued: true, width }).fillColor(INK).text(String(value));
  const steps = (list: DryRunFindings['totals']['steps']) =>
    list
      .map((s) => `${STEP_NAMES[s.step]} ${s.meanMinutes} min (longest ${s.maxMinutes}, ${s.people} people)`)
      .join('; ');

  const t = findings.totals;
  heading('The whole run');
  line('Sites', t.sites);
  line('Seats (online and walk-in)', t.seats);
  line('Booked / demand (booked and walk-ins)', `${t.booked} / ${t.demand}`);
  line('Doses / seats used', `${t.doses} / ${t.utilisation}%`);
  line('Turned away', t.turnedAway);
  line('Walk-ins vaccinated / came', `${t.walkInsVaccinated} / ${t.walkInsArrived}`);
  line('No-shows', t.noShows);
  line('Time per step (mean)', steps(t.steps));
  line('Bottleneck step', t.bottleneck ? STEP_NAMES[t.bottleneck]! : 'none');
  line('Doses per vaccinator-hour', t.dosesPerVaccinatorHour);
  line('Stalls / interventions', `${t.stalls} / ${t.interventions}`);
  line('SMS sent / delivered / failed', `${t.sms.sent} / ${t.sms.delivered} / ${t.sms.failed}`);
  line('AEFI reports (minor / serious / severe)', `${t.aefi.minor} / ${t.aefi.serious} / ${t.aefi.severe}`);
  line('Doses synced from offline desks', t.offlineDoses);

  for (const site of findings.sites) {
    heading(site.siteName);
    line('Status', site.status.toLowerCase());
    line('Seats / booked / demand', `${site.seats + site.walkinSeats} / ${site.booked} / ${site.demand}`);
    line('Doses / seats used / turned away', `${site.doses} / ${site.utilisation}% / ${site.turnedAway}`);
    line('Time per step (mean)', steps(site.steps));
    line('Bottleneck step', site.bottleneck ? STEP_NAMES[site.bottleneck]! : 'none');
    line('Doses per vaccinator-hour', site.dosesPerVaccinatorHour);
    line(
      'Vaccinators (doses, idle minutes)',
      site.vaccinatorIdleMinutes.map((v) => `${v.name} (${v.doses}, ${v.idleMinutes})`).join('; '),
    );
    line('Staffing', site.staffing.toLowerCase().replace('over', 'over-staffed').replace('under', 'under-staffed'));
    doc
      .moveDown(0.3)
      .fillColor(MUTED)
      .text('Slots: seats, booked, came, checked, turned away, mean / longest wait (min), longest queue');
    doc.fillColor(INK);
    for (const slot of site.slots) {
      doc.text(
        `${slot.startsAt.slice(0, 5)}-${slot.endsAt.slice(0, 5)}  ${slot.seats}, ${slot.booked}, ${slot.arrived}, ` +
          `${slot.verified}, ${slot.turnedAway}, ${slot.meanWaitMinutes} / ${slot.maxWaitMinutes}, ${slot.longestQueue}` +
          (slot.load === 'NORMAL' ? '' : `  (${slot.load.toLowerCase()})`),
        { width },
      );
    }
  }
  doc.end();
  return done;
}
