import { describe, expect, it } from 'vitest';
import { Broker } from '../../../src/model/broker/broker';
import { EntitySequences, EntityStates, HashRing, entityEventOf, fnv1a, orderVerdict } from '../../../src/model/broker/ordering';

describe('the consistent-hash exchange (x-consistent-hash)', () => {
  const broker = (hashHeader: string | null, weights: string[]) =>
    new Broker({
      exchanges: [{ id: 'x', type: 'x-consistent-hash', hashHeader }],
      queues: weights.map((w, i) => ({ id: `q${i}`, bindings: [{ exchange: 'x', key: w }] })),
    });

  it('sends one routing key to one queue, always', () => {
    const b = broker(null, ['10', '10', '10']);
    for (const key of ['order-1', 'order-2', 'order-77']) {
      const first = b.publish('x', key, { eventId: '1' }, 0).routedTo;
      expect(first).toHaveLength(1);
      for (let i = 0; i < 5; i++) expect(b.publish('x', key, { eventId: String(i + 2) }, 0).routedTo).toEqual(first);
    }
  });

  it('hashes the header named by hashHeader; a message without it is unroutable', () => {
    const b = broker('entity', ['5', '5']);
    const a = b.publish('x', 'same-key', { eventId: '1', headers: { entity: 'order-1' } }, 0).routedTo;
    const again = b.publish('x', 'other-key', { eventId: '2', headers: { entity: 'order-1' } }, 0).routedTo;
    expect(again).toEqual(a);
    const none = b.publish('x', 'same-key', { eventId: '3' }, 0);
    expect(none.unroutable).toBe(true);
  });

  it('shares keys by weight: a queue with more points gets more keys', () => {
    const ring = new HashRing([
      { queue: 'light', key: '10' },
      { queue: 'heavy', key: '90' },
    ]);
    let heavy = 0;
    for (let i = 0; i < 2000; i++) if (ring.pick(`k${i}`) === 'heavy') heavy++;
    expect(heavy).toBeGreaterThan(1400);
    expect(heavy).toBeLessThan(1990);
  });

  it('routes nothing without bindings; FNV-1a is the published function', () => {
    expect(new HashRing([]).pick('a')).toBeNull();
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
  });
});

describe('events of entities', () => {
  it('publishes each entity\'s sequence in order, then opens a new entity', () => {
    let x = 0;
    const draws = [0, 0, 0.9, 0, 0.9, 0.9];
    const seq = new EntitySequences({ count: 2, sequence: ['placed', 'paid', 'shipped'], prefix: 'order-' }, () => draws[x++ % draws.length]!);
    const out = Array.from({ length: 6 }, () => seq.next());
    expect(out.map((e) => `${e.entity}:${e.version}:${e.event}`)).toEqual([
      'order-1:1:placed',
      'order-1:2:paid',
      'order-2:1:placed',
      'order-1:3:shipped',
      'order-2:2:paid',
      'order-2:3:shipped',
    ]);
    // order-1 is done: its slot now holds order-3.
    expect(seq.next().entity).toBe('order-3');
  });

  it('reads the entity and version from the headers, by event name first', () => {
    const seq = ['placed', 'paid', 'shipped'];
    expect(entityEventOf({ entity: 'o-1', event: 'paid', version: 9 }, seq)).toEqual({ entity: 'o-1', version: 2 });
    expect(entityEventOf({ entity: 'o-1', version: 3 }, seq)).toEqual({ entity: 'o-1', version: 3 });
    expect(entityEventOf({ event: 'paid' }, seq)).toBeNull();
    expect(entityEventOf({ entity: 'o-1', event: 'refunded' }, seq)).toBeNull();
  });
});

describe('a state machine\'s entity table', () => {
  it('applies the next version; an older one is stale, a later one early', () => {
    const s = new EntityStates();
    expect(s.verdict('o', 1)).toBe('apply');
    expect(s.verdict('o', 2)).toBe('early');
    s.apply('o', 1);
    expect(s.verdict('o', 1)).toBe('stale');
    expect(s.verdict('o', 2)).toBe('apply');
  });

  it('a jump over a version leaves the entity inconsistent; a missing last version, incomplete', () => {
    const s = new EntityStates();
    s.apply('a', 1);
    s.apply('a', 3);
    s.apply('b', 1);
    s.see('c');
    expect(s.counters.applied).toBe(3);
    expect(s.entities(new Map([['a', 3], ['b', 3], ['c', 1]]))).toEqual({ seen: 3, incomplete: 2, inconsistent: 1 });
  });

  it('counts the parks of each event', () => {
    const s = new EntityStates();
    expect(s.wasParked('e1')).toBe(false);
    expect(s.park('e1')).toBe(0);
    expect(s.park('e1')).toBe(1);
    expect(s.wasParked('e1')).toBe(true);
  });
});

describe('the verdict on a delivered event', () => {
  const seq = ['placed', 'paid', 'shipped'];
  const h = (event: string) => ({ entity: 'o-1', event });
  const sm = (onOutOfOrder: 'reject' | 'park' | 'ignore-stale') => ({ sequence: seq, onOutOfOrder, maxParks: 2 });

  it('reject: an early or a stale event is rejected; the next one goes on', () => {
    const s = new EntityStates();
    expect(orderVerdict(s, sm('reject'), h('paid'), 'e2')).toBe('reject');
    expect(orderVerdict(s, sm('reject'), h('placed'), 'e1')).toBeNull();
    s.apply('o-1', 1);
    expect(orderVerdict(s, sm('reject'), h('placed'), 'e1')).toBe('reject');
    expect(s.counters).toMatchObject({ outOfOrder: 2, rejected: 2, parked: 0, staleIgnored: 0 });
  });

  it('park: an early event is parked up to maxParks times, then rejected; a stale one is acked', () => {
    const s = new EntityStates();
    expect(orderVerdict(s, sm('park'), h('paid'), 'e2')).toBe('park');
    expect(orderVerdict(s, sm('park'), h('paid'), 'e2')).toBe('park');
    expect(orderVerdict(s, sm('park'), h('paid'), 'e2')).toBe('reject');
    s.apply('o-1', 1);
    expect(orderVerdict(s, sm('park'), h('placed'), 'e1')).toBe('ack');
    expect(s.counters).toMatchObject({ outOfOrder: 4, parked: 2, parkRetries: 2, rejected: 1, staleIgnored: 1 });
  });

  it('ignore-stale: an early event is applied (the work goes on), a stale one acked', () => {
    const s = new EntityStates();
    expect(orderVerdict(s, sm('ignore-stale'), h('shipped'), 'e3')).toBeNull();
    s.apply('o-1', 3);
    expect(orderVerdict(s, sm('ignore-stale'), h('paid'), 'e2')).toBe('ack');
    expect(s.counters).toMatchObject({ outOfOrder: 2, staleIgnored: 1, rejected: 0, parked: 0 });
    expect(s.entities(new Map([['o-1', 3]]))).toEqual({ seen: 1, incomplete: 0, inconsistent: 1 });
  });

  it('a message of no entity is worked as usual, uncounted', () => {
    const s = new EntityStates();
    expect(orderVerdict(s, sm('reject'), {}, 'e9')).toBeNull();
    expect(s.counters.outOfOrder).toBe(0);
  });
});
