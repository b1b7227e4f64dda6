/** The document's fault timeline: each fault, whether it is active, and "end now" for active ones. */
import './faults.css';
import type { Scenario } from '../../scenario/schema';
import { useController } from '../context';
import { useApp } from '../store';
import { formatClock } from '../format';
import { faultRows } from './kinds';

const EMPTY: Scenario['faults'] = [];

export function FaultList() {
  const controller = useController();
  const faults = useApp((s) => s.scenario?.faults ?? EMPTY);
  const simTimeMs = useApp((s) => s.simTimeMs);
  if (faults.length === 0) return null;
  const rows = faultRows(faults, simTimeMs);
  return (
    <section className="faults" aria-label="Faults" data-testid="fault-list">
      <h2 className="side-title">Faults</h2>
      <ul>
        {rows.map((r) => (
          <li key={r.index} className={`fault-row fault-${r.status}`} data-testid={`fault-${r.index}`}>
            <span className="fault-dot" aria-hidden="true" />
            <span className="fault-what">
              <span>
                <strong>{r.kind}</strong> on <code>{r.target}</code>
                {r.instance !== null ? <span data-testid={`fault-${r.index}-instance`}> (instance {r.instance})</span> : null}
              </span>
              <span className="fault-when">
                {formatClock(r.atMs)} → {r.untilMs === null ? 'end' : formatClock(r.untilMs)}
                {r.live ? ' · live' : ''} · {r.status}
              </span>
            </span>
            <button type="button" className="btn btn-small" onClick={() => useApp.setState({ selection: { type: 'fault', index: r.index } })} aria-label={`Edit ${r.kind} on ${r.target}`}>
              Edit
            </button>
            {r.status === 'active' ? (
              <button type="button" className="btn btn-small" onClick={() => void controller.endFault(r.index)} aria-label={`End ${r.kind} on ${r.target} now`}>
                End now
              </button>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
