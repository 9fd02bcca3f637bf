import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { findOwnedBeneficiary, listAccountBeneficiaries } from '../../../db/repositories/beneficiaries.js';
import { centresOfSessionDays } from '../../../db/repositories/centres.js';
import { AppError } from '../../errors.js';
import { beneficiaryOf } from '../../plugins/auth.js';
import type { CowinRouteOptions } from '../../plugins/cowin-v2.js';
import {
  BEARER,
  BeneficiariesResponse,
  cowinBearerErrors,
  DeleteBeneficiaryBody,
  NewBeneficiaryBody,
  NewBeneficiaryResponse,
} from '../../schemas/cowin-v2.js';
import { genderOfId, toCowinBeneficiary } from '../../services/cowin-mapping.js';
import { registerBeneficiary } from '../../services/registration.js';

/** The people under the logged-in mobile: list, register (same identity rules as the portal), withdraw. */
const beneficiaryRoutes: FastifyPluginAsyncTypebox<CowinRouteOptions> = async (app, { requireBearer }) => {
  app.get(
    '/appointment/beneficiaries',
    {
      preHandler: requireBearer,
      schema: {
        tags: ['co-win beneficiaries'],
        summary: 'People registered under my mobile, with their appointments',
        security: BEARER,
        response: { 200: BeneficiariesResponse, ...cowinBearerErrors },
      },
    },
    async (request, reply) => {
      const me = beneficiaryOf(request);
      const people = await listAccountBeneficiaries(app.db, me.accountId);
      const centres = await centresOfSessionDays(
        app.db,
        people.flatMap((p) => p.appointments.map((a) => a.sessionDayId)),
      );
      reply.header('cache-control', 'private, no-store');
      return { beneficiaries: people.map((p) => toCowinBeneficiary(p, me.mobile, centres)) };
    },
  );

  app.post(
    '/registration/beneficiary/new',
    {
      preHandler: requireBearer,
      schema: {
        tags: ['co-win beneficiaries'],
        summary: 'Register a person under my mobile (at most 4; one registration per photo ID)',
        security: BEARER,
        body: NewBeneficiaryBody,
        response: { 200: NewBeneficiaryResponse, ...cowinBearerErrors },
      },
    },
    async (request, reply) => {
      const me = beneficiaryOf(request);
      const body = request.body;
      const person = await registerBeneficiary(
        { db: app.db, config: app.config, temporal: app.temporal, log: request.log },
        {
          accountId: me.accountId,
          // The Bearer token was issued for a verified OTP on this mobile.
          verified: true,
          person: {
            name: body.name,
            birthYear: Number(body.birth_year),
            gender: genderOfId(body.gender_id)!,
            idType: body.photo_id_type,
            idNumber: body.photo_id_number,
            comorbidity: body.comorbidity_ind === 'Y',
            consentVersion: body.consent_version,
          },
          actor: { type: 'BENEFICIARY', id: me.accountId },
        },
      );
      reply.header('cache-control', 'no-store');
      return { beneficiary_reference_id: person.referenceId };
    },
  );

  app.post(
    '/registration/beneficiary/delete',
    {
      preHandler: requireBearer,
      schema: {
        tags: ['co-win beneficiaries'],
        summary: 'Withdraw a person (before any dose)',
        security: BEARER,
        body: DeleteBeneficiaryBody,
        response: { 204: Type.Null(), ...cowinBearerErrors },
      },
    },
    async (request, reply) => {
      const { accountId } = beneficiaryOf(request);
      const owned = await findOwnedBeneficiary(app.db, accountId, request.body.beneficiary_reference_id);
      if (!owned) throw new AppError('PERSON_NOT_FOUND', 'Beneficiary not found under this mobile number');
      await app.journeys.withdraw(owned.reference_id, { by: { type: 'BENEFICIARY', id: accountId } });
      return reply.status(204).send(null);
    },
  );
};

export default beneficiaryRoutes;
