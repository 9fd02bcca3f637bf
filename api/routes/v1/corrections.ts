/**
 * Corrections of a person's name, year of birth, gender or photo ID (api/services/corrections.ts): the person
 * themselves once, from the portal; an officer of the person's jurisdiction with a reason, from Find a person.
 * Either way their certificates are revoked and issued again with the corrected details.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { findOwnedBeneficiary } from '../../../db/repositories/beneficiaries.js';
import { notFound } from '../../errors.js';
import { beneficiaryOf, staffOf } from '../../plugins/auth.js';
import { errorResponses } from '../../schemas/common.js';
import {
  CertificateReissueBody,
  CertificateReissueResult,
  CorrectionBody,
  CorrectionResult,
  OfficerCorrectionBody,
} from '../../schemas/corrections.js';
import { ReferenceId } from '../../schemas/v1.js';
import { correctPerson, reissueCertificates } from '../../services/corrections.js';
import { findPersonInJurisdiction } from '../../services/person-lookup.js';

const correctionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = { db: app.db, config: app.config, certificates: app.certificates };

  app.post(
    '/beneficiaries/:referenceId/correction',
    {
      preHandler: app.requireBeneficiary,
      schema: {
        tags: ['corrections'],
        summary:
          "Correct a person's name, year of birth, gender or photo ID, once; their certificate is issued again with the corrected details",
        params: Type.Object({ referenceId: ReferenceId }),
        body: CorrectionBody,
        response: { 200: CorrectionResult, ...errorResponses },
      },
    },
    async (request) => {
      const me = beneficiaryOf(request);
      const person = await findOwnedBeneficiary(app.db, me.accountId, request.params.referenceId);
      if (!person) throw notFound('person');
      return correctPerson(deps, {
        beneficiaryId: person.id,
        referenceId: person.reference_id,
        body: request.body,
        by: { type: 'BENEFICIARY', id: me.accountId },
        reason: null,
      });
    },
  );

  app.post(
    '/people/:referenceId/correction',
    {
      preHandler: app.requireStaff('DISTRICT_OFFICER', 'STATE_OFFICER', 'NATIONAL_ADMIN'),
      schema: {
        tags: ['corrections'],
        summary:
          "An officer corrects a person's name, year of birth, gender or photo ID with a reason (audited); their certificate is issued again with the corrected details",
        params: Type.Object({ referenceId: ReferenceId }),
        body: OfficerCorrectionBody,
        response: { 200: CorrectionResult, ...errorResponses },
      },
    },
    async (request) => {
      const staff = staffOf(request);
      const beneficiaryId = await findPersonInJurisdiction(app.db, staff, request.params.referenceId);
      const { reason, ...body } = request.body;
      return correctPerson(deps, {
        beneficiaryId,
        referenceId: request.params.referenceId,
        body,
        by: { type: 'STAFF', id: staff.staffId, role: staff.role },
        reason,
      });
    },
  );

  app.post(
    '/people/:referenceId/certificates/reissue',
    {
      preHandler: app.requireStaff('DISTRICT_OFFICER', 'STATE_OFFICER', 'NATIONAL_ADMIN'),
      schema: {
        tags: ['corrections'],
        summary:
          'An officer issues again the certificates a person was left without (revoked after a correction whose reissue failed), with a reason (audited)',
        params: Type.Object({ referenceId: ReferenceId }),
        body: CertificateReissueBody,
        response: { 200: CertificateReissueResult, ...errorResponses },
      },
    },
    async (request) => {
      const staff = staffOf(request);
      const beneficiaryId = await findPersonInJurisdiction(app.db, staff, request.params.referenceId);
      return reissueCertificates(deps, {
        beneficiaryId,
        referenceId: request.params.referenceId,
        by: { type: 'STAFF', id: staff.staffId, role: staff.role },
        reason: request.body.reason,
      });
    },
  );
};

export default correctionRoutes;
