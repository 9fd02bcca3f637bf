/**
 * Kysely's view of the schema the migrations build. Keep it in step with db/migrations.
 */
import type { ColumnType, Generated, GeneratedAlways, Insertable, Selectable, Updateable } from 'kysely';
import type { DiscardReason, StoreMovementKind } from '../domain/site-store.js';
import type { SessionStatus } from '../domain/session-status.js';
import type { StallReason } from '../domain/session-pace.js';
import type { TeamRole } from '../domain/team.js';
import type { DryRunMode, DryRunStatus } from '../domain/dry-run.js';
import type { PhaseGroup, PriorityGroup } from '../domain/priority-groups.js';

// Statuses and roles are rules (domain/); the columns hold them.
export type { SessionStatus, TeamRole, DryRunMode, DryRunStatus, PhaseGroup, PriorityGroup };

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type RequiredTimestamp = ColumnType<Date, Date | string, Date | string>;
/** `date` columns are read as 'YYYY-MM-DD' strings (see the pg type parser in db/connection.ts). */
type DateString = ColumnType<string, string, string>;
/** `time` columns read as 'HH:MM:SS'. */
type TimeString = ColumnType<string, string, string>;
type Json = ColumnType<unknown, string | undefined, string>;

export type StaffRole = 'VACCINATOR' | 'DISTRICT_OFFICER' | 'STATE_OFFICER' | 'NATIONAL_ADMIN';
export type AppointmentStatus = 'BOOKED' | 'CANCELLED' | 'RESCHEDULED' | 'COMPLETED' | 'NO_SHOW';
export type AppointmentChannel = 'PORTAL' | 'PARTNER' | 'WALKIN' | 'OFFICER';
export type SmsStatus = 'QUEUED' | 'SENDING' | 'SENT' | 'DELIVERED' | 'FAILED';
export type Gender = 'M' | 'F' | 'O';

/** A rehearsal of a vaccination day (2026-12-07T1215_dry_runs). */
/** A simulated person's arrival at the door of a dry run's session day. */
export interface DryRunArrivalTable {
  id: Generated<string>;
  dry_run_id: string;
  session_day_id: string;
  slot_id: number | null;
  beneficiary_id: string | null;
  kind: 'BOOKED' | 'WALKIN';
  arrived_at: RequiredTimestamp;
  queue_on_arrival: number;
  outcome: 'VERIFIED' | 'TURNED_AWAY';
  reason: string | null;
}

export interface DryRunTable {
  id: Generated<string>;
  name: string;
  mode: DryRunMode;
  state_id: number;
  /** Null: every district of the state. */
  district_id: number | null;
  date: DateString;
  /** A simulation's length of a day on its compressed clock (null: a drill, real time). */
  day_ms: number | null;
  parameters: Json;
  /** Staff numbers the officer listed: the run's stall alerts and, through a real gateway, its test people's SMS. */
  sms_numbers: ColumnType<string[], string[] | undefined, string[]>;
  status: ColumnType<DryRunStatus, DryRunStatus | undefined, DryRunStatus>;
  failure: string | null;
  created_by: string;
  created_at: Timestamp;
  started_at: Date | null;
  finished_at: Date | null;
}

export interface StateTable {
  id: number;
  code: string;
  name: string;
  name_hi: string | null;
}

export interface DistrictTable {
  id: number;
  state_id: number;
  name: string;
  name_hi: string | null;
  lat: number;
  lng: number;
  target_population: ColumnType<number, number | undefined, number>;
  target_is_demo: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface PincodeTable {
  pincode: number;
  district_id: number;
}

export interface VaccineTable {
  code: string;
  name: string;
  doses: number;
  min_interval_days: ColumnType<number, number | undefined, number>;
  max_interval_days: ColumnType<number, number | undefined, number>;
  active: ColumnType<boolean, boolean | undefined, boolean>;
}

/** The precaution dose's interval per vaccine, in days after the last primary dose (2026-12-09T0400). */
export interface PrecautionIntervalTable {
  vaccine_code: string;
  after_days: number;
  updated_at: Timestamp;
}

/** A priority group's own precaution interval for a vaccine, overriding the vaccine's (precaution_interval). */
export interface PrecautionGroupIntervalTable {
  vaccine_code: string;
  priority_group: PriorityGroup;
  after_days: number;
  updated_at: Timestamp;
}

export interface SiteTable {
  id: Generated<number>;
  name: string;
  name_hi: string | null;
  address: string;
  block: string;
  pincode: number;
  district_id: number;
  lat: number;
  lng: number;
  ownership: 'GOVERNMENT' | 'PRIVATE';
  fee_inr: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SessionDayTable {
  id: Generated<string>;
  site_id: number;
  district_id: number;
  date: DateString;
  vaccine_code: string;
  min_age: ColumnType<number, number | undefined, number>;
  max_age: number | null;
  opens_at: TimeString;
  closes_at: TimeString;
  dose1_capacity: number;
  dose2_capacity: number;
  dose1_booked: ColumnType<number, number | undefined, number>;
  dose2_booked: ColumnType<number, number | undefined, number>;
  walkin_capacity: ColumnType<number, number | undefined, number>;
  walkin_used: ColumnType<number, number | undefined, number>;
  status: ColumnType<SessionStatus, SessionStatus | undefined, SessionStatus>;
  /** Why the workflow flagged it STALLED (its pace verdict); meaningful only while status is STALLED. */
  stall_reason: ColumnType<StallReason | null, StallReason | null | undefined, StallReason | null>;
  extended_until: Date | null;
  doses_recorded: ColumnType<number, number | undefined, number>;
  last_dose_at: Date | null;
  no_shows: ColumnType<number, number | undefined, number>;
  wastage: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** When the session-day workflow was started (by the worker's sweep or an officer's intervention). */
  workflow_started_at: Date | null;
  /** The dry run that created this day (2026-12-07T1215_dry_runs): its bookings and doses are never real. */
  dry_run_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface SessionSlotTable {
  id: Generated<number>;
  session_day_id: string;
  starts_at: TimeString;
  ends_at: TimeString;
  capacity: number;
  booked: ColumnType<number, number | undefined, number>;
  walkin_capacity: ColumnType<number, number | undefined, number>;
  walkin_used: ColumnType<number, number | undefined, number>;
}

export interface StaffUserTable {
  id: Generated<string>;
  username: string;
  password_hash: string;
  name: string;
  mobile: string | null;
  role: StaffRole;
  state_id: number | null;
  district_id: number | null;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
  /** Tokens of an earlier generation are refused (deactivation and password resets move it on). */
  token_generation: ColumnType<number, number | undefined, number>;
  /** Consecutive wrong passwords; reset by a successful sign-in or a password reset. */
  failed_logins: ColumnType<number, number | undefined, number>;
  login_locked_until: Date | null;
  /** A simulated team member of a dry run. */
  dry_run_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface SessionAssignmentTable {
  id: Generated<number>;
  session_day_id: string;
  staff_id: string;
  session_date: DateString;
  team_role: TeamRole;
  assigned_by: string | null;
  created_at: Timestamp;
}

/** The languages an account may choose (messaging/templates.ts has every SMS in each). */
export type AccountLanguage = 'en' | 'hi';

export interface AccountTable {
  id: Generated<string>;
  mobile: string;
  verified_at: Date | null;
  created_at: Timestamp;
  language: ColumnType<AccountLanguage, AccountLanguage | undefined, AccountLanguage>;
  /** A dry run's test account. */
  dry_run_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface BeneficiaryTable {
  id: Generated<string>;
  reference_id: string;
  account_id: string;
  name: string;
  birth_year: number;
  gender: Gender;
  id_type: number;
  id_hash: string;
  id_last4: string;
  secret_code: string;
  comorbidity: ColumnType<boolean, boolean | undefined, boolean>;
  stage: ColumnType<string, string | undefined, string>;
  stage_updated_at: Timestamp;
  vaccine_code: string | null;
  next_dose_due_on: DateString | null;
  created_at: Timestamp;
  deleted_at: Date | null;
  /** Moves on with every booking change of the person (2026-12-06T1700_booking_in_request). */
  booking_version: ColumnType<number, number | undefined, number>;
  /** The consent text version the person agreed to, as a Co-WIN client sends it (consent_version). */
  consent_version: ColumnType<string | null, string | null | undefined, string | null>;
  /** A dry run's test person: counted nowhere real. */
  dry_run_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** Health-care or front-line worker, from their employer's uploaded list (2026-12-09T0200_eligibility_phases). */
  priority_group: ColumnType<PriorityGroup | null, PriorityGroup | null | undefined, PriorityGroup | null>;
  /** Since when the person's journey has ended awaiting their return; null while one runs (2026-12-10T0300). */
  journey_inactive_since: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

/** Which groups and ages a state vaccinates from which date (2026-12-09T0200_eligibility_phases). */
export interface EligibilityPhaseTable {
  id: Generated<number>;
  state_id: number;
  name: string;
  opens_on: DateString;
  groups: PhaseGroup[];
  min_age: number;
  max_age: number | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A possible second registration of one person under another photo-ID type (2026-12-07T0230_duplicate_person_hints). */
export interface DuplicatePersonHintTable {
  id: Generated<string>;
  /** The later registration, and the earlier one it resembles. */
  beneficiary_id: string;
  other_beneficiary_id: string;
  flagged_at: Generated<Date>;
  outcome: 'SAME_PERSON' | 'DIFFERENT_PEOPLE' | null;
  reviewed_by: string | null;
  reviewed_at: Date | null;
  review_reason: string | null;
}

/** A correction of a person's details (db/migrations/2026-12-08T0523_person_corrections.ts). */
export interface PersonCorrectionTable {
  id: Generated<string>;
  beneficiary_id: string;
  by_type: 'BENEFICIARY' | 'STAFF';
  actor_id: string;
  reason: string | null;
  fields: string[];
  before: Json;
  after: Json;
  at: Timestamp;
}

export interface IdentityDisputeTable {
  id: Generated<string>;
  district_id: number;
  holder_beneficiary_id: string;
  id_type: number;
  id_last4: string;
  claimant_name: string;
  claimant_birth_year: number;
  claimant_gender: string;
  claimant_mobile: string;
  status: ColumnType<'OPEN' | 'RELEASED' | 'REJECTED', 'OPEN' | undefined, 'RELEASED' | 'REJECTED'>;
  opened_by: string;
  opened_at: Timestamp;
  decided_by: string | null;
  decided_at: Date | null;
  decision_reason: string | null;
}

/** What an OTP may be used for: logging in, verifying a registration, or a check at the vaccination desk. */
export type OtpPurpose = 'LOGIN' | 'REGISTRATION' | 'DESK_CHECK';

export interface OtpChallengeTable {
  id: Generated<string>;
  mobile: string;
  code_hash: string;
  purpose: ColumnType<OtpPurpose, OtpPurpose, OtpPurpose>;
  expires_at: RequiredTimestamp;
  attempts: ColumnType<number, number | undefined, number>;
  max_attempts: ColumnType<number, number | undefined, number>;
  verified_at: Date | null;
  requester_ip: string | null;
  created_at: Timestamp;
}

export interface AppointmentTable {
  id: Generated<string>;
  beneficiary_id: string;
  session_day_id: string;
  slot_id: number | null;
  dose_number: number;
  status: ColumnType<AppointmentStatus, AppointmentStatus | undefined, AppointmentStatus>;
  channel: ColumnType<AppointmentChannel, AppointmentChannel | undefined, AppointmentChannel>;
  booked_at: Timestamp;
  updated_at: Timestamp;
  /** The appointment a move continues (its first row's id); null on a first booking. Co-WIN's appointment_id. */
  origin_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface VerificationCheckTable {
  id: Generated<string>;
  session_day_id: string;
  beneficiary_id: string;
  verified_by: string;
  method: 'SECRET_CODE' | 'OTP' | 'PHOTO_ID';
  verified_at: Timestamp;
}

/** A walk-in registered on a desk with no network, stored when it synced (the device's client event id). */
export interface WalkinRegistrationTable {
  client_event_id: string;
  beneficiary_id: string;
  session_day_id: string;
  verification_id: string;
  registered_by: string;
  registered_at: RequiredTimestamp;
  synced_at: Generated<Timestamp>;
}

export interface DoseTable {
  id: Generated<string>;
  beneficiary_id: string;
  dose_number: number;
  vaccine_code: string;
  batch: string;
  /** Null only for a dose an officer added from evidence (given elsewhere; source OFFICER), as are the next two. */
  site_id: number | null;
  session_day_id: string | null;
  /** The session day's district; for a dose given elsewhere, the person's district (their coverage counts it). */
  district_id: number;
  vaccinator_id: string | null;
  verification_id: string | null;
  appointment_id: string | null;
  administered_at: RequiredTimestamp;
  recorded_at: Timestamp;
  client_event_id: string;
  source: ColumnType<'ONLINE' | 'OFFLINE' | 'OFFICER', 'ONLINE' | 'OFFLINE' | 'OFFICER' | undefined, never>;
  clock_skew_ms: number | null;
}

/** Where a dose given elsewhere was given and the evidence an officer added it from (2026-12-10T0405). */
export interface DoseEvidenceTable {
  dose_id: string;
  place: string;
  evidence_reference: string;
  note: string;
  added_by: string;
  added_at: Timestamp;
}

/** A batch of a vaccine (migration 2026-12-09T0430_vaccine_batches); `batch_number` trimmed, in capitals. */
export interface VaccineBatchTable {
  id: Generated<string>;
  vaccine_code: string;
  batch_number: string;
  /** Null only on a batch found in doses recorded before the registry, until an officer completes it. */
  manufacturer: string | null;
  expires_on: ColumnType<string | null, string | null | undefined, string | null>;
  doses_per_vial: number | null;
  from_earlier_doses: ColumnType<boolean, boolean | undefined, boolean>;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Vials of a batch issued to a session day; at close, the vials opened and the doses wasted in them. */
export interface SessionBatchStockTable {
  session_day_id: string;
  batch_id: string;
  vials_issued: number;
  vials_opened: number | null;
  doses_wasted: number | null;
  issued_by: string | null;
  issued_at: Timestamp;
  closed_by: string | null;
  closed_at: Date | null;
}

export interface SiteBatchStoreTable {
  site_id: number;
  batch_id: string;
  vials: number;
  updated_at: Timestamp;
}

export interface SiteStockMovementTable {
  id: Generated<string>;
  seq: GeneratedAlways<string>;
  site_id: number;
  batch_id: string;
  kind: StoreMovementKind;
  vials: number;
  balance: number;
  session_day_id: string | null;
  delivery_note: string | null;
  discard_reason: DiscardReason | null;
  note: string | null;
  client_event_id: string | null;
  recorded_by: string | null;
  recorded_at: Timestamp;
}

export interface AefiReportTable {
  id: Generated<string>;
  dose_id: string;
  severity: 'MINOR' | 'SERIOUS' | 'SEVERE';
  symptoms: string[];
  notes: string | null;
  during_observation: ColumnType<boolean, boolean | undefined, boolean>;
  reported_by: string;
  reported_at: Timestamp;
  client_event_id: string | null;
}

export interface JourneyStageHistoryTable {
  id: Generated<string>;
  beneficiary_id: string;
  from_stage: string | null;
  to_stage: string;
  reason: string;
  step_key: string;
  at: Timestamp;
}

export interface SmsMessageTable {
  id: Generated<string>;
  idempotency_key: string;
  mobile: string;
  template: string;
  locale: ColumnType<string, string | undefined, string>;
  body: string;
  dlt_template_id: string | null;
  status: ColumnType<SmsStatus, SmsStatus | undefined, SmsStatus>;
  provider: string | null;
  provider_message_id: string | null;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  created_at: Timestamp;
  sent_at: Date | null;
  delivered_at: Date | null;
}

export interface CertificateTable {
  id: string;
  beneficiary_id: string;
  kind: 'PROVISIONAL' | 'FINAL';
  doses: number;
  key_id: string;
  jws: string;
  issued_at: Timestamp;
  revoked_at: Date | null;
  revocation_reason: string | null;
}

export interface AuditLogTable {
  id: Generated<string>;
  actor_type: 'BENEFICIARY' | 'STAFF' | 'SYSTEM' | 'PARTNER';
  actor_id: string | null;
  actor_role: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  source: ColumnType<string, string | undefined, string>;
  details: Json;
  at: Timestamp;
}

export interface WorkflowOutboxTable {
  id: Generated<string>;
  kind: 'START' | 'SIGNAL';
  workflow_id: string;
  workflow_type: string | null;
  signal_name: string | null;
  payload: Json;
  created_at: Timestamp;
  delivered_at: Date | null;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  /** A relay is delivering it until then (workflows/workflow-outbox.ts); after that another relay may take it over. */
  claimed_until: Date | null;
  /** The task queue a START goes to (null: the relay's own). */
  task_queue: string | null;
}

export interface TokenRevocationTable {
  jti: string;
  expires_at: RequiredTimestamp;
}

export interface HealthProbeTable {
  id: string;
  worker_identity: string;
  at: Timestamp;
}

export interface DistrictCoverageTable {
  district_id: number;
  dose1: ColumnType<number, number | undefined, number>;
  dose2: ColumnType<number, number | undefined, number>;
  updated_at: Timestamp;
}

export interface DistrictHourlyDosesTable {
  district_id: number;
  hour: RequiredTimestamp;
  doses: ColumnType<number, number | undefined, number>;
}

/** Doses per district per India date, kept by the dose trigger (2026-11-27T0800_live_rollups). */
export interface DistrictDailyDosesTable {
  district_id: number;
  date: DateString;
  doses: ColumnType<number, number | undefined, number>;
  dose1: ColumnType<number, number | undefined, number>;
  dose2: ColumnType<number, number | undefined, number>;
}

/** Registrations per India date over 16 shards (sum the shards), kept by a trigger on beneficiary. */
export interface DailyRegistrationsTable {
  date: DateString;
  shard: number;
  registrations: ColumnType<number, number | undefined, number>;
}

/** Session days per district, date and status, kept by triggers on session_day. */
export interface DistrictSessionCountsTable {
  district_id: number;
  date: DateString;
  status: SessionStatus;
  sessions: ColumnType<number, number | undefined, number>;
}

/** An observer's release of a vaccinated person after the observation period (2026-11-27T1100_session_teams). */
export interface ObservationReleaseTable {
  dose_id: string;
  released_by: string;
  released_at: Timestamp;
  observed_minutes: number;
}

/** Where a person is counted by area: the district of their first booking or dose (2026-12-06T0418). */
export interface BeneficiaryDistrictTable {
  beneficiary_id: string;
  district_id: number;
  /** India date of registration. */
  registered_on: DateString;
}

/** People per district by registration date, over 8 shards (sum them), kept by triggers (2026-12-06T0418). */
export interface DistrictDailyRegistrationsTable {
  district_id: number;
  date: DateString;
  shard: number;
  registrations: ColumnType<number, number | undefined, number>;
}

/** A desk device that took a session day's list, and its last contact (2026-12-07T1010). */
export interface DeskDeviceContactTable {
  session_day_id: string;
  device_id: string;
  staff_id: string;
  first_contact_at: ColumnType<Date, Date | undefined, Date>;
  last_contact_at: ColumnType<Date, Date | undefined, Date>;
}

export interface Database {
  dry_run: DryRunTable;
  dry_run_arrival: DryRunArrivalTable;
  state: StateTable;
  district: DistrictTable;
  pincode: PincodeTable;
  vaccine: VaccineTable;
  precaution_interval: PrecautionIntervalTable;
  precaution_group_interval: PrecautionGroupIntervalTable;
  site: SiteTable;
  session_day: SessionDayTable;
  session_slot: SessionSlotTable;
  staff_user: StaffUserTable;
  session_assignment: SessionAssignmentTable;
  account: AccountTable;
  beneficiary: BeneficiaryTable;
  otp_challenge: OtpChallengeTable;
  identity_dispute: IdentityDisputeTable;
  duplicate_person_hint: DuplicatePersonHintTable;
  appointment: AppointmentTable;
  verification_check: VerificationCheckTable;
  walkin_registration: WalkinRegistrationTable;
  dose: DoseTable;
  aefi_report: AefiReportTable;
  journey_stage_history: JourneyStageHistoryTable;
  sms_message: SmsMessageTable;
  certificate: CertificateTable;
  audit_log: AuditLogTable;
  workflow_outbox: WorkflowOutboxTable;
  token_revocation: TokenRevocationTable;
  health_probe: HealthProbeTable;
  district_coverage: DistrictCoverageTable;
  district_hourly_doses: DistrictHourlyDosesTable;
  district_daily_doses: DistrictDailyDosesTable;
  daily_registrations: DailyRegistrationsTable;
  district_session_counts: DistrictSessionCountsTable;
  observation_release: ObservationReleaseTable;
  beneficiary_district: BeneficiaryDistrictTable;
  district_daily_registrations: DistrictDailyRegistrationsTable;
  desk_device_contact: DeskDeviceContactTable;
  person_correction: PersonCorrectionTable;
  dose_evidence: DoseEvidenceTable;
  eligibility_phase: EligibilityPhaseTable;
  vaccine_batch: VaccineBatchTable;
  session_batch_stock: SessionBatchStockTable;
  site_batch_store: SiteBatchStoreTable;
  site_stock_movement: SiteStockMovementTable;
}

export type SessionDay = Selectable<SessionDayTable>;
export type Site = Selectable<SiteTable>;
export type Beneficiary = Selectable<BeneficiaryTable>;
export type NewBeneficiary = Insertable<BeneficiaryTable>;
export type Appointment = Selectable<AppointmentTable>;
export type Dose = Selectable<DoseTable>;
export type StaffUser = Selectable<StaffUserTable>;
export type SmsMessage = Selectable<SmsMessageTable>;
export type SessionDayUpdate = Updateable<SessionDayTable>;
