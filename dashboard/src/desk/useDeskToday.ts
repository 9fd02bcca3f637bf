import { useCallback, useEffect, useState } from 'react';
import { forgetStaffSessionIf } from '../auth/staff-session';
import { deviceId } from '../offline/desk-store';
import { fetchDeskToday, type DeskToday } from './api';
import { readKeepingCopy } from './read-keeping-copy';

const TODAY_CACHE_KEY = 'desk-today';
const LIST_REFRESH_MS = 5 * 60_000;

export interface DeskDay {
  /** The member's session days today with their lists: the server's, or the copy kept on the phone. */
  today?: DeskToday;
  /** When the copy shown was saved; undefined while the list shown is the server's answer. */
  todaySavedAt?: string;
  /** Why the server refused the list (a missing network is not an error: the copy is shown). */
  error?: string;
  loadToday: () => Promise<void>;
}

/** Today's list for the desk: read at once, kept on the phone for a day with no network, and read again now and then. */
export function useDeskToday(token: string | undefined, online: boolean): DeskDay {
  const [today, setToday] = useState<DeskToday>();
  const [todaySavedAt, setTodaySavedAt] = useState<string>();
  const [error, setError] = useState<string>();

  const loadToday = useCallback(async () => {
    if (!token) return;
    const read = () =>
      fetchDeskToday(token, deviceId()).catch((failure: unknown) => {
        forgetStaffSessionIf(failure);
        throw failure;
      });
    await readKeepingCopy(TODAY_CACHE_KEY, read, {
      answer: (fresh) => {
        setToday(fresh);
        setTodaySavedAt(undefined);
        setError(undefined);
      },
      copy: (saved, savedAt) => {
        setToday((current) => current ?? saved);
        setTodaySavedAt(savedAt);
      },
      error: setError,
    });
  }, [token]);

  useEffect(() => {
    void loadToday();
  }, [loadToday]);

  // While online, the list is fetched again now and then: fresh bookings, and the server hears this device is in
  // touch (after closing, that lets the session's no-shows go ahead instead of waiting for its doses).
  useEffect(() => {
    if (!online) return;
    const refresh = window.setInterval(() => void loadToday(), LIST_REFRESH_MS);
    return () => window.clearInterval(refresh);
  }, [online, loadToday]);

  return { today, todaySavedAt, error, loadToday };
}
