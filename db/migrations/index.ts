import type { Migration } from 'kysely';
import * as geographyAndVaccines from './2026-11-27T0100_geography_and_vaccines.js';
import * as sitesSessionsStaff from './2026-11-27T0200_sites_sessions_staff.js';
import * as beneficiariesAppointmentsDoses from './2026-11-27T0300_beneficiaries_appointments_doses.js';
import * as messagingAuditRollups from './2026-11-27T0400_messaging_audit_rollups.js';
import * as sessionDayWorkflow from './2026-11-27T0600_session_day_workflow.js';
import * as liveRollups from './2026-11-27T0800_live_rollups.js';
import * as smsDeliveryLookup from './2026-11-27T1000_sms_delivery_lookup.js';
import * as sessionTeams from './2026-11-27T1100_session_teams.js';
import * as registrationsByDistrict from './2026-12-06T0418_registrations_by_district.js';
import * as staffLoginLockoutAndOtpPurpose from './2026-12-06T0430_staff_login_lockout_and_otp_purpose.js';
import * as identityDisputes from './2026-12-06T0622_identity_disputes.js';
import * as recordDayWritePath from './2026-12-06T1600_record_day_write_path.js';
import * as bookingInRequest from './2026-12-06T1700_booking_in_request.js';
import * as outboxTaskQueue from './2026-12-06T1800_outbox_task_queue.js';
import * as doseReleasesBookings from './2026-12-06T1900_dose_releases_bookings_like_cancellations.js';
import * as bookingChangesPerDay from './2026-12-07T0100_booking_changes_per_day.js';
import * as dosePlansKeptPerConnection from './2026-12-07T0200_dose_plans_kept_per_connection.js';
import * as duplicatePersonHints from './2026-12-07T0230_duplicate_person_hints.js';
import * as bookingsOfASessionDayTogether from './2026-12-07T0300_bookings_of_a_session_day_together.js';
import * as dosesWrittenTogether from './2026-12-07T0400_doses_written_together.js';
import * as lateDoseCompletesItsNoShow from './2026-12-07T1000_late_dose_completes_its_no_show.js';
import * as deskDeviceContacts from './2026-12-07T1010_desk_device_contacts.js';
import * as partnerAppointmentIdsAndConsent from './2026-12-07T1130_partner_appointment_ids_and_consent.js';
import * as accountLanguage from './2026-12-07T1200_account_language.js';
import * as dryRuns from './2026-12-07T1215_dry_runs.js';
import * as sessionStallReason from './2026-12-07T1500_session_stall_reason.js';
import * as walkinsRegisteredOffline from './2026-12-08T0252_walkins_registered_offline.js';
import * as accessChangesAnnounced from './2026-12-08T0410_access_changes_announced.js';
import * as personCorrections from './2026-12-08T0523_person_corrections.js';
import * as dryRunSmsNumbers from './2026-12-08T0541_dry_run_sms_numbers.js';
import * as eligibilityPhases from './2026-12-09T0200_eligibility_phases.js';
import * as precautionInterval from './2026-12-09T0400_precaution_interval.js';
import * as vaccineBatches from './2026-12-09T0430_vaccine_batches.js';
import * as codeChecksPlannedOnce from './2026-12-09T0900_code_checks_planned_once.js';
import * as factsReadsByKey from './2026-12-09T0910_facts_reads_by_key.js';
import * as offlineDoseBeyondWalkinQuota from './2026-12-09T0920_offline_dose_beyond_walkin_quota.js';
import * as doseFactsWithPrecaution from './2026-12-09T0930_dose_facts_with_precaution.js';
import * as journeyInactive from './2026-12-10T0300_journey_inactive.js';
import * as siteStores from './2026-12-10T0400_site_stores.js';
import * as dosesGivenElsewhere from './2026-12-10T0405_doses_given_elsewhere.js';
import * as doseFactsEligibility from './2026-12-11T0200_dose_facts_eligibility.js';
import * as precautionGroupIntervals from './2026-12-12T0300_precaution_group_intervals.js';

/**
 * Every migration, by its frozen name (db/migrator.ts: MIGRATION_NAME), in name order. Name a new one with the time
 * it lands, so it sorts after every landed one, and add it at the end; never edit a landed one.
 */
export const migrations: Record<string, Migration> = {
  '2026-11-27T0100_geography_and_vaccines': geographyAndVaccines,
  '2026-11-27T0200_sites_sessions_staff': sitesSessionsStaff,
  '2026-11-27T0300_beneficiaries_appointments_doses': beneficiariesAppointmentsDoses,
  '2026-11-27T0400_messaging_audit_rollups': messagingAuditRollups,
  '2026-11-27T0600_session_day_workflow': sessionDayWorkflow,
  '2026-11-27T0800_live_rollups': liveRollups,
  '2026-11-27T1000_sms_delivery_lookup': smsDeliveryLookup,
  '2026-11-27T1100_session_teams': sessionTeams,
  '2026-12-06T0418_registrations_by_district': registrationsByDistrict,
  '2026-12-06T0430_staff_login_lockout_and_otp_purpose': staffLoginLockoutAndOtpPurpose,
  '2026-12-06T0622_identity_disputes': identityDisputes,
  '2026-12-06T1600_record_day_write_path': recordDayWritePath,
  '2026-12-06T1700_booking_in_request': bookingInRequest,
  '2026-12-06T1800_outbox_task_queue': outboxTaskQueue,
  '2026-12-06T1900_dose_releases_bookings_like_cancellations': doseReleasesBookings,
  '2026-12-07T0100_booking_changes_per_day': bookingChangesPerDay,
  '2026-12-07T0200_dose_plans_kept_per_connection': dosePlansKeptPerConnection,
  '2026-12-07T0230_duplicate_person_hints': duplicatePersonHints,
  '2026-12-07T0300_bookings_of_a_session_day_together': bookingsOfASessionDayTogether,
  '2026-12-07T0400_doses_written_together': dosesWrittenTogether,
  '2026-12-07T1000_late_dose_completes_its_no_show': lateDoseCompletesItsNoShow,
  '2026-12-07T1010_desk_device_contacts': deskDeviceContacts,
  '2026-12-07T1130_partner_appointment_ids_and_consent': partnerAppointmentIdsAndConsent,
  '2026-12-07T1200_account_language': accountLanguage,
  '2026-12-07T1215_dry_runs': dryRuns,
  '2026-12-07T1500_session_stall_reason': sessionStallReason,
  '2026-12-08T0252_walkins_registered_offline': walkinsRegisteredOffline,
  '2026-12-08T0410_access_changes_announced': accessChangesAnnounced,
  '2026-12-08T0523_person_corrections': personCorrections,
  '2026-12-08T0541_dry_run_sms_numbers': dryRunSmsNumbers,
  '2026-12-09T0200_eligibility_phases': eligibilityPhases,
  '2026-12-09T0400_precaution_interval': precautionInterval,
  '2026-12-09T0430_vaccine_batches': vaccineBatches,
  '2026-12-09T0900_code_checks_planned_once': codeChecksPlannedOnce,
  '2026-12-09T0910_facts_reads_by_key': factsReadsByKey,
  '2026-12-09T0920_offline_dose_beyond_walkin_quota': offlineDoseBeyondWalkinQuota,
  '2026-12-09T0930_dose_facts_with_precaution': doseFactsWithPrecaution,
  '2026-12-10T0300_journey_inactive': journeyInactive,
  '2026-12-10T0400_site_stores': siteStores,
  '2026-12-10T0405_doses_given_elsewhere': dosesGivenElsewhere,
  '2026-12-11T0200_dose_facts_eligibility': doseFactsEligibility,
  '2026-12-12T0300_precaution_group_intervals': precautionGroupIntervals,
};
