/**
 * Renders a form field tree (schemaForm.ts) for one part of the document. Values are the
 * document as written: a key left out shows its default (greyed) and stays out until changed.
 * Problems from validation show under the field whose path they name.
 */
import { useId, useState } from 'react';
import type { ReactNode } from 'react';
import type { Problem } from '../../scenario/validate';
import { branchOf, initialValue, listToText, switchBranch, textToList } from './schemaForm';
import { pathString } from '../docPath';
import type { Field, Prop } from './schemaForm';

interface Props {
  field: Field;
  value: unknown;
  onChange: (value: unknown) => void;
  path: (string | number)[];
  problems: Problem[];
  /** The default shown while the value is left out. */
  fallback?: unknown;
  /** The accessible name of the input (the key it edits). */
  name?: string;
}

/** Keys never edited here: ids are what everything else refers to; kinds pick the schema. */
const READ_ONLY = new Set(['id', 'kind']);

function Problems({ path, problems }: { path: (string | number)[]; problems: Problem[] }) {
  const at = pathString(path);
  const mine = problems.filter((p) => p.path === at);
  if (mine.length === 0) return null;
  return (
    <ul className="field-problems" role="alert">
      {mine.map((p, i) => (
        <li key={i}>{p.message}</li>
      ))}
    </ul>
  );
}

function NumberInput({ field, value, onChange, fallback, id, name }: { field: Extract<Field, { type: 'number' }>; value: unknown; onChange: (v: unknown) => void; fallback: unknown; id: string; name: string | undefined }) {
  // The text as typed, so "0." or "" can be passed through while typing.
  const [text, setText] = useState<string | null>(null);
  const shown = text ?? (typeof value === 'number' ? String(value) : '');
  return (
    <input
      id={id}
      aria-label={name}
      type="number"
      inputMode="decimal"
      className="field-input"
      value={shown}
      placeholder={fallback === undefined || fallback === null ? '' : String(fallback)}
      step={field.integer ? 1 : 'any'}
      min={field.min}
      max={field.max}
      onChange={(e) => {
        setText(e.target.value);
        const raw = e.target.value.trim();
        onChange(raw === '' ? undefined : Number(raw));
      }}
      onBlur={() => setText(null)}
    />
  );
}

export function FieldEditor({ field, value, onChange, path, problems, fallback, name }: Props): ReactNode {
  const id = useId();
  switch (field.type) {
    case 'number':
      return (
        <>
          <NumberInput field={field} value={value} onChange={onChange} fallback={fallback} id={id} name={name} />
          <Problems path={path} problems={problems} />
        </>
      );
    case 'string':
      return (
        <>
          <input
            type="text"
            aria-label={name}
            className="field-input"
            value={typeof value === 'string' ? value : ''}
            placeholder={typeof fallback === 'string' ? fallback : ''}
            maxLength={field.maxLength}
            onChange={(e) => onChange(e.target.value === '' && fallback !== undefined ? undefined : e.target.value)}
          />
          <Problems path={path} problems={problems} />
        </>
      );
    case 'enum':
      return (
        <>
          <select aria-label={name} className="field-input" value={value === undefined ? '' : String(value)} onChange={(e) => onChange(e.target.value === '' ? undefined : field.options.find((o) => String(o) === e.target.value))}>
            {value === undefined ? <option value="">{fallback === undefined ? '(choose)' : `${String(fallback)} (default)`}</option> : null}
            {field.options.map((o) => (
              <option key={String(o)} value={String(o)}>
                {String(o)}
              </option>
            ))}
          </select>
          <Problems path={path} problems={problems} />
        </>
      );
    case 'boolean': {
      const on = value === undefined ? fallback === true : value === true;
      return (
        <>
          <input type="checkbox" aria-label={name} className="field-check" checked={on} onChange={(e) => onChange(e.target.checked)} />
          <Problems path={path} problems={problems} />
        </>
      );
    }
    case 'const':
      return <code>{JSON.stringify(field.value)}</code>;
    case 'nullable': {
      const current = value === undefined ? fallback : value;
      const on = current !== null && current !== undefined;
      return (
        <div className="field-nullable">
          <label className="field-toggle">
            <input type="checkbox" aria-label={name === undefined ? undefined : `${name} on`} checked={on} onChange={(e) => onChange(e.target.checked ? (current ?? initialValue(field.inner)) : null)} />
            <span>{on ? 'on' : 'off (null)'}</span>
          </label>
          {on ? (
            <FieldEditor field={field.inner} value={value === undefined ? undefined : value} fallback={value === undefined ? fallback : undefined} onChange={onChange} path={path} problems={problems} name={name} />
          ) : (
            <Problems path={path} problems={problems} />
          )}
        </div>
      );
    }
    case 'union': {
      const current = value === undefined ? fallback : value;
      const index = Math.max(0, branchOf(field, current));
      const branch = field.options[index]!;
      return (
        <div className="field-union">
          <select
            className="field-input field-branch"
            aria-label={name === undefined ? 'kind' : `${name} kind`}
            value={String(index)}
            onChange={(e) => {
              const next = field.options[Number(e.target.value)]!;
              onChange(switchBranch(next.field, current));
            }}
          >
            {field.options.map((o, i) => (
              <option key={o.label} value={String(i)}>
                {o.label}
              </option>
            ))}
          </select>
          <FieldEditor field={branch.field} value={value} fallback={value === undefined ? fallback : undefined} onChange={onChange} path={path} problems={problems} name={name} />
        </div>
      );
    }
    case 'array':
      return <ArrayEditor field={field} value={value} onChange={onChange} path={path} problems={problems} fallback={fallback} name={name} />;
    case 'object':
      return <ObjectEditor field={field} value={value} onChange={onChange} path={path} problems={problems} fallback={fallback} />;
    case 'json':
      return <JsonEditor value={value} onChange={onChange} path={path} problems={problems} name={name} />;
  }
}

function JsonEditor({ value, onChange, path, problems, name }: { value: unknown; onChange: (v: unknown) => void; path: (string | number)[]; problems: Problem[]; name: string | undefined }) {
  const [text, setText] = useState(() => (value === undefined ? '' : JSON.stringify(value)));
  const [bad, setBad] = useState(false);
  return (
    <>
      <input
        type="text"
        aria-label={name === undefined ? 'JSON value' : `${name} (JSON)`}
        className={`field-input${bad ? ' is-bad' : ''}`}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          if (e.target.value.trim() === '') {
            setBad(false);
            onChange(undefined);
            return;
          }
          try {
            onChange(JSON.parse(e.target.value));
            setBad(false);
          } catch {
            setBad(true);
          }
        }}
      />
      {bad ? <p className="field-problems">not JSON yet</p> : null}
      <Problems path={path} problems={problems} />
    </>
  );
}

function ArrayEditor({ field, value, onChange, path, problems, fallback, name }: Props & { field: Extract<Field, { type: 'array' }> }) {
  const items = Array.isArray(value) ? value : Array.isArray(fallback) ? fallback : [];
  const primitive = field.items.type !== 'object' && !(field.items.type === 'nullable' && field.items.inner.type === 'object');
  if (primitive) {
    return (
      <>
        <input
          type="text"
          aria-label={name}
          className="field-input"
          value={listToText(value)}
          placeholder={listToText(fallback)}
          onChange={(e) => onChange(e.target.value.trim() === '' ? undefined : textToList(e.target.value))}
        />
        <Problems path={path} problems={problems} />
      </>
    );
  }
  return (
    <div className="field-array">
      {items.map((item, i) => (
        // The remove button sits beside the summary, not in it: a summary is itself a control.
        <div key={i} className="field-item">
          <details open={items.length <= 2}>
            <summary>
              #{i + 1} {summaryOf(item)}
            </summary>
            <FieldEditor field={field.items} value={item} onChange={(v) => onChange(items.map((x, j) => (j === i ? v : x)))} path={[...path, i]} problems={problems} />
          </details>
          <button type="button" className="icon-btn field-item-remove" aria-label={`Remove ${name ?? 'item'} #${i + 1}`} onClick={() => onChange(items.filter((_, j) => j !== i))}>
            ×
          </button>
        </div>
      ))}
      {field.maxItems === undefined || items.length < field.maxItems ? (
        <button type="button" className="btn btn-small" onClick={() => onChange([...items, initialValue(field.items)])} aria-label={name === undefined ? 'Add an item' : `Add to ${name}`}>
          + add
        </button>
      ) : null}
      <Problems path={path} problems={problems} />
    </div>
  );
}

function summaryOf(item: unknown): string {
  if (typeof item !== 'object' || item === null) return String(item);
  const o = item as Record<string, unknown>;
  return String(o.target ?? o.queue ?? o.exchange ?? o.prefix ?? o.path ?? o.type ?? '');
}

function ObjectEditor({ field, value, onChange, path, problems, fallback }: Props & { field: Extract<Field, { type: 'object' }> }) {
  const obj = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const defaults = (typeof fallback === 'object' && fallback !== null ? fallback : {}) as Record<string, unknown>;
  // A part left out shows its default; changing one of its fields starts from that default (a
  // client's arrival left out is {type: poisson, ratePerSec: 10}: a new rate keeps the type).
  const set = (key: string, v: unknown) => {
    const next = { ...(value === undefined ? defaults : obj) };
    if (v === undefined) delete next[key];
    else next[key] = v;
    onChange(next);
  };
  return (
    <div className="field-object">
      {field.props.map((p) => (
        <PropRow key={p.key} prop={p} value={obj[p.key]} fallback={obj[p.key] === undefined ? (p.default ?? defaults[p.key]) : undefined} onChange={(v) => set(p.key, v)} path={[...path, p.key]} problems={problems} />
      ))}
      <Problems path={path} problems={problems} />
    </div>
  );
}

function PropRow({ prop, value, fallback, onChange, path, problems }: { prop: Prop; value: unknown; fallback: unknown; onChange: (v: unknown) => void; path: (string | number)[]; problems: Problem[] }) {
  const help = prop.description ?? prop.field.description;
  const nested = prop.field.type === 'object' || prop.field.type === 'array' || prop.field.type === 'nullable' || prop.field.type === 'union';
  if (READ_ONLY.has(prop.key)) {
    return (
      <div className="field-row field-readonly">
        <span className="field-label">{prop.key}</span>
        <code>{String(value ?? '')}</code>
      </div>
    );
  }
  return (
    <div className={`field-row${nested ? ' field-nested' : ''}${value === undefined ? ' is-default' : ''}`} data-field={pathString(path)}>
      <label className="field-label" title={help}>
        {prop.key}
        {prop.required ? <span aria-hidden="true"> *</span> : null}
      </label>
      <div className="field-control">
        <FieldEditor field={prop.field} value={value} fallback={fallback} onChange={onChange} path={path} problems={problems} name={prop.key} />
        {help ? <p className="field-help">{help}</p> : null}
      </div>
    </div>
  );
}
