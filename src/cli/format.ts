/** The CLI's readable summary: a few aligned tables, no colours (pipes and CI logs stay clean). */
import type { RunSummary } from '../run';

function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd()).join('\n');
}

function num(v: unknown): string {
  if (typeof v !== 'number') return v === null || v === undefined ? '-' : String(v);
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  return Math.abs(v) >= 100 ? v.toFixed(1) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toFixed(3);
}

/**
 * What a run was asked to be besides its document (`sim --variant`, `--set`): a line under the
 * summary's title, so a CI log of several runs of one document says which run each is. Empty
 * when neither was given.
 */
export interface RunAs {
  variant?: string;
  settings?: readonly (readonly [string, unknown])[];
}

function runAsLine(as: RunAs): string | null {
  const parts: string[] = [];
  if (as.variant !== undefined) parts.push(`variant ${JSON.stringify(as.variant)}`);
  for (const [path, value] of as.settings ?? []) parts.push(`--set ${path}=${JSON.stringify(value)}`);
  return parts.length === 0 ? null : `run as: ${parts.join(', ')}`;
}

export function formatSummary(s: RunSummary, as: RunAs = {}): string {
  const r = s.requests;
  const ended = r.ok + r.failed;
  const out: string[] = [];
  out.push(`${s.name}  (seed ${JSON.stringify(s.seed)})`);
  const runAs = runAsLine(as);
  if (runAs) out.push(runAs);
  out.push(`simulated ${num(s.simTimeMs / 1000)} s, ${num(s.events)} events, trace ${s.traceHash}`);
  if (s.stoppedBy) out.push(`STOPPED EARLY: ${s.stoppedBy}`);
  out.push('');
  out.push(
    table([
      ['requests', 'sent', 'ok', 'failed', 'in flight', 'success'],
      ['', num(r.sent), num(r.ok), num(r.failed), num(r.inFlight), ended > 0 ? `${((100 * r.ok) / ended).toFixed(2)}%` : '-'],
    ]),
  );
  const statuses = Object.entries(r.byStatus);
  if (statuses.length > 0) out.push(`by status: ${statuses.map(([k, v]) => `${k} ${num(v)}`).join(', ')}`);
  const l = s.latencyMs;
  out.push('');
  out.push(
    table([
      ['latency (ms)', 'mean', 'p50', 'p90', 'p99', 'max'],
      ['end to end', num(l.mean), num(l.p50), num(l.p90), num(l.p99), num(l.max)],
    ]),
  );
  if (s.sagas) {
    const g = s.sagas;
    out.push('');
    out.push(
      table([
        ['sagas', 'started', 'completed', 'compensated', 'stuck', 'running'],
        ['', num(g.started), num(g.completed), num(g.compensated), num(g.stuck), num(g.running)],
        ...(g.choreographed
          ? [['choreographed', num(g.choreographed.started), num(g.choreographed.completed), num(g.choreographed.compensated), num(g.choreographed.stuck), num(g.choreographed.running)]]
          : []),
      ]),
    );
  }
  const kinds = new Map<string, [string, Record<string, unknown>][]>();
  for (const [id, n] of Object.entries(s.nodes)) {
    const list = kinds.get(n.kind) ?? [];
    list.push([id, n]);
    kinds.set(n.kind, list);
  }
  for (const [kind, nodes] of kinds) {
    // Every key any node of the kind has (a service with instance features has more than one without).
    const cols = [...new Set(nodes.flatMap(([, n]) => Object.keys(n)))].filter((k) => k !== 'kind');
    out.push('');
    out.push(table([[kind, ...cols], ...nodes.map(([id, n]) => [id, ...cols.map((c) => num(n[c]))])]));
  }
  out.push('');
  out.push(s.invariants.ok ? 'invariants: ok' : `invariants: BROKEN\n${s.invariants.violations.map((v) => `  ${v}`).join('\n')}`);
  return `${out.join('\n')}\n`;
}
