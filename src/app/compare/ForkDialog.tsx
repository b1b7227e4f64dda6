/**
 * "What if from here…": paused at t, B is the run on the canvas with one setting changed from t
 * on (a timed change, `changes: [{ atMs: t, set }]`) or a new fault starting at t. Both runs are
 * put at t: before it they are the same run, event for event; after it they part. A setting the
 * model cannot change mid-run is refused with the reason the scenario gives (validation of the
 * variant in A's worker), and nothing on screen changes.
 */
import { useMemo, useState } from 'react';
import type { FaultKind } from '../../scenario/schema';
import type { Problem } from '../../scenario/validate';
import { getSetting, parseValue } from '../../scenario/paths';
import { withLiveFault } from '../../run/live';
import { useController } from '../context';
import { useApp } from '../store';
import { formatClock } from '../format';
import { DURATIONS, FAULT_HELP, FAULT_PARAM, defaultFault, faultKindsFor, faultTargets } from '../faults/kinds';
import { Dialog } from './CompareMode';
import { ProblemList } from './ProblemList';
import { settingPaths, shortValue } from './diff';
import { canvasDocument, fitName, forkProblems, plainOf, settingsName, startCompare, withVariant } from './mode';
import { SUPERSEDED } from '../simulation';

type Obj = Record<string, unknown>;

/** Times are kept to the microsecond, as live faults are. */
const round3 = (ms: number) => Math.round(ms * 1000) / 1000;

export default function ForkDialog({ onClose }: { onClose: () => void }) {
  const controller = useController();
  const document = useApp((s) => s.document);
  const scenario = useApp((s) => s.scenario);
  const topology = useApp((s) => s.topology);
  const atMs = round3(useApp.getState().simTimeMs);
  const [mode, setMode] = useState<'setting' | 'fault'>('setting');
  const [path, setPath] = useState('');
  const [valueText, setValueText] = useState('');
  const [target, setTarget] = useState('');
  const [kind, setKind] = useState<FaultKind | ''>('');
  const [strength, setStrength] = useState('');
  const [durationIndex, setDurationIndex] = useState(2);
  const [problems, setProblems] = useState<Problem[] | null>(null);
  const [busy, setBusy] = useState(false);
  const paths = useMemo(() => settingPaths(plainOf(document)), [document]);

  const targets = scenario && topology ? faultTargets(scenario, topology.edges) : [];
  const chosenTarget = targets.some((t) => t.target === target) ? target : (targets[0]?.target ?? '');
  const kinds = scenario && chosenTarget ? faultKindsFor(scenario, chosenTarget) : [];
  const chosenKind = kind !== '' && kinds.includes(kind) ? kind : (kinds[0] ?? '');
  const param = chosenKind ? FAULT_PARAM[chosenKind] : undefined;
  const current = path.trim() === '' ? null : getSetting(plainOf(document), path.trim());

  const go = async () => {
    setProblems(null);
    const base = plainOf(document) as Obj;
    let set: Record<string, unknown>;
    let name: string;
    if (mode === 'setting') {
      const p = path.trim();
      if (p === '') return setProblems([{ path: 'setting', message: 'name a setting, e.g. nodes[api].calls[db].retry.maxAttempts' }]);
      if (valueText.trim() === '') return setProblems([{ path: p, message: 'give the value it takes from this moment' }]);
      const value = parseValue(valueText.trim());
      const changes = Array.isArray(base.changes) ? (base.changes as unknown[]) : [];
      set = { changes: [...changes, { atMs, set: { [p]: value } }] };
      name = settingsName(`from ${formatClock(atMs)}: `, [[p, shortValue(value, 30)]]);
    } else {
      if (!chosenTarget || !chosenKind) return setProblems([{ path: 'fault', message: 'this scenario has nothing a fault can be aimed at' }]);
      const value = strength.trim() === '' ? undefined : Number(strength);
      if (param && value !== undefined && (!Number.isFinite(value) || value < param.min || value > param.max)) {
        return setProblems([{ path: `fault.${param.key}`, message: `must be a number from ${param.min} to ${param.max}` }]);
      }
      const fault = defaultFault(chosenKind, chosenTarget, DURATIONS[durationIndex]?.ms ?? null, value);
      const withFault = withLiveFault(base as never, fault, atMs) as Obj;
      set = { faults: withFault.faults };
      name = fitName(`from ${formatClock(atMs)}: ${chosenKind} on ${chosenTarget}`);
    }
    setBusy(true);
    // A is the run on the canvas as it is (its own variants kept; in compare view, B named as
    // such); B is A with the fork.
    const baseDoc = canvasDocument(document);
    const result = await startCompare(controller, withVariant(baseDoc, name, set, `A fork at ${formatClock(atMs)}: the same run until then.`), name, { seekMs: atMs, forkAtMs: atMs });
    setBusy(false);
    if (result === true) onClose();
    else if (result !== SUPERSEDED) setProblems(Array.isArray(result) ? forkProblems(result) : [{ path: '', message: result }]);
  };

  return (
    <Dialog title="What if from here…" onClose={onClose} wide>
      <p>
        From <strong>{formatClock(atMs)}</strong> on, B differs from the run on screen in one thing. Until then both are the same run, event for event; the charts part only after
        it. Recorded in the document as a timed change (or a fault that starts now), so the link replays it.
      </p>
      <fieldset className="compare-choice">
        <legend>From here, B</legend>
        <label>
          <input type="radio" name="fork-mode" checked={mode === 'setting'} onChange={() => setMode('setting')} data-testid="fork-mode-setting" /> changes a setting
        </label>
        <label>
          <input type="radio" name="fork-mode" checked={mode === 'fault'} onChange={() => setMode('fault')} data-testid="fork-mode-fault" /> adds a fault
        </label>
      </fieldset>
      {mode === 'setting' ? (
        <div className="fork-form">
          <label>
            Setting (a setting path)
            <input type="text" list="fork-paths" value={path} onChange={(e) => setPath(e.target.value)} placeholder="nodes[api].calls[db].retry.maxAttempts" spellCheck={false} data-testid="fork-path" />
            <datalist id="fork-paths">
              {paths.map((p) => (
                <option key={p.path} value={p.path}>
                  {shortValue(p.value, 30)}
                </option>
              ))}
            </datalist>
          </label>
          <span className="muted fork-current">{current === null ? '' : current.ok ? `now: ${shortValue(current.value)}` : current.problem.message}</span>
          <label>
            Value from {formatClock(atMs)} (JSON, or a bare word)
            <input type="text" value={valueText} onChange={(e) => setValueText(e.target.value)} placeholder="1" spellCheck={false} data-testid="fork-value" />
          </label>
          <p className="muted">
            Only what the model reads while running can change mid-run (error rates, service times, timeouts, retry settings, arrival rates, a fault&apos;s end); anything else is refused
            with the reason.
          </p>
        </div>
      ) : (
        <div className="fork-form fork-fault">
          <label>
            Target
            <select value={chosenTarget} onChange={(e) => setTarget(e.target.value)} data-testid="fork-target">
              {targets.map((t) => (
                <option key={t.target} value={t.target}>
                  {t.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            Fault
            <select value={chosenKind} onChange={(e) => setKind(e.target.value as FaultKind)} data-testid="fork-kind">
              {kinds.map((k) => (
                <option key={k} value={k}>
                  {k} — {FAULT_HELP[k]}
                </option>
              ))}
            </select>
          </label>
          {param ? (
            <label>
              {param.label}
              <input type="number" min={param.min} max={param.max} step={param.step} value={strength === '' ? String(param.value) : strength} onChange={(e) => setStrength(e.target.value)} />
            </label>
          ) : null}
          <label>
            For
            <select value={durationIndex} onChange={(e) => setDurationIndex(Number(e.target.value))}>
              {DURATIONS.map((d, i) => (
                <option key={d.label} value={i}>
                  {d.label}
                </option>
              ))}
            </select>
          </label>
        </div>
      )}
      {problems ? <ProblemList title="B could not be made:" problems={problems} /> : null}
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="btn btn-primary" onClick={() => void go()} disabled={busy} data-testid="fork-go">
          Compare from {formatClock(atMs)}
        </button>
      </div>
    </Dialog>
  );
}
