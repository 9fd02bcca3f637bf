/**
 * Pure translations between Teeka and the Co-WIN compatible API (/api/v2): dates, shapes, localised fields
 * and error codes. No I/O here, so every quirk partner apps depend on is unit-tested in one place.
 */
import type { AvailableSession } from '../../db/repositories/availability.js';
import type { PublicReportFigures } from '../../db/repositories/public-report.js';
import type { Gender } from '../../db/schema.js';
import { ID_TYPES, maskMobile } from '../../domain/identity.js';
import { slotLabel } from '../../domain/slots.js';
import { REFUSALS, type RefusalEntry } from '../../domain/refusals.js';
import { VACCINATED_STAGES, type Stage } from '../../domain/journey-state.js';
import type {
  CalendarSession,
  Center,
  CowinAppointment,
  CowinBeneficiary,
  CowinError,
  FlatSession,
  NearbyCenter,
  PublicReport,
} from '../schemas/cowin-v2.js';

// ---- Dates ----

/**
 * A query date as Teeka's 'YYYY-MM-DD', from Co-WIN's 'DD-MM-YYYY' or 'DD-MM-YY' (taken as 20YY);
 * undefined when it is not a real calendar date.
 */
export function parseCowinDate(value: string): string | undefined {
  const match = /^(\d{2})-(\d{2})-(\d{2}|\d{4})$/.exec(value.trim());
  if (!match) return undefined;
  const [, dd, mm, yy] = match;
  const year = yy.length === 2 ? `20${yy}` : yy;
  const iso = `${year}-${mm}-${dd}`;
  return isCalendarDate(iso) ? iso : undefined;
}

/** Whether 'YYYY-MM-DD' names a real day (not 2021-02-30). */
export function isCalendarDate(iso: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return false;
  // By arithmetic, not through a Date: every public slot search checks its date.
  const year = Number(iso.slice(0, 4));
  const month = Number(iso.slice(5, 7));
  const day = Number(iso.slice(8, 10));
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 ? (leap ? 29 : 28) : DAYS_IN_MONTH[month - 1]);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** 'YYYY-MM-DD' → 'DD-MM-YYYY'. */
export function toCowinDate(isoDate: string): string {
  const [y, m, d] = isoDate.split('-');
  return `${d}-${m}-${y}`;
}

// ---- Localisation ----

/** `Accept-Language: hi_IN` (also hi-IN or hi, first choice or weighted) asks for the `*_l` fields. */
export function wantsHindi(acceptLanguage: string | undefined): boolean {
  if (!acceptLanguage) return false;
  return acceptLanguage
    .split(',')
    .map((part) => part.split(';')[0].trim().toLowerCase().replace('-', '_'))
    .some((tag) => tag === 'hi' || tag === 'hi_in');
}

/** The Hindi name when we have one, else the English one (Co-WIN answered with the English name too). */
const localised = (hindi: string | null | undefined, english: string) => (hindi && hindi.trim() ? hindi : english);

type Site = AvailableSession['site'];

function centreLocalised(site: Site) {
  return {
    name_l: localised(site.nameHi, site.name),
    address_l: site.address,
    state_name_l: localised(site.stateNameHi, site.stateName),
    district_name_l: localised(site.districtNameHi, site.districtName),
    block_name_l: site.block,
  };
}

// ---- Metadata ----

export function toCowinStates(rows: Array<{ id: number; name: string; name_hi: string | null }>, hindi: boolean) {
  return {
    states: rows.map((s) => ({
      state_id: s.id,
      state_name: s.name,
      ...(hindi ? { state_name_l: localised(s.name_hi, s.name) } : {}),
    })),
    ttl: 24,
  };
}

export function toCowinDistricts(rows: Array<{ id: number; name: string; name_hi: string | null }>, hindi: boolean) {
  return {
    districts: rows.map((d) => ({
      district_id: d.id,
      district_name: d.name,
      ...(hindi ? { district_name_l: localised(d.name_hi, d.name) } : {}),
    })),
    ttl: 24,
  };
}

/** Co-WIN's photo-ID types, with the ids partner apps send in `photo_id_type`. */
export const COWIN_ID_TYPES = ID_TYPES.map((t) => ({ id: t.id, type: t.name }));

export const COWIN_GENDERS = [
  { id: 1, gender: 'Male', code: 'M' },
  { id: 2, gender: 'Female', code: 'F' },
  { id: 3, gender: 'Others', code: 'O' },
] as const satisfies ReadonlyArray<{ id: number; gender: string; code: Gender }>;

export const genderOfId = (genderId: number): Gender | undefined => COWIN_GENDERS.find((g) => g.id === genderId)?.code;
export const genderName = (code: Gender): string => COWIN_GENDERS.find((g) => g.code === code)?.gender ?? 'Others';
export const idTypeName = (idType: number): string => COWIN_ID_TYPES.find((t) => t.id === idType)?.type ?? 'Others';

// ---- Availability ----

/** The lowest age any session is for; a session from it with no upper limit is open to every adult. */
const ADULT_AGE = 18;

function centreFields(site: Site, opensAt: string, closesAt: string, hindi: boolean) {
  return {
    center_id: site.id,
    name: site.name,
    address: site.address,
    state_name: site.stateName,
    district_name: site.districtName,
    block_name: site.block,
    pincode: site.pincode,
    lat: site.lat,
    long: site.lng,
    from: opensAt,
    to: closesAt,
    fee_type: site.feeInr > 0 ? ('Paid' as const) : ('Free' as const),
    ...(hindi ? centreLocalised(site) : {}),
  };
}

export function toCalendarSession(session: AvailableSession): CalendarSession {
  return {
    session_id: session.sessionDayId,
    date: toCowinDate(session.date),
    available_capacity: session.dose1Available + session.dose2Available,
    available_capacity_dose1: session.dose1Available,
    available_capacity_dose2: session.dose2Available,
    min_age_limit: session.minAge,
    ...(session.maxAge !== null ? { max_age_limit: session.maxAge } : {}),
    allow_all_age: session.maxAge === null && session.minAge <= ADULT_AGE,
    vaccine: session.vaccineCode,
    slots: session.slots.map((s) => s.label),
  };
}

/** findByPin / findByDistrict: one flat object per session (centre and session fields together). */
export function toFlatSession(session: AvailableSession, hindi: boolean): FlatSession {
  return {
    ...centreFields(session.site, session.opensAt, session.closesAt, hindi),
    ...toCalendarSession(session),
    fee: String(session.site.feeInr),
  };
}

/**
 * calendarBy*: sessions grouped by centre, in the order the centres first appear. A centre's hours span its
 * sessions' hours; paid centres list the fee of each vaccine they offer.
 */
export function toCalendarCenters(sessions: AvailableSession[], hindi: boolean): Center[] {
  const byCentre = new Map<number, AvailableSession[]>();
  for (const session of sessions) {
    const list = byCentre.get(session.site.id) ?? [];
    list.push(session);
    byCentre.set(session.site.id, list);
  }
  return [...byCentre.values()].map((list) => toCalendarCenter(list[0].site, list, hindi));
}

export function toCalendarCenter(
  site: Site,
  sessions: AvailableSession[],
  hindi: boolean,
  defaultHours = { from: '09:00:00', to: '17:00:00' },
): Center {
  const from = sessions.length ? sessions.map((s) => s.opensAt).sort()[0] : defaultHours.from;
  const to = sessions.length
    ? sessions
        .map((s) => s.closesAt)
        .sort()
        .at(-1)!
    : defaultHours.to;
  const vaccines = [...new Set(sessions.map((s) => s.vaccineCode))];
  return {
    ...centreFields(site, from, to, hindi),
    ...(site.feeInr > 0 ? { vaccine_fees: vaccines.map((vaccine) => ({ vaccine, fee: String(site.feeInr) })) } : {}),
    sessions: sessions.map(toCalendarSession),
  };
}

/** findByLatLong: here pincode, lat and long are strings. */
export function toNearbyCenter(site: Site, hindi: boolean): NearbyCenter {
  return {
    center_id: site.id,
    name: site.name,
    district_name: site.districtName,
    state_name: site.stateName,
    location: site.address,
    pincode: String(site.pincode),
    block_name: site.block,
    lat: String(site.lat),
    long: String(site.lng),
    ...(hindi
      ? {
          name_l: localised(site.nameHi, site.name),
          district_name_l: localised(site.districtNameHi, site.districtName),
          state_name_l: localised(site.stateNameHi, site.stateName),
          block_name_l: site.block,
        }
      : {}),
  };
}

/** The slot id behind a Co-WIN slot string ("09:00AM-11:00AM"), if the session has that slot. */
export function slotIdForLabel(
  slots: Array<{ id: number; startsAt: string; endsAt: string }>,
  label: string,
): number | undefined {
  const wanted = label.trim().toUpperCase();
  return slots.find((s) => slotLabel(s.startsAt, s.endsAt) === wanted)?.id;
}

// ---- Beneficiaries ----

export interface AccountPerson {
  referenceId: string;
  name: string;
  birthYear: number;
  gender: Gender;
  idType: number;
  idNumberMasked: string;
  comorbidity: boolean;
  stage: string;
  vaccineCode: string | null;
  appointments: Array<{
    appointmentId: string;
    /** Kept across moves (a reschedule answers no new id); the appointment's own id where absent. */
    partnerAppointmentId?: string;
    sessionDayId: string;
    dose: number;
    date: string;
    slot: string;
    status: string;
  }>;
  doses: Array<{ dose: number; date: string }>;
}

export interface AppointmentCentre {
  site: Site;
  opensAt: string;
  closesAt: string;
}

export function vaccinationStatus(stage: string, dosesReceived: number): CowinBeneficiary['vaccination_status'] {
  if (VACCINATED_STAGES.has(stage as Stage)) return 'Vaccinated';
  return dosesReceived > 0 ? 'Partially Vaccinated' : 'Not Vaccinated';
}

export function toCowinAppointment(
  appointment: AccountPerson['appointments'][number],
  centre: AppointmentCentre,
): CowinAppointment {
  const { site } = centre;
  return {
    appointment_id: appointment.partnerAppointmentId ?? appointment.appointmentId,
    center_id: site.id,
    name: site.name,
    state_name: site.stateName,
    district_name: site.districtName,
    block_name: site.block,
    pincode: site.pincode,
    from: centre.opensAt,
    to: centre.closesAt,
    fee_type: site.feeInr > 0 ? 'Paid' : 'Free',
    dose: appointment.dose,
    session_id: appointment.sessionDayId,
    date: toCowinDate(appointment.date),
    slot: appointment.slot,
  };
}

export function toCowinBeneficiary(
  person: AccountPerson,
  mobile: string,
  centres: Map<string, AppointmentCentre>,
): CowinBeneficiary {
  const doseDate = (n: number) => {
    const dose = person.doses.find((d) => d.dose === n);
    return dose ? toCowinDate(dose.date) : '';
  };
  return {
    beneficiary_reference_id: person.referenceId,
    name: person.name,
    birth_year: String(person.birthYear),
    gender: genderName(person.gender),
    mobile_number: maskMobile(mobile),
    photo_id_type: idTypeName(person.idType),
    photo_id_number: person.idNumberMasked,
    comorbidity_ind: person.comorbidity ? 'Y' : 'N',
    vaccination_status: vaccinationStatus(person.stage, person.doses.length),
    vaccine: person.vaccineCode ?? '',
    dose1_date: doseDate(1),
    dose2_date: doseDate(2),
    appointments: person.appointments.flatMap((a) => {
      const centre = centres.get(a.sessionDayId);
      return centre ? [toCowinAppointment(a, centre)] : [];
    }),
  };
}

// ---- Public dashboard figures ----

/** A vaccine's key among the per-vaccine counts: its code in lower case, spaces as underscores (sputnik_v). */
export const vaccineKey = (code: string) =>
  code
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');

const RESERVED_KEYS = new Set(['total', 'today', 'tot_dose_1', 'tot_dose_2', 'male', 'female', 'others', 'aefi']);

/** '06 Dec' for an India date, as Co-WIN's dashboard labels its days. */
function dayLabel(date: string): string {
  return new Date(`${date}T12:00:00Z`).toLocaleDateString('en-IN', { day: '2-digit', month: 'short', timeZone: 'UTC' });
}

export function toPublicReport(figures: PublicReportFigures, now: Date): PublicReport {
  const perVaccine: Record<string, number> = {};
  for (const [code, count] of Object.entries(figures.doses.byVaccine)) {
    const key = vaccineKey(code);
    if (!key || RESERVED_KEYS.has(key)) continue;
    perVaccine[key] = (perVaccine[key] ?? 0) + count;
  }
  return {
    topBlock: {
      vaccination: {
        ...perVaccine,
        total: figures.doses.total,
        today: figures.doses.today,
        tot_dose_1: figures.doses.dose1,
        tot_dose_2: figures.doses.dose2,
        male: figures.doses.byGender.M,
        female: figures.doses.byGender.F,
        others: figures.doses.byGender.O,
        aefi: figures.aefi.total,
      },
      registration: { total: figures.registrations },
      sites: {
        total: figures.sites.total,
        govt: figures.sites.government,
        pvt: figures.sites.private,
        today: figures.sites.today,
      },
    },
    vaccinationByAge: {
      total: figures.doses.total,
      vac_12_14: figures.byAgeBand['12_14'],
      vac_15_17: figures.byAgeBand['15_17'],
      vac_18_45: figures.byAgeBand['18_44'],
      vac_45_60: figures.byAgeBand['45_59'],
      above_60: figures.byAgeBand['60_plus'],
    },
    vaccinationDoneByTime: figures.byHour.map((h) => ({
      ts: h.hour,
      label: `${new Date(h.hour).toLocaleTimeString('en-IN', { hour: '2-digit', hourCycle: 'h23', timeZone: 'Asia/Kolkata' })}:00`,
      count: h.doses,
      dose_one: h.dose1,
      dose_two: h.dose2,
    })),
    last30DaysVaccination: figures.last30Days.map((d) => ({
      vaccine_date: d.date,
      label: dayLabel(d.date),
      total: d.doses,
      dose_1: d.dose1,
      dose_2: d.dose2,
    })),
    last30DaysAefi: figures.aefi.last30Days.map((d) => ({
      vaccine_date: d.date,
      label: dayLabel(d.date),
      aefi: d.reports,
    })),
    getBeneficiariesGroupBy: figures.areas.map((a) => ({
      id: a.id,
      state_id: a.stateId,
      state_name: a.stateName,
      title: a.title,
      today: a.today,
      total: a.total,
      totally_vaccinated: a.fullyVaccinated,
    })),
    timestamp: now.toISOString(),
  };
}

// ---- Errors ----

export interface CowinErrorEntry {
  status: number;
  errorCode: string;
  /** Co-WIN's own wording, for codes partner apps match on; otherwise our refusal's message is sent. */
  error?: string;
  /** Seen in Co-WIN traffic (partner apps test for it), as opposed to assigned by Teeka in the same style. */
  cowin: boolean;
}

/**
 * The v2 API's own conditions, which are not a rule's refusal: input Co-WIN checks itself, and the platform's
 * answers by HTTP status.
 */
const COWIN_CONDITIONS: Record<string, CowinErrorEntry> = {
  // input
  INPUT_MISSING: { status: 400, errorCode: 'USRRES0001', error: 'Input parameter missing', cowin: true },
  INVALID_PINCODE: { status: 400, errorCode: 'APPOIN0018', error: 'Invalid Pincode', cowin: true },
  INVALID_INPUT: { status: 400, errorCode: 'USRRES9001', cowin: false },
  INVALID_DATE: { status: 400, errorCode: 'USRRES9002', error: 'Invalid date; use DD-MM-YYYY', cowin: false },
  // a 409 of a refusal with no Co-WIN code of its own
  CONFLICT: { status: 409, errorCode: 'APPOIN9000', cowin: false },
  // platform
  FORBIDDEN: { status: 403, errorCode: 'USRAUT9403', cowin: false },
  NOT_FOUND: { status: 404, errorCode: 'USRRES9404', cowin: false },
  RATE_LIMITED: { status: 429, errorCode: 'USRRES9429', cowin: false },
  UNAVAILABLE: {
    status: 503,
    errorCode: 'SYSERR9503',
    error: 'Service temporarily unavailable; try again shortly',
    cowin: false,
  },
  INTERNAL: {
    status: 500,
    errorCode: 'SYSERR9500',
    error: 'Something went wrong on our side; it has been logged',
    cowin: false,
  },
};

/**
 * Every error the Co-WIN API gives: the refusals the catalogue gives a Co-WIN code (domain/refusals.ts), keyed by
 * Teeka's refusal code, and the v2-only conditions above. Co-WIN codes partner apps are known to match on keep
 * their status and wording; Teeka's own use the same shape in a 9xxx range, so no client mistakes them for Co-WIN's.
 */
export const COWIN_ERRORS: Record<string, CowinErrorEntry> = {
  ...COWIN_CONDITIONS,
  ...Object.fromEntries(
    Object.entries(REFUSALS as Record<string, RefusalEntry>).flatMap(([code, { cowin }]) =>
      cowin
        ? [[code, { status: cowin.status, errorCode: cowin.errorCode, error: cowin.error, cowin: cowin.seen }]]
        : [],
    ),
  ),
};

export type CowinAnswer = { kind: 'json'; status: number; body: CowinError } | { kind: 'unauthenticated' };

/** What an error looks like to the code that maps it: Teeka's errors and Fastify's all fit this. */
export interface ErrorLike {
  code?: string;
  message?: string;
  statusCode?: number;
  validation?: Array<{ keyword?: string; instancePath?: string; params?: Record<string, unknown> }>;
  validationContext?: string;
}

function answer(key: string, message?: string): CowinAnswer {
  const entry = COWIN_ERRORS[key];
  return {
    kind: 'json',
    status: entry.status,
    body: { errorCode: entry.errorCode, error: entry.error ?? message ?? key },
  };
}

/** A schema validation failure as Co-WIN answered it: missing → USRRES0001, bad pincode → APPOIN0018. */
export function validationAnswer(error: ErrorLike): CowinAnswer {
  const first = error.validation?.[0];
  if (first?.keyword === 'required') return answer('INPUT_MISSING');
  const field = (first?.instancePath ?? '').replace(/^\//, '');
  if (field === 'pincode') return answer('INVALID_PINCODE');
  if (field === 'date' && error.validationContext === 'querystring') return answer('INVALID_DATE');
  const detail = (error.message ?? 'invalid input').replace(/^(body|querystring|params|headers)\/?/, '');
  return answer('INVALID_INPUT', `Invalid input: ${detail}`);
}

/**
 * The Co-WIN answer to an error: its code's entry, or by HTTP status for anything else a 4xx. 401 becomes the
 * plain-text body; 5xx never carries internals.
 */
export function cowinAnswerFor(error: ErrorLike): CowinAnswer {
  if (error.validation) return validationAnswer(error);
  const status = error.statusCode ?? 500;
  if (status === 401 && !(error.code && COWIN_ERRORS[error.code])) return { kind: 'unauthenticated' };
  if (error.code && COWIN_ERRORS[error.code]) return answer(error.code, error.message);
  if (status === 429) return answer('RATE_LIMITED', error.message);
  if (status === 403) return answer('FORBIDDEN', error.message);
  if (status === 404) return answer('NOT_FOUND', error.message);
  if (status === 503) return answer('UNAVAILABLE');
  if (status === 409) return answer('CONFLICT', error.message);
  if (status >= 400 && status < 500) {
    return {
      kind: 'json',
      status,
      body: { errorCode: COWIN_ERRORS.INVALID_INPUT.errorCode, error: error.message ?? 'Request refused' },
    };
  }
  return answer('INTERNAL');
}
