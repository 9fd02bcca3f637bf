/**
 * Lists of health-care (HCW) and front-line workers (FLW) uploaded by an authorised officer for their employers, as
 * the 2021 drive began: each listed worker is registered by the same registration as anyone else (./registration.ts,
 * one person per photo ID, four per mobile), marked with their group, and sent an SMS inviting them to verify their
 * mobile and book. The employer vouched for their identity, so the journey starts VERIFIED; they still book from
 * their own mobile, with its OTP.
 *
 * All rows or none: every row is checked first (its fields, its photo ID against the file and the register, its
 * mobile's four places), and any problem answers 422 with every row's problems and nobody registered. A worker of
 * the same group already registered from a list is skipped, so uploading the same file again doubles nobody.
 */
import type { FastifyInstance } from 'fastify';
import { writeAudit, type Actor } from '../../db/repositories/audit.js';
import type { Gender, PriorityGroup } from '../../db/schema.js';
import { randomUUID } from 'node:crypto';
import { checkIdNumber, hashIdNumber, ID_TYPES } from '../../domain/identity.js';
import { enqueueSms, deliverSms } from '../../messaging/sms-outbox.js';
import { readCsvTable, wholeField, type RowError } from '../csv.js';
import { MAX_PEOPLE_PER_MOBILE, registerBeneficiary, type PersonInput } from './registration.js';

export const PRIORITY_LIST_COLUMNS = [
  'name',
  'birth_year',
  'gender',
  'mobile',
  'id_type',
  'id_number',
  'comorbidity',
] as const;
const OPTIONAL_COLUMNS = ['comorbidity'] as const;
type Column = (typeof PRIORITY_LIST_COLUMNS)[number];

const NAME = /^[\p{L}\p{M}][\p{L}\p{M} .'-]{0,99}$/u;
const MOBILE = /^[6-9]\d{9}$/;

export interface ListedWorker {
  row: number;
  mobile: string;
  person: PersonInput;
}

export interface PriorityListCheck {
  /** The rows to register. */
  workers: ListedWorker[];
  /** Rows whose worker is already registered from a list of this group (a file uploaded again). */
  alreadyListed: number[];
  errors: RowError[];
}

/** Reads and checks the file against itself and the register: what to register, or every row's problems. */
export async function checkPriorityList(
  app: FastifyInstance,
  text: string,
  group: PriorityGroup,
): Promise<PriorityListCheck> {
  const { rows, errors } = readCsvTable(text, PRIORITY_LIST_COLUMNS, { optional: OPTIONAL_COLUMNS });
  if (errors.some((e) => e.row === 0)) return { workers: [], alreadyListed: [], errors };
  const thisYear = new Date().getUTCFullYear();
  const problem = (row: number, column: Column, message: string) => errors.push({ row, column, message });

  const read = rows.map((row) => {
    const name = row.get('name');
    if (!NAME.test(name))
      problem(row.row, 'name', name ? `"${name}" is not a name (letters, spaces, . ' -)` : 'name is missing');
    const birthYear = wholeField(row, 'birth_year', errors, { max: thisYear });
    if (!Number.isNaN(birthYear) && birthYear < thisYear - 120)
      problem(row.row, 'birth_year', `birth_year must be between ${thisYear - 120} and ${thisYear}`);
    const gender = row.get('gender').toUpperCase();
    if (!['M', 'F', 'O'].includes(gender)) problem(row.row, 'gender', 'gender must be M, F or O');
    const mobile = row.get('mobile');
    if (!MOBILE.test(mobile)) problem(row.row, 'mobile', 'mobile must be a 10-digit Indian mobile number');
    const idType = wholeField(row, 'id_type', errors, { max: 99 });
    const idNumber = row.get('id_number');
    let idHash: string | undefined;
    if (!Number.isNaN(idType)) {
      if (!ID_TYPES.some((t) => t.id === idType)) problem(row.row, 'id_type', `there is no photo-ID type ${idType}`);
      else {
        const id = checkIdNumber(idType, idNumber);
        // The reason names the ID type and its rule, never the number.
        if (!id.ok) problem(row.row, 'id_number', id.reason);
        else idHash = hashIdNumber(app.config.idHashSecret, idType, id.normalised);
      }
    }
    const comorbidity = row.get('comorbidity').toUpperCase();
    if (!['', 'Y', 'N'].includes(comorbidity)) problem(row.row, 'comorbidity', 'comorbidity must be Y or N (or empty)');
    return {
      row: row.row,
      mobile,
      idHash,
      person: {
        name,
        birthYear,
        gender: gender as Gender,
        idType,
        idNumber,
        comorbidity: comorbidity === 'Y',
      } satisfies PersonInput,
    };
  });

  // One person per photo ID: within the file, and against everyone registered.
  const hashes = [...new Set(read.flatMap((r) => (r.idHash ? [r.idHash] : [])))];
  const registered = hashes.length
    ? await app.db
        .selectFrom('beneficiary')
        .select(['id_hash', 'priority_group'])
        .where('id_hash', 'in', hashes)
        .where('deleted_at', 'is', null)
        .where('stage', '<>', 'EXPIRED')
        .execute()
    : [];
  const groupOf = new Map(registered.map((r) => [r.id_hash, r.priority_group]));
  const firstRowOf = new Map<string, number>();
  const alreadyListed: number[] = [];
  const toRegister: typeof read = [];
  for (const r of read) {
    if (!r.idHash) {
      toRegister.push(r);
      continue;
    }
    const earlier = firstRowOf.get(r.idHash);
    if (earlier !== undefined) {
      problem(r.row, 'id_number', `the same photo ID is on row ${earlier}; one person is listed once`);
      continue;
    }
    firstRowOf.set(r.idHash, r.row);
    if (!groupOf.has(r.idHash)) toRegister.push(r);
    else if (groupOf.get(r.idHash) === group) alreadyListed.push(r.row);
    else
      problem(
        r.row,
        'id_number',
        'this photo ID is already registered; one person is registered once (an officer can release a photo ID someone else registered)',
      );
  }

  // Four people per mobile: those the file adds to those already registered under it.
  const mobiles = [...new Set(toRegister.filter((r) => MOBILE.test(r.mobile)).map((r) => r.mobile))];
  const accounts = mobiles.length
    ? await app.db
        .selectFrom('account')
        .leftJoin('beneficiary', (join) =>
          join
            .onRef('beneficiary.account_id', '=', 'account.id')
            .on('beneficiary.deleted_at', 'is', null)
            .on('beneficiary.stage', '<>', 'EXPIRED'),
        )
        .select(['account.mobile', 'account.dry_run_id', (eb) => eb.fn.count<string>('beneficiary.id').as('people')])
        .where('account.mobile', 'in', mobiles)
        .groupBy(['account.mobile', 'account.dry_run_id'])
        .execute()
    : [];
  const onMobile = new Map(accounts.map((a) => [a.mobile, Number(a.people)]));
  const dryRunMobiles = new Set(accounts.filter((a) => a.dry_run_id !== null).map((a) => a.mobile));
  for (const r of toRegister) {
    if (!MOBILE.test(r.mobile)) continue;
    if (dryRunMobiles.has(r.mobile)) {
      problem(r.row, 'mobile', "that mobile number belongs to a dry run's test person");
      continue;
    }
    const count = (onMobile.get(r.mobile) ?? 0) + 1;
    onMobile.set(r.mobile, count);
    if (count > MAX_PEOPLE_PER_MOBILE)
      problem(r.row, 'mobile', `a mobile number can register at most ${MAX_PEOPLE_PER_MOBILE} people`);
  }

  return {
    workers: errors.length ? [] : toRegister.map(({ row, mobile, person }) => ({ row, mobile, person })),
    alreadyListed,
    errors: errors.sort((a, b) => a.row - b.row),
  };
}

/**
 * Registers the checked workers, one registration each (their account made for the mobile if new), each with its
 * invitation SMS queued in the same transaction and sent once all are in (a gateway failure leaves it to the
 * worker's sweep). Audited once for the file (PRIORITY_LIST_IMPORTED) beside each BENEFICIARY_REGISTERED.
 */
export async function registerListedWorkers(
  app: FastifyInstance,
  actor: Actor,
  list: { group: PriorityGroup; workers: ListedWorker[]; alreadyListed: number[] },
): Promise<{ registered: Array<{ row: number; referenceId: string }> }> {
  const registered: Array<{ row: number; referenceId: string }> = [];
  const invitations: string[] = [];
  for (const worker of list.workers) {
    await app.db
      .insertInto('account')
      .values({ mobile: worker.mobile })
      .onConflict((oc) => oc.column('mobile').doNothing())
      .execute();
    const account = await app.db
      .selectFrom('account')
      .select('id')
      .where('mobile', '=', worker.mobile)
      .executeTakeFirstOrThrow();
    const person = await registerBeneficiary(
      { db: app.db, config: app.config, temporal: app.temporal, log: app.log },
      {
        accountId: account.id,
        verified: true,
        person: worker.person,
        actor,
        priorityGroup: list.group,
        alsoWrite: async (trx, person) => {
          const { id } = await enqueueSms(trx, {
            idempotencyKey: `listed-invite:${person.beneficiaryId}`,
            mobile: worker.mobile,
            template: 'LISTED_WORKER_INVITED',
            vars: {
              name: worker.person.name.slice(0, 30),
              referenceId: person.referenceId,
              portalUrl: app.config.publicUrl,
            },
          });
          invitations.push(id);
        },
      },
    );
    registered.push({ row: worker.row, referenceId: person.referenceId });
  }
  await writeAudit(app.db, {
    actor,
    action: 'PRIORITY_LIST_IMPORTED',
    entityType: 'priority_list',
    entityId: randomUUID(),
    details: {
      group: list.group,
      registered: registered.length,
      alreadyListed: list.alreadyListed.length,
      referenceIds: registered.map((r) => r.referenceId),
    },
  });
  for (const id of invitations)
    await deliverSms(app.db, app.sms, id).catch((error: unknown) =>
      app.log.warn({ err: error, smsId: id }, 'worker invitation SMS not delivered now; the worker will retry it'),
    );
  return { registered };
}
