import { describe, expect, it } from 'vitest';
import { smsSegments } from '../../messaging/encoding.js';
import {
  dltRegistrationText,
  renderSms,
  SMS_LOCALES,
  SMS_SENDER_ID,
  SMS_TEMPLATE_NAMES,
  SmsTemplateError,
  smsTemplateVars,
  type SmsTemplateName,
} from '../../messaging/templates.js';

/** Values as the platform will pass them: realistic lengths, so English must fit one GSM-7 part. */
const REALISTIC: Record<string, string | number> = {
  otp: '482913',
  minutes: 10,
  name: 'Sunita Deshpande',
  referenceId: '73920461835270',
  dose: 1,
  date: '12 Jan 2027',
  slot: '09:00-11:00',
  site: 'PHC Kothrud, Pune',
  secretCode: '4821',
  portalUrl: 'https://teeka.in/p',
  vaccine: 'COVAXIN',
  dueFrom: '05 Apr 2027',
  dueUntil: '26 Apr 2027',
  kind: 'final',
  waiting: 23,
  role: 'Vaccinator',
  hours: '09:00-17:00',
  severity: 'serious',
};

const PLACEHOLDER_LEFTOVER = /\{#|#\}|\{\{|\}\}/;

function varsOf(name: SmsTemplateName, pick: (key: string) => string | number) {
  return Object.fromEntries(smsTemplateVars(name).map((key) => [key, pick(key)]));
}

describe('SMS templates', () => {
  it.each(SMS_TEMPLATE_NAMES.flatMap((name) => SMS_LOCALES.map((locale) => [name, locale] as const)))(
    '%s renders in %s with every variable in place',
    (name, locale) => {
      // Distinct markers show each variable lands exactly once and nothing is left unfilled.
      const rendered = renderSms(
        name,
        varsOf(name, (key) => `X${key}X`),
        locale,
      );
      expect(rendered.template).toBe(name);
      expect(rendered.locale).toBe(locale);
      expect(rendered.senderId).toBe(SMS_SENDER_ID);
      expect(rendered.dltTemplateId).toMatch(/^\d{19}$/);
      expect(rendered.body).not.toMatch(PLACEHOLDER_LEFTOVER);
      for (const key of smsTemplateVars(name)) {
        expect(rendered.body.split(`X${key}X`)).toHaveLength(2);
      }
      if (locale === 'hi') expect(rendered.body).toMatch(/[\u0900-\u097F]/);
      // Brand in every template, and no variable as the last word (DLT rules).
      expect(rendered.body).toMatch(locale === 'en' ? /-Teeka$/ : /-टीका$/);
    },
  );

  it.each(SMS_TEMPLATE_NAMES)('%s in English fits one GSM-7 part with realistic values', (name) => {
    const { body } = renderSms(name, REALISTIC, 'en');
    expect(smsSegments(body)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
  });

  it('gives each template and language its own DLT template id, and registration text with {#var#} only', () => {
    const ids = SMS_TEMPLATE_NAMES.flatMap((name) =>
      SMS_LOCALES.map((locale) => renderSms(name, REALISTIC, locale).dltTemplateId),
    );
    expect(new Set(ids).size).toBe(SMS_TEMPLATE_NAMES.length * SMS_LOCALES.length);
    for (const name of SMS_TEMPLATE_NAMES) {
      for (const locale of SMS_LOCALES) {
        const text = dltRegistrationText(name, locale);
        expect(text.match(/\{#var#\}/g)).toHaveLength(smsTemplateVars(name).length);
        expect(text.replaceAll('{#var#}', '')).not.toMatch(PLACEHOLDER_LEFTOVER);
      }
    }
  });

  it('throws naming every missing variable, and treats blank values as missing', () => {
    expect(() => renderSms('BOOKING_CONFIRMED', { name: 'Asha', dose: 1 }, 'en')).toThrow(SmsTemplateError);
    expect(() => renderSms('BOOKING_CONFIRMED', { name: 'Asha', dose: 1 }, 'hi')).toThrow(
      /BOOKING_CONFIRMED is missing date, slot, site, secretCode, referenceId/,
    );
    expect(() => renderSms('OTP', { otp: '   ', minutes: 10 })).toThrow(/missing otp/);
  });

  it('refuses unknown templates and locales', () => {
    expect(() => renderSms('NOPE' as SmsTemplateName, {})).toThrow(/unknown SMS template/);
    expect(() => renderSms('OTP', REALISTIC, 'ta' as 'en')).toThrow(/unknown SMS locale/);
  });

  it('shortens long free text to the 30 characters DLT allows but refuses to cut a code or a link', () => {
    const long = 'Primary Health Centre Kothrud Ward Number Eleven';
    const rendered = renderSms('STAFF_ASSIGNMENT_CANCELLED', { name: 'Ravi', site: long, date: '12 Jan 2027' });
    expect(rendered.body).toContain(`at ${long.slice(0, 30).trimEnd()} on`);
    expect(() => renderSms('NO_SHOW', { ...REALISTIC, portalUrl: `https://teeka.example.gov.in/portal/book` })).toThrow(
      /portalUrl longer than the 30 characters/,
    );
  });

  it('keeps a value to one line of plain text so it cannot fake a placeholder', () => {
    const { body } = renderSms('SESSION_CANCELLED', {
      name: 'Asha\n{#otp#}  Rao',
      date: '12 Jan 2027',
      site: 'PHC Haveli',
      portalUrl: 'https://teeka.example.gov.in',
    });
    expect(body).toMatch(/^Asha #otp# Rao, the vaccination session/);
    expect(body).not.toMatch(PLACEHOLDER_LEFTOVER);
  });
});
