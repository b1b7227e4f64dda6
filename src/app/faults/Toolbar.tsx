/**
 * The toolbar under the playback bar: presets, open and save a file, inject a fault (target,
 * kind, duration), and the keyboard help. Right-clicking a node or an edge offers the same faults.
 */
import './faults.css';
import { useRef, useState } from 'react';
import type { FaultKind } from '../../scenario/schema';
import { useController } from '../context';
import { showToast, useApp } from '../store';
import { PresetPicker } from '../PresetPicker';
import { HelpOverlay } from '../HelpOverlay';
import { CompareButtons } from '../compare/CompareButtons';
import { readJsonFile, saveDocument } from '../files';
import { DURATIONS, FAULT_HELP, FAULT_PARAM, defaultFault, faultKindsFor, faultTargets } from './kinds';

export function Toolbar() {
  const controller = useController();
  const scenario = useApp((s) => s.scenario);
  const topology = useApp((s) => s.topology);
  const fileRef = useRef<HTMLInputElement>(null);
  const [target, setTarget] = useState('');
  const [kind, setKind] = useState<FaultKind | ''>('');
  const [durationIndex, setDurationIndex] = useState(1);
  /** The chosen strength of each kind (FAULT_PARAM), kept while switching kinds. */
  const [values, setValues] = useState<Partial<Record<FaultKind, string>>>({});

  const targets = scenario && topology ? faultTargets(scenario, topology.edges) : [];
  const chosenTarget = targets.some((t) => t.target === target) ? target : (targets[0]?.target ?? '');
  const kinds = scenario && chosenTarget ? faultKindsFor(scenario, chosenTarget) : [];
  const chosenKind = kind !== '' && kinds.includes(kind) ? kind : (kinds[0] ?? '');
  const param = chosenKind ? FAULT_PARAM[chosenKind] : undefined;
  const valueText = chosenKind ? (values[chosenKind] ?? String(param?.value ?? '')) : '';
  const value = Number(valueText);
  const valueOk = !param || (valueText.trim() !== '' && Number.isFinite(value) && value >= param.min && value <= param.max);

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
    <div className="toolbar" role="toolbar" aria-label="Scenario and faults">
      <div className="toolbar-group">
        <PresetPicker />
        <button type="button" className="btn" onClick={() => fileRef.current?.click()} aria-label="Open a scenario file">
          Open…
        </button>
        <input
          ref={fileRef}
          type="file"
          accept="application/json,.json"
          hidden
          data-testid="open-file"
          onChange={(e) => {
            void open(e.target.files?.[0]);
            e.target.value = '';
          }}
        />
        <button
          type="button"
          className="btn"
          disabled={!scenario}
          onClick={() => saveDocument(useApp.getState().document, scenario?.name ?? 'scenario')}
          aria-label="Save the scenario as JSON"
        >
          Save JSON
        </button>
        <CompareButtons />
      </div>
      <form
        className="toolbar-group inject"
        aria-label="Inject a fault"
        onSubmit={(e) => {
          e.preventDefault();
          if (chosenTarget && chosenKind && valueOk) void controller.inject(defaultFault(chosenKind, chosenTarget, DURATIONS[durationIndex]!.ms, param ? value : undefined));
        }}
      >
        <span className="toolbar-label">Inject</span>
        <select aria-label="Fault kind" value={chosenKind} onChange={(e) => setKind(e.target.value as FaultKind)} disabled={kinds.length === 0}>
          {kinds.map((k) => (
            <option key={k} value={k} title={FAULT_HELP[k]}>
              {k}
            </option>
          ))}
        </select>
        <span className="toolbar-label">on</span>
        <select aria-label="Fault target" value={chosenTarget} onChange={(e) => setTarget(e.target.value)} disabled={targets.length === 0}>
          {targets.map((t) => (
            <option key={t.target} value={t.target}>
              {t.label}
            </option>
          ))}
        </select>
        {param && chosenKind ? (
          <label className="toolbar-param" title={FAULT_HELP[chosenKind]}>
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
            <span className="toolbar-label">{param.label}</span>
          </label>
        ) : null}
        <span className="toolbar-label">for</span>
        <select aria-label="Fault duration" value={String(durationIndex)} onChange={(e) => setDurationIndex(Number(e.target.value))}>
          {DURATIONS.map((d, i) => (
            <option key={d.label} value={String(i)}>
              {d.label}
            </option>
          ))}
        </select>
        <button type="submit" className="btn btn-danger" disabled={!chosenKind || !valueOk} aria-label="Inject the fault now">
          ⚡ Inject
        </button>
        {chosenKind && !param ? <span className="toolbar-hint">{FAULT_HELP[chosenKind]}</span> : null}
      </form>
      <div className="toolbar-group toolbar-end">
        <HelpOverlay />
      </div>
    </div>
  );
}
