import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { Static } from 'typebox';
import type * as identity from '../../../api/schemas/identity';
import { apiGet, apiPost } from '../api/client';
import { useStaffSession } from '../auth/staff-session';
import { idTypeName, OFFERED_ID_TYPES } from '../components/id-types';
import { errorMessage } from '../format';
import { useI18n } from '../i18n/useI18n';
import type { RouteParams } from '../routes';

// The officers' identity API's schemas (types only).
type Registration = Static<typeof identity.IdentityHolder>;
type Dispute = Static<typeof identity.IdentityDispute>;
type Hint = Static<typeof identity.DuplicateHint>;

/**
 * Identity for district officers (api/routes/v1/identity-disputes.ts, duplicate-person-hints.ts): a photo ID that
 * someone else registered first is released or the claim rejected after the holder shows it; people flagged as
 * possibly registered twice under two ID types are reviewed. Every decision is audited with the officer as actor.
 */
export function IdentityPage(_props: { params: RouteParams }) {
  const session = useStaffSession();
  const { t } = useI18n();
  const [districtId, setDistrictId] = useState(session?.staff.districtId ? String(session.staff.districtId) : '');
  const [disputes, setDisputes] = useState<Dispute[]>([]);
  const [hints, setHints] = useState<Hint[]>([]);
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [claim, setClaim] = useState({ idType: '1', idNumber: '', name: '', birthYear: '', gender: 'F', mobile: '' });
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const token = session?.token;
  const district = Number(districtId);

  const load = useCallback(async () => {
    if (!token || !Number.isInteger(district) || district < 1) return;
    try {
      const [d, h] = await Promise.all([
        apiGet<{ disputes: Dispute[] }>(`/api/v1/identity-disputes?districtId=${district}`, { token }),
        apiGet<{ hints: Hint[] }>(`/api/v1/duplicate-person-hints?districtId=${district}`, { token }),
      ]);
      setDisputes(d.disputes);
      setHints(h.hints);
      setError(undefined);
    } catch (failure) {
      setError(errorMessage(failure));
    }
  }, [district, token]);
  useEffect(() => void load(), [load]);
  if (!session) return null;

  async function act(path: string, body: unknown, done: string) {
    try {
      await apiPost(path, body, { token });
      setNotice(done);
      setError(undefined);
      await load();
    } catch (failure) {
      setError(errorMessage(failure));
    }
  }

  async function openDispute(event: FormEvent) {
    event.preventDefault();
    await act(
      '/api/v1/identity-disputes',
      {
        districtId: district,
        idType: Number(claim.idType),
        idNumber: claim.idNumber.trim(),
        claimant: {
          name: claim.name.trim(),
          birthYear: Number(claim.birthYear),
          gender: claim.gender,
          mobile: claim.mobile.trim(),
        },
      },
      t('identity.opened'),
    );
  }

  const reason = (id: string) => (
    <input
      value={reasons[id] ?? ''}
      minLength={3}
      maxLength={300}
      placeholder={t('identity.reason')}
      aria-label={t('identity.reason')}
      onChange={(e) => setReasons({ ...reasons, [id]: e.target.value })}
    />
  );
  const person = (r: Registration) =>
    t('identity.person', {
      name: r.name,
      birthYear: r.birthYear,
      idType: idTypeName(t, r.idType),
      idNumber: r.idNumberMasked,
      doses: r.doses,
      mobile: r.mobileMasked,
    });

  return (
    <section className="page identity-page">
      <h1>{t('identity.title')}</h1>
      <p className="muted">{t('identity.intro')}</p>
      {!session.staff.districtId && (
        <label className="inline-field">
          {t('identity.district')}
          <input inputMode="numeric" value={districtId} onChange={(e) => setDistrictId(e.target.value)} />
        </label>
      )}
      {error && (
        <p className="error-detail" role="alert">
          {error}
        </p>
      )}
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}

      <h2>{t('identity.openTitle')}</h2>
      <form className="form" onSubmit={(e) => void openDispute(e)} data-testid="dispute-form">
        <label>
          {t('identity.idType')}
          <select value={claim.idType} onChange={(e) => setClaim({ ...claim, idType: e.target.value })}>
            {OFFERED_ID_TYPES.map((id) => (
              <option key={id} value={id}>
                {t(`idType.${id}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('identity.idNumber')}
          <input
            required
            autoComplete="off"
            value={claim.idNumber}
            onChange={(e) => setClaim({ ...claim, idNumber: e.target.value })}
          />
        </label>
        <label>
          {t('identity.claimantName')}
          <input required value={claim.name} onChange={(e) => setClaim({ ...claim, name: e.target.value })} />
        </label>
        <label>
          {t('identity.birthYear')}
          <input
            required
            inputMode="numeric"
            value={claim.birthYear}
            onChange={(e) => setClaim({ ...claim, birthYear: e.target.value })}
          />
        </label>
        <label>
          {t('identity.gender')}
          <select value={claim.gender} onChange={(e) => setClaim({ ...claim, gender: e.target.value })}>
            {['F', 'M', 'O'].map((g) => (
              <option key={g} value={g}>
                {t(`gender.${g}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('identity.mobile')}
          <input
            required
            inputMode="numeric"
            value={claim.mobile}
            onChange={(e) => setClaim({ ...claim, mobile: e.target.value })}
          />
        </label>
        <button type="submit">{t('identity.open')}</button>
      </form>

      <h2>{t('identity.disputesTitle')}</h2>
      {disputes.length === 0 && <p className="muted">{t('identity.noDisputes')}</p>}
      <ul className="identity-list" data-testid="disputes">
        {disputes.map((d) => (
          <li key={d.disputeId}>
            <strong>{t(`identity.status.${d.status}`)}</strong>{' '}
            {t('identity.claimant', { name: d.claimant.name, birthYear: d.claimant.birthYear })}
            <br />
            {t('identity.holder')} {person(d.holder)}
            {d.status === 'OPEN' ? (
              <span className="identity-actions">
                {reason(d.disputeId)}
                <button
                  type="button"
                  disabled={d.holder.doses > 0}
                  onClick={() =>
                    void act(
                      `/api/v1/identity-disputes/${d.disputeId}/release`,
                      { reason: reasons[d.disputeId] ?? '' },
                      t('identity.released'),
                    )
                  }
                >
                  {t('identity.release')}
                </button>
                <button
                  type="button"
                  className="button-secondary"
                  onClick={() =>
                    void act(
                      `/api/v1/identity-disputes/${d.disputeId}/reject`,
                      { reason: reasons[d.disputeId] ?? '' },
                      t('identity.rejected'),
                    )
                  }
                >
                  {t('identity.reject')}
                </button>
              </span>
            ) : (
              d.decisionReason && <span className="muted"> · {d.decisionReason}</span>
            )}
          </li>
        ))}
      </ul>

      <h2>{t('identity.hintsTitle')}</h2>
      {hints.length === 0 && <p className="muted">{t('identity.noHints')}</p>}
      <ul className="identity-list" data-testid="duplicate-hints">
        {hints.map((h) => (
          <li key={h.hintId}>
            {person(h.registration)}
            <br />
            {t('identity.resembles')} {person(h.other)}
            {h.outcome === null ? (
              <span className="identity-actions">
                {reason(h.hintId)}
                {(['SAME_PERSON', 'DIFFERENT_PEOPLE'] as const).map((outcome) => (
                  <button
                    key={outcome}
                    type="button"
                    className={outcome === 'SAME_PERSON' ? undefined : 'button-secondary'}
                    onClick={() =>
                      void act(
                        `/api/v1/duplicate-person-hints/${h.hintId}/review`,
                        { outcome, reason: reasons[h.hintId] ?? '' },
                        t('identity.reviewed'),
                      )
                    }
                  >
                    {t(`identity.outcome.${outcome}`)}
                  </button>
                ))}
              </span>
            ) : (
              <strong> · {t(`identity.outcome.${h.outcome}`)}</strong>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
