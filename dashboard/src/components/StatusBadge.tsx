export type BadgeTone = 'ok' | 'error' | 'pending';

const TONE_ICONS: Record<BadgeTone, string> = {
  ok: '✓',
  error: '✕',
  pending: '…',
};

interface StatusBadgeProps {
  tone: BadgeTone;
  label: string;
}

/** Colour plus icon plus word, so the state is readable without colour vision and from across a room. */
export function StatusBadge({ tone, label }: StatusBadgeProps) {
  return (
    <span className={`badge badge-${tone}`}>
      <span className="badge-icon" aria-hidden="true">
        {TONE_ICONS[tone]}
      </span>
      {label}
    </span>
  );
}
