/**
 * The inspector: the settings of the selected node, edge or fault, in a form built from the
 * scenario's JSON Schema, validated as you type against the whole document. A node's form is its
 * kind's schema (the descriptor in scenario/kinds/); an edge's is the element of the document
 * holding the reference it draws (the edge's `path`: `nodes[2].calls[0].target` edits the
 * CallSpec `nodes[2].calls[0]`, i.e. the policies), or the nearest enclosing element with a
 * schema of its own (a queue's dead-letter exchange edits the queue). Applying re-runs the
 * scenario from t=0 to the current time: the run is a pure function of the document.
 *
 * Loaded lazily (it carries zod and the validator), the first time something is selected.
 */
import './inspector.css';
import { Suspense, lazy, useMemo, useState } from 'react';
import { BUILTIN_KIND_SET, scenarioMeta } from '../../scenario/schema';
import { scenarioJsonSchema } from '../../scenario/jsonSchema';
import { validateScenario } from '../../scenario/validate';
import type { Problem } from '../../scenario/validate';
import type { Topology } from '../canvas/layout';
import { useController } from '../context';
import { useApp } from '../store';
import type { Selection } from '../store';
import { formatClock } from '../format';
import { fieldOf, schemaNamesAlong } from './schemaForm';
import { getIn, isUnder, pathOf, pathString, setIn } from '../docPath';
import type { Field } from './schemaForm';
import { FieldEditor } from './SchemaForm';
import { renameNode } from '../editing/ops';

/** Export and import of a call's policies (resilience4j, opossum): the converters load when shown. */
const PolicyConvert = lazy(() => import('../editing/PolicyConvert'));

/** The scenario's own settings the "Scenario" subject edits (top-level keys of the document). */
export const SCENARIO_KEYS = ['name', 'description', 'seed', 'durationMs', 'network', 'links', 'allowCallCycles'] as const;

function scenarioField(): Field {
  const props = (root().properties ?? {}) as Record<string, unknown>;
  return fieldOf({ type: 'object', properties: Object.fromEntries(SCENARIO_KEYS.map((k) => [k, props[k]])), required: ['name'] }, root());
}

const pick = (doc: unknown, keys: readonly string[]): Record<string, unknown> => {
  const d = (doc ?? {}) as Record<string, unknown>;
  return Object.fromEntries(keys.filter((k) => d[k] !== undefined).map((k) => [k, d[k]]));
};

/** The JSON Schema of the document, walked once. */
let rootSchema: Record<string, unknown> | null = null;
const fields = new Map<string, Field>();

function root(): Record<string, unknown> {
  return (rootSchema ??= scenarioJsonSchema());
}

function fieldFor(defName: string): Field {
  let f = fields.get(defName);
  if (!f) {
    const def = (root().$defs as Record<string, Record<string, unknown>>)[defName];
    if (!def) throw new Error(`no schema named ${defName}`);
    fields.set(defName, (f = fieldOf(def, root())));
  }
  return f;
}

/** The schema name ($defs) of a kind's node schema, or null for a kind without a descriptor or a name. */
function nodeDefName(kind: string): string | null {
  const descriptor = BUILTIN_KIND_SET.get(kind);
  const meta = descriptor ? (scenarioMeta.get(descriptor.schema) as { id?: string } | undefined) : undefined;
  return meta?.id ?? null;
}

interface Subject {
  title: string;
  /** Where in the document the form edits, and the schema of that part. */
  path: (string | number)[];
  def: string;
  note?: string;
  /** The scenario's own settings: these top-level keys, edited together (path []). */
  keys?: readonly string[];
  /** A call, a route or a client: its policies can be exported and imported. */
  policyHolder?: boolean;
}

type Doc = { nodes?: { id?: string; kind?: string }[]; faults?: { kind?: string; target?: string }[] };

/** What a selection edits: a node, a fault, or the element of the document an edge draws. */
export function subjectOf(selection: Selection, doc: unknown, topology: Topology): Subject | null {
  const nodes = (doc as Doc).nodes ?? [];
  if (selection.type === 'scenario') {
    return {
      title: 'the scenario',
      path: [],
      def: 'Scenario',
      keys: SCENARIO_KEYS,
      note: 'Change the seed to see another run of the same system; links override the latency of one hop (from, to).',
    };
  }
  if (selection.type === 'node') {
    const i = nodes.findIndex((n) => n.id === selection.id);
    const kind = nodes[i]?.kind;
    const def = kind === undefined ? null : nodeDefName(kind);
    return i < 0 || def === null ? null : { title: `${kind} ${selection.id}`, path: ['nodes', i], def, policyHolder: kind === 'client' };
  }
  if (selection.type === 'fault') {
    const fault = ((doc as Doc).faults ?? [])[selection.index];
    if (!fault) return null;
    return { title: `fault ${fault.kind ?? ''} on ${fault.target ?? ''}`, path: ['faults', selection.index], def: 'Fault', note: 'Times are simulated milliseconds; untilMs null lasts to the end.' };
  }
  const edge = topology.edges.find((e) => e.id === selection.id);
  if (!edge) return null;
  // The element holding the reference, or the nearest one above it with a schema of its own.
  const holder = pathOf(edge.path).slice(0, -1);
  const names = schemaNamesAlong(root(), doc, holder);
  let depth = Math.min(names.length - 1, holder.length);
  while (depth > 0 && names[depth] === undefined) depth--;
  const def = names[depth];
  if (depth === 0 || def === undefined) return null;
  const path = holder.slice(0, depth);
  const owner = nodes[Number(path[1])];
  if (path.length === 2 && owner) {
    // The reference is a setting of the node itself (a client's target, a dead-letter exchange).
    return {
      title: `${owner.kind ?? ''} ${owner.id ?? ''} (${edge.kind})`,
      path,
      def,
      note: `The ${edge.kind} ${edge.source} → ${edge.target} is a setting of the ${owner.kind ?? 'node'} itself.`,
      policyHolder: owner.kind === 'client',
    };
  }
  return { title: `${edge.kind} ${edge.source} → ${edge.target}${edge.label ? ` (${edge.label})` : ''}`, path, def, policyHolder: edge.kind === 'call' || edge.kind === 'route' };
}

export default function Inspector() {
  const selection = useApp((s) => s.selection);
  const document = useApp((s) => s.document);
  const topology = useApp((s) => s.topology);
  if (!selection || !topology || document === null) return null;
  const subject = subjectOf(selection, document, topology);
  if (!subject) return null;
  // A new subject or a new document (another edit applied) starts a fresh draft.
  const value = subject.keys ? pick(document, subject.keys) : getIn(document, subject.path);
  return (
    <>
      <Editor key={`${pathString(subject.path)}|${JSON.stringify(value)}`} subject={subject} document={document} />
      {subject.policyHolder ? (
        <Suspense fallback={null}>
          <PolicyConvert path={subject.path} />
        </Suspense>
      ) : null}
    </>
  );
}

function Editor({ subject, document }: { subject: Subject; document: unknown }) {
  const controller = useController();
  const simTimeMs = useApp((s) => s.simTimeMs);
  const original = useMemo(() => (subject.keys ? pick(document, subject.keys) : getIn(document, subject.path)), [document, subject]);
  const [draft, setDraft] = useState<unknown>(original);
  const [applying, setApplying] = useState(false);
  const [refused, setRefused] = useState<Problem[]>([]);
  const field = useMemo(() => (subject.keys ? scenarioField() : fieldFor(subject.def)), [subject.def, subject.keys]);
  const base = pathString(subject.path);
  const changed = JSON.stringify(draft) !== JSON.stringify(original);
  const edited = useMemo(() => (changed ? editedDocument(document, subject, original, draft) : document), [changed, document, subject, original, draft]);
  const problems = useMemo(() => {
    if (!changed) return [];
    const result = validateScenario(edited);
    return result.ok ? [] : result.problems;
  }, [changed, edited]);
  const mine = problems.filter((p) => (subject.keys ? subject.keys.some((k) => isUnder(p.path, k)) : isUnder(p.path, base)));
  const elsewhere = problems.length - mine.length;
  const all = [...mine, ...refused];

  const apply = async () => {
    setApplying(true);
    const result = await controller.setDocument(edited, `edit ${subject.title}`);
    setApplying(false);
    if (Array.isArray(result)) setRefused(result);
    // A renamed node stays the inspector's subject under its new id.
    const id = (draft as { id?: unknown } | undefined)?.id;
    if (result === true && subject.path.length === 2 && subject.path[0] === 'nodes' && typeof id === 'string') useApp.setState({ selection: { type: 'node', id } });
  };

  return (
    <section className="inspector" aria-label="Inspector" data-testid="inspector">
      <div className="inspector-head">
        <h2 className="side-title">Settings · {subject.title}</h2>
        <button type="button" className="icon-btn" aria-label="Close the inspector" onClick={() => useApp.setState({ selection: null })}>
          ×
        </button>
      </div>
      {subject.note ? <p className="field-help">{subject.note}</p> : null}
      <form
        className="schema-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (changed && problems.length === 0) void apply();
        }}
      >
        <FieldEditor field={field} value={draft} onChange={(v) => { setDraft(v); setRefused([]); }} path={subject.path} problems={all} />
        {all.length > 0 ? (
          <ul className="field-problems" role="alert" data-testid="inspector-problems">
            {all.map((p, i) => (
              <li key={i}>
                <code>{p.path.slice(base.length).replace(/^\./, '') || '(here)'}</code> {p.message}
              </li>
            ))}
          </ul>
        ) : null}
        {elsewhere > 0 ? <p className="field-problems">This change breaks {elsewhere} thing{elsewhere === 1 ? '' : 's'} elsewhere in the scenario.</p> : null}
        <p className="inspector-note">
          Applying a change re-runs the scenario from 00:00 to {formatClock(simTimeMs)} with the new settings (a run is a pure function of its document),
          and the link carries it.
        </p>
        <div className="inspector-actions">
          <button type="submit" className="btn btn-primary" disabled={!changed || problems.length > 0 || applying} aria-label="Apply and re-run">
            {applying ? 'Re-running…' : 'Apply & re-run'}
          </button>
          <button type="button" className="btn" disabled={!changed} onClick={() => { setDraft(original); setRefused([]); }}>
            Revert
          </button>
        </div>
      </form>
    </section>
  );
}

/**
 * The document with the form's draft in place. A node whose id changed is renamed first, so
 * every reference to it (calls, routes, bindings, faults, links, layout) follows; the scenario's
 * own settings are merged into the top level (a key cleared in the form is removed).
 */
function editedDocument(document: unknown, subject: Subject, original: unknown, draft: unknown): unknown {
  if (subject.keys) {
    const out: Record<string, unknown> = { ...(document as Record<string, unknown>) };
    for (const k of subject.keys) {
      const v = (draft as Record<string, unknown> | undefined)?.[k];
      if (v === undefined) delete out[k];
      else out[k] = v;
    }
    return out;
  }
  const from = (original as { id?: unknown } | undefined)?.id;
  const to = (draft as { id?: unknown } | undefined)?.id;
  if (subject.path.length === 2 && subject.path[0] === 'nodes' && typeof from === 'string' && typeof to === 'string' && from !== to) {
    const renamed = renameNode(document, from, to);
    if (renamed.ok) return setIn(renamed.doc, subject.path, draft);
  }
  return setIn(document, subject.path, draft);
}
