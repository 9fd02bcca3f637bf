/**
 * Records a journey's history with the workflow code of the checkout it runs in, activities stubbed, on a
 * throwaway Temporal dev server: dose 1, then dose 2 whose signal names a precaution due date (as the API sends
 * it since the `precaution-dose` patch). Run in a checkout of the release before that patch, it gives
 * tests/journey/histories/old-code-dose2-names-precaution-due.binpb: the old code ends the journey at
 * FULLY_VACCINATED, and the current code must replay that (patched() is false there) instead of waiting for the
 * precaution dose. `npx tsx scripts/record-journey-history.ts <out.binpb>`
 */
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { NativeConnection, Worker } from '@temporalio/worker';
import { ensureTemporal } from '../stack/temporal.js';
import { workflowsPath } from '../workflows/worker.js';
import { defaultJourneyPolicy } from '../domain/journey-schedule.js';

const { temporal } = proto;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

const out = process.argv[2]!;
const server = await ensureTemporal({ port: await freePort(), uiPort: await freePort(), log: () => {} });
const nop = async () => undefined;
const activities = {
  projectStage: nop,
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
const connection = await NativeConnection.connect({ address: server.address });
const worker = await Worker.create({
  connection,
  namespace: server.namespace,
  taskQueue: 'record-old',
  workflowsPath,
  activities,
});
const running = worker.run();
const client = new Client({
  connection: await Connection.connect({ address: server.address }),
  namespace: server.namespace,
});
const workflowId = 'journey-old-code-dose2-names-precaution-due';
const now = Date.now();
const handle = await client.workflow.start('beneficiaryJourneyWorkflow', {
  workflowId,
  taskQueue: 'record-old',
  args: [
    {
      beneficiaryId: '00000000-0000-4000-8000-000000000001',
      referenceId: '12345678901234',
      verified: true,
      registeredAtMs: now,
      policy: defaultJourneyPolicy(2_000),
    },
  ],
});
const dose = (n: number, extra: Record<string, unknown> = {}) => ({
  doseId: `00000000-0000-4000-8000-00000000000${n + 1}`,
  dose: n,
  totalDoses: 2,
  vaccineCode: 'COVAXIN',
  sessionDayId: '00000000-0000-4000-8000-000000000009',
  administeredAtMs: Date.now(),
  minIntervalDays: 1,
  maxIntervalDays: 3,
  ...extra,
});
await handle.signal('doseAdministered', dose(1));
await handle.signal('doseAdministered', dose(2, { precautionDueOn: '2027-09-05' }));
console.log(await handle.result());
const history = await handle.fetchHistory();
writeFileSync(out, temporal.api.history.v1.History.encode(history).finish());
worker.shutdown();
await running;
await server.stop();
process.exit(0);
