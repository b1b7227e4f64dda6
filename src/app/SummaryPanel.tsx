/** The run summary in big numbers (the scenario's description and notes follow it: PresetNotes). */
import { useApp } from './store';
import { formatCount, formatMs, formatPercent } from './format';
import { useSeries } from './charts/series';
import type { RunSummary } from '../run/types';

/** Sum of one numeric key over the nodes of a kind (queues' deadLettered, duplicatesProcessed). */
function sumOver(summary: RunSummary | null, kind: string, key: string): number {
  if (!summary) return 0;
  let n = 0;
  for (const node of Object.values(summary.nodes)) if (node.kind === kind && typeof node[key] === 'number') n += node[key];
  return n;
}

function Big({ label, value, raw, tone, testId, note }: { label: string; value: string; raw?: string | number | undefined; tone?: 'ok' | 'bad' | undefined; testId: string; note?: string | undefined }) {
  return (
    <div className={`big${tone ? ` big-${tone}` : ''}`} title={note}>
      {note ? <span className="big-note">{note}</span> : null}
      <dt className="big-label">{label}</dt>
      <dd className="big-value" data-testid={testId} data-value={raw === undefined ? undefined : String(raw)}>
        {value}
      </dd>
    </div>
  );
}

export function SummaryPanel() {
  const summary = useApp((s) => s.summary);
  const r = summary?.requests;
  const done = r ? r.ok + r.failed : 0;
  const totals = useSeries((x) => x.totals);
  const hasQueues = summary ? Object.values(summary.nodes).some((n) => n.kind === 'queue') : false;
  const deadLettered = sumOver(summary, 'queue', 'deadLettered');
  const duplicates = sumOver(summary, 'queue', 'duplicatesProcessed');
  return (
    <section className="summary" aria-label="Run summary">
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
        <Big
          label={totals?.amplifiedTarget ? `calls into ${totals.amplifiedTarget} per request` : 'amplification'}
          value={totals && totals.sent > 0 ? `${totals.amplification.toFixed(1)}×` : '—'}
          raw={totals?.amplification}
          tone={totals && totals.peakAmplification >= 2 ? 'bad' : undefined}
          testId="summary-amplification"
          note={totals && totals.peakAmplification > totals.amplification + 0.05 ? `peak ${totals.peakAmplification.toFixed(1)}×` : undefined}
        />
        {hasQueues ? (
          <>
            <Big label="dead-lettered" value={formatCount(deadLettered)} raw={deadLettered} tone={deadLettered > 0 ? 'bad' : undefined} testId="summary-dead-lettered" />
            <Big label="duplicates processed" value={formatCount(duplicates)} raw={duplicates} tone={duplicates > 0 ? 'bad' : undefined} testId="summary-duplicates" />
          </>
        ) : null}
        {summary?.sagas ? (
          <>
            <Big label="sagas completed" value={formatCount(summary.sagas.completed)} raw={summary.sagas.completed} tone="ok" testId="summary-sagas-completed" note={`${formatCount(summary.sagas.started)} started, ${formatCount(summary.sagas.running)} running`} />
            <Big label="sagas compensated" value={formatCount(summary.sagas.compensated)} raw={summary.sagas.compensated} testId="summary-sagas-compensated" />
            <Big label="sagas stuck" value={formatCount(summary.sagas.stuck)} raw={summary.sagas.stuck} tone={summary.sagas.stuck > 0 ? 'bad' : undefined} testId="summary-sagas-stuck" note={summary.sagas.choreographed ? 'a compensation gave up, the state died in a crash, or a choreographed saga\'s message ended unprocessed with no compensation on its way' : 'a compensation gave up, or the state died in a crash'} />
          </>
        ) : null}
        <Big
          label="invariants"
          value={!summary ? '—' : summary.invariants.ok ? '✓ hold' : `✗ ${summary.invariants.violations.length} broken`}
          raw={summary ? String(summary.invariants.ok) : undefined}
          tone={!summary ? undefined : summary.invariants.ok ? 'ok' : 'bad'}
          testId="summary-invariants"
          note="every request, message and saga ends exactly once"
        />
      </dl>
      <p className="trace">
        trace{' '}
        <code title={`Trace hash ${summary?.traceHash ?? ''}: equal runs, equal hash`} data-testid="summary-trace" data-value={summary?.traceHash ?? ''}>
          {summary?.traceHash.slice(0, 8) ?? '—'}
        </code>
        {summary && !summary.invariants.ok ? <span className="invariants-bad"> accounting broken: {summary.invariants.violations.length}</span> : null}
        {summary?.stoppedBy ? <span className="invariants-bad" data-testid="summary-stopped"> stopped: {summary.stoppedBy}</span> : null}
      </p>
    </section>
  );
}
