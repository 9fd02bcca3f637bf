/**
 * Records journeys told of a dose 1 given long before it was recorded (offline desks syncing late, a dose given
 * elsewhere that an officer adds), with the workflow code of the checkout it runs in, activities stubbed, on a
 * throwaway Temporal dev server, into tests/journey/histories/ for tests/journey/replay.test.ts.
 *
 * `npx tsx scripts/record-late-dose-histories.ts <dir> old` — run in a checkout of the release before
 * `late-dose1-one-text`: dose 2's due text and every overdue follow-up already past go out together; the current
 * code must replay that as it ran (patched() is false there).
 * `npx tsx scripts/record-late-dose-histories.ts <dir> new` — the current code: one text, the latest of those past.
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
if (!dir || (which !== 'old' && which !== 'new')) throw new Error('usage: record-late-dose-histories.ts <dir> old|new');

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const policy = defaultJourneyPolicy(2_000);

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
const taskQueue = `record-late-${which}`;
const connection = await NativeConnection.connect({ address: server.address });
const worker = await Worker.create({ connection, namespace: server.namespace, taskQueue, workflowsPath, activities });
const running = worker.run();
const client = new Client({
  connection: await Connection.connect({ address: server.address }),
  namespace: server.namespace,
});

const DAY = 86_400_000;
/** Dose 1 of a 28-to-42-day vaccine given 60 days before it was recorded: dose 2 due 32 days ago, overdue since. */
const dose = (d: number, administeredAtMs: number) => ({
  doseId: `00000000-0000-4000-8000-00000000030${d}`,
  dose: d,
  totalDoses: 2,
  vaccineCode: 'COVAXIN',
  administeredAtMs,
  minIntervalDays: 28,
  maxIntervalDays: 42,
});

async function save(name: string, handle: WorkflowHandle) {
  console.log(name, JSON.stringify(await handle.result()).slice(0, 300));
  const history = await handle.fetchHistory();
  writeFileSync(`${dir}/${name}.binpb`, temporal.api.history.v1.History.encode(history).finish());
}

const name = which === 'old' ? 'old-code-late-dose1-due-and-overdue-at-once' : 'late-dose1-one-text';
const handle = await client.workflow.start('beneficiaryJourneyWorkflow', {
  workflowId: name,
  taskQueue,
  args: [
    {
      beneficiaryId: '00000000-0000-4000-8000-000000000301',
      referenceId: '12345678903001',
      verified: true,
      registeredAtMs: Date.now(),
      policy,
    },
  ],
});
await handle.signal('doseAdministered', dose(1, Date.now() - 60 * DAY));
await sleep(6_000);
// Dose 2 at a desk: the journey ends fully vaccinated (no precaution dose named).
await handle.signal('doseAdministered', dose(2, Date.now()));
await save(name, handle);

worker.shutdown();
await running;
await server.stop();
process.exit(0);
