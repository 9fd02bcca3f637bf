/**
 * Access answers kept by an API process (api/auth/access-cache.ts) are as fresh as reading the tables: a change to
 * who may do what applies to the very next request, whichever path made it — here plain SQL, which no API code
 * sees, so only the tables' own announcement can tell the process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSessionDay } from '../support/fixtures.js';
import { bearer, vaccinatorFor } from '../support/journey.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(() => platform?.close());

const ROUNDS = 15;

describe('a change to access', () => {
  it('taking a vaccinator off the team refuses their next dose, and putting them back lets the one after through', async () => {
    const { app, db } = platform;
    const session = await insertSessionDay(db);
    const vaccinator = await vaccinatorFor(app, db, session.id);
    // A dose for nobody: past the access check it is refused as an unknown person (404), before it as 403.
    const dose = () =>
      app.inject({
        method: 'POST',
        url: '/api/v1/doses',
        headers: bearer(vaccinator.token),
        payload: {
          referenceId: '00000000000000',
          secretCode: '1234',
          sessionDayId: session.id,
          vaccineCode: 'COVAXIN',
          batch: 'B1',
        },
      });
    const assignment = await db
      .selectFrom('session_assignment')
      .selectAll()
      .where('session_day_id', '=', session.id)
      .executeTakeFirstOrThrow();
    for (let round = 0; round < ROUNDS; round++) {
      const allowed = await dose();
      expect(allowed.statusCode, allowed.body).not.toBe(403);
      expect((await dose()).statusCode).not.toBe(403);
      await db.deleteFrom('session_assignment').where('id', '=', assignment.id).execute();
      const refused = await dose();
      expect(refused.statusCode, refused.body).toBe(403);
      expect(refused.json().message).toMatch(/not assigned/);
      await db.insertInto('session_assignment').values(assignment).execute();
    }
  });

  it('deactivating a staff member or revoking their token refuses the very next request', async () => {
    const { app, db } = platform;
    const session = await insertSessionDay(db);
    const me = (token: string) => app.inject({ method: 'GET', url: '/api/v1/staff/me', headers: bearer(token) });
    for (let round = 0; round < ROUNDS; round++) {
      const vaccinator = await vaccinatorFor(app, db, session.id);
      expect((await me(vaccinator.token)).statusCode).toBe(200);
      expect((await me(vaccinator.token)).statusCode).toBe(200);
      if (round % 2 === 0) {
        await db.updateTable('staff_user').set({ active: false }).where('id', '=', vaccinator.staffId).execute();
      } else {
        const { jti } = JSON.parse(Buffer.from(vaccinator.token.split('.')[1]!, 'base64url').toString()) as {
          jti: string;
        };
        await db
          .insertInto('token_revocation')
          .values({ jti, expires_at: new Date(Date.now() + 3_600_000) })
          .execute();
      }
      expect((await me(vaccinator.token)).statusCode).toBe(401);
      await db.deleteFrom('session_assignment').where('staff_id', '=', vaccinator.staffId).execute();
    }
  });

  it('forgets what it kept when its listening connection is lost, and keeps answering from the tables meanwhile', async () => {
    const { app, db } = platform;
    const session = await insertSessionDay(db);
    const vaccinator = await vaccinatorFor(app, db, session.id);
    const me = () => app.inject({ method: 'GET', url: '/api/v1/staff/me', headers: bearer(vaccinator.token) });
    expect((await me()).statusCode).toBe(200);
    const listener = app.live.listener;
    const pid = listener.backendPid!;
    await db.selectNoFrom((eb) => eb.fn<boolean>('pg_terminate_backend', [eb.val(pid)]).as('ended')).execute();
    // While the listener is down or back, a deactivation is still seen at once.
    await db.updateTable('staff_user').set({ active: false }).where('id', '=', vaccinator.staffId).execute();
    expect((await me()).statusCode).toBe(401);
    await expect.poll(() => listener.listening && listener.backendPid !== pid, { timeout: 15_000 }).toBe(true);
    expect((await me()).statusCode).toBe(401);
  });
});
