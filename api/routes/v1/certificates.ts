import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { findOwnedBeneficiary } from '../../../db/repositories/beneficiaries.js';
import { assertDistrictAccess } from '../../auth/jurisdiction.js';
import { notFound } from '../../errors.js';
import { beneficiaryOf, staffOf } from '../../plugins/auth.js';
import { errorResponses } from '../../schemas/common.js';
import { CertificateVerification as Verification } from '../../schemas/certificates.js';
import { ReferenceId } from '../../schemas/v1.js';

/** Certificate download (the holder), verification (anyone), revocation after a data correction (officers). */
const certificateRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/beneficiaries/:referenceId/certificate',
    {
      // Rendering costs this process's event loop: downloads are limited per account and per address.
      preHandler: [app.requireBeneficiary, app.limits.pdfDownloads],
      schema: {
        tags: ['certificates'],
        summary: 'Download the latest certificate as PDF',
        params: Type.Object({ referenceId: ReferenceId }),
        response: { ...errorResponses },
      },
    },
    async (request, reply) => {
      const person = await findOwnedBeneficiary(app.db, beneficiaryOf(request).accountId, request.params.referenceId);
      if (!person) throw notFound('person');
      const certificate = await app.certificates.pdfFor(person.id);
      if (!certificate) throw notFound('certificate (none is issued before the first dose)');
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="certificate-${certificate.id}.pdf"`)
        .header('cache-control', 'private, no-store')
        .send(certificate.pdf as never);
    },
  );

  app.post(
    '/certificates/verify',
    {
      schema: {
        tags: ['certificates'],
        summary: 'Verify a certificate QR payload (the signed JWS) against our published keys and revocations',
        body: Type.Object(
          { payload: Type.String({ minLength: 10, maxLength: 4000 }) },
          { additionalProperties: false },
        ),
        response: { 200: Verification, ...errorResponses },
      },
    },
    async (request) => app.certificates.verify(request.body.payload.trim()),
  );

  app.post(
    '/certificates/:certificateId/revoke',
    {
      preHandler: app.requireStaff('DISTRICT_OFFICER', 'STATE_OFFICER', 'NATIONAL_ADMIN'),
      schema: {
        tags: ['certificates'],
        summary: 'Revoke a certificate after a data correction; a corrected one is issued at once',
        params: Type.Object({ certificateId: Type.String({ pattern: '^[0-9]{12}$' }) }),
        body: Type.Object({ reason: Type.String({ minLength: 3, maxLength: 300 }) }, { additionalProperties: false }),
        response: {
          200: Type.Object({ revoked: Type.String(), reissued: Type.Union([Type.String(), Type.Null()]) }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const staff = staffOf(request);
      const certificate = await app.db
        .selectFrom('certificate')
        .innerJoin('dose', (join) =>
          join.onRef('dose.beneficiary_id', '=', 'certificate.beneficiary_id').on('dose.dose_number', '=', 1),
        )
        .select([
          'certificate.id',
          'certificate.beneficiary_id',
          'certificate.kind',
          'certificate.revoked_at',
          'dose.district_id',
        ])
        .where('certificate.id', '=', request.params.certificateId)
        .executeTakeFirst();
      if (!certificate || certificate.revoked_at) throw notFound('live certificate');
      await assertDistrictAccess(app.db, staff, certificate.district_id);
      const actor = { type: 'STAFF' as const, id: staff.staffId, role: staff.role };
      await app.certificates.revoke(certificate.id, request.body.reason, actor);
      const reissued = await app.certificates.issue({
        beneficiaryId: certificate.beneficiary_id,
        kind: certificate.kind,
        actor,
      });
      return { revoked: certificate.id, reissued: reissued.id };
    },
  );
};

export default certificateRoutes;
