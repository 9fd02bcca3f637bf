import { useEffect, useRef, type ReactNode } from 'react';
import { useI18n } from '../i18n/useI18n';

interface ConfirmDialogProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** The way back; 'Go back' in the chosen language unless given. */
  cancelLabel?: string;
  /** Red confirm button for what cannot be undone (cancelling a session). */
  danger?: boolean;
  busy?: boolean;
  error?: string;
  confirmDisabled?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/** The confirmation step every intervention goes through: says what will happen, then asks. */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  cancelLabel,
  danger,
  busy,
  error,
  confirmDisabled,
  onConfirm,
  onCancel,
}: ConfirmDialogProps) {
  const { t } = useI18n();
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    cancelRef.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onCancel();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onCancel]);
  return (
    <div className="modal-backdrop">
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="confirm-title">
        <h2 id="confirm-title">{title}</h2>
        <div className="modal-body">{children}</div>
        {error && (
          <p className="error-detail" role="alert">
            {error}
          </p>
        )}
        <div className="modal-actions">
          <button type="button" ref={cancelRef} className="button-secondary" onClick={onCancel} disabled={busy}>
            {cancelLabel ?? t('goBack')}
          </button>
          <button
            type="button"
            className={danger ? 'button-danger' : 'button-primary'}
            onClick={onConfirm}
            disabled={busy || confirmDisabled}
          >
            {busy ? t('working') : confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
