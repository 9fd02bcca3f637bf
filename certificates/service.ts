/**
 * Certificates against the database: issue (idempotent per person and kind), render, verify with revocation,
 * revoke after a data correction. Used by the journey's activity and by the API. A live certificate that shows
 * fewer doses than the person has (a precaution dose after the final certificate) is revoked and issued again
 * with every dose.
 */
import { sql } from 'kysely';
import type { Db } from '../db/connection.js';
import { writeAudit, type Actor } from '../db/repositories/audit.js';
import { belongsToDryRun } from '../db/repositories/real-data.js';
import { credentialFromJws } from './certificate-format.js';
import { issueCertificate, type AdministeredDose, type CertificateHolder } from './credential.js';
import type { KeyRing } from './keys.js';
import { renderCertificatePdf } from './pdf.js';
import { verifyCertificate } from './verify.js';
import { PdfCache } from './pdf-cache.js';

export type CertificateKind = 'PROVISIONAL' | 'FINAL';

async function dosesOf(db: Db, beneficiaryId: string): Promise<AdministeredDose[]> {
  // Written out rather than built: every dose step reads it, and building the query cost more than running it.
  const { rows } = await sql<{
    dose_number: number;
    doses: number;
    vaccine_name: string;
    batch: string;
    administered_at: Date;
    site_name: string | null;
    district_name: string;
    state_name: string;
    vaccinator_name: string | null;
    place: string | null;
    officer_name: string | null;
  }>`
    select dose.dose_number, vaccine.doses, vaccine.name as vaccine_name, dose.batch, dose.administered_at,
      site.name as site_name, district.name as district_name, state.name as state_name,
      staff_user.name as vaccinator_name, dose_evidence.place, officer.name as officer_name
    from dose
    join vaccine on vaccine.code = dose.vaccine_code
    left join site on site.id = dose.site_id
    -- The session day's district (its site's); for a dose given elsewhere, the district that recorded it.
    join district on district.id = dose.district_id
    join state on state.id = district.state_id
    left join staff_user on staff_user.id = dose.vaccinator_id
    -- A dose given elsewhere: the place on its evidence and the officer who added it.
    left join dose_evidence on dose_evidence.dose_id = dose.id
    left join staff_user as officer on officer.id = dose_evidence.added_by
    where dose.beneficiary_id = ${beneficiaryId}
    order by dose.dose_number`.execute(db);
  return rows.map((r) => ({
    doseNumber: r.dose_number,
    totalDoses: r.doses,
    vaccine: r.vaccine_name,
    batch: r.batch,
    administeredAt: r.administered_at,
    ...(r.site_name !== null
      ? {
          site: { name: r.site_name, district: r.district_name, state: r.state_name },
          vaccinatorName: r.vaccinator_name ?? '',
        }
      : {
          site: { name: r.place ?? '', district: r.district_name, state: r.state_name },
          vaccinatorName: r.officer_name ?? '',
          recordedByOfficer: true,
        }),
  }));
}

/** Why a certificate is revoked when a later dose is added to the person's record. */
const SUPERSEDED = 'superseded by a certificate with a later dose';

async function doseCount(db: Db, beneficiaryId: string): Promise<number> {
  const row = await db
    .selectFrom('dose')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('beneficiary_id', '=', beneficiaryId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The person's row as a certificate names them. */
export interface CertificatePerson {
  reference_id: string;
  name: string;
  birth_year: number;
  gender: CertificateHolder['gender'];
  id_last4: string;
}

const holderOf = (person: CertificatePerson): CertificateHolder => ({
  referenceId: person.reference_id,
  name: person.name,
  birthYear: person.birth_year,
  gender: person.gender,
  photoIdLast4: person.id_last4,
});

export function createCertificateService(db: Db, keyRing: KeyRing) {
  const pdfs = new PdfCache();

  /**
   * A certificate of every dose the person has, signed now and not stored: the caller stores it, with its audit
   * row, where `issue` would (the journey's dose step writes it in the same statement as the rest of the step).
   */
  async function sign(input: { beneficiaryId: string; kind: CertificateKind; person: CertificatePerson }) {
    const doses = await dosesOf(db, input.beneficiaryId);
    const certificate = await issueCertificate(
      { holder: holderOf(input.person), doses, kind: input.kind, issuedAt: new Date() },
      keyRing,
    );
    return {
      id: certificate.id,
      kind: input.kind,
      doses: doses.length,
      keyId: keyRing.activeKid,
      jws: certificate.jws,
    };
  }

  async function issue(input: {
    beneficiaryId: string;
    kind: CertificateKind;
    actor?: Actor;
  }): Promise<{ id: string; created: boolean }> {
    const live = await db
      .selectFrom('certificate')
      .select(['id', 'doses'])
      .where('beneficiary_id', '=', input.beneficiaryId)
      .where('kind', '=', input.kind)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    // A later dose (the precaution dose) supersedes a live certificate; otherwise it stands.
    const given = live ? await doseCount(db, input.beneficiaryId) : 0;
    if (live && live.doses >= given) return { id: live.id, created: false };
    const person = await db
      .selectFrom('beneficiary')
      .select(['reference_id', 'name', 'birth_year', 'gender', 'id_last4', 'dry_run_id'])
      .where('id', '=', input.beneficiaryId)
      .executeTakeFirstOrThrow();
    // A rehearsal's test person is never certified (db/repositories/real-data.ts): nothing to issue.
    if (belongsToDryRun(person)) return { id: '', created: false };
    const doses = await dosesOf(db, input.beneficiaryId);
    for (let attempt = 0; ; attempt++) {
      const certificate = await issueCertificate(
        {
          holder: holderOf(person),
          doses,
          kind: input.kind,
          issuedAt: new Date(),
        },
        keyRing,
      );
      try {
        await db.transaction().execute(async (trx) => {
          if (live) {
            const superseded = await trx
              .updateTable('certificate')
              .set({ revoked_at: new Date(), revocation_reason: SUPERSEDED })
              .where('id', '=', live.id)
              .where('revoked_at', 'is', null)
              .returning('id')
              .executeTakeFirst();
            // Superseded by a concurrent attempt: that one's certificate stands.
            if (!superseded) throw Object.assign(new Error('superseded'), { code: '23505', constraint: SUPERSEDED });
            await writeAudit(trx, {
              actor: input.actor ?? { type: 'SYSTEM', id: 'beneficiary-journey' },
              action: 'CERTIFICATE_REVOKED',
              entityType: 'certificate',
              entityId: live.id,
              details: { reason: SUPERSEDED },
            });
          }
          await trx
            .insertInto('certificate')
            .values({
              id: certificate.id,
              beneficiary_id: input.beneficiaryId,
              kind: input.kind,
              doses: doses.length,
              key_id: keyRing.activeKid,
              jws: certificate.jws,
            })
            .execute();
          await writeAudit(trx, {
            actor: input.actor ?? { type: 'SYSTEM', id: 'beneficiary-journey' },
            action: 'CERTIFICATE_ISSUED',
            entityType: 'certificate',
            entityId: certificate.id,
            details: {
              beneficiaryId: input.beneficiaryId,
              kind: input.kind,
              doses: doses.length,
              keyId: keyRing.activeKid,
            },
          });
        });
        return { id: certificate.id, created: true };
      } catch (error) {
        const { code, constraint } = error as { code?: string; constraint?: string };
        // Another attempt issued the same certificate first (a retried activity): that one stands.
        if (code === '23505' && (constraint === 'certificate_one_live_per_kind' || constraint === SUPERSEDED))
          return issue(input);
        // A random id already taken: draw again.
        if (code === '23505' && constraint === 'certificate_pkey' && attempt < 3) continue;
        throw error;
      }
    }
  }

  /** The person's latest live certificate (final before provisional). */
  async function latestFor(beneficiaryId: string) {
    return db
      .selectFrom('certificate')
      .select(['id', 'jws', 'kind', 'issued_at'])
      .where('beneficiary_id', '=', beneficiaryId)
      .where('revoked_at', 'is', null)
      .orderBy('doses', 'desc')
      .orderBy('issued_at', 'desc')
      .executeTakeFirst();
  }

  return {
    issue,
    sign,
    latestFor,
    /** The latest certificate's PDF, rendered once per certificate per process (a certificate never changes). */
    async pdfFor(beneficiaryId: string): Promise<{ id: string; pdf: Buffer } | undefined> {
      const latest = await latestFor(beneficiaryId);
      if (!latest) return undefined;
      const pdf = await pdfs.get(`certificate:${latest.id}`, () =>
        renderCertificatePdf(credentialFromJws(latest.jws), latest.jws),
      );
      return { id: latest.id, pdf };
    },
    verify(jws: string) {
      return verifyCertificate(jws, {
        jwks: keyRing.publicJwks(),
        isRevoked: async (certificateId) => {
          const row = await db
            .selectFrom('certificate')
            .select('revoked_at')
            .where('id', '=', certificateId)
            .executeTakeFirst();
          return Boolean(row?.revoked_at);
        },
      });
    },
    /** Revokes after a data correction; the journey (or an officer) issues a corrected one. */
    async revoke(certificateId: string, reason: string, actor: Actor): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        const revoked = await trx
          .updateTable('certificate')
          .set({ revoked_at: new Date(), revocation_reason: reason })
          .where('id', '=', certificateId)
          .where('revoked_at', 'is', null)
          .returning('beneficiary_id')
          .executeTakeFirst();
        if (revoked) {
          await writeAudit(trx, {
            actor,
            action: 'CERTIFICATE_REVOKED',
            entityType: 'certificate',
            entityId: certificateId,
            details: { reason },
          });
        }
        return Boolean(revoked);
      });
    },
    publicJwks: () => keyRing.publicJwks(),
  };
}

export type CertificateService = ReturnType<typeof createCertificateService>;
