import { useState } from 'react';
import { indiaClock } from '../format';
import { useI18n } from '../i18n/useI18n';
import type { LiveEvent } from '../live/events';

/** A serious or severe adverse event as the district room hears of it (`aefi.reported`, docs/live-events.md). */
export interface AefiAlert {
  aefiId: string;
  severity: string;
  symptoms: string[];
  siteName: string;
  at: string;
}

export function aefiAlertOf(event: LiveEvent): AefiAlert | undefined {
  if (event.type !== 'aefi.reported') return undefined;
  const { aefiId, severity, symptoms, siteName } = event.data;
  if (typeof aefiId !== 'string' || typeof severity !== 'string') return undefined;
  return {
    aefiId,
    severity,
    symptoms: Array.isArray(symptoms) ? symptoms.filter((s): s is string => typeof s === 'string') : [],
    siteName: typeof siteName === 'string' ? siteName : '',
    at: event.at,
  };
}

/** The alerts list of a screen: newest first, each once (a rejoin's replay changes nothing). */
export function useAefiAlerts() {
  const [alerts, setAlerts] = useState<AefiAlert[]>([]);
  const hear = (event: LiveEvent) => {
    const alert = aefiAlertOf(event);
    if (alert) setAlerts((current) => (current.some((a) => a.aefiId === alert.aefiId) ? current : [alert, ...current]));
  };
  const dismiss = (aefiId: string) => setAlerts((current) => current.filter((a) => a.aefiId !== aefiId));
  return { alerts, hear, dismiss };
}

/** Banners for serious and severe adverse events reported while the console is open, until acknowledged. */
export function AefiAlerts({
  alerts,
  onDismiss,
}: {
  alerts: readonly AefiAlert[];
  onDismiss: (aefiId: string) => void;
}) {
  const { t } = useI18n();
  if (!alerts.length) return null;
  return (
    <div className="aefi-alerts">
      {alerts.map((alert) => (
        <div
          key={alert.aefiId}
          className="alert-banner aefi-alert"
          role="alert"
          data-testid="aefi-alert"
          data-aefi-id={alert.aefiId}
        >
          <strong>
            ⚠ {t('aefiAlerts.title', { severity: alert.severity })} — {alert.siteName}, {indiaClock(alert.at)}
          </strong>
          <span>
            {alert.symptoms.map((symptom) => symptom.toLowerCase().replace(/_/g, ' ')).join(', ')}.{' '}
            {t('aefiAlerts.action')}
          </span>
          <button type="button" className="button-secondary" onClick={() => onDismiss(alert.aefiId)}>
            {t('aefiAlerts.acknowledge')}
          </button>
        </div>
      ))}
    </div>
  );
}
