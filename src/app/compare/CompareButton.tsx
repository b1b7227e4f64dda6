/**
 * The entry to comparisons in the header: "Compare…" (two settings on the same seed). Its
 * siblings, "What if from here…" (paused, before the end) and "Sweep a setting…", are in the
 * header's overflow menu (header/menu.ts) so the header stays one row at 1024 px. Each opens its
 * dialog in compare view's lazy chunk.
 */
import { useApp } from '../store';
import { requestCompare } from './request';

export function CompareButton() {
  const ready = useApp((s) => s.scenario !== null);
  return (
    <button
      type="button"
      className="btn"
      onClick={() => requestCompare({ type: 'dialog', dialog: 'compare' })}
      disabled={!ready}
      aria-haspopup="dialog"
      title="Compare this scenario with a variant on the same seed (What if from here… and Sweep… are in the ⋯ menu)"
      data-testid="compare-open"
    >
      Compare…
    </button>
  );
}
