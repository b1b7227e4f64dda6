/**
 * Fields for a few settings of the document on screen, by setting path (lessons' goals and
 * challenges): each shows the current value as JSON, and "apply" replaces them all and re-runs.
 */
import { useState } from 'react';
import { getSetting, parseValue } from '../../scenario/paths';
import { applySettings } from '../../scenario/variants';
import { useApp } from '../store';

export function currentText(document: unknown, path: string): string {
  const g = getSetting(document, path);
  if (!g.ok) return '';
  return g.value === undefined ? '' : JSON.stringify(g.value);
}

/** The document with the fields' values applied (an empty field leaves that setting as it is). */
export function withFields(document: unknown, values: Record<string, string>): { ok: true; document: unknown } | { ok: false; message: string } {
  const set: Record<string, unknown> = {};
  for (const [path, text] of Object.entries(values)) {
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = parseValue(text);
    } catch (e) {
      return { ok: false, message: `${path}: ${e instanceof Error ? e.message : String(e)}` };
    }
    set[path] = value;
  }
  const r = applySettings(document, set);
  return r.ok ? { ok: true, document: r.document } : { ok: false, message: r.problems.map((p) => `${p.path}: ${p.message}`).join('; ') };
}

export function useSettingValues(paths: readonly string[]): [Record<string, string>, (path: string, text: string) => void, () => void] {
  const document = useApp((s) => s.document);
  const [edits, setEdits] = useState<Record<string, string>>({});
  const values: Record<string, string> = {};
  for (const p of paths) values[p] = edits[p] ?? currentText(document, p);
  return [values, (path, text) => setEdits((e) => ({ ...e, [path]: text })), () => setEdits({})];
}

export function SettingFields({ paths, values, onChange, testId }: { paths: readonly string[]; values: Record<string, string>; onChange: (path: string, text: string) => void; testId: string }) {
  return (
    <div className="setting-fields" data-testid={testId}>
      {paths.map((path) => (
        <label key={path} className="setting-field">
          <code className="setting-path" title={path}>
            {path}
          </code>
          <input
            className="field-input"
            value={values[path] ?? ''}
            placeholder="(not set)"
            spellCheck={false}
            aria-label={`Setting ${path}`}
            onChange={(e) => onChange(path, e.target.value)}
            data-testid={`setting-${path}`}
          />
        </label>
      ))}
    </div>
  );
}
