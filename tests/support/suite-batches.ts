/**
 * The batches the suite's doses name, registered for every vaccine and good for decades: a dose must name a
 * registered, unexpired batch of its session's vaccine (domain/vaccine-batches.ts), and the tests of everything
 * else should not each have to register one. Tests of the batch rules register their own (tests/stock/).
 */
import { sql } from 'kysely';
import type { Db } from '../../db/connection.js';

export const SUITE_BATCHES = [
  '4121Z005',
  '4121Z025',
  '4121Z117',
  'AT-ONCE-1',
  'AUD-1',
  'AUD-2',
  'AUD-3',
  'B-001',
  'B-1',
  'B1',
  'BAD-1',
  'BRW-77',
  'CERT-1',
  'CL-001',
  'CL-002',
  'COR-1',
  'CRB-5',
  'CVX-2041',
  'DESK-001',
  'DESK-002',
  'DRILL-1',
  'DRY-RUN',
  'DUP-1',
  'EARLY-1',
  'FLT-001',
  'HX-1',
  'IDLE-1',
  'IDLE-2',
  'LATE-001',
  'LIVE-1',
  'LOG-001',
  'LOOK-1',
  'MET-1',
  'OFF-001',
  'OFF-002',
  'OFF-42',
  'OFF-77',
  'OFF-WALK',
  'PA-001',
  'PRE-001',
  'PRE-003',
  'REAL-1',
  'RM-1',
  'RM-2',
  'RM-3',
  'ROLE-1',
  'RT-001',
  'RT-OFF',
  'RULES-1',
  'SCALE-1',
  'ST-001',
  'TEAM-1',
  'TEAM-2',
  'TEAM-3',
  'TEAM-4',
  'TEAM-5',
  'TV-001',
  'TV-002',
  'V-1',
  'WALK-1',
  'WALK-7',
  'WIN-1',
];

export async function registerSuiteBatches(db: Db): Promise<void> {
  await sql`
    insert into vaccine_batch (vaccine_code, batch_number, manufacturer, expires_on, doses_per_vial)
    select v.code, b.number, 'Test manufacturer', date '2099-12-31', 10
    from vaccine v cross join unnest(${sql.val(SUITE_BATCHES)}::text[]) as b(number)
    on conflict do nothing`.execute(db);
}
