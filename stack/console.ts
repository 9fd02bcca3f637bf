/**
 * What `npm start` shows of its child processes. Everything they write goes, raw, to `.data/logs/<name>.log`; the
 * console gets readable lines: the API's JSON log lines as `time LEVEL message` (request lines only when
 * LOG_LEVEL=debug or TEEKA_VERBOSE is set), the Temporal SDK's warnings and errors but not its info records (the
 * workflow bundler's module list is one), and every other line as it is.
 */
import type { ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';

const SDK_RECORD = /^\d{4}-\d\d-\d\dT[\d:.]+Z \[(\w+)\] /;
/** Lines that continue an SDK record: indented, the end of its metadata, or webpack's statistics. */
const CONTINUATION = /^(\s|\}|asset |[a-z]+ modules |modules by |webpack |\.\/|\[)/;
const PINO_LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

export interface ConsoleOptions {
  name: string;
  logDir: string;
  /** Everything on the console too, raw (TEEKA_VERBOSE). */
  verbose: boolean;
  /** Request lines on the console (LOG_LEVEL=debug). */
  requests: boolean;
}

/** A readable line for the console, or undefined for the log file only. */
export function consoleLine(line: string, state: { hidden: boolean }, requests: boolean): string | undefined {
  const sdk = SDK_RECORD.exec(line);
  if (sdk) {
    state.hidden = !['WARN', 'ERROR'].includes(sdk[1]);
    return state.hidden ? undefined : line;
  }
  if (line.startsWith('{')) {
    state.hidden = false;
    try {
      const record = JSON.parse(line) as {
        level?: number;
        time?: number;
        msg?: string;
        req?: unknown;
        res?: unknown;
        err?: { message?: string };
      };
      if (typeof record.level !== 'number') return line;
      if ((record.req !== undefined || record.res !== undefined) && !requests) return undefined;
      const time = new Date(record.time ?? Date.now()).toISOString().slice(11, 19);
      const error = record.err?.message ? `: ${record.err.message}` : '';
      return `${time} ${PINO_LEVELS[record.level] ?? record.level} ${record.msg ?? ''}${error}`;
    } catch {
      return line;
    }
  }
  if (state.hidden && CONTINUATION.test(line)) return undefined;
  state.hidden = false;
  return line;
}

/** Sends a child's output to its log file and, readably, to the console. */
export function attachConsole(child: ChildProcess, options: ConsoleOptions): string {
  mkdirSync(options.logDir, { recursive: true });
  const file = path.join(options.logDir, `${options.name.replace(/\s+/g, '-')}.log`);
  const log = createWriteStream(file, { flags: 'a' });
  const state = { hidden: false };
  for (const [stream, write] of [
    [child.stdout, (text: string) => console.log(text)],
    [child.stderr, (text: string) => console.error(text)],
  ] as const) {
    if (!stream) continue;
    createInterface({ input: stream }).on('line', (line) => {
      log.write(`${line}\n`);
      const shown = options.verbose ? line : consoleLine(line, state, options.requests);
      if (shown !== undefined && shown.trim()) write(`[${options.name}] ${shown}`);
    });
  }
  child.once('exit', () => log.end());
  return file;
}
