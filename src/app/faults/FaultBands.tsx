/** The fault timeline drawn over the seek slider: one band per fault, live ones marked. */
import './faults.css';
import type { Scenario } from '../../scenario/schema';
import { useApp } from '../store';
import { formatClock } from '../format';
import { faultBand, faultRows } from './kinds';

const EMPTY: Scenario['faults'] = [];

export function FaultBands() {
  const faults = useApp((s) => s.scenario?.faults ?? EMPTY);
  const durationMs = useApp((s) => s.durationMs);
  const simTimeMs = useApp((s) => s.simTimeMs);
  if (faults.length === 0 || durationMs <= 0) return null;
  const rows = faultRows(faults, simTimeMs);
  // Overlapping faults stack in lanes so each stays visible.
  const lanes: number[] = [];
  return (
    <div className="fault-bands" aria-hidden="true" data-testid="fault-bands">
      {rows.map((r) => {
        const end = r.untilMs ?? durationMs;
        let lane = lanes.findIndex((until) => until <= r.atMs);
        if (lane < 0) lane = lanes.length;
        lanes[lane] = end;
        const { left, width } = faultBand(r, durationMs);
        return (
          <span
            key={r.index}
            className={`fault-band fault-${r.status}${r.live ? ' is-live' : ''}`}
            style={{ left: `${left}%`, width: `${width}%`, top: `${Math.min(lane, 2) * 4}px` }}
            title={`${r.kind} on ${r.target}, ${formatClock(r.atMs)} → ${r.untilMs === null ? 'end' : formatClock(r.untilMs)}`}
          />
        );
      })}
    </div>
  );
}
