/**
 * docker-compose.yml, the Dockerfile and the proxy config, checked without Docker: the file parses, a deployment
 * with only the required settings passes the same production checks the processes run at start, every setting the
 * code reads reaches the api and worker containers, and names, ports, healthchecks and dependencies line up.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { LIVE_PATH } from '../../api/plugins/live.js';
import { loadSigningKeys, generateSigningJwk } from '../../certificates/keys.js';
import { loadConfig } from '../../config/env.js';
import { loadSmsConfig } from '../../messaging/config.js';
import { projectRoot } from '../../stack/layout.js';
import {
  bindMounts,
  composeWith,
  dependenciesOf,
  environmentOf,
  MissingVariableError,
  rawCompose,
  readProjectFile,
  referencedVariables,
  requiredVariables,
  variablesReadBy,
  type ComposeFile,
} from './compose-file.js';

/** What an operator puts in .env: the required values, nothing else. */
async function minimalSettings(): Promise<Record<string, string>> {
  return {
    PUBLIC_URL: 'https://teeka.example.org',
    TEEKA_DB_PASSWORD: 'teekadbpassword0123456789',
    TEMPORAL_DB_PASSWORD: 'temporaldbpassword0123456789',
    ID_HASH_SECRET: 'an-id-hash-secret-of-more-than-32-characters',
    TOKEN_SECRET: 'a-token-secret-of-more-than-32-characters-too',
    CERT_SIGNING_KEYS: JSON.stringify([await generateSigningJwk()]),
    SMS_PROVIDER: 'msg91',
    SMS_CALLBACK_TOKEN: 'a-callback-token-of-more-than-32-characters',
    MSG91_AUTH_KEY: 'msg91-auth-key',
  };
}

const REQUIRED = [
  'CERT_SIGNING_KEYS',
  'ID_HASH_SECRET',
  'PUBLIC_URL',
  'SMS_CALLBACK_TOKEN',
  'SMS_PROVIDER',
  'TEEKA_DB_PASSWORD',
  'TEMPORAL_DB_PASSWORD',
  'TOKEN_SECRET',
];
const TEEKA_PROCESSES = ['api', 'worker'] as const;
const ONE_SHOTS = ['migrate', 'seed', 'temporal-schema', 'temporal-namespace'];

/** Read by the code but deliberately not passed to the containers (docker-compose.yml says why, at the top). */
const NOT_PASSED = [
  'DAY_MS',
  'RATE_LIMITS',
  'TEEKA_DATA_DIR',
  'TEMPORAL_API_KEY',
  'TEMPORAL_TLS_CA',
  'TEMPORAL_TLS_CERT',
  'TEMPORAL_TLS_KEY',
  'TEMPORAL_TLS_SERVER_NAME',
];
/** The worker serves no API: its one port is WORKER_METRICS_PORT. */
const NOT_PASSED_TO_WORKER = ['PORT'];

const savedEnv = { ...process.env };
afterEach(() => {
  process.env = { ...savedEnv };
});

/** Runs the checks a process runs at start (config/env.ts, messaging/config.ts, certificates/keys.ts) on a container's environment. */
async function startupChecks(environment: Record<string, string>) {
  process.env = { ...environment };
  const config = loadConfig();
  const sms = loadSmsConfig(process.env);
  const keys = await loadSigningKeys({
    nodeEnv: config.nodeEnv,
    dataDir: path.join(projectRoot, '.data', 'no-such-dir'),
    configured: config.certSigningKeys,
  });
  return { config, sms, keys };
}

function urlOf(test: string[] | undefined): URL {
  const url = test?.find((part) => part.startsWith('http://'));
  if (!url) throw new Error(`no URL in healthcheck ${JSON.stringify(test)}`);
  return new URL(url);
}

function nginxConf(compose: ComposeFile): string {
  const mount = bindMounts(compose.services.proxy).find((m) => m.container === '/etc/nginx/conf.d/default.conf');
  expect(mount, 'the proxy mounts its config as conf.d/default.conf').toBeDefined();
  return readFileSync(mount!.host, 'utf8');
}

/** The body of `location <match> { ... }` (no nested blocks in ours). */
function locationBlock(conf: string, match: string): string {
  const start = conf.indexOf(`location ${match} {`);
  expect(start, `location ${match}`).toBeGreaterThanOrEqual(0);
  return conf.slice(start, conf.indexOf('}', start));
}

describe('docker-compose.yml', () => {
  it('parses, and needs exactly the secrets and settings an operator must choose', async () => {
    const raw = rawCompose();
    expect(Object.keys(raw.services).sort()).toEqual([
      'api',
      'migrate',
      'postgres',
      'prometheus',
      'proxy',
      'redis',
      'seed',
      'temporal',
      'temporal-namespace',
      'temporal-postgres',
      'temporal-schema',
      'temporal-ui',
      'worker',
    ]);
    expect(requiredVariables()).toEqual(REQUIRED);
    // Each one refuses the deployment when it is left out, naming it.
    const settings = await minimalSettings();
    for (const name of REQUIRED) {
      expect(() => composeWith({ ...settings, [name]: '' }), name).toThrow(MissingVariableError);
    }
    // The operator's template lists every one of them.
    const example = readProjectFile('deploy/env.example');
    for (const name of REQUIRED) expect(example, name).toMatch(new RegExp(`^${name}=$`, 'm'));
  });

  it('gives the api and the worker a configuration that passes the production start-up checks', async () => {
    const compose = composeWith(await minimalSettings());
    for (const service of TEEKA_PROCESSES) {
      const environment = environmentOf(compose, service);
      expect(environment.NODE_ENV, service).toBe('production');
      const { config, sms, keys } = await startupChecks(environment);
      expect(config.nodeEnv).toBe('production');
      // Reachable from other containers, not only from inside its own.
      expect(config.host, service).toBe('0.0.0.0');
      expect(config.dayMs, 'real days in production').toBe(86_400_000);
      expect(config.rateLimitsEnabled).toBe(true);
      expect(sms.provider).toBe('msg91');
      expect(keys.activeKid).toBeTruthy();
    }
    // The one-shots get what their scripts read.
    for (const service of ['migrate', 'seed']) {
      expect(new URL(environmentOf(compose, service).DATABASE_URL).hostname, service).toBe('postgres');
    }
    expect(environmentOf(compose, 'seed').NODE_ENV, 'no demo data in production').toBe('production');
  });

  it('passes every variable the configuration reads to both the api and the worker', async () => {
    const compose = composeWith(await minimalSettings());
    const read = new Set(['config/env.ts', 'messaging/config.ts', 'certificates/keys.ts'].flatMap(variablesReadBy));
    expect(read.size).toBeGreaterThan(30);
    for (const service of TEEKA_PROCESSES) {
      const passed = Object.keys(compose.services[service].environment ?? {});
      const exempt = service === 'worker' ? [...NOT_PASSED, ...NOT_PASSED_TO_WORKER] : NOT_PASSED;
      const missing = [...read].filter((name) => !passed.includes(name) && !exempt.includes(name));
      expect(
        missing,
        `${service}: add them to x-teeka-environment (and deploy/env.example), or to NOT_PASSED with a reason`,
      ).toEqual([]);
      for (const name of NOT_PASSED) expect(passed, `${service} must not get ${name}`).not.toContain(name);
    }
    // Every knob an operator can set in .env is listed in the template.
    const example = readProjectFile('deploy/env.example');
    for (const name of referencedVariables())
      expect(example, `deploy/env.example lists ${name}`).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
  });

  it('has the api replicas count per-address limits together in the redis service', async () => {
    const compose = composeWith(await minimalSettings());
    const redis = compose.services.redis;
    for (const service of TEEKA_PROCESSES) {
      const { config } = await startupChecks(environmentOf(compose, service));
      const url = new URL(config.redisUrl!);
      expect(url.hostname, service).toBe('redis');
      expect(redis.expose, 'redis serves on the port REDIS_URL names').toContain(url.port || '6379');
      expect(config.redisKeyPrefix).toBe('teeka:');
    }
    expect(redis.healthcheck?.test).toEqual(['CMD', 'redis-cli', 'ping']);
    expect(dependenciesOf(compose.services.api).redis, 'the api starts once redis answers').toBe('service_healthy');
    // An operator's own Redis (TLS, another prefix) replaces the bundled one.
    const own = composeWith({
      ...(await minimalSettings()),
      REDIS_URL: 'rediss://cache.example.org:6380',
      REDIS_KEY_PREFIX: 'teeka-mh:',
    });
    const { config } = await startupChecks(environmentOf(own, 'api'));
    expect(config.redisUrl).toBe('rediss://cache.example.org:6380');
    expect(config.redisKeyPrefix).toBe('teeka-mh:');
  });

  it('points the api, the worker and the Temporal UI at the temporal service, on the port it serves', async () => {
    const compose = composeWith(await minimalSettings());
    const temporal = compose.services.temporal;
    const temporalEnv = environmentOf(compose, 'temporal');
    expect(temporal.expose).toContain('7233');
    expect(temporal.healthcheck?.test).toEqual(['CMD', 'nc', '-z', 'localhost', '7233']);
    expect(temporalEnv.BIND_ON_IP, 'the frontend must listen beyond localhost').toBe('0.0.0.0');
    for (const service of [...TEEKA_PROCESSES, 'temporal-ui', 'temporal-namespace']) {
      expect(environmentOf(compose, service).TEMPORAL_ADDRESS, service).toBe('temporal:7233');
    }
    // The namespace created is the one the processes use.
    const namespace = environmentOf(compose, 'api').TEMPORAL_NAMESPACE;
    expect(environmentOf(compose, 'temporal-namespace').TEMPORAL_NAMESPACE).toBe(namespace);
    expect(environmentOf(compose, 'worker').TEMPORAL_NAMESPACE).toBe(namespace);
    expect(environmentOf(compose, 'temporal-ui').TEMPORAL_DEFAULT_NAMESPACE).toBe(namespace);
  });

  it('gives Temporal its own Postgres, the same credentials on both sides, and a dynamic config that is mounted', async () => {
    const compose = composeWith(await minimalSettings());
    const temporalEnv = environmentOf(compose, 'temporal');
    const schemaEnv = environmentOf(compose, 'temporal-schema');
    const database = environmentOf(compose, 'temporal-postgres');
    expect(temporalEnv.DB).toBe('postgres12');
    for (const env of [temporalEnv, schemaEnv]) {
      expect(compose.services[env.POSTGRES_SEEDS], env.POSTGRES_SEEDS).toBeDefined();
      expect(env.POSTGRES_SEEDS).toBe('temporal-postgres');
      expect(env.DB_PORT).toBe('5432');
      expect(env.POSTGRES_USER).toBe(database.POSTGRES_USER);
    }
    expect(temporalEnv.POSTGRES_PWD).toBe(database.POSTGRES_PASSWORD);
    expect(schemaEnv.SQL_PASSWORD, 'temporal-sql-tool reads SQL_PASSWORD').toBe(database.POSTGRES_PASSWORD);
    expect(Number(temporalEnv.NUM_HISTORY_SHARDS)).toBeGreaterThanOrEqual(512);

    const configPath = temporalEnv.DYNAMIC_CONFIG_FILE_PATH;
    const mount = bindMounts(compose.services.temporal).find((m) => configPath.startsWith(`${m.container}/`));
    expect(mount, 'DYNAMIC_CONFIG_FILE_PATH lies in a mounted directory').toBeDefined();
    const dynamic = parse(
      readFileSync(path.join(mount!.host, configPath.slice(mount!.container.length)), 'utf8'),
    ) as Record<string, unknown>;
    for (const [key, values] of Object.entries(dynamic)) {
      expect(Array.isArray(values), key).toBe(true);
      for (const entry of values as Array<Record<string, unknown>>)
        expect(Object.keys(entry).sort(), key).toEqual(['constraints', 'value']);
    }
    // The scripts the admin-tools one-shots run are where they are mounted.
    for (const service of ['temporal-schema', 'temporal-namespace']) {
      const [script] = compose.services[service].command ?? [];
      const scriptMount = bindMounts(compose.services[service]).find((m) => script.startsWith(`${m.container}/`));
      expect(existsSync(path.join(scriptMount!.host, script.slice(scriptMount!.container.length))), script).toBe(true);
    }
  });

  it('connects the api and the worker to the teeka database with the credentials Postgres is created with', async () => {
    const compose = composeWith(await minimalSettings());
    const postgres = environmentOf(compose, 'postgres');
    for (const service of [...TEEKA_PROCESSES, 'migrate', 'seed']) {
      const url = new URL(environmentOf(compose, service).DATABASE_URL);
      expect(compose.services[url.hostname], service).toBeDefined();
      expect(url.hostname).toBe('postgres');
      expect(url.port || '5432').toBe('5432');
      expect(decodeURIComponent(url.username)).toBe(postgres.POSTGRES_USER);
      expect(decodeURIComponent(url.password)).toBe(postgres.POSTGRES_PASSWORD);
      expect(url.pathname).toBe(`/${postgres.POSTGRES_DB}`);
    }
  });

  it('checks the health of each process on the port it listens on', async () => {
    const compose = composeWith(await minimalSettings());
    const api = compose.services.api;
    const apiUrl = urlOf(api.healthcheck?.test);
    expect(apiUrl.pathname).toBe('/health');
    expect(apiUrl.port).toBe(environmentOf(compose, 'api').PORT);
    expect(api.expose).toContain(environmentOf(compose, 'api').PORT);

    const workerUrl = urlOf(compose.services.worker.healthcheck?.test);
    expect(workerUrl.pathname).toBe('/metrics');
    expect(workerUrl.port).toBe(environmentOf(compose, 'worker').WORKER_METRICS_PORT);
    expect(compose.services.worker.expose).toContain(environmentOf(compose, 'worker').WORKER_METRICS_PORT);

    // The image's own healthcheck (for `docker run`) is the API's /health on $PORT.
    const dockerfile = readProjectFile('Dockerfile');
    expect(dockerfile).toMatch(/^HEALTHCHECK .*CMD \["node", "deploy\/healthcheck\.mjs"\]$/m);
    const probe = readProjectFile('deploy/healthcheck.mjs');
    expect(probe).toContain('process.env.PORT || 3000');
    expect(probe).toContain('/health');
    for (const service of ONE_SHOTS.filter((s) => compose.services[s].image?.startsWith('teeka'))) {
      expect(compose.services[service].healthcheck?.disable, `${service} serves nothing`).toBe(true);
    }
  });

  it('lets the proxy reach the api replicas on their port, keep websockets working and hide /metrics', async () => {
    const compose = composeWith(await minimalSettings());
    const conf = nginxConf(compose);
    const apiPort = environmentOf(compose, 'api').PORT;
    const upstreams = new Map([...conf.matchAll(/upstream (\w+) \{([^}]*)\}/g)].map((m) => [m[1], m[2]]));
    expect([...upstreams.keys()].sort()).toEqual(['teeka_api', 'teeka_live']);
    for (const [name, body] of upstreams) {
      const servers = [...body.matchAll(/^\s*server ([\w.-]+):(\d+)(.*);/gm)];
      expect(servers.length, name).toBeGreaterThan(0);
      for (const [, host, port, options] of servers) {
        expect(host, `${name} points at the api service`).toBe('api');
        expect(port, `${name} uses the api's PORT`).toBe(apiPort);
        // A replicated service name must be re-resolved, which needs a shared-memory zone and a resolver.
        expect(options).toContain('resolve');
        expect(body).toMatch(/zone \w+/);
      }
    }
    expect(conf).toMatch(/^resolver 127\.0\.0\.11 /m);
    // Every proxy_pass names an upstream.
    for (const [, target] of conf.matchAll(/proxy_pass http:\/\/(\w+);/g))
      expect(upstreams.has(target), target).toBe(true);

    const live = locationBlock(conf, `${LIVE_PATH}/`);
    expect(live).toContain('proxy_pass http://teeka_live;');
    expect(live).toContain('proxy_http_version 1.1;');
    expect(live).toContain('proxy_set_header Upgrade $http_upgrade;');
    expect(live).toContain('proxy_set_header Connection $connection_upgrade;');
    expect(upstreams.get('teeka_live'), 'long-polling needs sticky sessions').toMatch(
      /hash \$remote_addr consistent;|ip_hash;/,
    );
    expect(conf).toMatch(/map \$http_upgrade \$connection_upgrade \{\s*default upgrade;\s*'' +close;\s*\}/);

    expect(locationBlock(conf, '= /metrics')).toContain('return 404;');
    // The client's own X-Forwarded-For is replaced, never appended to.
    expect(conf).not.toContain('$proxy_add_x_forwarded_for');

    const proxy = compose.services.proxy;
    expect(urlOf(proxy.healthcheck?.test).pathname).toBe('/health');
    expect(dependenciesOf(proxy)).toEqual({ api: 'service_healthy' });
    const nginxVersion = /nginx:(\d+)\.(\d+)/.exec(proxy.image ?? '');
    expect(nginxVersion, 'upstream `resolve` needs nginx 1.27.3 or later').not.toBeNull();
    expect(Number(nginxVersion![1]) * 1000 + Number(nginxVersion![2])).toBeGreaterThanOrEqual(1_028);
  });

  it('has Prometheus scrape each process where it serves metrics', async () => {
    const compose = composeWith(await minimalSettings());
    const mount = bindMounts(compose.services.prometheus).find((m) => m.container === '/etc/prometheus/prometheus.yml');
    const prometheus = parse(readFileSync(mount!.host, 'utf8')) as {
      scrape_configs: Array<{
        job_name: string;
        dns_sd_configs?: Array<{ names: string[]; port: number }>;
        static_configs?: Array<{ targets: string[] }>;
      }>;
    };
    const jobs = new Map(prometheus.scrape_configs.map((job) => [job.job_name, job]));
    const api = jobs.get('teeka-api')!.dns_sd_configs![0];
    expect(api.names).toEqual(['api']);
    expect(String(api.port)).toBe(environmentOf(compose, 'api').PORT);
    const worker = jobs.get('teeka-worker')!.dns_sd_configs![0];
    expect(worker.names).toEqual(['worker']);
    expect(String(worker.port)).toBe(environmentOf(compose, 'worker').WORKER_METRICS_PORT);
    const [temporalTarget] = jobs.get('temporal')!.static_configs![0].targets;
    expect(temporalTarget).toBe(`temporal:${environmentOf(compose, 'temporal').PROMETHEUS_ENDPOINT.split(':')[1]}`);
  });

  it('starts nothing before what it needs: migrations and Temporal first, each one-shot once', async () => {
    const compose = composeWith(await minimalSettings());
    const conditions = new Set(['service_started', 'service_healthy', 'service_completed_successfully']);
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [dependency, condition] of Object.entries(dependenciesOf(service))) {
        expect(compose.services[dependency], `${name} depends on ${dependency}`).toBeDefined();
        expect(conditions.has(condition), `${name} -> ${dependency}: ${condition}`).toBe(true);
        if (condition === 'service_healthy')
          expect(compose.services[dependency].healthcheck?.test, `${dependency} needs a healthcheck`).toBeDefined();
        if (condition === 'service_completed_successfully')
          expect(ONE_SHOTS, `${dependency} is a one-shot`).toContain(dependency);
      }
    }
    for (const name of ONE_SHOTS) expect(compose.services[name].restart, `${name} runs once`).toBe('no');

    /** Every service `name` waits for, directly or not, with the condition of the last hop. */
    const waitsFor = (name: string, seen = new Map<string, string>()): Map<string, string> => {
      for (const [dependency, condition] of Object.entries(dependenciesOf(compose.services[name]))) {
        if (seen.has(dependency)) continue;
        seen.set(dependency, condition);
        waitsFor(dependency, seen);
      }
      return seen;
    };
    for (const name of Object.keys(compose.services))
      expect(waitsFor(name).has(name), `${name} is in a dependency cycle`).toBe(false);
    for (const name of TEEKA_PROCESSES) {
      const before = waitsFor(name);
      expect(before.get('migrate'), name).toBe('service_completed_successfully');
      expect(before.get('seed'), name).toBe('service_completed_successfully');
      expect(before.get('temporal-namespace'), name).toBe('service_completed_successfully');
      expect(before.get('temporal-schema'), name).toBe('service_completed_successfully');
      expect(compose.services[name].deploy?.replicas, name).toBe(2);
    }
  });

  it('runs each role of the image as the npm script of the same name does', () => {
    const compose = rawCompose();
    const scripts = (JSON.parse(readProjectFile('package.json')) as { scripts: Record<string, string> }).scripts;
    const entrypoint = readProjectFile('deploy/docker-entrypoint.sh');
    const roles = new Map(
      [...entrypoint.matchAll(/^\s*(\w+)\) exec node --import tsx (\S+) ;;$/gm)].map((m) => [m[1], m[2]]),
    );
    expect([...roles.keys()].sort()).toEqual(['api', 'migrate', 'seed', 'worker']);
    for (const [role, file] of roles) {
      expect(scripts[role], role).toBe(`tsx ${file}`);
      expect(existsSync(path.join(projectRoot, file)), file).toBe(true);
    }
    for (const name of ['api', 'worker', 'migrate', 'seed']) {
      const [role] = compose.services[name].command ?? [];
      expect(roles.has(role), `${name} runs role ${role}`).toBe(true);
    }
  });
});

describe('Dockerfile', () => {
  it('builds in stages, with the dashboard, production dependencies only, as a non-root user', () => {
    const dockerfile = readProjectFile('Dockerfile');
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/^RUN npm ci\b/m);
    expect(dockerfile).toContain('npm run build:dashboard');
    expect(dockerfile).toContain('npm prune --omit=dev');
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["\/bin\/sh", "deploy\/docker-entrypoint\.sh"\]$/m);
    expect(dockerfile).toMatch(/^CMD \["api"\]$/m);
    const ignored = readProjectFile('.dockerignore')
      .split('\n')
      .map((line) => line.trim());
    for (const entry of ['node_modules', '.data', '.env', '.git']) expect(ignored, entry).toContain(entry);
    for (const needed of ['deploy', 'dashboard', 'api', 'workflows', 'db'])
      expect(ignored, `${needed} is needed in the image`).not.toContain(needed);
  });

  it('keeps every package the processes import after dev dependencies are pruned', () => {
    const lock = JSON.parse(readProjectFile('package-lock.json')) as { packages: Record<string, { dev?: boolean }> };
    const runtimeDirs = ['api', 'workflows', 'db', 'domain', 'config', 'messaging', 'certificates', 'live'];
    const imported = new Set<string>();
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith('.ts')) {
          for (const m of readFileSync(full, 'utf8').matchAll(/^import (?!type )[^;]*? from '([^.'][^']*)'/gm)) {
            if (!m[1].startsWith('node:'))
              imported.add(m[1].startsWith('@') ? m[1].split('/').slice(0, 2).join('/') : m[1].split('/')[0]);
          }
        }
      }
    };
    for (const dir of runtimeDirs) walk(path.join(projectRoot, dir));
    expect(imported.size).toBeGreaterThan(10);
    for (const name of [...imported, 'tsx']) {
      const entry = lock.packages[`node_modules/${name}`];
      expect(entry, `${name} is installed`).toBeDefined();
      expect(entry.dev, `${name} is a dev-only package: npm prune --omit=dev removes it`).not.toBe(true);
    }
  });
});
