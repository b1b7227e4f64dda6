/**
 * The fault timeline (SCENARIO.md "Faults"): each fault starts at `atMs` and ends at `untilMs`
 * (or runs to the end), logged as `fault.start` / `fault.end`. Each fault draws from its own
 * seeded stream (`fault-<index>`), so adding a fault reshuffles no other draw.
 *
 * Where a fault acts:
 * - On the network (`partition`, `drop`, `duplicate`, `reorder`, and `latency`/`error` aimed at a
 *   link "a->b"): every hop between a and b, both directions — or, aimed at a node, every hop to or
 *   from that node. partition: nothing passes; drop: each hop lost with `probability`; duplicate:
 *   the hop is delivered twice (netem, Chaos Mesh); reorder: the hop is held back by `delayMs`, so
 *   later ones overtake it; latency: `add` ± uniform `jitterMs` (Toxiproxy); error on a link: the
 *   request is answered at once with `status`, as a sidecar proxy's abort would (Envoy).
 * - On a node, the faults its kind applies itself (the kind's fault table, scenario/kinds): a service takes `latency`,
 *   `error`, `crash`, `hang`, `slow` (service.ts; latency and abort are sampled independently, a
 *   delay may be followed by an abort, as in Envoy); a queue takes `duplicate` and `latency` on
 *   its deliveries (broker/messaging.ts). Other kinds aimed at a node act on its network hops.
 */
import { sampler } from '../engine';
import type { DistSpec, EventType, Sampler, TimerHandle, Uniform } from '../engine';
import type { Fault, FaultSite } from '../scenario/schema';
import type { KindLookup } from '../scenario/kinds/shapes';
import { NODE_ONLY_FAULT_KINDS } from '../scenario/faultTargets';
import { LogKind } from './events';
import type { World } from './world';

export interface ActiveFault {
  readonly index: number;
  readonly spec: Fault;
  /** The fault's own stream: whether it strikes, jitter. */
  readonly draw: Uniform;
  /** latency: the added delay; reorder: the hold-back. */
  readonly delay: Sampler | null;
  /** Node index, for node targets; -1 for links. */
  readonly node: number;
  /** Link ends, for link targets; -1 for nodes. */
  readonly a: number;
  readonly b: number;
}


/** Each world's fault timeline, for timed changes (changes.ts) to find. */
const timelines = new WeakMap<World, FaultTimeline>();

export function faultTimelineOf(world: World): FaultTimeline | undefined {
  return timelines.get(world);
}

export class FaultTimeline {
  private readonly active: ActiveFault[];
  /** Each fault's pending end (-1: none pending), so a timed change can move it. */
  private readonly ends: TimerHandle[] = [];
  private readonly endType: EventType<ActiveFault>;

  constructor(
    private readonly world: World,
    private readonly kinds: KindLookup,
  ) {
    const w = world;
    this.active = w.scenario.faults.map((spec, index) => {
      const link = spec.target.includes('->') ? spec.target.split('->') : null;
      const node = link ? -1 : w.indexOf(spec.target);
      const stream = `fault-${index}`;
      const delaySpec = spec.kind === 'latency' ? spec.add : spec.kind === 'reorder' ? spec.delayMs : null;
      const f: ActiveFault = {
        index,
        spec,
        draw: w.streams.get(stream, 'draw'),
        delay: delaySpec === null ? null : sampler(delaySpec as DistSpec, w.streams.get(stream, 'delay')),
        node,
        a: link ? w.indexOf(link[0]!) : -1,
        b: link ? w.indexOf(link[1]!) : -1,
      };
      if (node >= 0 && NODE_ONLY_FAULT_KINDS.includes(spec.kind) && this.siteOf(f) !== 'node') {
        throw new Error(`faults[${index}]: a ${spec.kind} fault needs a node that can fail that way; "${spec.target}" (${w.nodes[node]!.kind}) cannot`);
      }
      if (node < 0 && NODE_ONLY_FAULT_KINDS.includes(spec.kind)) {
        throw new Error(`faults[${index}]: a ${spec.kind} fault needs a node target, not the link "${spec.target}"`);
      }
      return f;
    });
    const start = w.kernel.register('fault.start', (f: ActiveFault) => this.toggle(f, true));
    const end = w.kernel.register('fault.end', (f: ActiveFault) => {
      this.ends[f.index] = -1;
      this.toggle(f, false);
    });
    this.endType = end;
    for (const f of this.active) {
      w.kernel.at(f.spec.atMs, start, f);
      this.ends[f.index] = f.spec.untilMs !== null ? w.kernel.at(f.spec.untilMs, end, f) : -1;
    }
    timelines.set(world, this);
  }

  /**
   * A timed change (changes.ts): a fault's end moves (null: it lasts to the end of the run), or it
   * draws against a new probability or answers with a new status from now on.
   */
  setLive(index: number, key: 'untilMs' | 'probability' | 'status', value: unknown): void {
    const f = this.active[index]!;
    (f as { spec: Fault }).spec = { ...f.spec, [key]: value } as Fault;
    if (key !== 'untilMs') return;
    const k = this.world.kernel;
    if (this.ends[index]! >= 0) k.cancel(this.ends[index]!);
    this.ends[index] = value === null ? -1 : k.at(Math.max(value as number, k.now), this.endType, f);
  }

  private toggle(f: ActiveFault, on: boolean): void {
    const w = this.world;
    w.log.emit(w.now, on ? LogKind.faultStart : LogKind.faultEnd, f.node >= 0 ? f.node : f.a, f.index);
    if (this.siteOf(f) === 'node') w.nodes[f.node]!.applyFault!(f, on);
    else w.net.setFault(f, on);
  }

  /** Where a fault acts: on its node, as the node's kind says, or on the network. */
  private siteOf(f: ActiveFault): FaultSite | undefined {
    if (f.node < 0) return 'hops';
    return this.kinds.get(this.world.nodes[f.node]!.kind)?.faults[f.spec.kind];
  }
}

/** Whether a network fault covers the hop between nodes x and y (either direction). */
export function coversHop(f: ActiveFault, x: number, y: number): boolean {
  if (f.node >= 0) return f.node === x || f.node === y;
  return (f.a === x && f.b === y) || (f.a === y && f.b === x);
}

/** One latency fault's added delay for one request or hop: `add` ± uniform `jitterMs`, if it strikes (its probability). */
export function latencyDraw(f: ActiveFault): number {
  const spec = f.spec;
  if (spec.kind !== 'latency' || !(f.draw() < spec.probability)) return 0;
  return f.delay!() + spec.jitterMs * (2 * f.draw() - 1);
}

/** The delay the active latency faults add to one request (each strikes independently). */
export function injectedDelay(faults: readonly ActiveFault[]): number {
  let extra = 0;
  for (const f of faults) extra += latencyDraw(f);
  return extra;
}

/** The status of the first active error fault that strikes this request, or 0 for none. */
export function injectedAbort(faults: readonly ActiveFault[]): number {
  for (const f of faults) {
    if (f.spec.kind === 'error' && f.draw() < f.spec.probability) return f.spec.status;
  }
  return 0;
}
