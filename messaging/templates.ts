/**
 * Every SMS Teeka sends, in one place.
 *
 * India's TRAI rules (TCCCPR 2018, "DLT") let an operator deliver a commercial SMS only when its text matches a
 * content template registered on a DLT platform under our header (sender id) and the template's id travels with it.
 * A registered template marks each variable `{#var#}`; here each variable carries its name (`{#name#}`) so we can
 * render it, and `dltRegistrationText()` gives the exact text to register. Change a text here and it must be
 * registered again (a new DLT template id) before it is sent, or operators reject it.
 *
 * Rules the texts follow (MSG91's DLT FAQ, msg91.com/help/dlt-content-template-faqs): the brand name is in every
 * template, no variable is the last word, and a variable's value is at most 30 characters. English texts stay
 * within one 160-character GSM-7 part for ordinary values; Hindi is UCS-2 and takes 2–3 parts.
 *
 * The DLT template ids below are placeholders of the right shape (19 digits) until the drive's own registrations
 * replace them; Hindi and English are registered separately and so have separate ids.
 */

export const SMS_SENDER_ID = 'TEEKAG';
export const SMS_LOCALES = ['en', 'hi'] as const;
export type SmsLocale = (typeof SMS_LOCALES)[number];

/** DLT's cap on one variable's value. */
export const DLT_MAX_VARIABLE_LENGTH = 30;

interface LocalizedTemplate {
  dltTemplateId: string;
  text: string;
}

interface TemplateDefinition {
  vars: readonly string[];
  en: LocalizedTemplate;
  hi: LocalizedTemplate;
}

const TEMPLATES = {
  OTP: {
    vars: ['otp', 'minutes'],
    en: {
      dltTemplateId: '1107178019763128324',
      text: '{#otp#} is your Teeka verification code. It is valid for {#minutes#} minutes. Do not share it with anyone. -Teeka',
    },
    hi: {
      dltTemplateId: '1107174969908928671',
      text: '{#otp#} आपका टीका सत्यापन कोड है। यह {#minutes#} मिनट तक मान्य है। इसे किसी से साझा न करें। -टीका',
    },
  },
  BOOKING_CONFIRMED: {
    vars: ['name', 'dose', 'date', 'slot', 'site', 'secretCode', 'referenceId'],
    en: {
      dltTemplateId: '1107178550950318050',
      text: '{#name#}, dose {#dose#} booked on {#date#}, time {#slot#}, at {#site#}. Secret code {#secretCode#}. Ref {#referenceId#}. -Teeka',
    },
    hi: {
      dltTemplateId: '1107170994443740853',
      text: '{#name#}, खुराक {#dose#} के लिए {#date#} को, समय {#slot#}, {#site#} पर आपकी बुकिंग हो गई है। गुप्त कोड {#secretCode#}। संदर्भ {#referenceId#}। -टीका',
    },
  },
  BOOKING_RESCHEDULED: {
    vars: ['name', 'dose', 'date', 'slot', 'site', 'secretCode', 'referenceId'],
    en: {
      dltTemplateId: '1107175112898322806',
      text: '{#name#}, dose {#dose#} moved to {#date#}, time {#slot#}, at {#site#}. Secret code {#secretCode#}. Ref {#referenceId#}. -Teeka',
    },
    hi: {
      dltTemplateId: '1107179611530307085',
      text: '{#name#}, आपकी खुराक {#dose#} अब {#date#} को, समय {#slot#}, {#site#} पर है। गुप्त कोड {#secretCode#}। संदर्भ {#referenceId#}। -टीका',
    },
  },
  BOOKING_CANCELLED: {
    vars: ['name', 'dose', 'date', 'site'],
    en: {
      dltTemplateId: '1107177074221312208',
      text: '{#name#}, your dose {#dose#} appointment on {#date#} at {#site#} is cancelled. Book again on the Teeka portal. -Teeka',
    },
    hi: {
      dltTemplateId: '1107175683872796557',
      text: '{#name#}, {#date#} को {#site#} पर खुराक {#dose#} की आपकी बुकिंग रद्द कर दी गई है। टीका पोर्टल पर फिर से बुक करें। -टीका',
    },
  },
  APPOINTMENT_REMINDER: {
    vars: ['name', 'dose', 'date', 'slot', 'site', 'secretCode'],
    en: {
      dltTemplateId: '1107174091175084825',
      text: 'Reminder: {#name#}, dose {#dose#} on {#date#}, time {#slot#}, at {#site#}. Bring your photo ID. Secret code {#secretCode#}. -Teeka',
    },
    hi: {
      dltTemplateId: '1107174832636045855',
      text: 'अनुस्मारक: {#name#}, खुराक {#dose#} के लिए {#date#} को, समय {#slot#}, {#site#} पर आएँ। फ़ोटो पहचान पत्र साथ लाएँ। गुप्त कोड {#secretCode#}। -टीका',
    },
  },
  NO_SHOW: {
    vars: ['name', 'dose', 'date', 'portalUrl'],
    en: {
      dltTemplateId: '1107174232810681232',
      text: '{#name#}, you missed your dose {#dose#} appointment on {#date#}. Please book a new slot at {#portalUrl#} -Teeka',
    },
    hi: {
      dltTemplateId: '1107173081007828482',
      text: '{#name#}, आप {#date#} को खुराक {#dose#} के लिए नहीं आए। कृपया {#portalUrl#} पर नया स्लॉट बुक करें। -टीका',
    },
  },
  DOSE_RECORDED: {
    vars: ['name', 'dose', 'vaccine', 'date', 'referenceId'],
    en: {
      dltTemplateId: '1107173469270212843',
      text: '{#name#}, dose {#dose#} of {#vaccine#} given on {#date#} is recorded. Ref {#referenceId#}. Your certificate is on the Teeka portal. -Teeka',
    },
    hi: {
      dltTemplateId: '1107179852103662054',
      text: '{#name#}, {#date#} को दी गई {#vaccine#} की खुराक {#dose#} दर्ज हो गई है। संदर्भ {#referenceId#}। प्रमाणपत्र टीका पोर्टल पर है। -टीका',
    },
  },
  DOSE2_DUE: {
    vars: ['name', 'vaccine', 'dueFrom', 'dueUntil', 'portalUrl'],
    en: {
      dltTemplateId: '1107171160705425318',
      text: '{#name#}, your 2nd dose of {#vaccine#} is due from {#dueFrom#} to {#dueUntil#}. Book a slot at {#portalUrl#} -Teeka',
    },
    hi: {
      dltTemplateId: '1107172573690464266',
      text: '{#name#}, {#vaccine#} की आपकी दूसरी खुराक {#dueFrom#} से {#dueUntil#} तक देय है। {#portalUrl#} पर स्लॉट बुक करें। -टीका',
    },
  },
  PRECAUTION_DUE: {
    vars: ['name', 'vaccine', 'dueFrom', 'portalUrl'],
    en: {
      dltTemplateId: '1107174309318226571',
      text: '{#name#}, your precaution dose of {#vaccine#} is due from {#dueFrom#}. Book a slot at {#portalUrl#} -Teeka',
    },
    hi: {
      dltTemplateId: '1107176620854193307',
      text: '{#name#}, {#vaccine#} की आपकी एहतियाती खुराक {#dueFrom#} से देय है। {#portalUrl#} पर स्लॉट बुक करें। -टीका',
    },
  },
  DOSE2_OVERDUE: {
    vars: ['name', 'vaccine', 'dueUntil', 'portalUrl'],
    en: {
      dltTemplateId: '1107171631705894081',
      text: '{#name#}, your 2nd dose of {#vaccine#} was due by {#dueUntil#}. Please book a slot now at {#portalUrl#} -Teeka',
    },
    hi: {
      dltTemplateId: '1107170005493366494',
      text: '{#name#}, {#vaccine#} की आपकी दूसरी खुराक {#dueUntil#} तक देय थी। कृपया अभी {#portalUrl#} पर स्लॉट बुक करें। -टीका',
    },
  },
  FULLY_VACCINATED: {
    vars: ['name', 'referenceId', 'portalUrl'],
    en: {
      dltTemplateId: '1107170355523275285',
      text: 'Congratulations {#name#}, you are fully vaccinated. Ref {#referenceId#}. Download your certificate at {#portalUrl#} -Teeka',
    },
    hi: {
      dltTemplateId: '1107174701139287389',
      text: 'बधाई हो {#name#}, आपका पूर्ण टीकाकरण हो गया है। संदर्भ {#referenceId#}। प्रमाणपत्र {#portalUrl#} से डाउनलोड करें। -टीका',
    },
  },
  LISTED_WORKER_INVITED: {
    vars: ['name', 'referenceId', 'portalUrl'],
    en: {
      dltTemplateId: '1107179214460371857',
      text: '{#name#}, your employer listed you for priority COVID-19 vaccination, ref {#referenceId#}. Verify this mobile and book at {#portalUrl#} -Teeka',
    },
    hi: {
      dltTemplateId: '1107172630948815096',
      text: '{#name#}, आपके नियोक्ता ने आपको प्राथमिकता वाले कोविड-19 टीकाकरण के लिए सूचीबद्ध किया है, संदर्भ {#referenceId#}। इस मोबाइल का सत्यापन कर {#portalUrl#} पर बुक करें -टीका',
    },
  },
  SESSION_CANCELLED: {
    vars: ['name', 'date', 'site', 'portalUrl'],
    en: {
      dltTemplateId: '1107178340087451341',
      text: '{#name#}, the vaccination session on {#date#} at {#site#} is cancelled. Please book another slot at {#portalUrl#} -Teeka',
    },
    hi: {
      dltTemplateId: '1107176669371424380',
      text: '{#name#}, {#date#} को {#site#} पर टीकाकरण सत्र रद्द हो गया है। कृपया {#portalUrl#} पर दूसरा स्लॉट बुक करें। -टीका',
    },
  },
  SESSION_MOVED: {
    vars: ['name', 'dose', 'date', 'slot', 'site', 'secretCode', 'portalUrl'],
    en: {
      dltTemplateId: '1107178340087451388',
      text: '{#name#}, your session was cancelled. Dose {#dose#} moved to {#date#} {#slot#}, {#site#}. Code {#secretCode#}. To change: {#portalUrl#} -Teeka',
    },
    hi: {
      dltTemplateId: '1107176669371424391',
      text: '{#name#}, आपका सत्र रद्द हुआ। खुराक {#dose#} अब {#date#} {#slot#}, {#site#} पर। गुप्त कोड {#secretCode#}। बदलने के लिए {#portalUrl#} -टीका',
    },
  },
  SESSION_STALLED: {
    vars: ['site', 'date', 'minutes', 'waiting'],
    en: {
      dltTemplateId: '1107174665292007086',
      text: 'Alert: session at {#site#} on {#date#} has recorded no dose for {#minutes#} minutes, {#waiting#} people waiting. Please act. -Teeka',
    },
    hi: {
      dltTemplateId: '1107171222554694960',
      text: 'चेतावनी: {#site#} पर {#date#} के सत्र में {#minutes#} मिनट से कोई खुराक दर्ज नहीं हुई, {#waiting#} लोग प्रतीक्षा में हैं। कृपया कार्रवाई करें। -टीका',
    },
  },
  STAFF_AEFI_ALERT: {
    vars: ['severity', 'site', 'date'],
    en: {
      dltTemplateId: '1107172290473616518',
      text: 'Alert: a {#severity#} adverse event after vaccination was reported at {#site#} on {#date#}. Please act now. -Teeka',
    },
    hi: {
      dltTemplateId: '1107179254620937031',
      text: 'चेतावनी: {#site#} पर {#date#} को टीकाकरण के बाद {#severity#} प्रतिकूल घटना दर्ज हुई है। कृपया तुरंत कार्रवाई करें। -टीका',
    },
  },
  STAFF_ASSIGNED: {
    vars: ['name', 'role', 'site', 'date', 'hours'],
    en: {
      dltTemplateId: '1107170431478286519',
      text: '{#name#}, you are assigned as {#role#} at {#site#} on {#date#}, hours {#hours#}. -Teeka',
    },
    hi: {
      dltTemplateId: '1107178886031382723',
      text: '{#name#}, आपको {#date#} को {#site#} पर {#role#} के रूप में नियुक्त किया गया है, समय {#hours#}। -टीका',
    },
  },
  STAFF_SESSION_REMINDER: {
    vars: ['name', 'role', 'site', 'date', 'hours'],
    en: {
      dltTemplateId: '1107172829388775003',
      text: 'Reminder: {#name#}, your duty as {#role#} at {#site#} is on {#date#}, hours {#hours#}. -Teeka',
    },
    hi: {
      dltTemplateId: '1107178361221882837',
      text: 'अनुस्मारक: {#name#}, {#date#} को {#site#} पर {#role#} के रूप में आपकी ड्यूटी है, समय {#hours#}। -टीका',
    },
  },
  STAFF_ASSIGNMENT_CHANGED: {
    vars: ['name', 'role', 'site', 'date', 'hours'],
    en: {
      dltTemplateId: '1107177535312568957',
      text: '{#name#}, your duty has changed: {#role#} at {#site#} on {#date#}, hours {#hours#}. -Teeka',
    },
    hi: {
      dltTemplateId: '1107178870112130137',
      text: '{#name#}, आपकी ड्यूटी बदल गई है: {#date#} को {#site#} पर {#role#}, समय {#hours#}। -टीका',
    },
  },
  STAFF_ASSIGNMENT_CANCELLED: {
    vars: ['name', 'site', 'date'],
    en: {
      dltTemplateId: '1107176033130989114',
      text: '{#name#}, your duty at {#site#} on {#date#} is cancelled. -Teeka',
    },
    hi: {
      dltTemplateId: '1107174540179953800',
      text: '{#name#}, {#date#} को {#site#} पर आपकी ड्यूटी रद्द कर दी गई है। -टीका',
    },
  },
} as const satisfies Record<string, TemplateDefinition>;

export type SmsTemplateName = keyof typeof TEMPLATES;
export const SMS_TEMPLATE_NAMES = Object.keys(TEMPLATES) as SmsTemplateName[];

export type SmsVars = Record<string, string | number>;

export interface RenderedSms {
  body: string;
  dltTemplateId: string;
  senderId: string;
  template: SmsTemplateName;
  locale: SmsLocale;
}

/** A message that cannot be rendered; retrying will not help (Temporal: list it in nonRetryableErrorTypes). */
export class SmsTemplateError extends Error {
  override name = 'SmsTemplateError';
}

const PLACEHOLDER = /\{#(\w+)#\}/g;

/**
 * Free-text values that may be shortened to DLT's limit without harm (a long site name still reads).
 * Anything else over the limit (a code, a reference, a URL) would be wrong if cut, so it is refused.
 */
const SHORTENABLE = new Set(['name', 'site', 'vaccine', 'role', 'kind']);

export function isSmsTemplateName(name: string): name is SmsTemplateName {
  return Object.hasOwn(TEMPLATES, name);
}

export function isSmsLocale(locale: string): locale is SmsLocale {
  return (SMS_LOCALES as readonly string[]).includes(locale);
}

/** The variables a template needs. */
export function smsTemplateVars(name: SmsTemplateName): readonly string[] {
  return TEMPLATES[name].vars;
}

/** The exact text to register on the DLT platform for one template and language. */
export function dltRegistrationText(name: SmsTemplateName, locale: SmsLocale): string {
  return TEMPLATES[name][locale].text.replace(PLACEHOLDER, '{#var#}');
}

export function renderSms(name: SmsTemplateName, vars: SmsVars, locale: SmsLocale = 'en'): RenderedSms {
  if (!isSmsTemplateName(name)) throw new SmsTemplateError(`unknown SMS template "${name}"`);
  if (!isSmsLocale(locale))
    throw new SmsTemplateError(`unknown SMS locale "${locale}" (expected ${SMS_LOCALES.join(' or ')})`);
  const definition: TemplateDefinition = TEMPLATES[name];
  const values = new Map<string, string>(definition.vars.map((key) => [key, variableValue(key, vars[key])]));
  const missing = definition.vars.filter((key) => values.get(key) === '');
  if (missing.length > 0) {
    throw new SmsTemplateError(`SMS template ${name} is missing ${missing.join(', ')}`);
  }
  const tooLong = [...values].filter(
    ([key, value]) => !SHORTENABLE.has(key) && characters(value).length > DLT_MAX_VARIABLE_LENGTH,
  );
  if (tooLong.length > 0) {
    // The value itself stays out of the message: it may be a code.
    throw new SmsTemplateError(
      `SMS template ${name}: ${tooLong.map(([key]) => key).join(', ')} longer than the ${DLT_MAX_VARIABLE_LENGTH} characters DLT allows`,
    );
  }
  const { text, dltTemplateId } = definition[locale];
  // One pass over the template: values are never scanned again, so a value cannot smuggle in a placeholder.
  const body = text.replace(PLACEHOLDER, (_, key: string) => shorten(values.get(key) ?? ''));
  return { body, dltTemplateId, senderId: SMS_SENDER_ID, template: name, locale };
}

/** A value as one line of plain text: no control characters, no braces (placeholder syntax), single spaces. */
function variableValue(key: string, raw: string | number | undefined): string {
  if (raw == null) return '';
  if (typeof raw === 'number' && !Number.isFinite(raw))
    throw new SmsTemplateError(`SMS variable ${key} is not a finite number`);
  return String(raw)
    .replace(/[\p{Cc}{}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function shorten(value: string): string {
  const chars = characters(value);
  return chars.length <= DLT_MAX_VARIABLE_LENGTH ? value : chars.slice(0, DLT_MAX_VARIABLE_LENGTH).join('').trimEnd();
}

/** Code points, so a cut never splits a surrogate pair. */
function characters(value: string): string[] {
  return Array.from(value);
}
