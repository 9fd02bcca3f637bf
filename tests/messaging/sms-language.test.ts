/**
 * An account's language is remembered and its SMS go out in it: the journey's messages (a booking's confirmation)
 * and its login OTPs. An OTP asked for from a screen in a language comes in that language.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSessionDay, uniqueMobile } from '../support/fixtures.js';
import {
  bearer,
  book,
  ensureTestVaccine,
  loginBeneficiary,
  registerPerson,
  uniqueIp,
  waitFor,
} from '../support/journey.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

const DEVANAGARI = /[\u0900-\u097F]/;

let platform: TestPlatform;
let vaccine: string;
beforeAll(async () => {
  platform = await startTestPlatform({ dayMs: 864_000 });
  vaccine = await ensureTestVaccine(platform.db);
});
afterAll(() => platform.close());

function setLanguage(token: string | undefined, language: unknown) {
  return platform.app.inject({
    method: 'PUT',
    url: '/api/v1/account/language',
    headers: token ? bearer(token) : {},
    payload: { language },
  });
}

async function messages(mobile: string, template: string) {
  return platform.db
    .selectFrom('sms_message')
    .select(['locale', 'body'])
    .where('mobile', '=', mobile)
    .where('template', '=', template)
    .orderBy('created_at')
    .execute();
}

/** A person registered under the mobile's account and booked at the session day. */
async function bookAt(token: string, sessionDayId: string) {
  const registered = await registerPerson(platform.app, token, { name: 'Sunita Devi' });
  expect(registered.statusCode, registered.body).toBe(201);
  const booked = await book(platform.app, token, registered.json().referenceId, sessionDayId);
  expect(booked.statusCode, booked.body).toBe(201);
  return registered.json().referenceId as string;
}

describe("SMS in the account's language", () => {
  it('sends a Hindi account its booking confirmation and next OTP in Hindi, and an English one in English', async () => {
    const { app, db } = platform;
    const session = await insertSessionDay(db, { vaccine });
    const hindi = uniqueMobile();
    const english = uniqueMobile();
    const hindiToken = await loginBeneficiary(app, hindi, uniqueIp());
    const englishToken = await loginBeneficiary(app, english, uniqueIp());

    expect((await setLanguage(hindiToken, 'hi')).statusCode).toBe(204);
    // The same choice again changes nothing and is not audited twice.
    expect((await setLanguage(hindiToken, 'hi')).statusCode).toBe(204);
    const account = await db
      .selectFrom('account')
      .select(['id', 'language'])
      .where('mobile', '=', hindi)
      .executeTakeFirstOrThrow();
    expect(account.language).toBe('hi');
    const audits = await db
      .selectFrom('audit_log')
      .select(['actor_type', 'actor_id', 'details'])
      .where('action', '=', 'ACCOUNT_LANGUAGE_SET')
      .where('entity_id', '=', account.id)
      .execute();
    expect(audits).toEqual([{ actor_type: 'BENEFICIARY', actor_id: account.id, details: { language: 'hi' } }]);

    const hindiRef = await bookAt(hindiToken, session.id);
    const englishRef = await bookAt(englishToken, session.id);
    const confirmed = async (mobile: string) => {
      const [first] = await messages(mobile, 'BOOKING_CONFIRMED');
      return first;
    };
    const inHindi = await waitFor(() => confirmed(hindi), 'Hindi booking confirmation');
    expect(inHindi.locale).toBe('hi');
    expect(inHindi.body).toMatch(DEVANAGARI);
    expect(inHindi.body).toContain(hindiRef);
    const inEnglish = await waitFor(() => confirmed(english), 'English booking confirmation');
    expect(inEnglish.locale).toBe('en');
    expect(inEnglish.body).not.toMatch(DEVANAGARI);
    expect(inEnglish.body).toContain(englishRef);

    // The next login OTP of the Hindi account is in Hindi without being asked.
    const otp = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/otp',
      payload: { mobile: hindi },
      remoteAddress: uniqueIp(),
    });
    expect(otp.statusCode, otp.body).toBe(200);
    const otps = await messages(hindi, 'OTP');
    expect(otps.at(-1)!.locale).toBe('hi');
    expect(otps.at(-1)!.body).toMatch(DEVANAGARI);
  });

  it('sends an OTP in the language the screen asks for, before any account exists', async () => {
    const mobile = uniqueMobile();
    const otp = await platform.app.inject({
      method: 'POST',
      url: '/api/v1/auth/otp',
      payload: { mobile, language: 'hi' },
      remoteAddress: uniqueIp(),
    });
    expect(otp.statusCode, otp.body).toBe(200);
    const [sent] = await messages(mobile, 'OTP');
    expect(sent).toMatchObject({ locale: 'hi' });
    expect(sent!.body).toMatch(DEVANAGARI);
  });

  it('refuses a language it has no SMS in, and a caller who is not logged in', async () => {
    const token = await loginBeneficiary(platform.app, uniqueMobile(), uniqueIp());
    const french = await setLanguage(token, 'fr');
    expect(french.statusCode).toBe(400);
    expect(french.json().message).toBeTruthy();
    expect((await setLanguage(undefined, 'hi')).statusCode).toBe(401);
  });
});
