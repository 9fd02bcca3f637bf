/**
 * ID numbers, OTPs, secret codes, passwords and tokens never reach a log. The API logs at trace level into a
 * stream we keep, and a worker of our own (on its own task queue) logs at trace level into a buffer, while a
 * whole journey runs through the HTTP API: OTP login (v1 and the Co-WIN pair), registration with an Aadhaar,
 * booking, a staff password login, a check at the door, the dose, the certificate, refresh, logout — and some
 * refusals that carry those values in bad requests. Then every captured line is searched for each of them.
 */
import { createHash, randomUUID } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { createDb, type Db } from '../../db/connection.js';
import { stopChild } from '../../stack/temporal.js';
import { projectRoot } from '../../stack/layout.js';
import { TemporalGateway } from '../../workflows/client.js';
import type { FastifyInstance } from 'fastify';
import { insertSessionDay, PUNE, uniqueMobile } from '../support/fixtures.js';
import { aadhaar, latestOtp, readSms, stageOf, TEST_STAFF_PASSWORD, uniqueIp, waitFor } from '../support/journey.js';
import { staffWithPassword } from '../support/staff.js';
import { testConfig } from '../support/platform.js';
import { TEST_SECRETS } from '../support/secrets.js';

const taskQueue = `logs-${randomUUID().slice(0, 8)}`;
const apiLog: string[] = [];
let workerLog = '';
let app: FastifyInstance;
let db: Db;
let temporal: TemporalGateway;
let worker: ChildProcess;

beforeAll(async () => {
  const config = testConfig({
    logLevel: 'trace',
    dayMs: 864_000,
    temporal: { address: inject('temporalAddress'), namespace: inject('temporalNamespace'), taskQueue },
  });
  ({ db } = createDb({ connectionString: config.databaseUrl, poolSize: 5 }));
  temporal = new TemporalGateway(config.temporal);
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      apiLog.push(chunk.toString());
      done();
    },
  });
  app = await buildApp({ config, db, temporal, logStream });
  await app.ready();

  worker = spawn(process.execPath, ['--import', 'tsx', 'workflows/worker.ts'], {
    cwd: projectRoot,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'trace',
      DATABASE_URL: config.databaseUrl,
      TEMPORAL_ADDRESS: config.temporal.address,
      TEMPORAL_NAMESPACE: config.temporal.namespace,
      TEMPORAL_TASK_QUEUE: taskQueue,
      SESSION_SWEEP: 'off',
      DAY_MS: '864000',
      DB_POOL_SIZE: '5',
      ...TEST_SECRETS,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer) => (workerLog += chunk.toString());
  worker.stdout!.on('data', keep);
  worker.stderr!.on('data', keep);
  await waitFor(async () => workerLog.includes('polling task queue'), 'the worker to poll', 90_000);
}, 120_000);

afterAll(async () => {
  if (worker) await stopChild(worker);
  await app?.close();
  await temporal?.close();
  await db?.destroy();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Occurrences of `needle` in the text as a value of its own (a digit run is not part of a longer one). */
function occurrences(text: string, needle: string): string[] {
  const escaped = needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = /^\d+$/.test(needle) ? new RegExp(`(?<!\\d)${escaped}(?!\\d)`, 'g') : new RegExp(escaped, 'g');
  return [...text.matchAll(pattern)].map((m) => text.slice(Math.max(0, m.index! - 80), m.index! + needle.length + 80));
}

/** Short codes (OTP, secret code) are searched only in string values of JSON lines: a pid or a port is a number. */
function stringValues(lines: string): string {
  const values: string[] = [];
  const walk = (value: unknown) => {
    if (typeof value === 'string') values.push(value);
    else if (value && typeof value === 'object') for (const v of Object.values(value)) walk(v);
  };
  for (const line of lines.split('\n')) {
    try {
      walk(JSON.parse(line));
    } catch {
      values.push(line);
    }
  }
  return values.join('\n');
}

describe('logs', () => {
  it('carry no ID number, OTP, secret code, password or token through a whole journey', async () => {
    const secrets: Record<string, string> = {
      ID_HASH_SECRET: TEST_SECRETS.ID_HASH_SECRET,
      TOKEN_SECRET: TEST_SECRETS.TOKEN_SECRET,
      'staff password': TEST_STAFF_PASSWORD,
    };
    const shortCodes: Record<string, string> = {};
    const ip = uniqueIp();

    // OTP login (v1)
    const mobile = uniqueMobile();
    const sent = await app.inject({ method: 'POST', url: '/api/v1/auth/otp', payload: { mobile }, remoteAddress: ip });
    expect(sent.statusCode, sent.body).toBe(200);
    const otp = await latestOtp(app, mobile);
    shortCodes['login OTP'] = otp;
    // A wrong try first: the refusal must not quote what was sent.
    const wrong = String((Number(otp) + 1) % 1_000_000).padStart(6, '0');
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/v1/auth/otp/verify',
          payload: { txnId: sent.json().txnId, otp: wrong },
        })
      ).statusCode,
    ).toBe(401);
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/otp/verify',
      payload: { txnId: sent.json().txnId, otp },
    });
    expect(login.statusCode, login.body).toBe(200);
    const { token, refreshToken } = login.json();
    secrets['access token'] = token;
    secrets['refresh token'] = refreshToken;

    // The Co-WIN pair: the OTP's SHA-256 is a secret too.
    const cowinMobile = uniqueMobile();
    const cowinSent = await app.inject({
      method: 'POST',
      url: '/api/v2/auth/public/generateOTP',
      payload: { mobile: cowinMobile },
      remoteAddress: ip,
    });
    expect(cowinSent.statusCode, cowinSent.body).toBe(200);
    const cowinOtp = await latestOtp(app, cowinMobile);
    shortCodes['Co-WIN OTP'] = cowinOtp;
    const otpSha = createHash('sha256').update(cowinOtp).digest('hex');
    secrets['OTP SHA-256'] = otpSha;
    const cowinLogin = await app.inject({
      method: 'POST',
      url: '/api/v2/auth/public/confirmOTP',
      payload: { txnId: cowinSent.json().txnId, otp: otpSha },
    });
    expect(cowinLogin.statusCode, cowinLogin.body).toBe(200);
    secrets['Co-WIN token'] = cowinLogin.json().token;

    // Registration with an Aadhaar; a refused one carries another Aadhaar in a bad request.
    const idNumber = aadhaar();
    secrets['Aadhaar'] = idNumber;
    const refusedId = aadhaar();
    secrets['Aadhaar of a refused request'] = refusedId;
    const refused = await app.inject({
      method: 'POST',
      url: '/api/v1/registrations',
      payload: {
        mobile: '123',
        person: { name: 'Asha', birthYear: 1990, gender: 'F', idType: 1, idNumber: refusedId },
      },
    });
    expect(refused.statusCode).toBe(400);
    const registered = await app.inject({
      method: 'POST',
      url: '/api/v1/beneficiaries',
      headers: bearer(token),
      payload: { name: 'Log Tester', birthYear: 1985, gender: 'F', idType: 1, idNumber },
    });
    expect(registered.statusCode, registered.body).toBe(201);
    const { referenceId, secretCode } = registered.json();
    shortCodes['secret code'] = secretCode;
    // The same ID again: refused, and the refusal does not echo it.
    const twice = await app.inject({
      method: 'POST',
      url: '/api/v1/beneficiaries',
      headers: bearer(token),
      payload: { name: 'Log Tester', birthYear: 1985, gender: 'F', idType: 1, idNumber },
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.body).not.toContain(idNumber);

    // Booking, then a vaccinator who logs in with a password, checks the person at the door and records the dose.
    const session = await insertSessionDay(db, { district: PUNE, vaccine: 'COVAXIN', dose1: 5, dose2: 5 });
    const booked = await app.inject({
      method: 'POST',
      url: '/api/v1/appointments',
      headers: bearer(token),
      payload: { referenceId, sessionDayId: session.id },
    });
    expect(booked.statusCode, booked.body).toBe(201);
    const staff = await staffWithPassword(db, 'VACCINATOR', PUNE);
    const { date } = await db
      .selectFrom('session_day')
      .select('date')
      .where('id', '=', session.id)
      .executeTakeFirstOrThrow();
    await db
      .insertInto('session_assignment')
      .values({
        session_day_id: session.id,
        staff_id: staff.id,
        session_date: date,
        team_role: 'VACCINATOR',
        assigned_by: null,
      })
      .execute();
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/v1/staff/login',
          payload: { username: staff.username, password: 'not the password' },
          remoteAddress: ip,
        })
      ).statusCode,
    ).toBe(401);
    const staffLogin = await app.inject({
      method: 'POST',
      url: '/api/v1/staff/login',
      payload: { username: staff.username, password: TEST_STAFF_PASSWORD },
      remoteAddress: ip,
    });
    expect(staffLogin.statusCode, staffLogin.body).toBe(200);
    const staffToken = staffLogin.json().token;
    secrets['staff token'] = staffToken;
    const wrongCode = String((Number(secretCode) + 1) % 10_000).padStart(4, '0');
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/v1/desk/verify',
          headers: bearer(staffToken),
          payload: { sessionDayId: session.id, referenceId, secretCode: wrongCode },
        })
      ).statusCode,
    ).toBeGreaterThanOrEqual(400);
    const verified = await app.inject({
      method: 'POST',
      url: '/api/v1/desk/verify',
      headers: bearer(staffToken),
      payload: { sessionDayId: session.id, referenceId, secretCode },
    });
    expect(verified.statusCode, verified.body).toBe(200);
    const dose = await app.inject({
      method: 'POST',
      url: '/api/v1/doses',
      headers: bearer(staffToken),
      payload: { referenceId, secretCode, sessionDayId: session.id, vaccineCode: 'COVAXIN', batch: 'LOG-001' },
    });
    expect(dose.statusCode, dose.body).toBe(201);

    // The journey moves on in the worker: stage, SMS (with the secret code in their bodies), the certificate.
    await waitFor(async () => (await stageOf(db, referenceId)) === 'DOSE1_DONE', 'DOSE1_DONE', 60_000);
    await waitFor(
      async () => (await readSms(app, mobile)).some((m) => m.template === 'DOSE_RECORDED'),
      'the dose SMS',
      60_000,
    );
    const certificate = await waitFor(
      async () => {
        const answer = await app.inject({
          method: 'GET',
          url: `/api/v1/beneficiaries/${referenceId}/certificate`,
          headers: bearer(token),
        });
        return answer.statusCode === 200 && answer;
      },
      'the certificate',
      60_000,
    );
    expect(certificate.headers['content-type']).toBe('application/pdf');
    const jws = await db
      .selectFrom('certificate')
      .innerJoin('beneficiary', 'beneficiary.id', 'certificate.beneficiary_id')
      .select('certificate.jws')
      .where('beneficiary.reference_id', '=', referenceId)
      .executeTakeFirstOrThrow();
    expect(
      (await app.inject({ method: 'POST', url: '/api/v1/certificates/verify', payload: { payload: jws.jws } })).json()
        .status,
    ).toBe('VALID');

    // Refresh and logouts.
    const refreshed = await app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken } });
    expect(refreshed.statusCode, refreshed.body).toBe(200);
    secrets['rotated access token'] = refreshed.json().token;
    secrets['rotated refresh token'] = refreshed.json().refreshToken;
    // The spent refresh token presented again ends the whole login (logged as a warning): its newest tokens die too.
    expect(
      (await app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken } })).statusCode,
    ).toBe(401);
    expect(
      (await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(refreshed.json().token) }))
        .statusCode,
    ).toBe(401);
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/v1/auth/refresh',
          payload: { refreshToken: refreshed.json().refreshToken },
        })
      ).statusCode,
    ).toBe(401);
    // The Co-WIN login is a login of its own, and logs out.
    expect(
      (await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(secrets['Co-WIN token']!) }))
        .statusCode,
    ).toBe(204);
    expect(
      (await app.inject({ method: 'POST', url: '/api/v1/staff/logout', headers: bearer(staffToken) })).statusCode,
    ).toBe(204);
    // A revoked token presented again, and a token in a query string where none belongs.
    expect(
      (await app.inject({ method: 'GET', url: `/api/v1/staff/me?token=${staffToken}`, headers: bearer(staffToken) }))
        .statusCode,
    ).toBe(401);
    // Give the worker's last log lines time to be written.
    await new Promise((r) => setTimeout(r, 1_000));

    const apiText = apiLog.join('');
    // The logs were really written, at trace level, for these requests.
    expect(apiLog.length).toBeGreaterThan(40);
    expect(apiText).toContain('/api/v1/auth/otp/verify');
    expect(workerLog.length).toBeGreaterThan(0);
    console.log(
      `[no-secrets-in-logs] searched ${apiLog.length} API log lines (${apiText.length} bytes) and ${workerLog.length} bytes of worker output for ${Object.keys(secrets).length + Object.keys(shortCodes).length} secrets`,
    );
    const found: string[] = [];
    for (const [what, value] of Object.entries(secrets)) {
      for (const [where, text] of [
        ['API log', apiText],
        ['worker log', workerLog],
      ] as const) {
        for (const context of occurrences(text, value)) found.push(`${what} in the ${where}: …${context}…`);
      }
    }
    for (const [what, value] of Object.entries(shortCodes)) {
      for (const [where, text] of [
        ['API log', stringValues(apiText)],
        ['worker log', stringValues(workerLog)],
      ] as const) {
        for (const context of occurrences(text, value)) found.push(`${what} in the ${where}: …${context}…`);
      }
    }
    expect(found).toEqual([]);
  }, 180_000);
});
