/**
 * Ordering: events of one entity, routing them by key, and a consumer that checks their order.
 *
 * - `EntitySequences`: a publish with `entities` publishes each entity's events as a sequence
 *   (placed → paid → shipped, versions 1, 2, 3). Each publish draws one of `count` open entities
 *   from its own stream and publishes that entity's next event; an entity whose sequence is done
 *   is replaced by a fresh one. The event carries the headers `entity`, `version` and `event`.
 * - `HashRing`: RabbitMQ's consistent-hash exchange (`x-consistent-hash`, the
 *   rabbitmq_consistent_hash_exchange plugin): each binding's key is its weight, the number of
 *   points it gets on a hash ring; a message goes to the queue owning the first point at or after
 *   the hash of its routing key (or of the header named by `hash-header`). One key always lands on
 *   the same queue. The hash function is FNV-1a, not the plugin's, so which queue a given key
 *   lands on differs from RabbitMQ's; shares follow the weights as there.
 * - `EntityStates`: a state-machine consumer's table of entities (shared by the consumers of a
 *   service, as a database table would be): each entity's applied version, whether an apply
 *   skipped a version, and the decision for an incoming event (apply, or out of order: stale or
 *   early).
 */
import type { Headers } from './exchange';

/** FNV-1a, 32 bits (exact integer arithmetic). */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The consistent-hash exchange's ring over its bindings (weight = points). */
export class HashRing {
  private readonly points: number[] = [];
  private readonly owners: string[] = [];

  constructor(bindings: readonly { queue: string; key: string }[]) {
    const all: { p: number; q: string }[] = [];
    for (const b of bindings) {
      const weight = ringWeight(b.key);
      for (let i = 0; i < weight; i++) all.push({ p: fnv1a(`${b.queue}\u0000${i}`), q: b.queue });
    }
    all.sort((a, b) => a.p - b.p || (a.q < b.q ? -1 : a.q > b.q ? 1 : 0));
    for (const x of all) {
      this.points.push(x.p);
      this.owners.push(x.q);
    }
  }

  /** The queue a key goes to (none when nothing is bound). */
  pick(key: string): string | null {
    const n = this.points.length;
    if (n === 0) return null;
    const h = fnv1a(key);
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.points[mid]! < h) lo = mid + 1;
      else hi = mid;
    }
    return this.owners[lo === n ? 0 : lo]!;
  }
}

/** A binding key's weight on the ring: a positive integer (validation refuses anything else; 0 here). */
export function ringWeight(key: string): number {
  return /^[1-9][0-9]{0,3}$/.test(key) ? Number(key) : 0;
}

/** The key a consistent-hash exchange hashes: the routing key, or a header (none: unroutable, as the plugin does). */
export function hashKeyOf(routingKey: string, headers: Headers | undefined, hashHeader: string | null): string | null {
  if (hashHeader === null) return routingKey;
  const v = headers?.[hashHeader];
  return v === undefined ? null : String(v);
}

export interface EntitySpec {
  readonly count: number;
  readonly sequence: readonly string[];
  readonly prefix: string;
}

/** One publish's entities: `count` open at a time, each publishing its sequence in order. */
export class EntitySequences {
  private readonly open: { n: number; next: number }[] = [];
  private nextEntity: number;

  constructor(
    private readonly spec: EntitySpec,
    private readonly draw: () => number,
  ) {
    for (let i = 0; i < spec.count; i++) this.open.push({ n: i + 1, next: 1 });
    this.nextEntity = spec.count + 1;
  }

  /** The next event: which entity, its version (1-based) and its name. */
  next(): { entity: string; version: number; event: string } {
    const i = Math.min(this.open.length - 1, Math.floor(this.draw() * this.open.length));
    const slot = this.open[i]!;
    const version = slot.next++;
    const out = { entity: `${this.spec.prefix}${slot.n}`, version, event: this.spec.sequence[version - 1]! };
    if (slot.next > this.spec.sequence.length) {
      slot.n = this.nextEntity++;
      slot.next = 1;
    }
    return out;
  }
}

/** Where an event stands against its entity's applied version. */
export type OrderVerdict = 'apply' | 'stale' | 'early';

/** An event's entity and version, read from its headers by the consumer's sequence. */
export function entityEventOf(headers: Headers, sequence: readonly string[]): { entity: string; version: number } | null {
  const entity = headers.entity;
  if (entity === undefined) return null;
  const byName = typeof headers.event === 'string' ? sequence.indexOf(headers.event) + 1 : 0;
  const version = byName > 0 ? byName : typeof headers.version === 'number' ? headers.version : 0;
  if (!(version >= 1)) return null;
  return { entity: String(entity), version };
}

export interface OrderCounters {
  /** Events applied (their transition taken). */
  applied: number;
  /** Events that arrived other than as their entity's next one (each delivery counts). */
  outOfOrder: number;
  /** Out-of-order events nacked without requeue (dead-lettered, or dropped without a DLX). */
  rejected: number;
  /** Early events nacked with requeue after the park delay, and their redeliveries that came back. */
  parked: number;
  parkRetries: number;
  /** Events older than (or equal to) their entity's version, acked without applying. */
  staleIgnored: number;
}

/** A state-machine consumer's entity table and counts (one per service). */
export class EntityStates {
  private readonly versions = new Map<string, number>();
  /** Entities an apply moved past a version never applied (ignore-stale). */
  private readonly skipped = new Set<string>();
  /** Parks so far per event (bounded by the entry's `maxParks`). */
  private readonly parks = new Map<string, number>();
  readonly counters: OrderCounters = { applied: 0, outOfOrder: 0, rejected: 0, parked: 0, parkRetries: 0, staleIgnored: 0 };

  /** Where an event stands now (not counted). An entity seen for the first time is at version 0. */
  verdict(entity: string, version: number): OrderVerdict {
    const current = this.versions.get(entity) ?? 0;
    if (version === current + 1) return 'apply';
    return version <= current ? 'stale' : 'early';
  }

  /** Note that an entity's event was delivered (the entity is known from then on). */
  see(entity: string): void {
    if (!this.versions.has(entity)) this.versions.set(entity, 0);
  }

  /** Apply an event: the entity moves to its version (a jump past a version marks it inconsistent). */
  apply(entity: string, version: number): void {
    const current = this.versions.get(entity) ?? 0;
    if (version <= current) return;
    if (version > current + 1) this.skipped.add(entity);
    this.versions.set(entity, version);
    this.counters.applied++;
  }

  /** Parks of this event so far, then one more. */
  park(eventId: string): number {
    const n = this.parks.get(eventId) ?? 0;
    this.parks.set(eventId, n + 1);
    return n;
  }

  wasParked(eventId: string): boolean {
    return this.parks.has(eventId);
  }

  /** Entities seen, those behind the last version published for them, and those that skipped a version. */
  entities(published: ReadonlyMap<string, number>): { seen: number; incomplete: number; inconsistent: number } {
    let incomplete = 0;
    for (const [entity, v] of this.versions) if (v < (published.get(entity) ?? 0)) incomplete++;
    return { seen: this.versions.size, incomplete, inconsistent: this.skipped.size };
  }
}

export interface StateMachineSpec {
  readonly sequence: readonly string[];
  readonly onOutOfOrder: 'reject' | 'park' | 'ignore-stale';
  readonly maxParks: number;
}

/**
 * A state-machine consumer checks a delivered event against its entity's version (its own work
 * done), counting it. Null: the work goes on (the entity's next event, a message of no entity, or
 * ignore-stale applying an event that skips ahead). Otherwise what goes back to the broker: `ack`
 * (a stale event, ignored), `reject` (nack without requeue) or `park` (nack with requeue, later).
 */
export function orderVerdict(states: EntityStates, sm: StateMachineSpec, headers: Headers, eventId: string): 'ack' | 'reject' | 'park' | null {
  const ev = entityEventOf(headers, sm.sequence);
  if (ev === null) return null;
  states.see(ev.entity);
  const counters = states.counters;
  if (states.wasParked(eventId)) counters.parkRetries++;
  const verdict = states.verdict(ev.entity, ev.version);
  if (verdict === 'apply') return null;
  counters.outOfOrder++;
  if (verdict === 'early' && sm.onOutOfOrder === 'ignore-stale') return null;
  if (verdict === 'stale' && sm.onOutOfOrder !== 'reject') {
    counters.staleIgnored++;
    return 'ack';
  }
  if (verdict === 'early' && sm.onOutOfOrder === 'park' && states.park(eventId) < sm.maxParks) {
    counters.parked++;
    return 'park';
  }
  counters.rejected++;
  return 'reject';
}
