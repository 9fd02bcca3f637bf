/**
 * Records the histories of journeys that reach a stage where only their person can move them (never booked; dose 1
 * done with every dose-2 follow-up sent), with the workflow code of the checkout it runs in, activities stubbed, on
 * a throwaway Temporal dev server, into tests/journey/histories/ for tests/journey/replay.test.ts.
 *
 * `npx tsx scripts/record-inactive-histories.ts <dir> old` — run in a checkout of the release before
 * `ends-when-inactive`: journeys asleep in such a stage (no timer then), woken later by their person (a booking; dose
 * 2 given at a desk). The current code must replay them as they ran (patched() is false there).
 * `npx tsx scripts/record-inactive-histories.ts <dir> new` — the current code: such journeys end, awaiting return,
 * and a journey resumed for its person's booking (workflows/journey-resume.ts) runs again.
 */
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import proto from '@temporalio/proto';
import { NativeConnection, Worker } from '@temporalio/worker';
import { ensureTemporal } from '../stack/temporal.js';
import { workflowsPath } from '../workflows/worker.js';
import { defaultJourneyPolicy } from '../domain/journey-schedule.js';

const { temporal } = proto;

const [dir, which] = process.argv.slice(2);
if (!dir || (which !== 'old' && which !== 'new')) throw new Error('usage: record-inactive-histories.ts <dir> old|new');

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** 200 ms a day: a weekly follow-up comes 1.4 s after dose 2 is due; a journey ends 2 days (0.4 s) after it. */
const DAY_MS = 200;
const policy = { ...defaultJourneyPolicy(DAY_MS), inactiveAfterDays: 2 };

const server = await ensureTemporal({ port: await freePort(), uiPort: await freePort(), log: () => {} });
const nop = async () => undefined;
const activities = {
  projectStage: nop,
  projectInactive: nop,
  projectResumed: nop,
  notifyBeneficiary: nop,
  completeDoseStep: nop,
  issueCertificate: nop,
  checkOtp: nop,
  reserveAppointment: nop,
  moveAppointment: nop,
  releaseAppointment: nop,
  withdrawBeneficiary: nop,
  describeSessionClosing: nop,
};
const taskQueue = `record-${which}`;
const connection = await NativeConnection.connect({ address: server.address });
const worker = await Worker.create({ connection, namespace: server.namespace, taskQueue, workflowsPath, activities });
const running = worker.run();
const client = new Client({
  connection: await Connection.connect({ address: server.address }),
  namespace: server.namespace,
});

let n = 0;
const input = () => ({
  beneficiaryId: `00000000-0000-4000-8000-0000000000${String(++n).padStart(2, '0')}`,
  referenceId: `1234567890${String(1000 + n)}`,
  verified: true,
  registeredAtMs: Date.now(),
  policy,
});
const dose = (d: number) => ({
  doseId: `00000000-0000-4000-8000-00000000010${d}`,
  dose: d,
  totalDoses: 2,
  vaccineCode: 'COVAXIN',
  sessionDayId: '00000000-0000-4000-8000-000000000009',
  administeredAtMs: Date.now(),
  minIntervalDays: 0,
  maxIntervalDays: 1,
});
/** Dose 1 booked at a session 30 days ahead (no reminder or no-show falls inside the recording). */
const booked = () => {
  const date = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  return {
    version: 1,
    change: 'BOOKED',
    dose: 1,
    stage: 'DOSE1_BOOKED',
    reason: 'dose 1 booked',
    appointment: {
      appointmentId: '00000000-0000-4000-8000-000000000201',
      sessionDayId: '00000000-0000-4000-8000-000000000202',
      slotId: 1,
      dose: 1,
      date,
      startsAt: '09:00:00',
      endsAt: '11:00:00',
      siteName: 'PHC Aundh',
      closesAtMs: Date.parse(`${date}T11:30:00Z`),
    },
  };
};

async function save(name: string, handle: WorkflowHandle, end: 'result' | 'terminate') {
  if (end === 'result') console.log(name, JSON.stringify(await handle.result()).slice(0, 200));
  const history = await handle.fetchHistory();
  if (end === 'terminate') await handle.terminate('recorded');
  writeFileSync(`${dir}/${name}.binpb`, temporal.api.history.v1.History.encode(history).finish());
}

const start = (id: string) =>
  client.workflow.start('beneficiaryJourneyWorkflow', { workflowId: id, taskQueue, args: [input()] });

if (which === 'old') {
  // Verified, never booked: asleep with no timer, then the person books.
  const verified = await start('old-code-verified-asleep-then-booked');
  await sleep(1_500);
  await verified.signal('bookingChanged', booked());
  await sleep(1_000);
  await save('old-code-verified-asleep-then-booked', verified, 'terminate');

  // Dose 1, dose 2 due and its one follow-up sent, asleep; then dose 2 at a desk.
  const dose1 = await start('old-code-dose1-followups-spent-then-dose2');
  await dose1.signal('doseAdministered', dose(1));
  await sleep(3_000);
  await dose1.signal('doseAdministered', dose(2));
  await save('old-code-dose1-followups-spent-then-dose2', dose1, 'result');
} else {
  // Verified, never booked: ends awaiting return.
  await save('verified-ends-inactive', await start('verified-ends-inactive'), 'result');

  // Dose 1, dose 2 due, its follow-up sent, then the end awaiting return.
  const dose1 = await start('dose1-followups-spent-ends-inactive');
  await dose1.signal('doseAdministered', dose(1));
  await save('dose1-followups-spent-ends-inactive', dose1, 'result');

  // The person of an ended journey books: a new run resumed at VERIFIED takes the booking, then dose 1.
  const resumed = await client.workflow.signalWithStart('beneficiaryJourneyWorkflow', {
    workflowId: 'resumed-after-inactive-booked-dose1',
    taskQueue,
    args: [{ ...input(), resume: { stage: 'VERIFIED', dosesReceived: 0 } }],
    signal: 'bookingChanged',
    signalArgs: [booked()],
  });
  await sleep(1_000);
  await resumed.signal('doseAdministered', dose(1));
  await sleep(1_000);
  await save('resumed-after-inactive-booked-dose1', resumed, 'terminate');
}

worker.shutdown();
await running;
await server.stop();
process.exit(0);
