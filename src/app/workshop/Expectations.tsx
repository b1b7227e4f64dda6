/** Checked expectations as a list: each metric, its bound, the run's value, met or not. */
import type { ExpectationResult } from '../../run/expect';
import { figureLabel, formatFigure } from '../side/figures';

export function boundText(min: number | null | undefined, max: number | null | undefined, metric: string): string {
  const lo = min === null || min === undefined ? null : formatFigure(metric, min);
  const hi = max === null || max === undefined ? null : formatFigure(metric, max);
  if (lo !== null && hi !== null) return `between ${lo} and ${hi}`;
  if (lo !== null) return `≥ ${lo}`;
  return `≤ ${hi ?? '—'}`;
}

export function Expectations({ results, testId }: { results: readonly ExpectationResult[]; testId: string }) {
  return (
    <ul className="expectations" data-testid={testId}>
      {results.map((r) => (
        <li key={r.metric} className={r.ok ? 'is-met' : 'is-missed'} data-ok={String(r.ok)}>
          <span aria-hidden="true">{r.ok ? '✓' : '✗'}</span> {figureLabel(r.metric)} {boundText(r.min, r.max, r.metric)}:{' '}
          <strong>{r.error ? r.error : formatFigure(r.metric, r.actual)}</strong>
          <span className="visually-hidden">{r.ok ? ' (met)' : ' (missed)'}</span>
        </li>
      ))}
    </ul>
  );
}
