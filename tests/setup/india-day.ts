/**
 * Runs before every test file: a file never starts in the last minutes of an India day, so the "today" its
 * sessions, bookings and doses belong to does not change under it (see tests/support/india-day.ts).
 */
import { beforeAll } from 'vitest';
import { awayFromIndiaMidnight, INDIA_MIDNIGHT_MARGIN_MINUTES } from '../support/india-day.js';

beforeAll(() => awayFromIndiaMidnight(), (INDIA_MIDNIGHT_MARGIN_MINUTES + 1) * 60_000);
