/**
 * Secrets come only from the environment, and production refuses to start without them: the API and the worker
 * exit non-zero with a message naming what is missing, never echoing a secret. RATE_LIMITS=off is refused in
 * production; CORS_ORIGINS and TRUST_PROXY are read strictly.
 */
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { DEFAULT_TRUSTED_PROXIES, loadConfig } from '../../config/env.js';
import { projectRoot } from '../../stack/layout.js';

const SECRETS = {
  ID_HASH_SECRET: 'prod-id-hash-secret-that-must-never-be-printed-1',
  TOKEN_SECRET: 'prod-token-secret-that-must-never-be-printed-22',
  SMS_CALLBACK_TOKEN: 'prod-sms-callback-token-never-printed-333333',
};
const PRIVATE_KEY_PART = 'PRIVATEkeyMATERIALneverPRINTED0123456789abcd';

/** A production environment with nothing of the developer's own (no .env secrets, no test settings). */
function productionEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
  };
  // Nothing listens there: every refusal below happens before a connection is tried.
  return {
    ...base,
    DATABASE_URL: 'postgres://teeka@127.0.0.1:9/teeka',
    TEMPORAL_ADDRESS: '127.0.0.1:9',
    PORT: '0',
    ...extra,
  };
}

function run(script: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: projectRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} was still running after 100 s; it should have refused to start:\n${output}`));
    }, 100_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

function expectNoSecrets(output: string) {
  for (const value of [...Object.values(SECRETS), PRIVATE_KEY_PART]) expect(output).not.toContain(value);
}

describe('production refuses to start without its secrets', () => {
  it('exits non-zero, naming what is missing and printing no secret: API and worker alike', async () => {
    const webhookSms = {
      SMS_PROVIDER: 'webhook',
      SMS_WEBHOOK_URL: 'https://sms.example.org/send',
      SMS_CALLBACK_TOKEN: SECRETS.SMS_CALLBACK_TOKEN,
    };
    const cases: Array<{ script: string; env: NodeJS.ProcessEnv; says: RegExp }> = [
      {
        script: 'api/server.ts',
        env: {},
        says: /ID_HASH_SECRET must be set to at least 32 characters: NODE_ENV=production/,
      },
      {
        script: 'api/server.ts',
        env: { ID_HASH_SECRET: SECRETS.ID_HASH_SECRET, TOKEN_SECRET: 'too-short' },
        says: /TOKEN_SECRET must be set to at least 32 characters: NODE_ENV=production/,
      },
      {
        script: 'api/server.ts',
        env: { ...SECRETS, RATE_LIMITS: 'off' },
        says: /RATE_LIMITS=off is refused when NODE_ENV=production/,
      },
      { script: 'api/server.ts', env: { ...SECRETS }, says: /SMS_PROVIDER must be set in production/ },
      {
        script: 'api/server.ts',
        env: { ...SECRETS, SMS_PROVIDER: 'dev' },
        says: /SMS_PROVIDER=dev sends nothing and is refused when NODE_ENV=production/,
      },
      {
        script: 'api/server.ts',
        env: { ...SECRETS, ...webhookSms },
        says: /CERT_SIGNING_KEYS must be set \(NODE_ENV=production/,
      },
      {
        script: 'api/server.ts',
        // Malformed JSON holding a private key: the message must not quote it.
        env: {
          ...SECRETS,
          ...webhookSms,
          CERT_SIGNING_KEYS: `[{"kty":"OKP","crv":"Ed25519","d":"${PRIVATE_KEY_PART}",kid:1}]`,
        },
        says: /CERT_SIGNING_KEYS is not valid JSON/,
      },
      {
        script: 'workflows/worker.ts',
        env: {},
        says: /ID_HASH_SECRET must be set to at least 32 characters: NODE_ENV=production/,
      },
      // The worker connects to Temporal before it builds its SMS gateway: give it the suite's.
      {
        script: 'workflows/worker.ts',
        env: { ...SECRETS, SMS_PROVIDER: 'dev', TEMPORAL_ADDRESS: inject('temporalAddress') },
        says: /SMS_PROVIDER=dev sends nothing and is refused when NODE_ENV=production/,
      },
    ];
    // Three at a time: nine cold starts at once can take minutes on a busy two-core machine.
    const results: Array<{ code: number | null; output: string }> = [];
    for (let i = 0; i < cases.length; i += 3)
      results.push(...(await Promise.all(cases.slice(i, i + 3).map((c) => run(c.script, productionEnv(c.env))))));
    results.forEach(({ code, output }, i) => {
      const what = `${cases[i].script} with ${Object.keys(cases[i].env).join(', ') || 'no secrets'}:\n${output}`;
      expect(code, what).not.toBe(0);
      expect(output, what).toMatch(cases[i].says);
      expectNoSecrets(output);
    });
  }, 400_000);
});

describe('configuration read strictly', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  });
  const withEnv = (env: Record<string, string | undefined>) => {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
    process.env.DATABASE_URL = 'postgres://teeka@127.0.0.1:9/teeka';
    for (const [name, value] of Object.entries(env)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    return loadConfig();
  };

  it('switches every per-IP limit off with RATE_LIMITS=off, outside production only', () => {
    expect(withEnv({ NODE_ENV: 'development', RATE_LIMITS: 'off' }).rateLimitsEnabled).toBe(false);
    expect(withEnv({ NODE_ENV: 'development', RATE_LIMITS: undefined }).rateLimitsEnabled).toBe(true);
    expect(() =>
      withEnv({
        NODE_ENV: 'production',
        RATE_LIMITS: 'off',
        ID_HASH_SECRET: SECRETS.ID_HASH_SECRET,
        TOKEN_SECRET: SECRETS.TOKEN_SECRET,
      }),
    ).toThrow('RATE_LIMITS=off is refused when NODE_ENV=production');
    expect(() => withEnv({ NODE_ENV: 'development', RATE_LIMITS: 'maybe' })).toThrow(/RATE_LIMITS must be on or off/);
  });

  it('reads CORS_ORIGINS as origins only, and trusts only private proxies by default', () => {
    expect(withEnv({ NODE_ENV: 'development', CORS_ORIGINS: undefined }).corsOrigins).toEqual([]);
    expect(
      withEnv({ NODE_ENV: 'development', CORS_ORIGINS: 'https://a.example.org, http://localhost:5173' }).corsOrigins,
    ).toEqual(['https://a.example.org', 'http://localhost:5173']);
    expect(() => withEnv({ NODE_ENV: 'development', CORS_ORIGINS: 'https://a.example.org/path' })).toThrow(
      /CORS_ORIGINS must list origins/,
    );
    expect(() => withEnv({ NODE_ENV: 'development', CORS_ORIGINS: 'a.example.org' })).toThrow(
      /CORS_ORIGINS must list origins/,
    );
    expect(withEnv({ NODE_ENV: 'development', TRUST_PROXY: undefined }).trustProxy).toBe(DEFAULT_TRUSTED_PROXIES);
    expect(withEnv({ NODE_ENV: 'development', TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(withEnv({ NODE_ENV: 'development', TRUST_PROXY: '10.0.0.5' }).trustProxy).toBe('10.0.0.5');
  });
});
