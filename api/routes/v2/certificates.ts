import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { findOwnedBeneficiary } from '../../../db/repositories/beneficiaries.js';
import { AppError } from '../../errors.js';
import { beneficiaryOf } from '../../plugins/auth.js';
import type { CowinRouteOptions } from '../../plugins/cowin-v2.js';
import { BEARER, cowinBearerErrors, Pdf } from '../../schemas/cowin-v2.js';
import { ReferenceId } from '../../schemas/v1.js';

/**
 * The person's latest live certificate (final before provisional) as PDF — the portal's certificate service.
 * Co-WIN served it at two paths, both behind the mobile's Bearer token: `/public/download` (the public API's) and
 * the protected `/download` its own portal and partner apps used. Both are here, answering alike.
 */
const certificateRoutes: FastifyPluginAsyncTypebox<CowinRouteOptions> = async (app, { requireBearer }) => {
  for (const [path, summary] of [
    ['/registration/certificate/public/download', "Download a person's vaccination certificate as PDF"],
    ['/registration/certificate/download', "Download a person's vaccination certificate as PDF (protected API)"],
  ] as const) {
    app.get(
      path,
      {
        preHandler: [requireBearer, app.limits.pdfDownloads],
        schema: {
          tags: ['co-win certificates'],
          summary: `${summary} (404 CERT0001 before any is issued)`,
          security: BEARER,
          querystring: Type.Object({ beneficiary_reference_id: ReferenceId }),
          response: { 200: Pdf, ...cowinBearerErrors },
        },
      },
      async (request, reply) => {
        const person = await findOwnedBeneficiary(
          app.db,
          beneficiaryOf(request).accountId,
          request.query.beneficiary_reference_id,
        );
        if (!person) throw new AppError('PERSON_NOT_FOUND', 'Beneficiary not found under this mobile number');
        const certificate = await app.certificates.pdfFor(person.id);
        if (!certificate) throw new AppError('NO_CERTIFICATE', 'No certificate issued');
        return reply
          .header('content-type', 'application/pdf')
          .header('content-disposition', `attachment; filename="certificate-${certificate.id}.pdf"`)
          .header('cache-control', 'private, no-store')
          .send(certificate.pdf as never);
      },
    );
  }
};

export default certificateRoutes;
