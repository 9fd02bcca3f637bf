import { describe, expect, it } from 'vitest';
import {
  applyDirectResult,
  applySyncResults,
  buildSyncBatch,
  markAttemptFailed,
  newAefiRecord,
  newDoseRecord,
  newWalkInRecord,
  retryDelayMs,
  summarise,
  toSyncItem,
  type QueuedRecord,
} from './queue-logic';

const capture = {
  referenceId: '12345678901234',
  sessionDayId: '0b6f0c52-5f7e-4a5a-9a37-1c1f1b1d1e10',
  vaccineCode: 'COVAXIN',
  batch: 'B-1',
  secretCode: '1234',
  displayName: 'Meera',
};

function record(id: string, minute: number, fields: Partial<QueuedRecord> = {}): QueuedRecord {
  return { ...newDoseRecord(capture, id, new Date(Date.UTC(2026, 11, 1, 5, minute))), ...fields } as QueuedRecord;
}

describe('offline dose queue', () => {
  it('gives a record its client event id and device time when it is captured', () => {
    const r = newDoseRecord(capture, 'evt-00000001', new Date('2026-12-01T05:00:00Z'));
    expect(r).toMatchObject({
      clientEventId: 'evt-00000001',
      status: 'pending',
      attempts: 0,
      administeredAt: '2026-12-01T05:00:00.000Z',
    });
  });

  it('sends pending records oldest first, without display-only fields, at most a batch at a time', () => {
    const records = [
      record('evt-c', 3),
      record('evt-a', 1),
      record('evt-s', 0, { status: 'synced' }),
      record('evt-b', 2),
    ];
    const { items } = buildSyncBatch(records, 2);
    expect(items.map((i) => i.clientEventId)).toEqual(['evt-a', 'evt-b']);
    expect(items[0]).toEqual({
      kind: 'DOSE',
      clientEventId: 'evt-a',
      administeredAt: '2026-12-01T05:01:00.000Z',
      referenceId: capture.referenceId,
      sessionDayId: capture.sessionDayId,
      vaccineCode: 'COVAXIN',
      batch: 'B-1',
      secretCode: '1234',
    });
  });

  it('marks accepted and duplicate records synced, refusals rejected with the reason, and server failures pending', () => {
    const batch = [record('evt-1', 1), record('evt-2', 2), record('evt-3', 3), record('evt-4', 4), record('evt-5', 5)];
    const after = applySyncResults(batch, {
      results: [
        {
          index: 3,
          clientEventId: 'evt-4',
          outcome: 'rejected',
          code: 'INTERNAL',
          message: 'try later',
          retryable: true,
        },
        { index: 0, clientEventId: 'evt-1', outcome: 'accepted', dose: { dose: 1 } },
        { index: 1, clientEventId: 'evt-2', outcome: 'duplicate', dose: { dose: 2 } },
        {
          index: 2,
          clientEventId: 'evt-3',
          outcome: 'rejected',
          code: 'SECRET_CODE_MISMATCH',
          message: 'the secret code does not match',
        },
      ],
    });
    expect(after.map((r) => r.status)).toEqual(['synced', 'synced', 'rejected', 'pending', 'pending']);
    expect(after[0]!.doseNumber).toBe(1);
    expect(after[2]).toMatchObject({ reason: 'the secret code does not match', code: 'SECRET_CODE_MISMATCH' });
    expect(after[3]!.reason).toBe('try later');
    expect(after.every((r) => r.attempts === 1)).toBe(true);
    expect(summarise(after)).toEqual({ pending: 2, synced: 2, rejected: 1 });
  });

  it('matches a result by position only when the server could not read its id', () => {
    const batch = [record('evt-1', 1), record('evt-2', 2)];
    const after = applySyncResults(batch, {
      results: [{ index: 1, clientEventId: null, outcome: 'rejected', message: 'not an item' }],
    });
    expect(after.map((r) => r.status)).toEqual(['pending', 'rejected']);
  });

  it('keeps everything pending when the request itself fails, so nothing is lost', () => {
    const after = markAttemptFailed([record('evt-1', 1)], 'offline');
    expect(after[0]).toMatchObject({ status: 'pending', attempts: 1, reason: 'offline' });
  });

  it('applies a direct online answer to its record', () => {
    expect(applyDirectResult(record('evt-1', 1), { ok: true, dose: 1 }).status).toBe('synced');
    expect(applyDirectResult(record('evt-1', 1), { ok: false, retryable: true, reason: 'no network' }).status).toBe(
      'pending',
    );
    expect(
      applyDirectResult(record('evt-1', 1), {
        ok: false,
        retryable: false,
        reason: 'wrong code',
        code: 'SECRET_CODE_MISMATCH',
      }),
    ).toMatchObject({ status: 'rejected', reason: 'wrong code' });
  });

  it('sends an adverse event with the dose it follows, by the dose id or the client event id of a dose still queued', () => {
    const at = new Date('2026-12-01T05:10:00Z');
    const onPhone = newAefiRecord(
      {
        referenceId: capture.referenceId,
        sessionDayId: capture.sessionDayId,
        doseClientEventId: 'evt-dose',
        severity: 'MINOR',
        symptoms: ['FEVER'],
        displayName: 'Meera',
      },
      'evt-aefi',
      at,
    );
    const dose = record('evt-dose', 1);
    // Oldest first: the dose goes before the report that names it.
    expect(buildSyncBatch([onPhone, dose]).items).toEqual([
      toSyncItem(dose),
      {
        kind: 'AEFI',
        clientEventId: 'evt-aefi',
        reportedAt: '2026-12-01T05:10:00.000Z',
        doseClientEventId: 'evt-dose',
        severity: 'MINOR',
        symptoms: ['FEVER'],
      },
    ]);
  });

  it('sends a walk-in registered on the phone before the dose given to them, which names the registration', () => {
    const person = { name: 'Ravi Patil', birthYear: 1980, gender: 'M' as const, idType: 1, idNumber: '123412341234' };
    const walkIn = newWalkInRecord(
      { sessionDayId: capture.sessionDayId, mobile: '9876543210', person, displayName: 'Ravi Patil' },
      'evt-walkin',
      new Date('2026-12-01T05:00:00Z'),
    );
    const dose = newDoseRecord(
      {
        referenceId: '',
        walkInClientEventId: 'evt-walkin',
        sessionDayId: capture.sessionDayId,
        vaccineCode: 'COVAXIN',
        batch: 'B-1',
        displayName: 'Ravi Patil',
      },
      'evt-walkin-dose',
      new Date('2026-12-01T05:02:00Z'),
    );
    const batch = buildSyncBatch([dose, walkIn]);
    expect(batch.items).toEqual([
      {
        kind: 'WALKIN',
        clientEventId: 'evt-walkin',
        registeredAt: '2026-12-01T05:00:00.000Z',
        sessionDayId: capture.sessionDayId,
        mobile: '9876543210',
        person,
      },
      {
        kind: 'DOSE',
        clientEventId: 'evt-walkin-dose',
        administeredAt: '2026-12-01T05:02:00.000Z',
        walkInClientEventId: 'evt-walkin',
        sessionDayId: capture.sessionDayId,
        vaccineCode: 'COVAXIN',
        batch: 'B-1',
      },
    ]);
    const [registered, given] = applySyncResults(batch.records, {
      results: [
        { index: 0, clientEventId: 'evt-walkin', outcome: 'accepted', walkIn: { referenceId: '55556666777788' } },
        { index: 1, clientEventId: 'evt-walkin-dose', outcome: 'accepted', dose: { dose: 1 } },
      ],
    });
    expect(registered).toMatchObject({ status: 'synced', referenceId: '55556666777788' });
    expect(given).toMatchObject({ status: 'synced', doseNumber: 1 });
  });

  it('backs off retries up to a minute', () => {
    expect(retryDelayMs(1)).toBe(2_000);
    expect(retryDelayMs(3)).toBe(8_000);
    expect(retryDelayMs(20)).toBe(60_000);
  });
});
