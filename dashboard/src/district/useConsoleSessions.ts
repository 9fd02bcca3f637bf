import { useCallback, useEffect, useState } from 'react';
import { forgetStaffSessionIf } from '../auth/staff-session';
import { errorText } from '../i18n/error-text';
import { useLiveRoom } from '../live/useLiveRoom';
import type { DashboardBody } from '../warroom/dashboard-api';
import { useAefiAlerts } from './AefiAlerts';
import {
  fetchDistrictDashboard,
  fetchDistrictStaff,
  fetchPlannedDays,
  joinSessions,
  type ConsoleSession,
  type StaffMember,
} from './api';

/**
 * The console's sessions of today: the district dashboard joined with the plan, read every minute and kept current
 * by the district's live room between reads (a dose counted, a status changed); its vaccinators, the AEFI alerts
 * heard, and a clock that moves on every 15 seconds.
 */
export function useConsoleSessions(districtId: number, token: string) {
  const [dashboard, setDashboard] = useState<DashboardBody>();
  const [rows, setRows] = useState<ConsoleSession[]>([]);
  const [vaccinators, setVaccinators] = useState<StaffMember[]>([]);
  const [error, setError] = useState<string>();
  const [now, setNow] = useState(() => new Date());

  const load = useCallback(async () => {
    try {
      const [board, plans] = await Promise.all([
        fetchDistrictDashboard(districtId, token),
        fetchPlannedDays(districtId, token),
      ]);
      setDashboard(board);
      setRows(joinSessions(board.sessions ?? [], plans));
      setError(undefined);
    } catch (failure) {
      forgetStaffSessionIf(failure);
      setError(errorText(failure));
    }
  }, [districtId, token]);

  useEffect(() => {
    void load();
    void fetchDistrictStaff(districtId, token).then(setVaccinators, () => setVaccinators([]));
    const timer = window.setInterval(() => void load(), 60_000);
    const clock = window.setInterval(() => setNow(new Date()), 15_000);
    return () => {
      window.clearInterval(timer);
      window.clearInterval(clock);
    };
  }, [load, districtId, token]);

  const aefi = useAefiAlerts();
  const live = useLiveRoom(`district:${districtId}`, token, {
    onEvent: (event) => {
      aefi.hear(event);
      if (event.type === 'dose.recorded' && event.sessionDayId) {
        setRows((current) =>
          current.map((row) =>
            row.live.sessionDayId === event.sessionDayId
              ? {
                  ...row,
                  live: {
                    ...row.live,
                    vaccinated: row.live.vaccinated + 1,
                    lastDoseAt: event.at,
                    minutesSinceLastDose: 0,
                  },
                }
              : row,
          ),
        );
      } else if (event.type === 'session.status' || event.type === 'booking.changed') {
        const status = typeof event.data.status === 'string' ? event.data.status : undefined;
        if (status)
          setRows((current) =>
            current.map((row) =>
              row.live.sessionDayId === event.sessionDayId ? { ...row, live: { ...row.live, status } } : row,
            ),
          );
        void load();
      }
    },
  });

  return { dashboard, rows, vaccinators, error, now, load, aefi, live };
}
