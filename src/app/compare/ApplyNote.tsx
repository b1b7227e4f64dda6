/**
 * Apply is visible: after a settings edit, a note with the run before and after it at the same
 * simulated time (success rate, p99 and whatever else changed), instead of replacing the numbers
 * silently. It stays until dismissed or the next edit.
 */
import { useApp } from '../store';
import { formatClock } from '../format';
import { applyDeltas } from './deltas';

export function ApplyNote() {
  const applied = useApp((s) => s.applied);
  if (!applied) return null;
  const deltas = applyDeltas(applied.before, applied.after);
  const at = applied.after.simTimeMs;
  const apart = Math.abs(applied.before.simTimeMs - at) >= 1;
  return (
    <div className="apply-note" role="status" aria-live="polite" data-testid="apply-note">
      <strong>Applied at {formatClock(at)}</strong>
      {apart ? <span className="muted"> (before: the run at {formatClock(applied.before.simTimeMs)})</span> : null}
      {deltas.length === 0 ? (
        <span> — no change in the figures so far.</span>
      ) : (
        <ul>
          {deltas.map((d) => (
            <li key={d.label} className={d.winner === 'b' ? 'is-better' : d.winner === 'a' ? 'is-worse' : ''}>
              {d.label} {d.before} → <strong>{d.after}</strong>
            </li>
          ))}
        </ul>
      )}
      <button type="button" className="icon-btn" onClick={() => useApp.setState({ applied: null })} aria-label="Dismiss the before and after note">
        ×
      </button>
    </div>
  );
}
