/**
 * A serious or severe adverse event alerts the district at once: a live `aefi.reported` event in the district's room
 * (what the console shows) and one SMS to each of the district's officers, however often the report is replayed.
 * A minor one alerts nobody.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertStaff } from '../support/fixtures.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { connectLive, listenOnFreePort, MANIPUR, recordDose, staffToken, todaySession } from '../live/support.js';

let platform: TestPlatform;
let url: string;
beforeAll(async () => {
  platform = await startTestPlatform();
  url = await listenOnFreePort(platform);
});
afterAll(() => platform.close());

const HOME = MANIPUR(10);

async function doseAt(session: Awaited<ReturnType<typeof todaySession>>) {
  const { referenceId } = await recordDose(platform, session);
  const dose = await platform.db
    .selectFrom('dose')
    .innerJoin('beneficiary', 'beneficiary.id', 'dose.beneficiary_id')
    .select('dose.id')
    .where('beneficiary.reference_id', '=', referenceId)
    .executeTakeFirstOrThrow();
  return { doseId: dose.id, referenceId };
}

function report(token: string, payload: Record<string, unknown>) {
  return platform.app.inject({
    method: 'POST',
    url: '/api/v1/aefi',
    headers: { authorization: `Bearer ${token}` },
    payload,
  });
}

async function alertSms(mobile: string) {
  return platform.db
    .selectFrom('sms_message')
    .select(['body', 'status'])
    .where('mobile', '=', mobile)
    .where('template', '=', 'STAFF_AEFI_ALERT')
    .execute();
}

describe('AEFI alerts', () => {
  it('tell the district officers of a serious event at once, live and by SMS, once per report', async () => {
    const officers = [
      await insertStaff(platform.db, 'DISTRICT_OFFICER', HOME),
      await insertStaff(platform.db, 'DISTRICT_OFFICER', HOME),
    ];
    const elsewhere = await insertStaff(platform.db, 'DISTRICT_OFFICER', MANIPUR(11));
    const mobiles = await platform.db
      .selectFrom('staff_user')
      .select(['id', 'mobile'])
      .where('id', 'in', [...officers.map((o) => o.id), elsewhere.id])
      .execute();
    const mobileOf = (id: string) => mobiles.find((m) => m.id === id)!.mobile!;
    const console = await connectLive(url, (await staffToken(platform, 'DISTRICT_OFFICER', HOME)).token);
    expect((await console.join(`district:${HOME.districtId}`)).ok).toBe(true);

    const session = await todaySession(platform, HOME);
    const { doseId, referenceId } = await doseAt(session);
    const payload = {
      doseId,
      severity: 'SERIOUS',
      symptoms: ['BREATHING_DIFFICULTY', 'RASH'],
      clientEventId: randomUUID(),
    };
    const reported = await report(session.vaccinatorToken, payload);
    expect(reported.statusCode, reported.body).toBe(201);
    const aefiId = reported.json().aefiId;

    const event = (await console.next('aefi.reported', (e: any) => e.data.aefiId === aefiId)) as any;
    expect(event).toMatchObject({
      type: 'aefi.reported',
      stateId: HOME.stateId,
      districtId: HOME.districtId,
      sessionDayId: session.sessionDayId,
      data: { aefiId, severity: 'SERIOUS', symptoms: ['BREATHING_DIFFICULTY', 'RASH'], source: 'ONLINE' },
    });
    expect(JSON.stringify(event)).not.toContain(referenceId);

    for (const officer of officers) {
      const sms = await alertSms(mobileOf(officer.id));
      expect(sms).toHaveLength(1);
      expect(sms[0]!.body).toMatch(/^Alert: a serious adverse event after vaccination was reported at /);
    }
    expect(await alertSms(mobileOf(elsewhere.id))).toEqual([]);

    // The device retries the same report: nothing new is sent.
    const replayed = await report(session.vaccinatorToken, payload);
    expect(replayed.statusCode, replayed.body).toBe(200);
    for (const officer of officers) expect(await alertSms(mobileOf(officer.id))).toHaveLength(1);
    console.close();
  });

  it('leave a minor event to the line list', async () => {
    const officer = await insertStaff(platform.db, 'DISTRICT_OFFICER', MANIPUR(12));
    const mobile = (
      await platform.db.selectFrom('staff_user').select('mobile').where('id', '=', officer.id).executeTakeFirstOrThrow()
    ).mobile!;
    const session = await todaySession(platform, MANIPUR(12));
    const { doseId } = await doseAt(session);
    const reported = await report(session.vaccinatorToken, {
      doseId,
      severity: 'MINOR',
      symptoms: ['FEVER'],
      clientEventId: randomUUID(),
    });
    expect(reported.statusCode, reported.body).toBe(201);
    expect(await alertSms(mobile)).toEqual([]);
  });
});
