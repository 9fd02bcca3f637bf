/**
 * `npm run bench` runs every benchmark; `npm run bench -- doses booking-storm` runs the named ones.
 * Each starts from a fresh benchmark database (.data/bench) and writes bench/results/<name>.json.
 */
import { benchAvailability } from './availability.js';
import { benchBookingStorm } from './booking-storm.js';
import { benchCertificates } from './certificates.js';
import { benchDashboardQueries } from './dashboard-queries.js';
import { benchDoses } from './doses.js';
import { benchJourneys } from './journeys.js';
import { startBenchPlatform, type BenchPlatform } from './lib/platform.js';

const BENCHMARKS: Record<string, { platform: boolean; run: (platform: BenchPlatform) => Promise<unknown> }> = {
  certificates: { platform: false, run: () => benchCertificates() },
  availability: { platform: true, run: benchAvailability },
  journeys: { platform: true, run: (p) => benchJourneys(p) },
  doses: { platform: true, run: (p) => benchDoses(p) },
  'booking-storm': { platform: true, run: benchBookingStorm },
  'dashboard-queries': { platform: true, run: benchDashboardQueries },
};

const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !(name in BENCHMARKS));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; choose from ${Object.keys(BENCHMARKS).join(', ')}`);
  process.exit(2);
}

for (const name of requested.length ? requested : Object.keys(BENCHMARKS)) {
  const bench = BENCHMARKS[name];
  console.log(`\n### ${name}`);
  if (!bench.platform) {
    await bench.run(undefined as never);
    continue;
  }
  // A fresh platform per benchmark, so one's data and load never colour the next.
  const platform = await startBenchPlatform();
  try {
    await bench.run(platform);
  } finally {
    await platform.stop();
  }
}
