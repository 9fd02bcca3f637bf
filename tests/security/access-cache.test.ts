/**
 * The access answers an API process keeps (api/auth/access-cache.ts): kept only while every change is heard, and
 * forgotten by the change that makes them stale.
 */
import { describe, expect, it } from 'vitest';
import { AccessCache, parseAccessChange } from '../../api/auth/access-cache.js';

function counting<T>(value: T) {
  const read = async () => {
    read.calls++;
    return value;
  };
  read.calls = 0;
  return read;
}

const heard = () => Promise.resolve(true);
const deaf = () => Promise.resolve(false);

describe('kept access answers', () => {
  it('answer a token and a session day from one read while every change is heard', async () => {
    const cache = new AccessCache({ caughtUp: heard });
    const token = counting(true);
    const place = counting({ districtId: 1 });
    for (let i = 0; i < 3; i++) {
      expect(await cache.tokenUsable({ jti: 't1', staffId: 's1' }, token)).toBe(true);
      expect(await cache.session('day-1', place)).toEqual({ districtId: 1 });
    }
    expect(token.calls).toBe(1);
    expect(place.calls).toBe(1);
  });

  it('forget exactly what a change names: a staff member’s tokens, one token, a login session, a session day', async () => {
    const cache = new AccessCache({ caughtUp: heard });
    const reads = { a1: counting(true), a2: counting(true), b1: counting(true), day: counting({ team: [] }) };
    const warm = async () => {
      await cache.tokenUsable({ jti: 'a1', staffId: 'A' }, reads.a1);
      await cache.tokenUsable({ jti: 'a2', staffId: 'A' }, reads.a2);
      await cache.tokenUsable({ jti: 'b1', sid: 'login-B' }, reads.b1);
      await cache.session('day-1', reads.day);
    };
    await warm();
    cache.changed({ staffId: 'A' });
    await warm();
    expect([reads.a1.calls, reads.a2.calls, reads.b1.calls, reads.day.calls]).toEqual([2, 2, 1, 1]);
    cache.changed({ jti: 'login-B' });
    await warm();
    expect([reads.a1.calls, reads.a2.calls, reads.b1.calls, reads.day.calls]).toEqual([2, 2, 2, 1]);
    cache.changed({ jti: 'a1' });
    cache.changed({ sessionDayId: 'day-1' });
    await warm();
    expect([reads.a1.calls, reads.a2.calls, reads.b1.calls, reads.day.calls]).toEqual([3, 2, 2, 2]);
  });

  it('keep nothing from a read that a change raced, nor while changes cannot be heard', async () => {
    const cache = new AccessCache({ caughtUp: heard });
    let calls = 0;
    const racing = async () => {
      calls++;
      cache.changed({ staffId: 'someone else' });
      return true;
    };
    await cache.tokenUsable({ jti: 't', staffId: 'A' }, racing);
    await cache.tokenUsable({ jti: 't', staffId: 'A' }, racing);
    expect(calls).toBe(2);

    const deafCache = new AccessCache({ caughtUp: deaf });
    const read = counting(true);
    await deafCache.tokenUsable({ jti: 't', staffId: 'A' }, read);
    await deafCache.tokenUsable({ jti: 't', staffId: 'A' }, read);
    expect(read.calls).toBe(2);
  });

  it('stop using what was kept once the connection is lost, and after the longest age', async () => {
    let listening = true;
    let now = 0;
    const cache = new AccessCache({ caughtUp: async () => listening, maxAgeMs: 1_000, now: () => now });
    const read = counting(true);
    await cache.tokenUsable({ jti: 't', staffId: 'A' }, read);
    listening = false;
    await cache.tokenUsable({ jti: 't', staffId: 'A' }, read);
    expect(read.calls).toBe(2);
    listening = true;
    await cache.tokenUsable({ jti: 't', staffId: 'A' }, read);
    await cache.tokenUsable({ jti: 't', staffId: 'A' }, read);
    expect(read.calls).toBe(3);
    now = 1_000;
    await cache.tokenUsable({ jti: 't', staffId: 'A' }, read);
    expect(read.calls).toBe(4);
    cache.forgetAll();
    await cache.tokenUsable({ jti: 't', staffId: 'A' }, read);
    expect(read.calls).toBe(5);
  });

  it('never keep "no such session day", and keep at most the entries it may', async () => {
    const cache = new AccessCache({ caughtUp: heard, maxEntries: 2 });
    const missing = counting(undefined);
    await cache.session('gone', missing);
    await cache.session('gone', missing);
    expect(missing.calls).toBe(2);
    const reads = [counting(1), counting(2), counting(3)];
    for (const [i, read] of reads.entries()) await cache.session(`day-${i}`, read);
    await cache.session('day-0', reads[0]!);
    expect(reads[0]!.calls).toBe(2);
  });

  it('read only the three kinds of change it knows', () => {
    expect(parseAccessChange('{"staffId":"A"}')).toEqual({ staffId: 'A' });
    expect(parseAccessChange('{"jti":"t"}')).toEqual({ jti: 't' });
    expect(parseAccessChange('{"sessionDayId":"d"}')).toEqual({ sessionDayId: 'd' });
    expect(parseAccessChange('{"other":1}')).toBeUndefined();
    expect(parseAccessChange('not json')).toBeUndefined();
    expect(parseAccessChange('null')).toBeUndefined();
  });
});
