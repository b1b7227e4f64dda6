/** What the dot colours mean, and the honest note that dots are slowed (and on busy edges sampled) while counts are exact. */
import type { HopFate } from '../../run/types';
import { useApp } from '../store';
import { formatCount } from '../format';
import { MIN_HOP_WALL_MS } from './particles';

const ENTRIES: { fate: HopFate; label: string }[] = [
  { fate: 'pending', label: 'request' },
  { fate: 'ok', label: 'ok' },
  { fate: 'error', label: 'error' },
  { fate: 'timeout', label: 'timeout' },
  { fate: 'retry', label: 'retry' },
  { fate: 'rejected', label: 'rejected' },
  { fate: 'short-circuited', label: 'short-circuited' },
  { fate: 'dropped', label: 'dropped' },
  { fate: 'duplicate', label: 'duplicate' },
  { fate: 'dead-lettered', label: 'dead-lettered' },
];

/** Open by default only where the canvas is tall enough for it not to cover the nodes. */
const roomy = (): boolean => typeof window !== 'undefined' && window.matchMedia('(min-height: 1000px)').matches;

export function Legend() {
  const skipped = useApp((s) => s.hopsDropped);
  return (
    <details className="legend" aria-label="Legend" open={roomy()}>
      <summary>Legend: what the dot colours mean</summary>
      <ul>
        {ENTRIES.map((e) => (
          <li key={e.fate}>
            <span className="swatch" style={{ background: `var(--fate-${e.fate})` }} aria-hidden="true" />
            {e.label}
          </li>
        ))}
      </ul>
      <p className="legend-note">
        Requests travel above an edge, responses below. Dots are slowed to stay visible (at least {MIN_HOP_WALL_MS / 1000} s each).
        An edge too busy to draw every hop shows a sample of its dots over a band: the band widens with the hops per simulated
        second (log scale) and its colours are their outcomes. Counts are exact.
        {skipped > 0 ? ` ${formatCount(skipped)} hops not drawn.` : ''}
      </p>
    </details>
  );
}
