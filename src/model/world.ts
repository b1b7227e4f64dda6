/**
 * The simulated world of one run: the kernel, the seeded streams, the event log and the nodes,
 * with three parts of their own — the network between the nodes (network.ts), the request
 * accounting (accounting.ts) and the guardrails (guardrails.ts). Components (client, service, ...)
 * are small objects that schedule events on the world's kernel.
 */
import { EventLog, Kernel, Streams } from '../engine';
import type { Scenario } from '../scenario/schema';
import type { Callee } from './request';
import type { ActiveFault } from './faults';
import type { LiveBase } from './live';
import { Network } from './network';
import { RequestAccounting } from './accounting';
import { Guardrails } from './guardrails';
import { SagaAccounting } from './saga';
import type { Limits } from './guardrails';

export type { CallLive, NodeLive } from './live';

/** What every component exposes to the world and the run layer. */
export interface NodeModel {
  readonly id: string;
  readonly kind: string;
  readonly index: number;
  /** Accept an attempt (only kinds that can be called). */
  readonly callee?: Callee;
  /** Live state for the canvas (live.ts: one shape per kind). */
  live(): LiveBase;
  /** Summary metrics for the run summary. */
  summary(): Record<string, number | string | null>;
  /** Start or end a fault its kind applies on the node itself (the kind's fault table says which: scenario/kinds). */
  applyFault?(f: ActiveFault, on: boolean): void;
  /** Append accounting violations, if any. */
  checkInvariants?(out: string[]): void;
  /** Called once after every node is built (resolve references, schedule first events). */
  start?(): void;
}

export interface WorldOptions extends Partial<Limits> {
  logCapacity?: number;
  keepAllEvents?: boolean;
}

export class World {
  readonly kernel = new Kernel();
  readonly streams: Streams;
  readonly log: EventLog;
  readonly nodes: NodeModel[] = [];
  readonly ids: string[];
  private readonly indexById = new Map<string, number>();
  readonly net: Network;
  readonly requests: RequestAccounting;
  readonly guard: Guardrails;
  /** Every saga ends exactly once (saga.ts). */
  readonly sagas = new SagaAccounting();
  /** Extra fields of some logged events (the broker's x-death lists), by log kind; read when the log is decoded. */
  private readonly details = new Map<number, (a: number, b: number, c: number) => Record<string, unknown> | undefined>();
  /** Accountings beside the nodes' own (the broker's), checked with them. */
  private readonly checks: ((out: string[]) => void)[] = [];

  constructor(
    readonly scenario: Scenario,
    options: WorldOptions = {},
  ) {
    this.streams = new Streams(scenario.seed);
    this.log = new EventLog({ capacity: options.logCapacity ?? 10_000, keepAll: options.keepAllEvents ?? false });
    this.guard = new Guardrails(this.kernel, options);
    this.ids = scenario.nodes.map((n) => n.id);
    this.ids.forEach((id, i) => this.indexById.set(id, i));
    this.net = new Network(
      {
        kernel: this.kernel,
        streams: this.streams,
        log: this.log,
        ids: this.ids,
        deliver: (a) => this.nodes[a.to]!.callee?.onArrive(a),
      },
      scenario,
    );
    this.requests = new RequestAccounting(this.kernel, this.log);
  }

  get now(): number {
    return this.kernel.now;
  }

  private readonly siteNames = new Map<string, number>();

  /**
   * A stable name for a call site's streams: `a->b`, and `a->b#2`, `#3`... for a second and
   * third site between the same pair (two routes or calls to one target), so they draw apart.
   */
  callSiteName(from: number, target: number): string {
    const base = `${this.ids[from]}->${this.ids[target]}`;
    const n = (this.siteNames.get(base) ?? 0) + 1;
    this.siteNames.set(base, n);
    return n === 1 ? base : `${base}#${n}`;
  }

  indexOf(id: string): number {
    const i = this.indexById.get(id);
    if (i === undefined) throw new Error(`no node "${id}"`);
    return i;
  }

  addNode(node: NodeModel): void {
    if (node.index !== this.nodes.length) throw new Error(`node ${node.id} built out of order`);
    this.nodes.push(node);
  }

  /**
   * Fields a logged event of `kind` carries beyond its numbers (the log itself stores numbers
   * only): `detail` is asked when the run decodes such an event, with its fields a, b, c.
   */
  addEventDetail(kind: number, detail: (a: number, b: number, c: number) => Record<string, unknown> | undefined): void {
    this.details.set(kind, detail);
  }

  /** The extra fields of one logged event, if its kind has any. */
  eventDetail(kind: number, a: number, b: number, c: number): Record<string, unknown> | undefined {
    return this.details.get(kind)?.(a, b, c);
  }

  /** An accounting checked with the nodes' own after a run. */
  addCheck(check: (out: string[]) => void): void {
    this.checks.push(check);
  }

  /** The request accounting plus every node's own, after (or during) a run. */
  checkInvariants(): string[] {
    const out: string[] = [];
    this.requests.check(out);
    this.sagas.check(out);
    for (const n of this.nodes) n.checkInvariants?.(out);
    for (const check of this.checks) check(out);
    return out;
  }
}
