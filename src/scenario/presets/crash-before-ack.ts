import type { Preset } from './index';

/** A consumer that dies after its work and before its ack gets the message again: a duplicate unless it is idempotent. */
export const crashBeforeAck: Preset = {
  slug: 'crash-before-ack',
  title: 'Consumer crash before ack: duplicates',
  summary: 'fulfilment crashes three times; messages it had processed but whose acks had not reached the broker are delivered again — shipping sends a parcel twice, invoicing skips the repeat.',
  watch: [
    { text: 'shipping-q redelivered and invoice-q redelivered: every message fulfilment held unacked at a crash came back.', figures: ['nodes.shipping-q.redelivered', 'nodes.invoice-q.redelivered'] },
    { text: 'shipping-q duplicatesProcessed > 0: shipping had already handled some of them — each is a second parcel for one order.', figures: ['nodes.shipping-q.duplicatesProcessed'] },
    { text: 'invoice-q duplicatesSkipped > 0 and duplicatesProcessed 0: invoicing keeps the eventIds it handled and acks a repeat without doing it again.', figures: ['nodes.invoice-q.duplicatesSkipped', 'nodes.invoice-q.duplicatesProcessed'] },
    { text: 'The event log: instance.crash, then message.nack with consumerDied true, then message.deliver with redelivered true and message.duplicate at fulfilment.', figures: ['nodes.shipping-q.redelivered', 'nodes.shipping-q.duplicatesProcessed'] },
  ],
  tryThis: [
    'Make shipping idempotent ("idempotent": true on the shipping-q entry): its duplicatesProcessed drops to 0.',
    'Remove the links entry (acks cross the network in 1 ms instead of 60 ms): fewer acks are in flight at a crash, so fewer duplicates — rarer, never impossible.',
  ],
  document: {
    format: 'faultline/1',
    name: 'Consumer crash before ack: duplicates',
    description: [
      '**checkout** publishes order.placed to **shipping-q** and **invoice-q**; **fulfilment** consumes both: it does the',
      'work, commits it, then sends the ack. Its acks take 60 ms to reach the broker (a busy network).',
      '',
      'fulfilment crashes three times. The broker requeues every message the dead connection held unacked — including',
      'the ones whose work was done and whose ack was still on its way. They are delivered again. At-least-once delivery',
      'means a consumer must expect repeats: **shipping** is not idempotent and ships twice; **invoicing** records each',
      'eventId it has handled and skips a repeat.',
    ].join('\n'),
    seed: 'crash-ack-1',
    durationMs: 60000,
    nodes: [
      { id: 'users', kind: 'client', label: 'Users', target: 'checkout', arrival: { type: 'poisson', ratePerSec: 50 } },
      { id: 'checkout', kind: 'service', label: 'Checkout', serviceTime: 5, publishes: [{ exchange: 'orders', routingKey: 'order.placed' }] },
      { id: 'orders', kind: 'exchange', label: 'orders (fanout)', type: 'fanout' },
      { id: 'shipping-q', kind: 'queue', label: 'shipping', bindings: [{ exchange: 'orders' }] },
      { id: 'invoice-q', kind: 'queue', label: 'invoicing', bindings: [{ exchange: 'orders' }] },
      {
        id: 'fulfilment',
        kind: 'service',
        label: 'Fulfilment',
        consumes: [
          { queue: 'shipping-q', prefetch: 20, consumers: 2, serviceTime: { dist: 'exponential', meanMs: 10 }, idempotent: false },
          { queue: 'invoice-q', prefetch: 20, consumers: 2, serviceTime: { dist: 'exponential', meanMs: 10 }, idempotent: true },
        ],
      },
    ],
    links: [
      { from: 'fulfilment', to: 'shipping-q', latency: 60 },
      { from: 'fulfilment', to: 'invoice-q', latency: 60 },
    ],
    faults: [
      { atMs: 15000, untilMs: 17000, target: 'fulfilment', kind: 'crash' },
      { atMs: 30000, untilMs: 32000, target: 'fulfilment', kind: 'crash' },
      { atMs: 45000, untilMs: 47000, target: 'fulfilment', kind: 'crash' },
    ],
    layout: {
      users: { x: 0, y: 130 },
      checkout: { x: 260, y: 130 },
      orders: { x: 520, y: 130 },
      'shipping-q': { x: 780, y: 40 },
      'invoice-q': { x: 780, y: 220 },
      fulfilment: { x: 1040, y: 130 },
    },
  },
};
