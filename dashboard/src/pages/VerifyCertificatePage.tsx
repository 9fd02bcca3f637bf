import { useEffect, useRef, useState } from 'react';
import { verifyCertificate, type VerificationResult } from '../../../certificates/verify';
import { ApiError, apiPost } from '../api/client';
import { errorMessage, indiaClock } from '../format';
import type { RouteParams } from '../routes';
import { cachedJwks, loadJwks } from '../verify/jwks-cache';
import { cameraAvailable, startScanner, type Scanner } from '../verify/qr-scanner';

interface ServerAnswer {
  status: 'VALID' | 'INVALID' | 'REVOKED';
  reason?: string;
  certificateId?: string;
}

const REASONS: Record<string, string> = {
  MALFORMED: 'This is not a Teeka certificate code.',
  UNKNOWN_KEY:
    'Signed with a key Teeka does not publish: not issued by Teeka, or the key list on this device is out of date.',
  BAD_SIGNATURE: 'The signature does not match: the certificate was altered or damaged.',
  UNRECOGNISED_CONTENTS: 'Correctly signed, but this app does not understand its contents (update the app).',
};

export function VerifyCertificatePage(_props: { params: RouteParams }) {
  const [payload, setPayload] = useState('');
  const [local, setLocal] = useState<VerificationResult>();
  const [server, setServer] = useState<ServerAnswer | 'offline' | { error: string }>();
  const [keysInfo, setKeysInfo] = useState(() => cachedJwks());
  const [error, setError] = useState<string>();
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
      setError('The verification keys are not on this device yet: connect once to download them.');
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
      setServer(failure instanceof ApiError && failure.status === 0 ? 'offline' : { error: errorMessage(failure) });
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
      setError(`Camera not available: ${errorMessage(failure)}`);
    }
  }

  return (
    <section className="page narrow verify-page">
      <h1>Verify a vaccination certificate</h1>
      <p className="muted">
        Scan the QR code on the certificate or paste its contents. The signature is checked on this device with Teeka's
        published keys, so it works with no network; when online, the server also says whether the certificate was
        revoked.
      </p>
      <div className="button-row">
        {cameraAvailable() && !scanning && (
          <button type="button" className="button-secondary" onClick={() => void scan()}>
            Scan with camera
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
            Stop camera ({scanning.method})
          </button>
        )}
      </div>
      <video ref={videoRef} className={scanning ? 'scanner-video' : 'hidden'} muted />
      <label>
        Certificate code (QR contents)
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
        Verify
      </button>
      {error && (
        <p className="error-detail" role="alert">
          {error}
        </p>
      )}
      {local && <LocalResult result={local} />}
      {server && (
        <div className="server-answer" data-testid="server-answer">
          <h2>Server check (revocation)</h2>
          {server === 'offline' ? (
            <p className="muted">Offline: revocation could not be checked. The signature check above is still valid.</p>
          ) : 'error' in server ? (
            <p className="error-detail">{server.error}</p>
          ) : (
            <p className={`verdict verdict-${server.status.toLowerCase()}`}>
              {server.status === 'VALID'
                ? '✓ Not revoked'
                : server.status === 'REVOKED'
                  ? '✕ REVOKED — this certificate was withdrawn'
                  : `✕ ${REASONS[server.reason ?? ''] ?? server.reason ?? 'Invalid'}`}
            </p>
          )}
        </div>
      )}
      <p className="muted small">
        {keysInfo
          ? `Keys on this device: ${keysInfo.jwks.keys.length}, fetched ${new Date(keysInfo.fetchedAt).toLocaleDateString('en-IN')} ${indiaClock(new Date(keysInfo.fetchedAt))}.`
          : 'Keys not downloaded yet.'}
      </p>
    </section>
  );
}

function LocalResult({ result }: { result: VerificationResult }) {
  if (result.status === 'INVALID') {
    return (
      <div className="verify-result verify-invalid" data-testid="local-result" data-status="INVALID">
        <p className="verdict">✕ Not valid</p>
        <p>{REASONS[result.reason]}</p>
      </div>
    );
  }
  const h = result.holder;
  return (
    <div className="verify-result verify-valid" data-testid="local-result" data-status={result.status}>
      <p className="verdict">✓ Genuine Teeka certificate (signature checked on this device)</p>
      <dl className="facts">
        <div className="fact">
          <dt>Name</dt>
          <dd>{h.name}</dd>
        </div>
        <div className="fact">
          <dt>Age / gender</dt>
          <dd>
            {h.age} · {h.gender}
          </dd>
        </div>
        <div className="fact">
          <dt>Photo ID</dt>
          <dd className="mono">{h.photoId}</dd>
        </div>
        <div className="fact">
          <dt>Doses</dt>
          <dd>
            {h.doses} ({h.kind === 'FINAL' ? 'fully vaccinated' : 'provisional'})
          </dd>
        </div>
        <div className="fact">
          <dt>Issued on</dt>
          <dd>{h.issuedOn}</dd>
        </div>
        <div className="fact">
          <dt>Certificate id</dt>
          <dd className="mono">{result.certificateId}</dd>
        </div>
      </dl>
    </div>
  );
}
