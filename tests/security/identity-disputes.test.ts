/**
 * Someone registers another person's Aadhaar first: the holder is refused everywhere (409). A district officer,
 * shown the ID, records the claim, sees the registration holding it, and releases it (audited); the holder then
 * registers. A registration with a dose is not released; an officer of another district cannot act.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActor, DELHI, HOME } from '../support/route-matrix.js';
import { uniqueMobile } from '../support/fixtures.js';
import { aadhaar, bearer, loginBeneficiary, registerPerson, uniqueIp, waitFor } from '../support/journey.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(() => platform.close());

describe('a squatted photo ID', () => {
  it('is released by a district officer after a dispute, audited, and its holder can then register', async () => {
    const { app, db, config } = platform;
    const env = { app, db, config };
    const idNumber = aadhaar();
    const squatter = await loginBeneficiary(app, uniqueMobile(), uniqueIp());
    expect((await registerPerson(app, squatter, { idNumber, name: 'Impostor Name', birthYear: 1992 })).statusCode).toBe(
      201,
    );
    const holderToken = await loginBeneficiary(app, uniqueMobile(), uniqueIp());
    const refused = await registerPerson(app, holderToken, { idNumber, name: 'Sunita Patil', birthYear: 1975 });
    expect(refused.statusCode).toBe(409);

    const officer = await createActor(env, 'DISTRICT_OFFICER', HOME);
    const opened = await app.inject({
      method: 'POST',
      url: '/api/v1/identity-disputes',
      headers: bearer(officer.token),
      payload: {
        districtId: HOME.districtId,
        idType: 1,
        idNumber,
        claimant: { name: 'Sunita Patil', birthYear: 1975, gender: 'F', mobile: uniqueMobile() },
      },
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const dispute = opened.json();
    // Enough to see the mismatch: the registration's name, year of birth, ID type and last 4.
    expect(dispute).toMatchObject({
      status: 'OPEN',
      holder: {
        name: 'Impostor Name',
        birthYear: 1992,
        idType: 1,
        idNumberMasked: `XXXXXXXX${idNumber.slice(-4)}`,
        doses: 0,
      },
    });
    expect(dispute.holder.mobileMasked).toMatch(/^\*{6}\d{4}$/);

    // An officer of another district can neither see nor decide it.
    const elsewhere = await createActor(env, 'DISTRICT_OFFICER', DELHI);
    const foreign = await app.inject({
      method: 'POST',
      url: `/api/v1/identity-disputes/${dispute.disputeId}/release`,
      headers: bearer(elsewhere.token),
      payload: { reason: 'not mine to decide' },
    });
    expect(foreign.statusCode).toBe(403);

    const released = await app.inject({
      method: 'POST',
      url: `/api/v1/identity-disputes/${dispute.disputeId}/release`,
      headers: bearer(officer.token),
      payload: { reason: 'Aadhaar card seen; the registration used another person’s name' },
    });
    expect(released.statusCode, released.body).toBe(200);
    expect(released.json().status).toBe('RELEASED');
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'actor_id'])
      .where('entity_id', '=', dispute.disputeId)
      .orderBy('id')
      .execute();
    expect(audit).toEqual([
      { action: 'IDENTITY_DISPUTE_OPENED', actor_id: officer.staffId },
      { action: 'IDENTITY_RELEASED', actor_id: officer.staffId },
    ]);

    // The holder registers now (the withdrawal goes through the squatter's journey).
    await waitFor(
      async () =>
        (await registerPerson(app, holderToken, { idNumber, name: 'Sunita Patil', birthYear: 1975 })).statusCode ===
        201,
      'the holder to register their own ID',
      20_000,
    );
    const again = await app.inject({
      method: 'POST',
      url: `/api/v1/identity-disputes/${dispute.disputeId}/reject`,
      headers: bearer(officer.token),
      payload: { reason: 'second thoughts' },
    });
    expect(again.statusCode).toBe(409);
  });
});
