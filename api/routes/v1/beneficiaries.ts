import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { findOwnedBeneficiary, listAccountBeneficiaries } from '../../../db/repositories/beneficiaries.js';
import { sha256Hex } from '../../../domain/codes.js';
import { issueBeneficiaryTokens } from '../../auth/tokens.js';
import { AppError, notFound } from '../../errors.js';
import { beneficiaryOf } from '../../plugins/auth.js';
import { errorResponses } from '../../schemas/common.js';
import { Beneficiary, Mobile, Otp, PersonInput, ReferenceId, Registered, Tokens, TxnId } from '../../schemas/v1.js';
import { createOtp, discardUnsentOtp, retireUnsentOtp, sendOtp } from '../../services/otp.js';
import { checkPerson, IDENTITY_ALREADY_REGISTERED, registerBeneficiary } from '../../services/registration.js';
import { refuseIfLapsed } from '../../services/journeys.js';

const beneficiaryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = { db: app.db, config: app.config, temporal: app.temporal, log: app.log };

  app.get(
    '/beneficiaries',
    {
      preHandler: app.requireBeneficiary,
      schema: {
        tags: ['beneficiaries'],
        summary: 'People registered under my mobile',
        response: { 200: Type.Object({ beneficiaries: Type.Array(Beneficiary) }), ...errorResponses },
      },
    },
    async (request) => ({ beneficiaries: await listAccountBeneficiaries(app.db, beneficiaryOf(request).accountId) }),
  );

  app.get(
    '/beneficiaries/:referenceId',
    {
      preHandler: app.requireBeneficiary,
      schema: {
        tags: ['beneficiaries'],
        summary: 'One person registered under my mobile',
        params: Type.Object({ referenceId: ReferenceId }),
        response: { 200: Beneficiary, ...errorResponses },
      },
    },
    async (request) => {
      const [person] = await listAccountBeneficiaries(
        app.db,
        beneficiaryOf(request).accountId,
        request.params.referenceId,
      );
      if (!person) throw notFound('person');
      return person;
    },
  );

  app.post(
    '/beneficiaries',
    {
      preHandler: app.requireBeneficiary,
      schema: {
        tags: ['beneficiaries'],
        summary: 'Register a person under my verified mobile (at most 4)',
        body: PersonInput,
        response: { 201: Registered, ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = beneficiaryOf(request);
      const person = await registerBeneficiary(ctx, {
        accountId: principal.accountId,
        verified: true,
        person: request.body,
        actor: { type: 'BENEFICIARY', id: principal.accountId },
      });
      return reply
        .status(201)
        .send({ referenceId: person.referenceId, secretCode: person.secretCode, stage: person.stage });
    },
  );

  app.delete(
    '/beneficiaries/:referenceId',
    {
      preHandler: app.requireBeneficiary,
      schema: {
        tags: ['beneficiaries'],
        summary: 'Withdraw a person (before any dose)',
        params: Type.Object({ referenceId: ReferenceId }),
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { accountId } = beneficiaryOf(request);
      const owned = await findOwnedBeneficiary(app.db, accountId, request.params.referenceId);
      if (!owned) throw notFound('person');
      await app.journeys.withdraw(owned.reference_id, { by: { type: 'BENEFICIARY', id: accountId } });
      return reply.status(204).send(null);
    },
  );

  // Registration from a mobile not yet verified: the person waits as REGISTERED until the OTP sent now is
  // verified through their journey (or expires with it).
  app.post(
    '/registrations',
    {
      schema: {
        tags: ['beneficiaries'],
        summary: 'Register a person from a mobile not yet verified; an OTP is sent to it',
        body: Type.Object({ mobile: Mobile, person: PersonInput }, { additionalProperties: false }),
        response: {
          201: Type.Object({
            referenceId: ReferenceId,
            stage: Type.String(),
            txnId: TxnId,
            expiresInSeconds: Type.Integer(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      // Every refusal comes before the person is stored: a bad ID (400), the mobile's or address's OTP cap (429).
      // The OTP is sent only once the person is registered; a refused registration (409) sends none but still
      // counts against both caps when it says the ID is registered: otherwise this unauthenticated route would
      // answer "is this ID registered?" for free, without end.
      checkPerson(request.body.person);
      const challenge = await createOtp(app, request.body.mobile, request.ip, 'REGISTRATION');
      let person;
      try {
        const account = await app.db
          .insertInto('account')
          .values({ mobile: request.body.mobile })
          .onConflict((oc) => oc.column('mobile').doUpdateSet({ mobile: request.body.mobile }))
          .returning(['id', 'verified_at'])
          .executeTakeFirstOrThrow();
        // Holding a mobile number is not yet proof of it: even a known account's new person waits for this OTP.
        person = await registerBeneficiary(ctx, {
          accountId: account.id,
          verified: false,
          person: request.body.person,
          actor: { type: 'BENEFICIARY', id: account.id },
        });
      } catch (error) {
        // "This ID is registered" is what an oracle wants: that answer spends the caps; other refusals do not.
        if (error instanceof AppError && error.code === IDENTITY_ALREADY_REGISTERED)
          await retireUnsentOtp(app, challenge);
        else await discardUnsentOtp(app, challenge);
        throw error;
      }
      const otp = await sendOtp(app, challenge);
      return reply.status(201).send({ referenceId: person.referenceId, stage: person.stage, ...otp });
    },
  );

  app.post(
    '/beneficiaries/:referenceId/verify',
    {
      schema: {
        tags: ['beneficiaries'],
        summary: 'Verify a registration with the OTP sent to its mobile; logs the mobile in',
        params: Type.Object({ referenceId: ReferenceId }),
        body: Type.Object({ txnId: TxnId, otp: Otp }, { additionalProperties: false }),
        response: { 200: Type.Object({ stage: Type.String(), tokens: Tokens }), ...errorResponses },
      },
    },
    async (request) => {
      const person = await app.db
        .selectFrom('beneficiary')
        .innerJoin('account', 'account.id', 'beneficiary.account_id')
        .select(['beneficiary.reference_id', 'beneficiary.stage', 'account.id as account_id', 'account.mobile'])
        .where('beneficiary.reference_id', '=', request.params.referenceId)
        .where('beneficiary.deleted_at', 'is', null)
        .executeTakeFirst();
      if (!person) throw notFound('registration');
      refuseIfLapsed(person.stage);
      const result = await app.journeys.verifyOtp(person.reference_id, request.body.txnId, sha256Hex(request.body.otp));
      if (!result.verified) {
        // The same answer /auth/otp/verify gives: OTP_INVALID with the tries left, OTP_LOCKED, OTP_EXPIRED...
        const code = result.code ?? 'OTP_INVALID';
        throw new AppError(
          code,
          result.reason ?? 'the OTP could not be verified',
          result.attemptsLeft === undefined ? undefined : { attemptsLeft: result.attemptsLeft },
        );
      }
      return {
        stage: result.stage,
        tokens: await issueBeneficiaryTokens(app.config.tokenSecret, {
          accountId: person.account_id,
          mobile: person.mobile,
        }),
      };
    },
  );
};

export default beneficiaryRoutes;
