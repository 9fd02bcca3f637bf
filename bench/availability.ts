/**
 * Public availability (Co-WIN findByDistrict and calendarByDistrict) requests per second, each beside its honest
 * baseline measured first in the same run: Fastify answering the same bytes (status, headers, body) from memory,
 * in a process of its own on the same machine; a Fastify hello-world stays beside them. A district with 40
 * centres, 7 days of sessions. BENCH_SECONDS (15) per load, BENCH_CONNECTIONS (64).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSessionDay } from '../db/repositories/session-days.js';
import { addDays, indiaDate } from '../domain/time.js';
import { projectRoot } from '../stack/layout.js';
import { freePort, waitForPort } from '../stack/ports.js';
import { stopChild } from '../stack/temporal.js';
import { applicationCoresDuring, cpuSampler, formatCpu } from './lib/cpu.js';
import { profileWindow } from './lib/cpu-profile.js';
import { countError } from './lib/errors.js';
import { BENCH_DISTRICT } from './lib/fixtures.js';
import { load } from './lib/load.js';
import { settle, type BenchPlatform } from './lib/platform.js';
import { round, writeResult } from './lib/report.js';
import { runBenchmark } from './lib/run.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
/** Headers the HTTP layer writes for every answer itself; the rest are copied as the API sent them. */
const TRANSPORT_HEADERS = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

async function seedDistrict(platform: BenchPlatform) {
  for (let i = 0; i < 40; i++) {
    const site = await platform.db
      .insertInto('site')
      .values({
        name: `Availability centre ${i}`,
        name_hi: null,
        address: 'Centre road',
        block: 'Haveli',
        pincode: 411001,
        district_id: BENCH_DISTRICT.id,
        lat: 18.5,
        lng: 73.8,
        ownership: i % 5 ? 'GOVERNMENT' : 'PRIVATE',
        fee_inr: i % 5 ? 0 : 780,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (let day = 0; day < 7; day++) {
      await createSessionDay(platform.db, {
        site_id: site.id,
        date: addDays(indiaDate(), day),
        vaccine_code: 'COVISHIELD',
        opens_at: '09:00:00',
        closes_at: '17:00:00',
        dose1_capacity: 100,
        dose2_capacity: 50,
        walkin_capacity: 10,
        slotMinutes: 120,
      });
    }
  }
}

/** One answer exactly as the API sends it: status, headers and body bytes. */
function fetchRaw(url: string): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) {
            if (!TRANSPORT_HEADERS.has(name) && value !== undefined) headers[name] = String(value);
          }
          resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks) });
        });
      })
      .on('error', reject);
  });
}

function spawnServer(script: string, env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: projectRoot,
    env: { ...process.env, ...env },
    stdio: 'inherit',
  });
}

export async function benchAvailability(platform: BenchPlatform) {
  await seedDistrict(platform);
  const date = indiaDate().split('-').reverse().join('-');
  const query = `district_id=${BENCH_DISTRICT.id}&date=${date}`;
  const routes = {
    findByDistrict: `/api/v2/appointment/sessions/public/findByDistrict`,
    calendarByDistrict: `/api/v2/appointment/sessions/public/calendarByDistrict`,
  };
  // The API's answers, stored for the bytes baseline (the first call also fills the API's availability cache).
  const stored = await Promise.all(
    Object.values(routes).map(async (route) => {
      const answer = await fetchRaw(`${platform.apiUrls[0]}${route}?${query}`);
      if (answer.status !== 200) throw new Error(`${route} answered ${answer.status}: ${answer.body.toString()}`);
      return {
        path: route,
        status: answer.status,
        headers: answer.headers,
        bodyBase64: answer.body.toString('base64'),
      };
    }),
  );
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'teeka-bytes-'));
  const bytesFile = path.join(tmp, 'answers.json');
  writeFileSync(bytesFile, JSON.stringify(stored));

  const helloPort = await freePort();
  const bytesPort = await freePort();
  const hello = spawnServer('bench/lib/hello-server.ts', { PORT: String(helloPort) });
  const bytes = spawnServer('bench/lib/bytes-server.ts', { PORT: String(bytesPort), BYTES_FILE: bytesFile });
  await waitForPort(helloPort);
  await waitForPort(bytesPort);
  try {
    const groups = { ...platform.pids(), 'hello-server': hello.pid, 'bytes-server': bytes.pid };
    const idleBeforeBaselines = await settle(platform);
    const measure = async (phase: string, url: string, baseline = false) => {
      const cpu = cpuSampler(groups);
      const endProfileWindow = baseline ? () => {} : profileWindow(phase);
      const result = await load({ phase: `availability: ${phase}`, url, connections: CONNECTIONS, duration: SECONDS });
      const cpuReport = cpu.stop();
      endProfileWindow();
      console.log(formatCpu(phase, cpuReport));
      // The API and worker must be idle while a baseline server is measured.
      if (baseline) applicationCoresDuring(`the ${phase} baseline`, cpuReport);
      return { ...result, cpu: cpuReport };
    };
    const helloWorld = await measure('hello-world', `http://127.0.0.1:${helloPort}/hello`, true);
    const bytesFind = await measure(
      'same bytes (findByDistrict)',
      `http://127.0.0.1:${bytesPort}${routes.findByDistrict}?${query}`,
      true,
    );
    const bytesCalendar = await measure(
      'same bytes (calendarByDistrict)',
      `http://127.0.0.1:${bytesPort}${routes.calendarByDistrict}?${query}`,
      true,
    );
    const findByDistrict = await measure('findByDistrict', `${platform.apiUrls[0]}${routes.findByDistrict}?${query}`);
    const calendarByDistrict = await measure(
      'calendarByDistrict',
      `${platform.apiUrls[0]}${routes.calendarByDistrict}?${query}`,
    );
    // The baseline must send what the API sends: same bytes per answer, headers included (the Date header aside).
    for (const [name, ours, sameBytes] of [
      ['findByDistrict', findByDistrict, bytesFind],
      ['calendarByDistrict', calendarByDistrict, bytesCalendar],
    ] as const) {
      if (Math.abs(ours.bytesPerAnswer - sameBytes.bytesPerAnswer) > 0.01 * ours.bytesPerAnswer) {
        countError(
          'availability: same bytes',
          `${name}: the baseline's answers differ in size from the API's`,
          1,
          `${ours.bytesPerAnswer} B against ${sameBytes.bytesPerAnswer} B`,
        );
      }
    }
    const figure = (ours: typeof findByDistrict, sameBytes: typeof bytesFind) => ({
      requestsPerSecond: ours.okPerSecond,
      latencyMs: ours.okLatencyMs,
      errors: ours.errors,
      bytesPerAnswer: ours.bytesPerAnswer,
      baselineSameBytesRps: sameBytes.okPerSecond,
      baselineBytesPerAnswer: sameBytes.bytesPerAnswer,
      ratioToSameBytes: round(ours.okPerSecond / sameBytes.okPerSecond, 3),
      ratioToHelloWorld: round(ours.okPerSecond / helloWorld.okPerSecond, 3),
      cpu: ours.cpu,
      baselineCpu: sameBytes.cpu,
    });
    const result = {
      command: `BENCH_SECONDS=${SECONDS} npm run bench -- availability`,
      connections: CONNECTIONS,
      seconds: SECONDS,
      district: { centres: 40, sessionDays: 280 },
      idleBeforeBaselines,
      baselineHelloWorldRps: helloWorld.okPerSecond,
      helloWorldErrors: helloWorld.errors,
      findByDistrict: figure(findByDistrict, bytesFind),
      calendarByDistrict: figure(calendarByDistrict, bytesCalendar),
    };
    writeResult('availability', result);
    console.log(
      [
        '',
        `hello-world ${helloWorld.okPerSecond} req/s`,
        ...(['findByDistrict', 'calendarByDistrict'] as const).map((name) => {
          const f = result[name];
          return (
            `${name}: ${f.requestsPerSecond} req/s (${f.bytesPerAnswer} B/answer); same bytes from memory ` +
            `${f.baselineSameBytesRps} req/s (${f.baselineBytesPerAnswer} B/answer): ratio ${f.ratioToSameBytes}; ` +
            `to hello-world ${f.ratioToHelloWorld}`
          );
        }),
      ].join('\n'),
    );
    return result;
  } finally {
    await stopChild(hello);
    await stopChild(bytes);
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await runBenchmark('availability', benchAvailability);
