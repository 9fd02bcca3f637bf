/**
 * Public availability (Co-WIN findByDistrict and calendarByDistrict) requests per second against a Fastify
 * hello-world route on the same machine in the same run. A district with 40 centres, 7 days of sessions.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createSessionDay } from '../db/repositories/session-days.js';
import { addDays, indiaDate } from '../domain/time.js';
import { projectRoot } from '../stack/layout.js';
import { freePort, waitForPort } from '../stack/ports.js';
import { stopChild } from '../stack/temporal.js';
import { BENCH_DISTRICT } from './lib/fixtures.js';
import { load } from './lib/load.js';
import { startBenchPlatform, type BenchPlatform } from './lib/platform.js';
import { round, writeResult } from './lib/report.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);

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

export async function benchAvailability(platform: BenchPlatform) {
  await seedDistrict(platform);
  const date = indiaDate().split('-').reverse().join('-');
  const helloPort = await freePort();
  const hello = spawn(process.execPath, ['--import', 'tsx', 'bench/lib/hello-server.ts'], {
    cwd: projectRoot,
    env: { ...process.env, PORT: String(helloPort) },
    stdio: 'inherit',
  });
  await waitForPort(helloPort);
  try {
    const baseline = await load({
      url: `http://127.0.0.1:${helloPort}/hello`,
      connections: CONNECTIONS,
      duration: SECONDS,
    });
    const findByDistrict = await load({
      url: `${platform.apiUrls[0]}/api/v2/appointment/sessions/public/findByDistrict?district_id=${BENCH_DISTRICT.id}&date=${date}`,
      connections: CONNECTIONS,
      duration: SECONDS,
    });
    const calendarByDistrict = await load({
      url: `${platform.apiUrls[0]}/api/v2/appointment/sessions/public/calendarByDistrict?district_id=${BENCH_DISTRICT.id}&date=${date}`,
      connections: CONNECTIONS,
      duration: SECONDS,
    });
    const result = {
      command: 'npm run bench -- availability',
      connections: CONNECTIONS,
      seconds: SECONDS,
      district: { centres: 40, sessionDays: 280 },
      baselineHelloWorldRps: baseline.requestsPerSecond,
      findByDistrict: {
        ...findByDistrict,
        ratioToHelloWorld: round(findByDistrict.requestsPerSecond / baseline.requestsPerSecond, 3),
      },
      calendarByDistrict: {
        ...calendarByDistrict,
        ratioToHelloWorld: round(calendarByDistrict.requestsPerSecond / baseline.requestsPerSecond, 3),
      },
    };
    writeResult('availability', result);
    return result;
  } finally {
    await stopChild(hello);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const platform = await startBenchPlatform();
  try {
    await benchAvailability(platform);
  } finally {
    await platform.stop();
  }
}
