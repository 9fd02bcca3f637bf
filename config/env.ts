/**
 * All runtime configuration, read from the environment in one place.
 * Every variable is documented in README.md ("Configuration"); keep the two in step.
 */
import { randomBytes } from 'node:crypto';

export type NodeEnv = 'development' | 'test' | 'production';

export interface Config {
  nodeEnv: NodeEnv;
  port: number;
  host: string;
  /** Where people reach the portal; used in SMS links. */
  publicUrl: string;
  databaseUrl: string;
  dbPoolSize: number;
  dbStatementTimeoutMs: number;
  temporal: {
    address: string;
    namespace: string;
    taskQueue: string;
    apiKey?: string;
    tlsCertPath?: string;
    tlsKeyPath?: string;
    tlsCaPath?: string;
    tlsServerName?: string;
  };
  /** Length of a "day" for journey and session timers; tests and dry runs compress it. */
  dayMs: number;
  /** HMAC key for photo-ID numbers: only keyed hashes of ID numbers are stored. */
  idHashSecret: string;
  /** Signing key for API tokens (HS256). */
  tokenSecret: string;
  /** CERT_SIGNING_KEYS (JSON array of Ed25519 JWKs or a file path); development generates one under dataDir. */
  certSigningKeys?: string;
  /** Local state for development (a generated certificate key); TEEKA_DATA_DIR or ./.data. */
  dataDir: string;
  rateLimitsEnabled: boolean;
  publicRateLimitPer5Min: number;
  logLevel: string;
}

const DEV_SECRET_NOTE = 'development-only secret; set it in production';

function int(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`${name} must be a number, got "${raw}"`);
  return value;
}

function nodeEnv(): NodeEnv {
  const raw = process.env.NODE_ENV ?? 'development';
  if (raw === 'development' || raw === 'test' || raw === 'production') return raw;
  throw new Error(`NODE_ENV must be development, test or production, got "${raw}"`);
}

/** Production refuses to start without real secrets; development derives stable throwaway ones. */
function secret(name: string, env: NodeEnv): string {
  const value = process.env[name];
  if (value && value.length >= 32) return value;
  if (env === 'production') {
    throw new Error(`${name} must be set to at least 32 characters in production`);
  }
  if (value) throw new Error(`${name} must be at least 32 characters`);
  return `${name}:${DEV_SECRET_NOTE}:${'x'.repeat(8)}`;
}

function rateLimitsEnabled(env: NodeEnv): boolean {
  const raw = (process.env.RATE_LIMITS ?? 'on').toLowerCase();
  if (raw !== 'on' && raw !== 'off') throw new Error(`RATE_LIMITS must be on or off, got "${raw}"`);
  if (raw === 'off' && env === 'production') {
    throw new Error('RATE_LIMITS=off is refused when NODE_ENV=production');
  }
  return raw === 'on';
}

export function loadConfig(): Config {
  const env = nodeEnv();
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    throw new Error('DATABASE_URL is not set (npm start sets it for the embedded Postgres)');
  }
  return {
    nodeEnv: env,
    port: int('PORT', 3000),
    host: process.env.HOST ?? '127.0.0.1',
    publicUrl: process.env.PUBLIC_URL ?? `http://127.0.0.1:${int('PORT', 3000)}`,
    databaseUrl,
    dbPoolSize: int('DB_POOL_SIZE', 20),
    dbStatementTimeoutMs: int('DB_STATEMENT_TIMEOUT_MS', 15_000),
    temporal: {
      address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
      namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
      taskQueue: process.env.TEMPORAL_TASK_QUEUE ?? 'vaccine-journey',
      apiKey: process.env.TEMPORAL_API_KEY || undefined,
      tlsCertPath: process.env.TEMPORAL_TLS_CERT || undefined,
      tlsKeyPath: process.env.TEMPORAL_TLS_KEY || undefined,
      tlsCaPath: process.env.TEMPORAL_TLS_CA || undefined,
      tlsServerName: process.env.TEMPORAL_TLS_SERVER_NAME || undefined,
    },
    dayMs: int('DAY_MS', 86_400_000),
    idHashSecret: secret('ID_HASH_SECRET', env),
    tokenSecret: secret('TOKEN_SECRET', env),
    certSigningKeys: process.env.CERT_SIGNING_KEYS || undefined,
    dataDir: process.env.TEEKA_DATA_DIR ?? new URL('../.data', import.meta.url).pathname,
    rateLimitsEnabled: rateLimitsEnabled(env),
    publicRateLimitPer5Min: int('RATE_LIMIT_PUBLIC_PER_5MIN', 100),
    logLevel: process.env.LOG_LEVEL ?? (env === 'test' ? 'warn' : 'info'),
  };
}

/** A random secret for `npm start` to persist in .data/ so development tokens survive restarts. */
export function generateSecret(): string {
  return randomBytes(32).toString('base64url');
}
