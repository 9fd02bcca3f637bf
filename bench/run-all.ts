/**
 * `npm run bench` runs every benchmark; `npm run bench -- doses booking-storm` runs the named ones.
 * Each starts from a fresh benchmark database (.data/bench) and writes bench/results/<name>.json. Errors of
 * every benchmark (unexpected answers, thrown errors, broken invariants) are printed at the end and fail the run.
 */
import { benchAvailability } from './availability.js';
import { benchBookingStorm } from './booking-storm.js';
import { benchCertificates } from './certificates.js';
import { benchDashboardQueries } from './dashboard-queries.js';
import { benchDoses } from './doses.js';
import { benchJourneys } from './journeys.js';
import { countError, errorKind, reportErrors } from './lib/errors.js';
import { type BenchPlatform } from './lib/platform.js';
import { onPlatform } from './lib/run.js';

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
    await bench.run(undefined as never).catch((error) => countError(name, errorKind(error), 1, error?.stack));
    continue;
  }
  // A fresh platform per benchmark, so one's data and load never colour the next.
  await onPlatform(name, bench.run);
}
// Errors of every benchmark, by phase and kind; any at all fails the run.
reportErrors();
