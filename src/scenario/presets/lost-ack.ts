import type { Preset } from './index';

/** A flaky link swallows acks: the broker cannot tell a lost ack from a slow consumer, waits for the consumer timeout, then redelivers. */
export const lostAck: Preset = {
  slug: 'lost-ack',
  title: 'A lost ack: consumer timeout, then redelivery',
  summary: 'for 10 s the link between stock-q and warehouse drops 20% of what crosses it; the broker keeps the messages whose acks were lost unacked until its consumer timeout closes the channel, then delivers them again — duplicates for a consumer that is not idempotent.',
  watch: [
    { text: 'stock-q acksLost: work warehouse did whose ack never reached the broker. deliveriesLost: messages it never received. The broker counts both as unacked, the same.', figures: ['nodes.stock-q.acksLost', 'nodes.stock-q.deliveriesLost'] },
    { text: 'stock-q channelsClosed 1, at 120 s: the consumer timeout (60 s, checked once a minute) fires for the oldest; the broker closes the channel and requeues everything it held (redelivered).', figures: ['nodes.stock-q.channelsClosed'] },
    { text: 'stock-q duplicatesProcessed = acksLost: each message whose ack was lost is processed a second time — a second stock reservation for one order.', figures: ['nodes.stock-q.duplicatesProcessed', 'nodes.stock-q.acksLost'] },
    { text: 'stock-q depthMax stays under 100: the lost messages sit in warehouse\'s prefetch window (50) without filling it, so new orders keep flowing meanwhile; the peak is the 5 s between the channel closing and warehouse reconnecting.', figures: ['nodes.stock-q.depthMax'] },
  ],
  tryThis: [
    'Make warehouse idempotent ("idempotent": true): duplicatesProcessed drops to 0 and duplicatesSkipped takes its place.',
    'Lower the entry\'s "prefetch" to 10: the lost messages fill the window, warehouse gets nothing new until the channel is closed, and stock-q depthMax climbs into the hundreds.',
    'Turn the fault into a 3-second "partition": deliveries and acks stop for 3 s but nothing is lost — the connection outlives it (TCP) and they cross when it heals, about 30 held within warehouse\'s prefetch of 50: no channel closed, nothing redelivered, no duplicate. A loss, not a pause, is what costs a redelivery.',
  ],
  document: {
    format: 'faultline/1',
    name: 'A lost ack: consumer timeout, then redelivery',
    description: [
      '**orders** publishes order.placed to **stock-q**; **warehouse** reserves stock for each and acks.',
      '',
      'From 20 s to 30 s the link between stock-q and warehouse drops 20% of deliveries and acks. To the broker, a lost',
      'ack looks exactly like a consumer still at work, so it keeps the message unacked — until its **consumer timeout**',
      '(here 60 s, checked once a minute) closes warehouse\'s channel and requeues all it held. warehouse reconnects 5 s',
      'later and gets them again: the ones whose work it had done are duplicates. At-least-once delivery, again: make the',
      'consumer idempotent.',
    ].join('\n'),
    seed: 'lost-ack-1',
    durationMs: 150000,
    nodes: [
      { id: 'users', kind: 'client', label: 'Users', target: 'orders', arrival: { type: 'poisson', ratePerSec: 10 } },
      { id: 'orders', kind: 'service', label: 'Orders', serviceTime: 5, publishes: [{ exchange: 'events', routingKey: 'order.placed' }] },
      { id: 'events', kind: 'exchange', label: 'events (topic)', type: 'topic' },
      { id: 'stock-q', kind: 'queue', label: 'stock', bindings: [{ exchange: 'events', key: 'order.placed' }], consumerTimeoutMs: 60000 },
      {
        id: 'warehouse',
        kind: 'service',
        label: 'Warehouse',
        consumes: [{ queue: 'stock-q', prefetch: 50, serviceTime: { dist: 'exponential', meanMs: 20 }, idempotent: false }],
      },
    ],
    faults: [{ atMs: 20000, untilMs: 30000, target: 'stock-q->warehouse', kind: 'drop', probability: 0.2 }],
    layout: {
      users: { x: 0, y: 100 },
      orders: { x: 260, y: 100 },
      events: { x: 520, y: 100 },
      'stock-q': { x: 780, y: 100 },
      warehouse: { x: 1040, y: 100 },
    },
  },
};
