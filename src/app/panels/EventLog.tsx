/**
 * The event log: the latest events the worker's ring holds (the trace hash covers every event;
 * the ring keeps the last ten thousand), filtered by node, kind and correlation id. It refreshes
 * as the run moves (at most twice a second). A row that belongs to a request opens its waterfall.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { LoggedEvent } from '../../run/types';
import { useApp } from '../store';
import { useController } from '../context';
import { formatClock } from '../format';

const KIND_GROUPS = [
  { value: '', label: 'all kinds' },
  { value: 'request.', label: 'requests' },
  { value: 'attempt.', label: 'attempts' },
  { value: 'retry.', label: 'retries' },
  { value: 'timeout', label: 'timeouts' },
  { value: 'breaker.', label: 'breakers' },
  { value: 'fallback', label: 'fallbacks' },
  { value: 'message.', label: 'messages' },
  { value: 'fault.', label: 'faults' },
  { value: 'reject', label: 'rejections' },
] as const;

/** Rejections come in several kinds; the filter asks for all of them. */
function kindsOf(group: string): string[] | undefined {
  if (group === '') return undefined;
  if (group === 'reject') return ['breaker.reject', 'bulkhead.reject', 'ratelimit.reject', 'service.reject'];
  return [group];
}

const SHOWN = 300;
const SKIP = new Set(['t', 'kind', 'node', 'correlationId', 'requestId']);

function details(e: LoggedEvent): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(e)) {
    if (SKIP.has(k) || v === null || v === undefined) continue;
    parts.push(`${k}=${typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 1000) / 1000 : String(v)}`);
  }
  return parts.join('  ');
}

export function EventLog({ onOpenRequest }: { onOpenRequest: (requestId: number) => void }) {
  const controller = useController();
  const nodes = useApp((s) => s.topology?.nodes);
  const simTimeMs = useApp((s) => s.simTimeMs);
  const loadCount = useApp((s) => s.loadCount);
  const [node, setNode] = useState('');
  const [group, setGroup] = useState('');
  const [correlation, setCorrelation] = useState('');
  const [result, setResult] = useState<{ events: LoggedEvent[]; matched: number; held: number }>({ events: [], matched: 0, held: 0 });
  // Refresh at most twice a second of wall time while the clock moves.
  const tick = useThrottled(simTimeMs, 500);

  useEffect(() => {
    let live = true;
    const kinds = kindsOf(group);
    void controller
      .queryEvents({ limit: SHOWN, ...(node ? { node } : {}), ...(kinds ? { kinds } : {}), ...(correlation.trim() ? { correlationId: correlation.trim() } : {}) })
      .then((r) => {
        if (live) setResult(r);
      });
    return () => {
      live = false;
    };
  }, [controller, node, group, correlation, tick, loadCount]);

  const rows = useMemo(() => [...result.events].reverse(), [result.events]);
  return (
    <div className="eventlog" data-testid="event-log">
      <div className="panel-filters">
        <label>
          node
          <select value={node} onChange={(e) => setNode(e.target.value)} aria-label="Filter by node">
            <option value="">all nodes</option>
            {nodes?.map((n) => (
              <option key={n.id} value={n.id}>
                {n.id}
              </option>
            ))}
          </select>
        </label>
        <label>
          kind
          <select value={group} onChange={(e) => setGroup(e.target.value)} aria-label="Filter by kind">
            {KIND_GROUPS.map((k) => (
              <option key={k.value} value={k.value}>
                {k.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          correlation id
          <input value={correlation} onChange={(e) => setCorrelation(e.target.value)} placeholder="c-123" aria-label="Filter by correlation id" size={10} />
        </label>
        <span className="panel-note" data-testid="event-log-count">
          {result.matched > rows.length ? `latest ${rows.length} of ${result.matched} matching` : `${result.matched} matching`} · the ring holds the last {result.held.toLocaleString('en-US')} events
        </span>
      </div>
      <div className="eventlog-scroll">
        <table className="eventlog-table">
          <thead>
            <tr>
              <th>time</th>
              <th>kind</th>
              <th>node</th>
              <th>request</th>
              <th>details</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((e, i) => {
              const rid = typeof e.requestId === 'number' ? e.requestId : null;
              return (
                <tr key={`${e.t}-${i}-${e.kind}`} className={`ev ev-${e.kind.replace('.', '-')}`}>
                  <td className="ev-t">{formatClock(e.t)}</td>
                  <td className="ev-kind">{e.kind}</td>
                  <td>{e.node}</td>
                  <td>
                    {rid !== null ? (
                      <button type="button" className="linkish" onClick={() => onOpenRequest(rid)} title="Show this request's waterfall">
                        c-{rid}
                      </button>
                    ) : null}
                  </td>
                  <td className="ev-detail">{details(e)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {rows.length === 0 ? <p className="panel-empty">No events match yet.</p> : null}
      </div>
    </div>
  );
}

/** `value`, but changing at most once per `ms` of wall time (the last change always lands). */
export function useThrottled<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    // A new value re-arms the timer for what is left of the current window, so it fires on time.
    const wait = Math.max(0, last.current + ms - performance.now());
    const id = setTimeout(() => {
      last.current = performance.now();
      setShown(value);
    }, wait);
    return () => clearTimeout(id);
  }, [value, ms]);
  return shown;
}
