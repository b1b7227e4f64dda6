/** The run summary in big numbers, and the scenario's description. */
import { useApp } from './store';
import { formatCount, formatMs, formatPercent } from './format';
import { Description } from './Description';

function Big({ label, value, raw, tone, testId }: { label: string; value: string; raw?: string | number; tone?: 'ok' | 'bad' | undefined; testId: string }) {
  return (
    <div className={`big${tone ? ` big-${tone}` : ''}`}>
      <dt className="big-label">{label}</dt>
      <dd className="big-value" data-testid={testId} data-value={raw === undefined ? undefined : String(raw)}>
        {value}
      </dd>
    </div>
  );
}

export function SummaryPanel() {
  const summary = useApp((s) => s.summary);
  const description = useApp((s) => s.scenario?.description ?? '');
  const r = summary?.requests;
  const done = r ? r.ok + r.failed : 0;
  return (
    <aside className="side" aria-label="Run summary">
      <h2 className="side-title">Summary</h2>
      <dl className="bigs">
        <Big label="requests sent" value={formatCount(r?.sent ?? 0)} raw={r?.sent ?? 0} testId="summary-sent" />
        <Big label="in flight" value={formatCount(r?.inFlight ?? 0)} raw={r?.inFlight ?? 0} testId="summary-inflight" />
        <Big label="ok" value={formatCount(r?.ok ?? 0)} raw={r?.ok ?? 0} tone="ok" testId="summary-ok" />
        <Big label="failed" value={formatCount(r?.failed ?? 0)} raw={r?.failed ?? 0} tone={(r?.failed ?? 0) > 0 ? 'bad' : undefined} testId="summary-failed" />
        <Big label="success rate" value={formatPercent(r?.ok ?? 0, done)} testId="summary-success" />
        <Big label="events" value={formatCount(summary?.events ?? 0)} raw={summary?.events ?? 0} testId="summary-events" />
        <Big label="p50 latency" value={done > 0 ? formatMs(summary!.latencyMs.p50) : '—'} raw={summary?.latencyMs.p50} testId="summary-p50" />
        <Big label="p99 latency" value={done > 0 ? formatMs(summary!.latencyMs.p99) : '—'} raw={summary?.latencyMs.p99} testId="summary-p99" />
      </dl>
      <p className="trace">
        trace{' '}
        <code title={`Trace hash ${summary?.traceHash ?? ''}: equal runs, equal hash`} data-testid="summary-trace" data-value={summary?.traceHash ?? ''}>
          {summary?.traceHash.slice(0, 8) ?? '—'}
        </code>
        {summary && !summary.invariants.ok ? <span className="invariants-bad"> accounting broken: {summary.invariants.violations.length}</span> : null}
        {summary?.stoppedBy ? <span className="invariants-bad"> stopped: {summary.stoppedBy}</span> : null}
      </p>
      {description ? <Description text={description} /> : null}
    </aside>
  );
}
