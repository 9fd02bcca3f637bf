import { useEffect, useState } from 'react';
import { useStaffSession } from '../auth/staff-session';
import { DeskHeader } from '../desk/DeskHeader';
import { DeskTabs } from '../desk/DeskTabs';
import { IdentityCheck } from '../desk/IdentityCheck';
import { Observation } from '../desk/Observation';
import { PeopleList } from '../desk/PeopleList';
import { QueueList } from '../desk/QueueList';
import { QueueSummary } from '../desk/QueueSummary';
import { SessionFacts } from '../desk/SessionFacts';
import { SessionPicker } from '../desk/SessionPicker';
import { tabsFor, type DeskTab } from '../desk/tabs';
import { useDeskMessage } from '../desk/useDeskMessage';
import { useDeskToday } from '../desk/useDeskToday';
import type { Picked } from '../desk/useIdentityCheck';
import { useOfflineQueue } from '../desk/useOfflineQueue';
import { WalkInForm } from '../desk/WalkInForm';
import { indiaClock } from '../format';
import { useOnline } from '../hooks/useOnline';
import { useI18n } from '../i18n/useI18n';
import type { RouteParams } from '../routes';

/**
 * The vaccinator desk, one screen per team role: the door check (verifier), the list of verified people to
 * vaccinate (vaccinator), the running observation timers with release and AEFI (observer). A member who takes
 * every step (a one-person team) gets one list: check identity and record the dose in one go. Works offline:
 * today's list is on the phone, the secret code is checked against keyed hashes, and records wait in the queue.
 * The screens are in dashboard/src/desk/; this page holds which session day, which tab and whom it is for.
 */
export function VaccinatorDeskPage(_props: { params: RouteParams }) {
  const session = useStaffSession();
  const online = useOnline();
  const { t } = useI18n();
  const token = session?.token;
  const { today, todaySavedAt, error, loadToday } = useDeskToday(token, online);
  const { records, summary, sync } = useOfflineQueue(token, online, loadToday);
  const [message, setMessage] = useDeskMessage(records);
  const [sessionDayId, setSessionDayId] = useState<string>();
  const [tab, setTab] = useState<DeskTab>();
  const [picked, setPicked] = useState<Picked>();

  useEffect(() => {
    if (!sessionDayId && today?.sessions[0]) setSessionDayId(today.sessions[0].sessionDayId);
  }, [today, sessionDayId]);

  const current = today?.sessions.find((s) => s.sessionDayId === sessionDayId);
  const tabs = tabsFor(current?.steps ?? []);
  const activeTab = tab && tabs.includes(tab) ? tab : tabs[0];
  if (!session || !token) return null;

  return (
    <section className="desk">
      <DeskHeader staffName={session.staff.name} session={current} online={online} />
      {error && (
        <p className="error-banner" role="alert">
          {error}
        </p>
      )}
      {todaySavedAt && (
        <p className="notice" data-testid="list-saved-at">
          {t('desk.listSavedAt', { time: indiaClock(todaySavedAt) })}
        </p>
      )}
      {today && today.sessions.length === 0 && <p className="notice">{t('desk.notAssigned')}</p>}
      {today && today.sessions.length > 1 && (
        <SessionPicker sessions={today.sessions} sessionDayId={sessionDayId} onPick={setSessionDayId} />
      )}
      {current && <SessionFacts session={current} />}
      <DeskTabs tabs={tabs} active={activeTab} pending={summary.pending} onSelect={setTab} />
      <QueueSummary pending={summary.pending} synced={summary.synced} rejected={summary.rejected} />
      {message && (
        <p className={`desk-message desk-message-${message.tone}`} role="status" data-testid="desk-message">
          {message.text}
        </p>
      )}
      {current && (activeTab === 'list' || activeTab === 'door' || activeTab === 'vaccinate') && (
        <PeopleList
          session={current}
          records={records}
          mode={activeTab}
          onPick={(person) => {
            setPicked({ person });
            setMessage(undefined);
            setTab(activeTab === 'door' ? 'door' : 'record');
          }}
        />
      )}
      {current && activeTab === 'door' && picked?.person && (
        <IdentityCheck
          key={picked.person.referenceId}
          session={current}
          token={token}
          online={online}
          person={picked.person}
          mode="door"
          onMessage={setMessage}
          onDone={() => {
            setPicked(undefined);
            void loadToday();
          }}
        />
      )}
      {current && activeTab === 'record' && (
        <IdentityCheck
          key={picked?.person?.referenceId ?? picked?.referenceId ?? picked?.walkIn?.clientEventId ?? 'blank'}
          session={current}
          token={token}
          online={online}
          person={picked?.person}
          prefill={picked}
          mode={current.steps.includes('VERIFY') ? 'record' : 'vaccinate'}
          onMessage={setMessage}
          onDone={() => setPicked(undefined)}
        />
      )}
      {current && activeTab === 'walk-in' && (
        <WalkInForm
          session={current}
          token={token}
          online={online}
          onRegistered={(referenceId, secretCode, name) => {
            setPicked({ referenceId, secretCode });
            setMessage({ tone: 'ok', text: t('desk.walkIn.registered', { name, referenceId }) });
            setTab(current.steps.includes('VACCINATE') ? 'record' : 'door');
            void loadToday();
          }}
          onSavedOnPhone={(clientEventId, name) => {
            setMessage({ tone: 'pending', text: t('desk.walkIn.savedOnPhone', { name }), clientEventId, name });
            if (current.steps.includes('VACCINATE')) {
              setPicked({ walkIn: { clientEventId, name } });
              setTab('record');
            }
          }}
        />
      )}
      {current && activeTab === 'observe' && (
        <Observation session={current} token={token} online={online} onMessage={setMessage} />
      )}
      {activeTab === 'queue' && <QueueList records={records} online={online} onSync={() => void sync()} />}
    </section>
  );
}
