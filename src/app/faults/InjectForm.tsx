/**
 * Inject a fault now: target, kind, strength and duration (the Inspect tab of the side panel;
 * right-clicking a node or an edge offers the same faults). `OpenFileInput` is the hidden file
 * picker the menu's "Open a scenario file…" clicks.
 */
import './faults.css';
import { useRef, useState } from 'react';
import type { FaultKind } from '../../scenario/schema';
import { useController } from '../context';
import { showToast, useApp } from '../store';
import { readJsonFile } from '../files';
import { DURATIONS, FAULT_PARAM, defaultFault, faultHelp, faultKindsFor, faultTargets, instanceChoices, onInstance } from './kinds';

export function OpenFileInput() {
  const controller = useController();
  const fileRef = useRef<HTMLInputElement>(null);
  const open = async (file: File | undefined) => {
    if (!file) return;
    const read = await readJsonFile(file);
    if (!read.ok) {
      showToast(`${file.name}: ${read.error}`);
      return;
    }
    const result = await controller.openDocument(read.document);
    if (result === true) showToast(`Opened ${file.name}.`);
    else if (Array.isArray(result)) useApp.setState({ banner: { title: `${file.name} is not a valid scenario; the one on screen stays.`, problems: result } });
    else showToast(result);
  };
  return (
    <input
      ref={fileRef}
      type="file"
      accept="application/json,.json"
      hidden
      aria-label="Open a scenario file"
      data-testid="open-file"
      onChange={(e) => {
        void open(e.target.files?.[0]);
        e.target.value = '';
      }}
    />
  );
}

export function InjectForm() {
  const controller = useController();
  const scenario = useApp((s) => s.scenario);
  const topology = useApp((s) => s.topology);
  const [target, setTarget] = useState('');
  const [kind, setKind] = useState<FaultKind | ''>('');
  const [durationIndex, setDurationIndex] = useState(1);
  /** The chosen strength of each kind (FAULT_PARAM), kept while switching kinds. */
  const [values, setValues] = useState<Partial<Record<FaultKind, string>>>({});
  /** The instance chosen ('all', or a 0-based index as text). */
  const [instance, setInstance] = useState('all');

  const targets = scenario && topology ? faultTargets(scenario, topology.edges) : [];
  const chosenTarget = targets.some((t) => t.target === target) ? target : (targets[0]?.target ?? '');
  const kinds = scenario && chosenTarget ? faultKindsFor(scenario, chosenTarget) : [];
  const chosenKind = kind !== '' && kinds.includes(kind) ? kind : (kinds[0] ?? '');
  const param = chosenKind ? FAULT_PARAM[chosenKind] : undefined;
  const valueText = chosenKind ? (values[chosenKind] ?? String(param?.value ?? '')) : '';
  const value = Number(valueText);
  const valueOk = !param || (valueText.trim() !== '' && Number.isFinite(value) && value >= param.min && value <= param.max);
  const instances = scenario && chosenTarget ? instanceChoices(scenario, chosenTarget, chosenKind) : 0;
  const chosenInstance = instances > 0 && instance !== 'all' && Number(instance) < instances ? Number(instance) : null;

  return (
    <form
      className="inject"
      aria-label="Inject a fault"
      onSubmit={(e) => {
        e.preventDefault();
        if (chosenTarget && chosenKind && valueOk) void controller.inject(onInstance(defaultFault(chosenKind, chosenTarget, DURATIONS[durationIndex]!.ms, param ? value : undefined), chosenInstance));
      }}
    >
      <h2 className="side-title">Inject a fault</h2>
      <label className="inject-row">
        <span className="toolbar-label">fault</span>
        <select aria-label="Fault kind" value={chosenKind} onChange={(e) => setKind(e.target.value as FaultKind)} disabled={kinds.length === 0}>
          {kinds.map((k) => (
            <option key={k} value={k} title={scenario ? faultHelp(scenario, chosenTarget, k) : undefined}>
              {k}
            </option>
          ))}
        </select>
      </label>
      <label className="inject-row">
        <span className="toolbar-label">on</span>
        <select aria-label="Fault target" value={chosenTarget} onChange={(e) => setTarget(e.target.value)} disabled={targets.length === 0}>
          {targets.map((t) => (
            <option key={t.target} value={t.target}>
              {t.label}
            </option>
          ))}
        </select>
      </label>
      {instances > 0 ? (
        <label className="inject-row" title="Hit one instance only (0-based; after the balancer's pick), or every instance">
          <span className="toolbar-label">instance</span>
          <select aria-label="Fault instance" value={chosenInstance === null ? 'all' : String(chosenInstance)} onChange={(e) => setInstance(e.target.value)}>
            <option value="all">all {instances}</option>
            {Array.from({ length: instances }, (_, i) => (
              <option key={i} value={String(i)}>
                instance {i}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {param && chosenKind ? (
        <label className="inject-row" title={scenario ? faultHelp(scenario, chosenTarget, chosenKind) : undefined}>
          <span className="toolbar-label">{param.label}</span>
          <input
            type="number"
            className={`field-input${valueOk ? '' : ' is-bad'}`}
            aria-label={`Fault strength: ${param.label}`}
            value={valueText}
            min={param.min}
            max={param.max}
            step={param.step}
            onChange={(e) => setValues((v) => ({ ...v, [chosenKind]: e.target.value }))}
          />
        </label>
      ) : null}
      <div className="inject-row">
        <label className="inject-for">
          <span className="toolbar-label">for</span>
          <select aria-label="Fault duration" value={String(durationIndex)} onChange={(e) => setDurationIndex(Number(e.target.value))}>
            {DURATIONS.map((d, i) => (
              <option key={d.label} value={String(i)}>
                {d.label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="btn btn-danger" disabled={!chosenKind || !valueOk} aria-label="Inject the fault now">
          ⚡ Inject
        </button>
      </div>
      {chosenKind && !param && scenario ? <p className="toolbar-hint">{faultHelp(scenario, chosenTarget, chosenKind)}</p> : null}
    </form>
  );
}
