import { useEffect, useRef, useState } from 'react';
import type { Static } from 'typebox';
import type { CertificateVerification } from '../../../api/schemas/certificates';
import { verifyCertificate, type VerificationResult } from '../../../certificates/verify';
import { ApiError, apiPost } from '../api/client';
import { indiaClock } from '../format';
import { errorText } from '../i18n/error-text';
import { i18n } from '../i18n/i18n';
import { useI18n } from '../i18n/useI18n';
import type { RouteParams } from '../routes';
import { cachedJwks, loadJwks } from '../verify/jwks-cache';
import { cameraAvailable, startScanner, type Scanner } from '../verify/qr-scanner';

/** The server's check of a payload (api/schemas/certificates.ts). */
type ServerAnswer = Static<typeof CertificateVerification>;

type Translate = ReturnType<typeof useI18n>['t'];

/** Why a certificate is not valid, in the chosen language when the reason is known. */
const reasonText = (t: Translate, reason: string | undefined) =>
  reason && i18n.exists(`verify.reason.${reason}`)
    ? t(`verify.reason.${reason}`)
    : (reason ?? t('verify.invalidUnknown'));

export function VerifyCertificatePage(_props: { params: RouteParams }) {
  const { t } = useI18n();
  const [payload, setPayload] = useState('');
  const [local, setLocal] = useState<VerificationResult>();
  const [server, setServer] = useState<ServerAnswer | 'offline' | { error: string }>();
  const [keysInfo, setKeysInfo] = useState(() => cachedJwks());
  const [error, setError] = useState<{ key: 'noKeys' } | { key: 'noCamera'; reason: string }>();
  const [scanning, setScanning] = useState<Scanner>();
  const videoRef = useRef<HTMLVideoElement>(null);

  useEffect(() => {
    void loadJwks().then(setKeysInfo);
    return () => scanning?.stop();
  }, []); // once, when the page opens

  async function verify(text: string) {
    const jws = text.trim();
    setLocal(undefined);
    setServer(undefined);
    setError(undefined);
    if (!jws) return;
    const keys = await loadJwks();
    setKeysInfo(keys);
    if (!keys) {
      setError({ key: 'noKeys' });
    } else {
      setLocal(await verifyCertificate(jws, { jwks: keys.jwks }));
    }
    if (!navigator.onLine) {
      setServer('offline');
      return;
    }
    try {
      setServer(await apiPost<ServerAnswer>('/api/v1/certificates/verify', { payload: jws }));
    } catch (failure) {
      setServer(failure instanceof ApiError && failure.status === 0 ? 'offline' : { error: errorText(failure) });
    }
  }

  async function scan() {
    if (!videoRef.current) return;
    try {
      const scanner = await startScanner(videoRef.current, (text) => {
        setScanning(undefined);
        setPayload(text);
        void verify(text);
      });
      setScanning(scanner);
    } catch (failure) {
      setError({ key: 'noCamera', reason: errorText(failure) });
    }
  }

  return (
    <section className="page narrow verify-page">
      <h1>{t('verify.title')}</h1>
      <p className="muted">{t('verify.intro')}</p>
      <div className="button-row">
        {cameraAvailable() && !scanning && (
          <button type="button" className="button-secondary" onClick={() => void scan()}>
            {t('verify.scan')}
          </button>
        )}
        {scanning && (
          <button
            type="button"
            className="button-secondary"
            onClick={() => {
              scanning.stop();
              setScanning(undefined);
            }}
          >
            {t('verify.stopCamera', { method: scanning.method })}
          </button>
        )}
      </div>
      <video ref={videoRef} className={scanning ? 'scanner-video' : 'hidden'} muted />
      <label>
        {t('verify.code')}
        <textarea
          rows={5}
          className="mono"
          value={payload}
          onChange={(e) => setPayload(e.target.value)}
          name="payload"
          placeholder="eyJ…"
        />
      </label>
      <button type="button" className="button-primary" onClick={() => void verify(payload)} disabled={!payload.trim()}>
        {t('verify.verify')}
      </button>
      {error && (
        <p className="error-detail" role="alert">
          {error.key === 'noKeys' ? t('verify.noKeys') : t('verify.noCamera', { reason: error.reason })}
        </p>
      )}
      {local && <LocalResult result={local} />}
      {server && (
        <div className="server-answer" data-testid="server-answer">
          <h2>{t('verify.serverTitle')}</h2>
          {server === 'offline' ? (
            <p className="muted">{t('verify.serverOffline')}</p>
          ) : 'error' in server ? (
            <p className="error-detail">{server.error}</p>
          ) : (
            <p className={`verdict verdict-${server.status.toLowerCase()}`}>
              {server.status === 'VALID'
                ? t('verify.notRevoked')
                : server.status === 'REVOKED'
                  ? t('verify.revoked')
                  : t('verify.invalid', { reason: reasonText(t, server.reason) })}
            </p>
          )}
        </div>
      )}
      <p className="muted small">
        {keysInfo
          ? t('verify.keys', {
              count: keysInfo.jwks.keys.length,
              date: new Date(keysInfo.fetchedAt).toLocaleDateString('en-IN'),
              time: indiaClock(new Date(keysInfo.fetchedAt)),
            })
          : t('verify.keysMissing')}
      </p>
    </section>
  );
}

function LocalResult({ result }: { result: VerificationResult }) {
  const { t } = useI18n();
  if (result.status === 'INVALID') {
    return (
      <div className="verify-result verify-invalid" data-testid="local-result" data-status="INVALID">
        <p className="verdict">{t('verify.notValid')}</p>
        <p>{reasonText(t, result.reason)}</p>
      </div>
    );
  }
  const h = result.holder;
  return (
    <div className="verify-result verify-valid" data-testid="local-result" data-status={result.status}>
      <p className="verdict">{t('verify.genuine')}</p>
      <dl className="facts">
        <div className="fact">
          <dt>{t('verify.name')}</dt>
          <dd>{h.name}</dd>
        </div>
        <div className="fact">
          <dt>{t('verify.ageGender')}</dt>
          <dd>
            {h.age} · {t(`verify.gender.${h.gender}`)}
          </dd>
        </div>
        <div className="fact">
          <dt>{t('verify.photoId')}</dt>
          <dd className="mono">{h.photoId}</dd>
        </div>
        <div className="fact">
          <dt>{t('verify.doses')}</dt>
          <dd>{t('verify.dosesValue', { doses: h.doses, kind: h.kind })}</dd>
        </div>
        <div className="fact">
          <dt>{t('verify.issuedOn')}</dt>
          <dd>{h.issuedOn}</dd>
        </div>
        <div className="fact">
          <dt>{t('verify.certificateId')}</dt>
          <dd className="mono">{result.certificateId}</dd>
        </div>
      </dl>
    </div>
  );
}
