/**
 * A dry run's SMS never reach a real officer's phone or a test mobile through a real gateway: a dry-run day's
 * stall alert goes to the staff numbers the officer listed for the run (marked as a dry run), and a test person's
 * message goes to those numbers instead of the test mobile, or nowhere when none were listed.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSessionDay, insertSite } from '../support/fixtures.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { someDistrict, staffMember, type District, type Member } from '../teams/support.js';
import { createSessionDayActivities } from '../../workflows/activities/session-day.js';
import type { ActivityDeps } from '../../workflows/activities/deps.js';
import { sendSms } from '../../messaging/sms-outbox.js';
import type { OutgoingSms, SmsProvider } from '../../messaging/providers/types.js';

let platform: TestPlatform;
let district: District;
let officer: Member;
/** The runs made here and the real day's stall alert, for the deletion at the end. */
const made: string[] = [];
let realAlertKey = '';
/** Staff numbers an officer lists for a drill (unique to this file). */
const DRILL_NUMBERS = [`91${String(Date.now()).slice(-8)}`, `92${String(Date.now()).slice(-8)}`];

/** A real gateway as the outbox sees one: it records what it is asked to send. */
function recordingGateway(): SmsProvider & { sent: OutgoingSms[] } {
  const sent: OutgoingSms[] = [];
  return { name: 'webhook', sent, send: async (m) => (sent.push(m), { providerMessageId: randomUUID() }) };
}

async function drill(name: string, smsNumbers?: string[]) {
  const { app, db, config } = platform;
  const site = await insertSite(db, district);
  const vaccinator = await staffMember(app, db, config, 'VACCINATOR', district);
  const created = await app.inject({
    method: 'POST',
    url: '/api/v1/dry-runs',
    headers: officer.headers,
    payload: {
      name,
      mode: 'DRILL',
      siteIds: [site.id],
      parameters: { opensAt: '00:00', closesAt: '23:59', slotMinutes: 720, people: 2, seats: 10, walkinSeats: 0 },
      team: [{ staffId: vaccinator.staffId, teamRole: 'VACCINATOR' }],
      ...(smsNumbers ? { smsNumbers } : {}),
    },
  });
  expect(created.statusCode, created.body).toBe(201);
  const run = created.json();
  made.push(run.id);
  const account = await db
    .selectFrom('account')
    .select('mobile')
    .where('dry_run_id', '=', run.id)
    .executeTakeFirstOrThrow();
  return { run, sessionDayId: run.sessionDayIds[0] as string, testMobile: account.mobile };
}

beforeAll(async () => {
  platform = await startTestPlatform();
  district = await someDistrict(platform.db);
  officer = await staffMember(platform.app, platform.db, platform.config, 'DISTRICT_OFFICER', district);
});
afterAll(() => platform?.close());

describe("a dry run's SMS", () => {
  it('refuses staff numbers that are not mobiles', async () => {
    const site = await insertSite(platform.db, district);
    const bad = await platform.app.inject({
      method: 'POST',
      url: '/api/v1/dry-runs',
      headers: officer.headers,
      payload: { name: 'x', mode: 'SIMULATION', siteIds: [site.id], smsNumbers: ['12345'] },
    });
    expect(bad.statusCode).toBe(400);
  });

  it("sends a dry-run day's stall alert to the listed staff numbers, never to the district's officers", async () => {
    const { db } = platform;
    const { run, sessionDayId } = await drill('Stall drill', DRILL_NUMBERS);
    expect(run.smsNumbers).toEqual(DRILL_NUMBERS);
    const gateway = recordingGateway();
    const activities = createSessionDayActivities({ db, sms: gateway } as unknown as ActivityDeps);
    const alerted = await activities.alertStalledSession({
      sessionDayId,
      // As the session-day workflow keys it: its workflow id, its run, the episode.
      idempotencyKey: `session-day-${sessionDayId}:first-run:stall-1`,
      quietMinutes: 30,
      waiting: 4,
    });
    expect(alerted).toBe(2);
    expect(gateway.sent.map((m) => m.to).sort()).toEqual([...DRILL_NUMBERS].sort());
    for (const message of gateway.sent) expect(message.body).toContain('DRY RUN');
    expect(gateway.sent.map((m) => m.to)).not.toContain(officer.mobile);

    // A real day's stall alert still reaches the district's officers.
    const real = await insertSessionDay(db, { district });
    const realGateway = recordingGateway();
    await createSessionDayActivities({ db, sms: realGateway } as unknown as ActivityDeps).alertStalledSession({
      sessionDayId: real.id,
      idempotencyKey: (realAlertKey = `stall-${real.id}-1`),
      quietMinutes: 30,
      waiting: 4,
    });
    expect(realGateway.sent.map((m) => m.to)).toContain(officer.mobile);
    expect(realGateway.sent.map((m) => m.body).join(' ')).not.toContain('DRY RUN');
  });

  it("sends a test person's SMS through a real gateway to the staff numbers, never to the test mobile", async () => {
    const { db } = platform;
    const { testMobile } = await drill('SMS drill', DRILL_NUMBERS);
    const gateway = recordingGateway();
    const message = {
      idempotencyKey: `drill-sms-${testMobile}`,
      mobile: testMobile,
      template: 'NO_SHOW' as const,
      vars: { name: 'Test Person 1', dose: 1, date: '07-12-2026', portalUrl: 'http://127.0.0.1' },
    };
    expect((await sendSms(db, gateway, message)).outcome).toBe('SENT');
    expect(gateway.sent.map((m) => m.to).sort()).toEqual([...DRILL_NUMBERS].sort());
    const rows = await db
      .selectFrom('sms_message')
      .select(['mobile', 'status'])
      .where('idempotency_key', 'like', `${message.idempotencyKey}%`)
      .orderBy('mobile')
      .execute();
    expect(rows).toEqual([testMobile, ...DRILL_NUMBERS].sort().map((mobile) => ({ mobile, status: 'SENT' })));
    // Once: a retry sends nothing more.
    expect((await sendSms(db, gateway, message)).outcome).toBe('ALREADY_SENT');
    expect(gateway.sent).toHaveLength(2);

    // A run with no staff numbers: its test people's SMS stay unsent through a real gateway.
    const other = await drill('Quiet drill');
    const quiet = recordingGateway();
    const outcome = await sendSms(db, quiet, {
      ...message,
      idempotencyKey: `quiet-${other.testMobile}`,
      mobile: other.testMobile,
    });
    expect(outcome.outcome).toBe('FAILED');
    expect(quiet.sent).toEqual([]);
  });

  it('are deleted with their run: the copies to the staff numbers too, and no real message', async () => {
    const { app, db } = platform;
    const toStaff = () =>
      db.selectFrom('sms_message').select('idempotency_key').where('mobile', 'in', DRILL_NUMBERS).execute();
    expect((await toStaff()).length).toBeGreaterThan(0);
    for (const id of made) {
      const deleted = await app.inject({ method: 'DELETE', url: `/api/v1/dry-runs/${id}`, headers: officer.headers });
      expect(deleted.statusCode, deleted.body).toBe(200);
    }
    expect(await toStaff()).toEqual([]);
    const realAlert = await db
      .selectFrom('sms_message')
      .select('mobile')
      .where(
        'idempotency_key',
        '=',
        `${realAlertKey}:${(await db.selectFrom('staff_user').select('id').where('mobile', '=', officer.mobile).executeTakeFirstOrThrow()).id}`,
      )
      .executeTakeFirst();
    expect(realAlert).toEqual({ mobile: officer.mobile });
  });
});
