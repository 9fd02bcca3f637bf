/**
 * Duplicate-person hints for officers: pairs of registrations with the same name, year of birth and gender under
 * two photo-ID types (db/repositories/duplicate-people.ts), possibly one person registered twice to get a second
 * course. People carry no location, so a pair belongs to the districts where either of them has an appointment or
 * a dose; an officer of one of those districts (or its state, or a national admin) sees it and records whether
 * they are the same person or different people, audited with the officer as actor. A pair found to be the same
 * person stays on the desk's identity check of both; different people drop off it.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import { Type } from 'typebox';
import { writeAudit } from '../../../db/repositories/audit.js';
import { refuse } from '../../../domain/errors.js';
import { maskIdNumber, maskMobile } from '../../../domain/identity.js';
import { assertDistrictAccess, canActInDistrict } from '../../auth/jurisdiction.js';
import { forbidden, notFound } from '../../errors.js';
import { staffOf } from '../../plugins/auth.js';
import { errorResponses, PlainText } from '../../schemas/common.js';
import { DuplicateHint as Hint } from '../../schemas/identity.js';
import { staffActor } from '../../services/staff-actor.js';

const OFFICERS = ['DISTRICT_OFFICER', 'STATE_OFFICER', 'NATIONAL_ADMIN'] as const;

/** Session days of the pair's appointments and doses: the districts a hint belongs to. */
const districtsOfPair = (a: string, b: string) => sql<{ id: number; state_id: number }>`
  select distinct di.id, di.state_id from session_day sd join district di on di.id = sd.district_id
  where sd.id in (select session_day_id from appointment where beneficiary_id in (${a}::uuid, ${b}::uuid)
                  union select session_day_id from dose where beneficiary_id in (${a}::uuid, ${b}::uuid))`;

const duplicatePersonHintRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const officerOnly = app.requireStaff(...OFFICERS);

  async function registrationOf(beneficiaryId: string) {
    const row = await app.db
      .selectFrom('beneficiary as b')
      .innerJoin('account as a', 'a.id', 'b.account_id')
      .select((eb) => [
        'b.reference_id',
        'b.name',
        'b.birth_year',
        'b.gender',
        'b.id_type',
        'b.id_last4',
        'b.stage',
        'b.created_at',
        'b.deleted_at',
        'a.mobile',
        eb
          .selectFrom('dose')
          .select((d) => d.fn.countAll<string>().as('n'))
          .whereRef('dose.beneficiary_id', '=', 'b.id')
          .as('doses'),
      ])
      .where('b.id', '=', beneficiaryId)
      .executeTakeFirstOrThrow();
    return {
      referenceId: row.reference_id,
      name: row.name,
      birthYear: row.birth_year,
      gender: row.gender,
      idType: row.id_type,
      idNumberMasked: maskIdNumber(row.id_last4),
      stage: row.stage,
      doses: Number(row.doses ?? 0),
      registeredAt: row.created_at.toISOString(),
      mobileMasked: maskMobile(row.mobile),
      withdrawn: row.deleted_at !== null,
    };
  }

  async function readHint(hintId: string) {
    const row = await app.db
      .selectFrom('duplicate_person_hint')
      .selectAll()
      .where('id', '=', hintId)
      .executeTakeFirst();
    if (!row) throw notFound('duplicate-person hint');
    return {
      row,
      view: {
        hintId: row.id,
        flaggedAt: row.flagged_at.toISOString(),
        registration: await registrationOf(row.beneficiary_id),
        other: await registrationOf(row.other_beneficiary_id),
        outcome: row.outcome,
        reviewReason: row.review_reason,
      },
    };
  }

  app.get(
    '/duplicate-person-hints',
    {
      preHandler: officerOnly,
      schema: {
        tags: ['identity disputes'],
        summary:
          'Possible duplicate registrations (same name, year of birth and gender under two photo-ID types) of people with an appointment or dose in a district, unreviewed first',
        querystring: Type.Object(
          { districtId: Type.Integer({ minimum: 1, maximum: 999_999 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ hints: Type.Array(Hint) }), ...errorResponses },
      },
    },
    async (request) => {
      await assertDistrictAccess(app.db, staffOf(request), request.query.districtId);
      const inDistrict = sql<string>`(select a.beneficiary_id from appointment a join session_day sd on sd.id = a.session_day_id
                                      where sd.district_id = ${request.query.districtId}
                                      union select d.beneficiary_id from dose d join session_day sd on sd.id = d.session_day_id
                                      where sd.district_id = ${request.query.districtId})`;
      const ids = await app.db
        .selectFrom('duplicate_person_hint as h')
        .select('h.id')
        .where((eb) =>
          eb.or([
            eb('h.beneficiary_id', 'in', inDistrict as never),
            eb('h.other_beneficiary_id', 'in', inDistrict as never),
          ]),
        )
        .orderBy(sql`h.outcome is not null`)
        .orderBy('h.flagged_at', 'desc')
        .limit(200)
        .execute();
      return { hints: await Promise.all(ids.map(async (r) => (await readHint(r.id)).view)) };
    },
  );

  app.post(
    '/duplicate-person-hints/:hintId/review',
    {
      preHandler: officerOnly,
      schema: {
        tags: ['identity disputes'],
        summary: 'Record whether a flagged pair is one person registered twice or two different people',
        params: Type.Object({ hintId: Type.String({ format: 'uuid' }) }),
        body: Type.Object(
          {
            outcome: Type.Union([Type.Literal('SAME_PERSON'), Type.Literal('DIFFERENT_PEOPLE')]),
            reason: PlainText({ minLength: 3, maxLength: 300 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Hint, ...errorResponses },
      },
    },
    async (request) => {
      const me = staffOf(request);
      const { row } = await readHint(request.params.hintId);
      const { rows: districts } = await districtsOfPair(row.beneficiary_id, row.other_beneficiary_id).execute(app.db);
      const mine =
        me.role === 'NATIONAL_ADMIN' || districts.some((d) => canActInDistrict(me, { id: d.id, stateId: d.state_id }));
      if (!mine) throw forbidden('neither person has an appointment or a dose in your jurisdiction');
      await app.db.transaction().execute(async (trx) => {
        const reviewed = await trx
          .updateTable('duplicate_person_hint')
          .set({
            outcome: request.body.outcome,
            reviewed_by: me.staffId,
            reviewed_at: new Date(),
            review_reason: request.body.reason,
          })
          .where('id', '=', request.params.hintId)
          .where('outcome', 'is', null)
          .returning('id')
          .executeTakeFirst();
        if (!reviewed) refuse('HINT_REVIEWED', 'this pair has already been reviewed');
        await writeAudit(trx, {
          actor: staffActor(me),
          action: 'DUPLICATE_PERSON_REVIEWED',
          entityType: 'duplicate_person_hint',
          entityId: request.params.hintId,
          details: { outcome: request.body.outcome, reason: request.body.reason },
        });
      });
      return (await readHint(request.params.hintId)).view;
    },
  );
};

export default duplicatePersonHintRoutes;
