/**
 * Identity disputes: someone registered a person's photo ID first, and its holder is refused everywhere. The holder
 * brings the ID to a district officer, who records the claim (the registration holding the ID is shown: name, year
 * of birth, gender, ID type and last 4, stage, doses, when registered, the mobile masked) and then releases the ID
 * (the squatting registration is withdrawn through its journey, so the holder can register) or rejects the claim.
 * A registration with a dose recorded is not released here: a vaccinated record needs an investigation, not a
 * click. Every step is audited with the officer as actor. A desk's sync also opens one, with the vaccinator as
 * actor: a walk-in registered offline whose photo ID was registered meanwhile under other details (their dose is
 * stored against the registration holding the ID; api/services/walk-ins.ts, matchOfflineWalkIn).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { writeAudit } from '../../../db/repositories/audit.js';
import { refuse } from '../../../domain/errors.js';
import { checkIdNumber, hashIdNumber, maskIdNumber, maskMobile } from '../../../domain/identity.js';
import { assertDistrictAccess } from '../../auth/jurisdiction.js';
import { badRequest, notFound } from '../../errors.js';
import { staffOf } from '../../plugins/auth.js';
import { errorResponses, PlainText } from '../../schemas/common.js';
import { IdentityDispute as Dispute } from '../../schemas/identity.js';
import { Mobile } from '../../schemas/v1.js';
import { staffActor } from '../../services/staff-actor.js';
import duplicatePersonHintRoutes from './duplicate-person-hints.js';

const OFFICERS = ['DISTRICT_OFFICER', 'STATE_OFFICER', 'NATIONAL_ADMIN'] as const;

const identityDisputeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const officerOnly = app.requireStaff(...OFFICERS);
  // The other half of officers' identity work: people possibly registered twice under two photo-ID types.
  await app.register(duplicatePersonHintRoutes);

  async function readDispute(disputeId: string) {
    const row = await app.db
      .selectFrom('identity_dispute as d')
      .innerJoin('beneficiary as b', 'b.id', 'd.holder_beneficiary_id')
      .innerJoin('account as a', 'a.id', 'b.account_id')
      .select((eb) => [
        'd.id',
        'd.district_id',
        'd.status',
        'd.claimant_name',
        'd.claimant_birth_year',
        'd.claimant_gender',
        'd.opened_at',
        'd.decision_reason',
        'b.id as beneficiary_id',
        'b.reference_id',
        'b.name',
        'b.birth_year',
        'b.gender',
        'b.id_type',
        'b.id_last4',
        'b.stage',
        'b.created_at',
        'a.mobile',
        eb
          .selectFrom('dose')
          .select((d) => d.fn.countAll<number>().as('n'))
          .whereRef('dose.beneficiary_id', '=', 'b.id')
          .as('doses'),
      ])
      .where('d.id', '=', disputeId)
      .executeTakeFirst();
    if (!row) throw notFound('identity dispute');
    return {
      view: {
        disputeId: row.id,
        districtId: row.district_id,
        status: row.status,
        claimant: { name: row.claimant_name, birthYear: row.claimant_birth_year, gender: row.claimant_gender },
        holder: {
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
        },
        openedAt: row.opened_at.toISOString(),
        decisionReason: row.decision_reason,
      },
      beneficiaryId: row.beneficiary_id,
    };
  }

  app.post(
    '/identity-disputes',
    {
      preHandler: officerOnly,
      schema: {
        tags: ['identity disputes'],
        summary:
          'Record that a person who showed their photo ID claims it was registered by someone else; shows the registration holding it',
        body: Type.Object(
          {
            districtId: Type.Integer({ minimum: 1, maximum: 999_999 }),
            idType: Type.Integer({ minimum: 1, maximum: 13 }),
            idNumber: Type.String({ minLength: 4, maxLength: 40 }),
            claimant: Type.Object(
              {
                name: Type.String({ minLength: 1, maxLength: 100, pattern: "^[\\p{L}\\p{M} .'-]+$" }),
                birthYear: Type.Integer({ minimum: 1900, maximum: 2100 }),
                gender: Type.Union([Type.Literal('M'), Type.Literal('F'), Type.Literal('O')]),
                mobile: Mobile,
              },
              { additionalProperties: false },
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: Dispute, ...errorResponses },
      },
    },
    async (request, reply) => {
      const me = staffOf(request);
      const { districtId, idType, idNumber, claimant } = request.body;
      await assertDistrictAccess(app.db, me, districtId);
      const id = checkIdNumber(idType, idNumber);
      if (!id.ok) throw badRequest('INVALID_ID_NUMBER', id.reason);
      const holder = await app.db
        .selectFrom('beneficiary')
        .select(['id', 'id_last4'])
        .where('id_hash', '=', hashIdNumber(app.config.idHashSecret, idType, id.normalised))
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      if (!holder)
        return refuse('ID_NOT_REGISTERED', 'nobody holds this photo ID: the person can register with it now');
      const disputeId = await app.db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('identity_dispute')
          .values({
            district_id: districtId,
            holder_beneficiary_id: holder.id,
            id_type: idType,
            id_last4: holder.id_last4,
            claimant_name: claimant.name.trim(),
            claimant_birth_year: claimant.birthYear,
            claimant_gender: claimant.gender,
            claimant_mobile: claimant.mobile,
            opened_by: me.staffId,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await writeAudit(trx, {
          actor: staffActor(me),
          action: 'IDENTITY_DISPUTE_OPENED',
          entityType: 'identity_dispute',
          entityId: row.id,
          details: { holderBeneficiaryId: holder.id, districtId, idType },
        });
        return row.id;
      });
      return reply.status(201).send((await readDispute(disputeId)).view);
    },
  );

  app.get(
    '/identity-disputes',
    {
      preHandler: officerOnly,
      schema: {
        tags: ['identity disputes'],
        summary: "A district's identity disputes, open ones first",
        querystring: Type.Object(
          { districtId: Type.Integer({ minimum: 1, maximum: 999_999 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ disputes: Type.Array(Dispute) }), ...errorResponses },
      },
    },
    async (request) => {
      await assertDistrictAccess(app.db, staffOf(request), request.query.districtId);
      const ids = await app.db
        .selectFrom('identity_dispute')
        .select('id')
        .where('district_id', '=', request.query.districtId)
        .orderBy('opened_at', 'desc')
        .limit(200)
        .execute();
      const disputes = await Promise.all(ids.map((r) => readDispute(r.id).then((d) => d.view)));
      disputes.sort((a, b) => Number(a.status !== 'OPEN') - Number(b.status !== 'OPEN'));
      return { disputes };
    },
  );

  const Decision = Type.Object(
    { reason: PlainText({ minLength: 3, maxLength: 300 }) },
    { additionalProperties: false },
  );

  for (const decision of ['release', 'reject'] as const) {
    app.post(
      `/identity-disputes/:disputeId/${decision}`,
      {
        preHandler: officerOnly,
        schema: {
          tags: ['identity disputes'],
          summary:
            decision === 'release'
              ? 'Release the photo ID: the registration holding it is withdrawn (none with a dose recorded), so its owner can register'
              : 'Reject the claim: the registration keeps the photo ID',
          params: Type.Object({ disputeId: Type.String({ format: 'uuid' }) }),
          body: Decision,
          response: { 200: Dispute, ...errorResponses },
        },
      },
      async (request) => {
        const me = staffOf(request);
        const dispute = await readDispute(request.params.disputeId);
        await assertDistrictAccess(app.db, me, dispute.view.districtId);
        if (dispute.view.status !== 'OPEN')
          refuse('DISPUTE_DECIDED', `this dispute was already decided (${dispute.view.status.toLowerCase()})`);
        if (decision === 'release') {
          if (dispute.view.holder.doses > 0)
            refuse(
              'HOLDER_VACCINATED',
              'the registration holding this ID has a dose recorded: it cannot be released here; report it for investigation',
            );
          // Through the journey, as any withdrawal: its appointment and seat are let go with it.
          await app.journeys.withdraw(dispute.view.holder.referenceId, {
            by: { type: 'STAFF', id: me.staffId, role: me.role },
            reason: 'photo ID released by a district officer after an identity dispute',
          });
        }
        await app.db.transaction().execute(async (trx) => {
          const decided = await trx
            .updateTable('identity_dispute')
            .set({
              status: decision === 'release' ? 'RELEASED' : 'REJECTED',
              decided_by: me.staffId,
              decided_at: new Date(),
              decision_reason: request.body.reason,
            })
            .where('id', '=', request.params.disputeId)
            .where('status', '=', 'OPEN')
            .returning('id')
            .executeTakeFirst();
          if (!decided) refuse('DISPUTE_DECIDED', 'this dispute was decided meanwhile');
          await writeAudit(trx, {
            actor: staffActor(me),
            action: decision === 'release' ? 'IDENTITY_RELEASED' : 'IDENTITY_DISPUTE_REJECTED',
            entityType: 'identity_dispute',
            entityId: request.params.disputeId,
            details: { holderBeneficiaryId: dispute.beneficiaryId, reason: request.body.reason },
          });
        });
        return (await readDispute(request.params.disputeId)).view;
      },
    );
  }
};

export default identityDisputeRoutes;
