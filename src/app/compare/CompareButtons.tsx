/**
 * The entries to comparisons in the toolbar: "Compare…", "What if from here…" (paused, before
 * the end) and "Sweep…". Each opens its dialog in compare view's lazy chunk.
 */
import { usePlayback } from '../context';
import { useApp } from '../store';
import { requestCompare } from './request';

export function CompareButtons() {
  const { state } = usePlayback();
  const ready = useApp((s) => s.scenario !== null);
  const simTimeMs = useApp((s) => s.simTimeMs);
  const canFork = ready && state === 'paused' && simTimeMs > 0;
  return (
    <>
      <button type="button" className="btn" onClick={() => requestCompare({ type: 'dialog', dialog: 'compare' })} disabled={!ready} aria-haspopup="dialog" data-testid="compare-open">
        Compare…
      </button>
      <button
        type="button"
        className="btn"
        onClick={() => requestCompare({ type: 'dialog', dialog: 'fork' })}
        disabled={!canFork}
        aria-haspopup="dialog"
        title={canFork ? 'Change a setting or add a fault from this moment on, and compare with the run as it goes on' : 'Pause somewhere in the run first'}
        data-testid="fork-open"
      >
        What if from here…
      </button>
      <button type="button" className="btn" onClick={() => requestCompare({ type: 'dialog', dialog: 'sweep' })} disabled={!ready} aria-haspopup="dialog" data-testid="sweep-open">
        Sweep…
      </button>
    </>
  );
}
