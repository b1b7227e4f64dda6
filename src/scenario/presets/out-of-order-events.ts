import type { Preset } from './index';

const projection = (queue: string, consumers: number) => ({
  queue,
  consumers,
  prefetch: 10,
  serviceTime: { dist: 'exponential' as const, meanMs: 60 },
  onError: 'dead-letter' as const,
  stateMachine: { sequence: ['placed', 'paid', 'shipped'], onOutOfOrder: 'reject' as const, parkDelayMs: 500, maxParks: 10 },
});

/** Competing consumers with prefetch process one order's events out of order; a state machine counts it; per-key routing or versions fix it. */
export const outOfOrderEvents: Preset = {
  slug: 'out-of-order-events',
  title: 'Out-of-order events: competing consumers vs per-key ordering',
  summary: 'Each order\'s events (placed → paid → shipped) go to four competing consumers with prefetch 10: some arrive before their predecessor, and a state machine rejects them. Routing by order id, or applying by version, fixes it.',
  watch: [
    { text: 'projection outOfOrder > 0: events that came before their predecessor (paid before placed), taken by another consumer with a shorter buffer.', figures: ['nodes.projection.outOfOrder', 'nodes.projection.eventsApplied'] },
    { text: 'outOfOrderRejected = the dead-lettered messages in order-dlq: each rejected event is nacked without requeue.', figures: ['nodes.projection.outOfOrderRejected', 'nodes.order-dlq.depthEnd'] },
    { text: 'entitiesIncomplete: orders whose state stopped short of their last event — a rejected "paid" leaves "shipped" out of order for ever.', figures: ['nodes.projection.entitiesIncomplete', 'nodes.projection.entities'] },
    { text: 'In the "per-key queues" variant outOfOrder is 0: the consistent-hash exchange sends one order\'s events to one queue with one consumer, so they are worked in order.', figures: ['nodes.projection.outOfOrder', 'nodes.by-key-1.published'] },
    { text: 'In "ignore stale" nothing is rejected, but entitiesInconsistent counts orders whose state jumped over an event (shipped applied, paid then ignored as stale).', figures: ['nodes.projection.staleIgnored', 'nodes.projection.entitiesInconsistent'] },
  ],
  tryThis: [
    'Run the "park" variant: an early event is nacked with requeue after 500 ms until its predecessor is applied; parked and parkRetries grow, outOfOrderRejected drops to 0, and entitiesIncomplete falls to the events still in flight.',
    'Set the shared queue\'s consumers to 1 ("nodes[projection].consumes[order-events].consumers"): one consumer works the queue in order and outOfOrder is 0 — at a quarter of the throughput, so the queue grows.',
    'Set "prefetch" to 1 on the shared queue: fewer events wait in one consumer\'s buffer while the next goes to another, so fewer come out of order — but not none.',
  ],
  document: {
    format: 'faultline/1',
    name: 'Out-of-order events: competing consumers vs per-key ordering',
    description: [
      '**orders** publishes each order\'s events in order: placed, paid, shipped (versions 1, 2, 3; headers `entity`,',
      '`version`, `event`), eight orders open at a time. **order-events** is one queue with **four competing consumers**,',
      'each with prefetch 10: the broker hands messages out round-robin, so "placed" can wait in a busy consumer\'s buffer',
      'while "paid" goes to an idle one and is worked first.',
      '',
      '**projection** is a state machine: it takes an order from placed to paid to shipped and **rejects** an event that is',
      'not the next one (nack without requeue: it goes to **order-dlq**). A rejected "paid" leaves that order stuck at',
      'placed. Compare the variants: **per-key queues** publish to **orders-by-key**, a consistent-hash exchange',
      '(`x-consistent-hash`, hashing the `entity` header) with one queue and one consumer per share — one order, one',
      'consumer, in order; **ignore stale** applies events by version and acks older ones; **park** requeues an early',
      'event after a delay until its predecessor is applied.',
    ].join('\n'),
    seed: 'out-of-order-1',
    durationMs: 60000,
    nodes: [
      { id: 'users', kind: 'client', label: 'Users', target: 'orders', arrival: { type: 'poisson', ratePerSec: 50 } },
      {
        id: 'orders',
        kind: 'service',
        label: 'Orders',
        serviceTime: 5,
        publishes: [{ exchange: 'order-x', routingKey: 'order.event', entities: { count: 8, sequence: ['placed', 'paid', 'shipped'], prefix: 'order-' } }],
      },
      { id: 'order-x', kind: 'exchange', label: 'order-x (direct)', type: 'direct' },
      { id: 'orders-by-key', kind: 'exchange', label: 'orders-by-key (consistent hash)', type: 'x-consistent-hash', hashHeader: 'entity' },
      { id: 'order-events', kind: 'queue', label: 'order-events (shared)', bindings: [{ exchange: 'order-x', key: 'order.event' }], deadLetter: { exchange: 'rejected-x' } },
      { id: 'by-key-1', kind: 'queue', bindings: [{ exchange: 'orders-by-key', key: '10' }], deadLetter: { exchange: 'rejected-x' } },
      { id: 'by-key-2', kind: 'queue', bindings: [{ exchange: 'orders-by-key', key: '10' }], deadLetter: { exchange: 'rejected-x' } },
      { id: 'by-key-3', kind: 'queue', bindings: [{ exchange: 'orders-by-key', key: '10' }], deadLetter: { exchange: 'rejected-x' } },
      { id: 'by-key-4', kind: 'queue', bindings: [{ exchange: 'orders-by-key', key: '10' }], deadLetter: { exchange: 'rejected-x' } },
      { id: 'rejected-x', kind: 'exchange', label: 'rejected (fanout)', type: 'fanout' },
      { id: 'order-dlq', kind: 'queue', label: 'order DLQ', bindings: [{ exchange: 'rejected-x' }] },
      {
        id: 'projection',
        kind: 'service',
        label: 'Order projection (state machine)',
        consumes: [projection('order-events', 4), projection('by-key-1', 1), projection('by-key-2', 1), projection('by-key-3', 1), projection('by-key-4', 1)],
      },
    ],
    variants: [
      {
        name: 'per-key queues',
        description: 'Orders publishes to the consistent-hash exchange: each order\'s events go to one queue with one consumer.',
        set: { 'nodes[orders].publishes[0].exchange': 'orders-by-key' },
      },
      {
        name: 'ignore stale',
        description: 'Projection applies events by version and acks an event older than the order\'s state.',
        set: { 'nodes[projection].consumes[order-events].stateMachine.onOutOfOrder': 'ignore-stale' },
      },
      {
        name: 'park',
        description: 'Projection requeues an early event after 500 ms (up to 10 times) until its predecessor is applied.',
        set: { 'nodes[projection].consumes[order-events].stateMachine.onOutOfOrder': 'park' },
      },
    ],
    layout: {
      users: { x: 0, y: 200 },
      orders: { x: 240, y: 200 },
      'order-x': { x: 480, y: 60 },
      'orders-by-key': { x: 480, y: 300 },
      'order-events': { x: 740, y: 40 },
      'by-key-1': { x: 740, y: 180 },
      'by-key-2': { x: 740, y: 280 },
      'by-key-3': { x: 740, y: 380 },
      'by-key-4': { x: 740, y: 480 },
      projection: { x: 1020, y: 200 },
      'rejected-x': { x: 1020, y: 420 },
      'order-dlq': { x: 1260, y: 420 },
    },
  },
};
