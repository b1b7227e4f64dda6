/**
 * The inspector: the settings of the selected node or edge, in a form built from the scenario's
 * schema for that kind (NODE_SCHEMAS[kind]; a call or route edge gets its CallSpec/RouteSpec,
 * i.e. the policies), validated as you type against the whole document. Applying re-runs the
 * scenario from t=0 to the current time: the run is a pure function of the document.
 *
 * Loaded lazily (it carries zod and the validator), the first time something is selected.
 */
import { useMemo, useState } from 'react';
import { NODE_SCHEMAS, scenarioMeta } from '../../scenario/schema';
import type { NodeKind } from '../../scenario/schema';
import { scenarioJsonSchema } from '../../scenario/jsonSchema';
import { validateScenario } from '../../scenario/validate';
import type { Problem } from '../../scenario/validate';
import type { Topology } from '../canvas/layout';
import { useController } from '../context';
import { useApp } from '../store';
import type { Selection } from '../store';
import { formatClock } from '../format';
import { fieldOf, getIn, isUnder, pathString, setIn } from './schemaForm';
import type { Field } from './schemaForm';
import { FieldEditor } from './SchemaForm';

/** The JSON Schema of the document, walked once. */
let rootSchema: Record<string, unknown> | null = null;
const fields = new Map<string, Field>();

function fieldFor(defName: string): Field {
  rootSchema ??= scenarioJsonSchema();
  let f = fields.get(defName);
  if (!f) {
    const def = (rootSchema.$defs as Record<string, Record<string, unknown>>)[defName];
    if (!def) throw new Error(`no schema named ${defName}`);
    fields.set(defName, (f = fieldOf(def, rootSchema)));
  }
  return f;
}

/** The schema name ($defs) of a node kind, from the registry that names NODE_SCHEMAS[kind]. */
function nodeDefName(kind: NodeKind): string {
  const meta = scenarioMeta.get(NODE_SCHEMAS[kind]) as { id?: string } | undefined;
  return meta?.id ?? `${kind[0]!.toUpperCase()}${kind.slice(1)}Node`;
}

interface Subject {
  title: string;
  /** Where in the document the form edits, and the schema of that part. */
  path: (string | number)[];
  def: string;
  note?: string;
}

type Doc = { nodes?: { id?: string; kind?: string; calls?: { target?: string }[]; routes?: { target?: string }[]; consumes?: { queue?: string }[]; publishes?: { exchange?: string }[]; bindings?: { exchange?: string }[] }[] };

/** What a selection edits: a node, or the call/route/consume/publish/binding an edge draws. */
export function subjectOf(selection: Selection, doc: unknown, topology: Topology): Subject | null {
  const nodes = (doc as Doc).nodes ?? [];
  const indexOf = (id: string) => nodes.findIndex((n) => n.id === id);
  if (selection.type === 'node') {
    const i = indexOf(selection.id);
    const kind = nodes[i]?.kind as NodeKind | undefined;
    if (i < 0 || !kind || !(kind in NODE_SCHEMAS)) return null;
    return { title: `${kind} ${selection.id}`, path: ['nodes', i], def: nodeDefName(kind) };
  }
  if (selection.type === 'fault') {
    const fault = ((doc as { faults?: { kind?: string; target?: string }[] }).faults ?? [])[selection.index];
    if (!fault) return null;
    return { title: `fault ${fault.kind ?? ''} on ${fault.target ?? ''}`, path: ['faults', selection.index], def: 'Fault', note: 'Times are simulated milliseconds; untilMs null lasts to the end.' };
  }
  const edge = topology.edges.find((e) => e.id === selection.id);
  if (!edge) return null;
  const nth = Number(/#(\d+)$/.exec(edge.id)?.[1] ?? 0);
  /** The nth entry of `list` whose `key` names `ref`. */
  const pick = (list: Record<string, unknown>[] | undefined, key: string, ref: string) => {
    let seen = 0;
    for (let j = 0; j < (list ?? []).length; j++) {
      if (list![j]![key] !== ref) continue;
      if (seen === nth) return j;
      seen++;
    }
    return -1;
  };
  const s = indexOf(edge.source);
  const t = indexOf(edge.target);
  switch (edge.kind) {
    case 'request':
      return { title: `client ${edge.source} → ${edge.target}`, path: ['nodes', s], def: nodeDefName('client'), note: "A client's policies (timeout, retry…) sit on the client itself." };
    case 'route': {
      const j = pick(nodes[s]?.routes, 'target', edge.target);
      return j < 0 ? null : { title: `route ${edge.label} → ${edge.target}`, path: ['nodes', s, 'routes', j], def: 'RouteSpec' };
    }
    case 'call': {
      if (nodes[s]?.kind === 'orchestrator') {
        return { title: `saga ${edge.source} → ${edge.target}`, path: ['nodes', s], def: nodeDefName('orchestrator'), note: "A saga's steps and compensations, each with its policy, are the orchestrator's steps." };
      }
      const j = pick(nodes[s]?.calls, 'target', edge.target);
      return j < 0 ? null : { title: `call ${edge.source} → ${edge.target}`, path: ['nodes', s, 'calls', j], def: 'CallSpec' };
    }
    case 'publish': {
      const j = pick(nodes[s]?.publishes, 'exchange', edge.target);
      return j < 0 ? null : { title: `publish ${edge.source} → ${edge.target}`, path: ['nodes', s, 'publishes', j], def: 'PublishSpec' };
    }
    case 'consume': {
      const j = pick(nodes[t]?.consumes, 'queue', edge.source);
      return j < 0 ? null : { title: `consume ${edge.source} → ${edge.target}`, path: ['nodes', t, 'consumes', j], def: 'ConsumeSpec' };
    }
    case 'binding': {
      const j = pick(nodes[t]?.bindings, 'exchange', edge.source);
      return j < 0 ? null : { title: `binding ${edge.source} → ${edge.target}`, path: ['nodes', t, 'bindings', j], def: 'Binding' };
    }
    case 'dead-letter':
      return { title: `queue ${edge.source} (dead-letter)`, path: ['nodes', s], def: nodeDefName('queue') };
    case 'alternate':
      return { title: `exchange ${edge.source} (alternate)`, path: ['nodes', s], def: nodeDefName('exchange') };
  }
}

export default function Inspector() {
  const selection = useApp((s) => s.selection);
  const document = useApp((s) => s.document);
  const topology = useApp((s) => s.topology);
  if (!selection || !topology || document === null) return null;
  const subject = subjectOf(selection, document, topology);
  if (!subject) return null;
  // A new subject or a new document (another edit applied) starts a fresh draft.
  return <Editor key={`${pathString(subject.path)}|${JSON.stringify(getIn(document, subject.path))}`} subject={subject} document={document} />;
}

function Editor({ subject, document }: { subject: Subject; document: unknown }) {
  const controller = useController();
  const simTimeMs = useApp((s) => s.simTimeMs);
  const original = getIn(document, subject.path);
  const [draft, setDraft] = useState<unknown>(original);
  const [applying, setApplying] = useState(false);
  const [refused, setRefused] = useState<Problem[]>([]);
  const field = useMemo(() => fieldFor(subject.def), [subject.def]);
  const base = pathString(subject.path);
  const changed = JSON.stringify(draft) !== JSON.stringify(original);
  const edited = useMemo(() => (changed ? setIn(document, subject.path, draft) : document), [changed, document, subject.path, draft]);
  const problems = useMemo(() => {
    if (!changed) return [];
    const result = validateScenario(edited);
    return result.ok ? [] : result.problems;
  }, [changed, edited]);
  const mine = problems.filter((p) => isUnder(p.path, base));
  const elsewhere = problems.length - mine.length;
  const all = [...mine, ...refused];

  const apply = async () => {
    setApplying(true);
    const result = await controller.setDocument(edited);
    setApplying(false);
    if (Array.isArray(result)) setRefused(result);
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
