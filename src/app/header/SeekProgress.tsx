/** A long seek's progress (the worker runs it in slices) and the button that stops it. */
import { useController } from '../context';
import { useApp } from '../store';
import { formatClock } from '../format';

export function SeekProgress() {
  const controller = useController();
  const p = useApp((s) => s.seekProgress);
  if (!p) return null;
  const span = Math.max(1, p.toMs - p.fromMs);
  const share = Math.max(0, Math.min(1, (p.atMs - Math.min(p.fromMs, p.atMs)) / span));
  const back = p.toMs < p.fromMs;
  return (
    <div className="seek-progress" role="status" aria-label="Seeking" data-testid="seek-progress">
      <span>
        Seeking to <strong>{formatClock(p.toMs)}</strong>
        {back ? ' (re-running from 00:00)' : ''}: at {formatClock(p.atMs)}
      </span>
      <progress max={Math.max(1, p.toMs)} value={back ? p.atMs : p.fromMs + share * span} aria-label="Seek progress" />
      <button type="button" className="btn btn-small" onClick={() => controller.cancelSeek()} data-testid="seek-cancel">
        Cancel
      </button>
    </div>
  );
}
