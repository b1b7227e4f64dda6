/**
 * Compare view (loaded lazily, the first time a comparison is asked for): the strip above the
 * canvas (A and B, the variant chooser, fork, sweep, close), the panel under it (B's settings as a
 * diff from A, the delta table, A and B on shared charts) and the dialogs that start a comparison.
 */
import './compare.css';
import { Suspense, lazy, useEffect, useState } from 'react';
import { useController } from '../context';
import { showToast, useApp } from '../store';
import { formatClock } from '../format';
import { variantNames } from '../../scenario/variants';
import type { Problem } from '../../scenario/validate';
import { useCompareFlags } from './request';
import { useCompare } from './state';
import { closeCompare, plainOf, startCompare, withVariant } from './mode';
import { SUPERSEDED } from '../simulation';
import { deltaRows, formatFigure } from './deltas';
import { listDelta, shortValue } from './diff';
import { OverlayCharts } from './OverlayCharts';
import { ProblemList } from './ProblemList';

const ForkDialog = lazy(() => import('./ForkDialog'));
const SweepDialog = lazy(() => import('./SweepDialog'));

export function CompareStrip() {
  const controller = useController();
  const active = useCompareFlags((s) => s.active);
  const base = useCompare((s) => s.base);
  const variant = useCompare((s) => s.variant);
  const forkAtMs = useCompare((s) => s.forkAtMs);
  const failure = useCompare((s) => s.failure);
  const [problems, setProblems] = useState<Problem[] | null>(null);
  if (!active) return null;
  const names = variantNames(base);
  const nameA = (base as { name?: string } | null)?.name ?? 'A';
  const choose = async (name: string) => {
    // Another B while playing goes on playing, as an Apply does (loading B pauses the run).
    const playing = controller.state === 'playing';
    // Where B parts from A is the chosen variant's own (a fork's moment, or none).
    const result = await startCompare(controller, base, name, { seekMs: useApp.getState().simTimeMs });
    if (result === true && playing) controller.play();
    else if (result !== true && result !== SUPERSEDED) setProblems(Array.isArray(result) ? result : [{ path: '', message: result }]);
  };
  return (
    <section className="compare-strip" aria-label="Comparison" data-testid="compare-strip">
      <span className="compare-tag compare-tag-a" title="Run A: the document as it is">
        A
      </span>
      <span className="compare-name" title={nameA}>
        {nameA}
      </span>
      <span className="compare-vs">vs</span>
      <span className="compare-tag compare-tag-b" title="Run B, on the canvas: the variant">
        B
      </span>
      <select aria-label="Variant shown as B" value={variant} onChange={(e) => void choose(e.target.value)} data-testid="compare-variant">
        {names.map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
      {forkAtMs !== null ? <span className="compare-fork">fork at {formatClock(forkAtMs)}</span> : null}
      <span className="compare-hint" title="The canvas runs B (edit it in the inspector); A runs beside it on the same seed and clock.">
        The canvas runs B (edit it in the inspector); A runs beside it on the same seed and clock.
      </span>
      <button type="button" className="btn btn-small" onClick={() => void closeCompare(controller)} data-testid="compare-close" aria-label="Close the comparison (back to A)">
        Close
      </button>
      {failure ? <span className="compare-failure">{failure}</span> : null}
      {problems ? <ProblemList title="That variant could not be opened:" problems={problems} onClose={() => setProblems(null)} /> : null}
    </section>
  );
}

function DiffList() {
  const diff = useCompare((s) => s.diff);
  return (
    <section className="compare-diff" aria-label="What B changes" data-testid="compare-diff">
      <h3>B changes {diff.length === 1 ? '1 setting' : `${diff.length} settings`}</h3>
      {diff.length === 0 ? (
        <p className="muted">Nothing yet: select a node on the canvas and change a setting in the inspector.</p>
      ) : (
        <ul>
          {diff.map((c) => {
            const list = listDelta(c.before, c.after);
            if (list) {
              return (
                <li key={c.path} data-testid="compare-diff-list">
                  <code className="compare-path">{c.path}</code>
                  {list.added.length + list.removed.length === 0 ? ' the same elements in another order' : null}
                  {list.removed.map((x, i) => (
                    <span key={`r${i}`}>
                      {' '}
                      − <span className="compare-before">{shortValue(x)}</span>
                    </span>
                  ))}
                  {list.added.map((x, i) => (
                    <span key={`a${i}`}>
                      {' '}
                      + <strong className="compare-after">{shortValue(x)}</strong>
                    </span>
                  ))}
                </li>
              );
            }
            return (
              <li key={c.path}>
                <code className="compare-path">{c.path}</code> <span className="compare-before">{shortValue(c.before)}</span> → <strong className="compare-after">{shortValue(c.after)}</strong>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function DeltaTable() {
  const a = useCompare((s) => s.a.summary);
  const b = useApp((s) => s.summary);
  if (!a || !b) return <p className="muted">Loading both runs…</p>;
  const rows = deltaRows(a, b);
  const apart = Math.abs(a.simTimeMs - b.simTimeMs) >= 1;
  return (
    <section className="compare-deltas" aria-label="The figures of A and B">
      <table className="delta-table" data-testid="delta-table">
        <caption>
          At {formatClock(b.simTimeMs)}
          {apart ? ` (A at ${formatClock(a.simTimeMs)})` : ''}, same seed: <span className="better-mark">◆</span> marks the better side
        </caption>
        <thead>
          <tr>
            <th scope="col">figure</th>
            <th scope="col">A</th>
            <th scope="col">B</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} data-testid={`delta-${r.key}`} data-a={r.a ?? ''} data-b={r.b ?? ''} data-winner={r.winner ?? ''} title={r.note ?? `${r.better} is better`}>
              <th scope="row">
                {r.label}
                <span className="delta-dir">{r.better === 'higher' ? ' ↑' : ' ↓'}</span>
              </th>
              <td className={r.winner === 'a' ? 'is-better' : ''}>
                {formatFigure(r.a, r.format)}
                {r.winner === 'a' ? <span className="better-mark" aria-label="better"> ◆</span> : null}
              </td>
              <td className={r.winner === 'b' ? 'is-better' : ''}>
                {formatFigure(r.b, r.format)}
                {r.winner === 'b' ? <span className="better-mark" aria-label="better"> ◆</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function ComparePanel() {
  const active = useCompareFlags((s) => s.active);
  if (!active) return null;
  return (
    <section className="bottom compare-panel" aria-label="A and B compared" data-testid="compare-panel">
      <div className="compare-panel-body">
        <div className="compare-left">
          <DeltaTable />
          <DiffList />
        </div>
        <OverlayCharts />
      </div>
    </section>
  );
}

/** The "Compare…" dialog: B is one of the document's variants, or a new one to edit in the inspector. */
function CompareDialog({ onClose }: { onClose: () => void }) {
  const controller = useController();
  const document = useApp((s) => s.document);
  const active = useCompareFlags((s) => s.active);
  const base = active ? useCompare.getState().base : document;
  const names = variantNames(base);
  const [choice, setChoice] = useState(names[0] ?? '');
  const [newName, setNewName] = useState(() => freshName(names));
  const [problems, setProblems] = useState<Problem[] | null>(null);
  const [busy, setBusy] = useState(false);
  const isNew = choice === '' || !names.includes(choice);
  const start = async () => {
    const name = isNew ? newName.trim() : choice;
    if (name === '') {
      setProblems([{ path: 'variants[].name', message: 'give the new variant a name' }]);
      return;
    }
    if (isNew && names.includes(name)) {
      setProblems([{ path: 'variants[].name', message: `"${name}" is already a variant: choose it above, or give another name` }]);
      return;
    }
    setBusy(true);
    const doc = isNew ? withVariant(base, name, {}) : base;
    // Both runs start where the run on screen is.
    const result = await startCompare(controller, doc, name, { seekMs: useApp.getState().simTimeMs });
    setBusy(false);
    if (result === true) {
      onClose();
      if (isNew) showToast(`B is "${name}", the same as A for now: change settings in the inspector and the diff lists them.`);
    } else if (result !== SUPERSEDED) setProblems(Array.isArray(result) ? result : [{ path: '', message: result }]);
  };
  return (
    <Dialog title="Compare two runs" onClose={onClose}>
      <p>
        A is the scenario as it is. B is a variant: the same document with some settings replaced, run on the same seed, so both see the same arrivals and fault draws and
        the difference is the settings alone.
      </p>
      <fieldset className="compare-choice">
        <legend>B is</legend>
        {names.map((n) => (
          <label key={n}>
            <input type="radio" name="compare-b" value={n} checked={choice === n} onChange={() => setChoice(n)} /> the variant <strong>{n}</strong>
          </label>
        ))}
        <label>
          <input type="radio" name="compare-b" value="" checked={isNew} onChange={() => setChoice('')} data-testid="compare-new" /> a new variant named{' '}
          <input type="text" aria-label="Name of the new variant" value={newName} onChange={(e) => setNewName(e.target.value)} onFocus={() => setChoice('')} maxLength={80} />
        </label>
      </fieldset>
      {problems ? <ProblemList title="The comparison could not be opened:" problems={problems} onClose={() => setProblems(null)} /> : null}
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="btn btn-primary" onClick={() => void start()} disabled={busy} data-testid="compare-start">
          Compare
        </button>
      </div>
    </Dialog>
  );
}

function freshName(names: readonly string[]): string {
  for (let i = 0; ; i++) {
    const n = i === 0 ? 'B' : `B${i + 1}`;
    if (!names.includes(n)) return n;
  }
}

export function Dialog({ title, onClose, children, wide }: { title: string; onClose: () => void; children: React.ReactNode; wide?: boolean }) {
  useEffect(() => {
    const esc = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', esc);
    return () => window.removeEventListener('keydown', esc);
  }, [onClose]);
  return (
    <div className="overlay" role="presentation" onClick={onClose}>
      <div className={`dialog compare-dialog${wide ? ' dialog-wide' : ''}`} role="dialog" aria-modal="true" aria-label={title} onClick={(e) => e.stopPropagation()}>
        <div className="dialog-head">
          <h2>{title}</h2>
          <button type="button" className="icon-btn" onClick={onClose} aria-label={`Close: ${title}`}>
            ×
          </button>
        </div>
        {children}
      </div>
    </div>
  );
}

/** Handles what asked for compare view: a variant to open, or a dialog. */
export function CompareDialogs() {
  const controller = useController();
  const request = useCompareFlags((s) => s.request);
  const [failed, setFailed] = useState<Problem[] | null>(null);
  useEffect(() => {
    if (request?.type !== 'variant') return;
    useCompareFlags.setState({ request: null });
    const document = useApp.getState().document;
    void startCompare(controller, document, request.variant, { seekMs: request.seekMs }).then((result) => {
      // A start another document overtook (the address bar moved on) is no failure.
      if (result !== true && result !== SUPERSEDED) setFailed(Array.isArray(result) ? result : [{ path: '', message: result }]);
    });
  }, [request, controller]);
  const close = () => useCompareFlags.setState({ request: null });
  if (failed) {
    return (
      <Dialog title="The comparison could not be opened" onClose={() => setFailed(null)}>
        <ProblemList title="The scenario stays as it is:" problems={failed} />
      </Dialog>
    );
  }
  if (request?.type !== 'dialog') return null;
  if (request.dialog === 'compare') return <CompareDialog onClose={close} />;
  return (
    <Suspense fallback={null}>
      {request.dialog === 'fork' ? <ForkDialog onClose={close} /> : <SweepDialog onClose={close} />}
    </Suspense>
  );
}

export { plainOf };
