/**
 * Reads docker-compose.yml the way `docker compose` does, as far as the tests need: YAML with anchors and merge
 * keys, then `${VAR}` interpolation (`:-` / `-` defaults, `:?` / `?` required, `$$` for a literal `$`).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { projectRoot } from '../../stack/layout.js';

export interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string | number | boolean | null>;
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { test?: string[]; disable?: boolean };
  volumes?: string[];
  ports?: string[];
  expose?: string[];
  restart?: string;
  profiles?: string[];
  deploy?: { replicas?: number };
  stop_grace_period?: string;
}

export interface ComposeFile {
  name?: string;
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

export const composePath = path.join(projectRoot, 'docker-compose.yml');

export function readProjectFile(relative: string): string {
  return readFileSync(path.join(projectRoot, relative), 'utf8');
}

/** The file as YAML, before interpolation. */
export function rawCompose(): ComposeFile {
  return parse(readFileSync(composePath, 'utf8'), { merge: true }) as ComposeFile;
}

export class MissingVariableError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
  }
}

const REFERENCE = /\$(\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/** Compose's interpolation of one string. */
export function interpolate(text: string, vars: Record<string, string | undefined>): string {
  return text.replace(
    REFERENCE,
    (_match, dollar: string, braced?: string, operator?: string, argument?: string, bare?: string) => {
      if (dollar === '$') return '$';
      const name = (braced ?? bare)!;
      const value = vars[name];
      const unsetOrEmpty = value === undefined || value === '';
      switch (operator) {
        case ':-':
          return unsetOrEmpty ? interpolate(argument ?? '', vars) : value!;
        case '-':
          return value === undefined ? interpolate(argument ?? '', vars) : value;
        case ':?':
          if (unsetOrEmpty)
            throw new MissingVariableError(name, `required variable ${name} is missing a value: ${argument}`);
          return value!;
        case '?':
          if (value === undefined)
            throw new MissingVariableError(name, `required variable ${name} is missing a value: ${argument}`);
          return value;
        default:
          return value ?? '';
      }
    },
  );
}

function interpolateAll(node: unknown, vars: Record<string, string | undefined>): unknown {
  if (typeof node === 'string') return interpolate(node, vars);
  if (Array.isArray(node)) return node.map((item) => interpolateAll(item, vars));
  if (node && typeof node === 'object')
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, interpolateAll(value, vars)]));
  return node;
}

/** The file as `docker compose config` would see it with these variables (from `.env` or the shell). */
export function composeWith(vars: Record<string, string | undefined>): ComposeFile {
  return interpolateAll(rawCompose(), vars) as ComposeFile;
}

/** Every variable the file requires (`${X:?...}` or `${X?...}`). */
export function requiredVariables(): string[] {
  return [...new Set([...composeText().matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*):?\?/g)].map((m) => m[1]))].sort();
}

/** Every variable the file reads from `.env` or the shell. */
export function referencedVariables(): string[] {
  return [...new Set([...composeText().matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]))].sort();
}

/** The file without its comments (a `#` at a line's start or after a space; no value of ours contains one). */
function composeText(): string {
  return readFileSync(composePath, 'utf8').replace(/(^|\s)#.*$/gm, '$1');
}

/** A service's environment as strings, the way the container gets it. */
export function environmentOf(compose: ComposeFile, service: string): Record<string, string> {
  const environment = compose.services[service]?.environment ?? {};
  return Object.fromEntries(
    Object.entries(environment).map(([key, value]) => [key, value === null ? '' : String(value)]),
  );
}

export function dependenciesOf(service: ComposeService): Record<string, string> {
  const dependsOn = service.depends_on ?? {};
  if (Array.isArray(dependsOn)) return Object.fromEntries(dependsOn.map((name) => [name, 'service_started']));
  return Object.fromEntries(Object.entries(dependsOn).map(([name, spec]) => [name, spec.condition]));
}

/** Host side and container side of each bind mount (`./host:/container[:ro]`). */
export function bindMounts(service: ComposeService): Array<{ host: string; container: string }> {
  return (service.volumes ?? [])
    .filter((volume) => volume.startsWith('./'))
    .map((volume) => {
      const [host, container] = volume.split(':');
      return { host: path.join(projectRoot, host), container };
    });
}

/** Environment variables a source file reads: process.env.X, env.X, and the config helpers' first argument. */
export function variablesReadBy(relative: string): string[] {
  const text = readProjectFile(relative);
  const names = new Set<string>();
  for (const m of text.matchAll(/\b(?:process\.env|env)\.([A-Z][A-Z0-9_]+)/g)) names.add(m[1]);
  for (const m of text.matchAll(/\b(?:process\.env|env)\[\s*'([A-Z][A-Z0-9_]+)'\s*\]/g)) names.add(m[1]);
  // int('PORT', ...), secret('TOKEN_SECRET', env), positiveNumber(env, 'SMS_RATE_PER_SECOND', 10), required(env, 'X', ...)
  for (const m of text.matchAll(/\b[a-zA-Z]+\(\s*(?:env,\s*)?'([A-Z][A-Z0-9]*_[A-Z0-9_]+|PORT|HOST)'/g))
    names.add(m[1]);
  return [...names].sort();
}
