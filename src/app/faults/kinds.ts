/**
 * Which faults a target can suffer, what they do by default, how long they last, and where they
 * sit on the timeline: the pure side of live fault injection (the menus and the timeline draw it).
 *
 * Which kinds a target takes is the document's own table (scenario/faultTargets.ts, read from the
 * kinds' descriptors), the one validation applies: a test checks that every kind offered here is
 * accepted on that target, and every refused one is refused. It reads the kinds' shapes
 * (scenario/kinds/shapes.ts), not their schemas: no zod in the first view.
 */
import type { FaultKind, Scenario } from '../../scenario/schema';
import { BUILTIN_SHAPES } from '../../scenario/kinds/shapes';
import { LINK_FAULT_KINDS, faultKindsFor as kindsFor, faultsOf, linkFaults } from '../../scenario/faultTargets';
import type { TopologyEdge } from '../canvas/layout';
import type { LiveFault } from '../../run/live';

/** What each kind does, in a few words (menu help). */
export const FAULT_HELP: Record<FaultKind, string> = {
  latency: 'adds 2 s to every answer',
  error: 'answers 503',
  crash: 'all instances down: connections refused',
  hang: 'accepts requests, never answers',
  slow: 'service time ×5',
  partition: 'nothing passes',
  drop: 'half the messages lost',
  duplicate: 'half the messages delivered twice',
  reorder: 'half the messages held back 50–500 ms',
  'rolling-restart': 'instances restarted one at a time, gracefully',
};

/** What a fault does on a broker link (a publish, or the deliveries and acks between a queue and its consumer), where that differs. */
const BROKER_LINK_HELP: Partial<Record<FaultKind, string>> = {
  latency: 'adds 2 s to every publish, delivery and ack',
  error: 'the broker nacks every publish (basic.nack)',
  partition: 'nothing passes; held until it heals, not lost (TCP)',
  drop: 'half lost: a lost delivery or ack waits for the consumer timeout',
};

/** What `kind` does on `target` (a node id or "a->b"), in a few words: the menus' help. */
export function faultHelp(scenario: Pick<Scenario, 'nodes'>, target: string, kind: FaultKind): string {
  if (target.includes('->')) {
    const ends = target.split('->').map((id) => scenario.nodes.find((n) => n.id === id)?.kind);
    if (ends.some((k) => k === 'queue' || k === 'exchange')) return BROKER_LINK_HELP[kind] ?? FAULT_HELP[kind];
  }
  return FAULT_HELP[kind];
}

/** The one setting of each kind the toolbar lets you choose before injecting (none: crash, partition). */
export const FAULT_PARAM: Partial<Record<FaultKind, { key: string; label: string; value: number; min: number; max: number; step: number }>> = {
  latency: { key: 'add', label: 'ms added', value: 2000, min: 0, max: 600_000, step: 100 },
  error: { key: 'probability', label: 'share failing', value: 1, min: 0, max: 1, step: 0.05 },
  hang: { key: 'probability', label: 'share hanging', value: 1, min: 0, max: 1, step: 0.05 },
  slow: { key: 'factor', label: '× service time', value: 5, min: 1, max: 10_000, step: 1 },
  drop: { key: 'probability', label: 'share lost', value: 0.5, min: 0, max: 1, step: 0.05 },
  duplicate: { key: 'probability', label: 'share doubled', value: 0.5, min: 0, max: 1, step: 0.05 },
  reorder: { key: 'probability', label: 'share held back', value: 0.5, min: 0, max: 1, step: 0.05 },
};

/** The settings a fault of each kind gets when injected from a menu (`value`: its FAULT_PARAM instead of the default). */
export function defaultFault(kind: FaultKind, target: string, durationMs: number | null, value?: number): LiveFault {
  const fault = defaults(kind, target, durationMs);
  const param = FAULT_PARAM[kind];
  if (param && value !== undefined && Number.isFinite(value)) fault[param.key] = value;
  return fault;
}

function defaults(kind: FaultKind, target: string, durationMs: number | null): LiveFault {
  const base = { kind, target, durationMs };
  switch (kind) {
    case 'latency':
      return { ...base, add: 2000 };
    case 'error':
      return { ...base, status: 503, probability: 1 };
    case 'crash':
      return { ...base, instances: 'all' };
    case 'slow':
      return { ...base, factor: 5 };
    case 'drop':
    case 'duplicate':
      return { ...base, probability: 0.5 };
    case 'reorder':
      return { ...base, probability: 0.5, delayMs: { dist: 'uniform', minMs: 50, maxMs: 500 } };
    default:
      return base;
  }
}

/** The kinds that may hit one instance of a service (the fault's `instance` key). */
export const INSTANCE_KINDS: ReadonlySet<FaultKind> = new Set<FaultKind>(['latency', 'error', 'crash', 'hang', 'slow']);

/** How many instances a fault of `kind` on `target` may choose among: the service's count when it has more than one, else 0 (no choice). */
export function instanceChoices(scenario: Pick<Scenario, 'nodes'>, target: string, kind: FaultKind | ''): number {
  if (kind === '' || !INSTANCE_KINDS.has(kind)) return 0;
  const node = scenario.nodes.find((n) => n.id === target);
  if (!node || node.kind !== 'service') return 0;
  return node.instances > 1 ? node.instances : 0;
}

/** The fault aimed at one instance (0-based), or at all when `instance` is null (a crash of one instance replaces its `instances`). */
export function onInstance(fault: LiveFault, instance: number | null): LiveFault {
  if (instance === null) return fault;
  const out: LiveFault = { ...fault, instance };
  delete out.instances;
  return out;
}

export const DURATIONS: readonly { label: string; ms: number | null }[] = [
  { label: '5 s', ms: 5_000 },
  { label: '15 s', ms: 15_000 },
  { label: '30 s', ms: 30_000 },
  { label: 'until ended', ms: null },
];

/** Edge kinds whose hops cross the network between two nodes (a link fault can act on them). */
const NETWORK_EDGES = new Set<TopologyEdge['kind']>(['request', 'route', 'call', 'publish', 'consume']);

/** The fault kinds a target (a node id or "a->b") can suffer in this scenario. */
export function faultKindsFor(scenario: Pick<Scenario, 'nodes'>, target: string): readonly FaultKind[] {
  return kindsFor(BUILTIN_SHAPES, scenario.nodes, target);
}

/** The link target of an edge ("a->b"), or null when no network hop travels it. */
export function linkTarget(edge: Pick<TopologyEdge, 'kind' | 'source' | 'target'>): string | null {
  return NETWORK_EDGES.has(edge.kind) ? `${edge.source}->${edge.target}` : null;
}

/** Why an edge inside the broker takes no fault, by its kind (the menu's note). */
const INSIDE_BROKER: Partial<Record<TopologyEdge['kind'], string>> = {
  binding: 'Routing from an exchange to its queues happens inside the broker: no network hop to fault. Aim at the publish link (service → exchange), the consume link (queue → service) or the queue.',
  'dead-letter': 'Dead-lettering happens inside the broker (the queue republishes to its dead-letter exchange): no network hop to fault. Aim at the consume link or the queue.',
  alternate: "An unroutable message goes to the alternate exchange inside the broker: no network hop to fault. Aim at the publish link (service → exchange).",
};

/**
 * What the menus offer on an edge: its link target (null: none), the fault kinds it takes (the
 * document's table) and the sentence that says why the other link faults are refused (null: none
 * refused).
 */
export function edgeFaultOffer(scenario: Pick<Scenario, 'nodes'>, edge: Pick<TopologyEdge, 'kind' | 'source' | 'target'>): { target: string | null; kinds: readonly FaultKind[]; why: string | null } {
  const target = linkTarget(edge);
  const kindOf = (id: string) => scenario.nodes.find((n) => n.id === id)?.kind;
  const link = linkFaults(kindOf(edge.source), kindOf(edge.target));
  if (target === null) return { target, kinds: [], why: INSIDE_BROKER[edge.kind] ?? link.why ?? 'No network hop travels this edge.' };
  const kinds = faultKindsFor(scenario, target);
  const why = kinds.length < LINK_FAULT_KINDS.length ? link.why : null;
  return { target, kinds, why: why === null ? null : `${why[0]!.toUpperCase()}${why.slice(1)}.` };
}

/** Every target a fault can be aimed at: nodes that can suffer one, then links, each once. */
export function faultTargets(scenario: Pick<Scenario, 'nodes'>, edges: readonly TopologyEdge[]): { target: string; label: string }[] {
  const out: { target: string; label: string }[] = [];
  for (const n of scenario.nodes) {
    const descriptor = BUILTIN_SHAPES.get(n.kind);
    if (descriptor && faultsOf(descriptor).length > 0) out.push({ target: n.id, label: `${n.label ?? n.id} (${n.kind})` });
  }
  const seen = new Set<string>();
  for (const e of edges) {
    const t = linkTarget(e);
    if (t === null || seen.has(t) || seen.has(`${e.target}->${e.source}`)) continue;
    seen.add(t);
    out.push({ target: t, label: `link ${e.source} ↔ ${e.target}` });
  }
  return out;
}

export interface FaultRow {
  index: number;
  kind: FaultKind;
  target: string;
  atMs: number;
  untilMs: number | null;
  live: boolean;
  /** The one instance it hits (0-based), or null: every instance. */
  instance: number | null;
  /** 'active' now, 'past' (ended), or 'future' (on the timeline, not started yet). */
  status: 'active' | 'past' | 'future';
}

/** The document's fault timeline as rows, with each fault's status at `nowMs`. */
export function faultRows(faults: Scenario['faults'], nowMs: number): FaultRow[] {
  return faults.map((f, index) => {
    const status = f.atMs > nowMs ? 'future' : f.untilMs !== null && f.untilMs <= nowMs ? 'past' : 'active';
    const instance = 'instance' in f && typeof f.instance === 'number' ? f.instance : null;
    return { index, kind: f.kind, target: f.target, atMs: f.atMs, untilMs: f.untilMs, live: f.source === 'live', instance, status };
  });
}

/** Where a fault sits on a timeline of `durationMs`, in percent. */
export function faultBand(f: Pick<FaultRow, 'atMs' | 'untilMs'>, durationMs: number): { left: number; width: number } {
  if (durationMs <= 0) return { left: 0, width: 0 };
  const from = Math.min(durationMs, Math.max(0, f.atMs));
  const to = Math.min(durationMs, f.untilMs ?? durationMs);
  return { left: (100 * from) / durationMs, width: Math.max(0.4, (100 * (to - from)) / durationMs) };
}

/** The active faults on each target now (node id or "a->b"), by kind. */
export function activeByTarget(faults: Scenario['faults'], nowMs: number): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const row of faultRows(faults, nowMs)) {
    if (row.status !== 'active') continue;
    const list = out.get(row.target) ?? [];
    if (!list.includes(row.kind)) list.push(row.kind);
    out.set(row.target, list);
  }
  return out;
}
