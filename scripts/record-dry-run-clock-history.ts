/**
 * Records the history of a simulated dry run's person (`calendarStartMs` in the journey's input) with the workflow
 * code of the checkout it runs in, activities stubbed, on a throwaway Temporal dev server, into
 * tests/journey/histories/ for tests/journey/replay.test.ts: booked at a session of the run's date, the no-show check
 * placed on the run's clock (`dry-run-clock`), finding the day open once and looking again, then releasing the
 * booking once the day has closed. `npx tsx scripts/record-dry-run-clock-history.ts <dir>`
 */
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { NativeConnection, Worker } from '@temporalio/worker';
import { ensureTemporal } from '../stack/temporal.js';
import { workflowsPath } from '../workflows/worker.js';
import { defaultJourneyPolicy } from '../domain/journey-schedule.js';
import { simulationCalendarStart } from '../domain/dry-run.js';
import { addDays, indiaDate, indiaInstant } from '../domain/time.js';

const { temporal } = proto;

const [dir] = process.argv.slice(2);
if (!dir) throw new Error('usage: record-dry-run-clock-history.ts <dir>');

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

/** A calendar minute is 0.1 s: the check comes 6 s after the start, and looks again 3 s later. */
const policy = defaultJourneyPolicy(144_000);
const date = addDays(indiaDate(), 10);
const closesAtMs = indiaInstant(date, '09:20').getTime();
let checks = 0;

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
  withdrawBeneficiary: nop,
  // Open at the first check, closed at the next.
  describeSessionClosing: async () => ({ status: ++checks > 1 ? 'CLOSED' : 'OPEN', closesAtMs, devicesToReport: 0 }),
  releaseAppointment: async () => 'RELEASED',
};
const taskQueue = 'record-dry-run-clock';
const connection = await NativeConnection.connect({ address: server.address });
const worker = await Worker.create({ connection, namespace: server.namespace, taskQueue, workflowsPath, activities });
const running = worker.run();
const client = new Client({
  connection: await Connection.connect({ address: server.address }),
  namespace: server.namespace,
});

const name = 'dry-run-clock-no-show';
const handle = await client.workflow.start('beneficiaryJourneyWorkflow', {
  workflowId: name,
  taskQueue,
  args: [
    {
      beneficiaryId: '00000000-0000-4000-8000-000000000401',
      referenceId: '12345678904001',
      verified: true,
      registeredAtMs: Date.now(),
      policy,
      calendarStartMs: simulationCalendarStart(date, '09:00:00'),
    },
  ],
});
await handle.signal('bookingChanged', {
  version: 1,
  change: 'BOOKED',
  dose: 1,
  stage: 'DOSE1_BOOKED',
  reason: 'dose 1 booked',
  appointment: {
    appointmentId: '00000000-0000-4000-8000-000000000402',
    sessionDayId: '00000000-0000-4000-8000-000000000403',
    slotId: 1,
    dose: 1,
    date,
    startsAt: '09:00:00',
    endsAt: '09:20:00',
    siteName: 'Dry run PHC',
    closesAtMs,
  },
});
while (checks < 2) await new Promise((r) => setTimeout(r, 200));
await new Promise((r) => setTimeout(r, 2_000));
const history = await handle.fetchHistory();
await handle.terminate('recorded');
writeFileSync(`${dir}/${name}.binpb`, temporal.api.history.v1.History.encode(history).finish());
console.log('recorded', history.events?.length, 'events');

worker.shutdown();
await running;
await server.stop();
process.exit(0);
