import type { Preset } from './index';

/** Automatic acknowledgement loses what a crashing consumer had taken; manual acknowledgement gets it back. */
export const autoAckCrash: Preset = {
  slug: 'auto-ack-crash',
  title: 'Auto-ack loses messages when the consumer crashes',
  summary: 'notifier reads two queues, one with automatic acks, one with manual acks; it crashes at 30 s: the auto-acked messages it held are gone, the manual ones come back.',
  watch: [
    { text: 'emails lost: the messages notifier held when it crashed. The broker forgot each one the moment it sent it, so nobody will ever send those emails.', figures: ['nodes.emails.lost'] },
    { text: 'receipts lost 0 and redelivered > 0: with manual acks the broker still had them, and requeued them when the channel died.', figures: ['nodes.receipts.lost', 'nodes.receipts.redelivered'] },
    { text: 'emails autoAcked = published: every email message counted as acked as soon as it left the queue — processed or not.', figures: ['nodes.emails.autoAcked', 'nodes.emails.published'] },
    { text: 'The event log: message.lost with reason consumer-crashed, all at 30 s.', figures: ['nodes.emails.lost'] },
  ],
  tryThis: [
    'Set the emails entry\'s "ackMode" to "manual": lost drops to 0, and redelivered takes its place.',
    'Keep auto-ack but make notifier fast ("serviceTime": 5 on the emails entry): it holds fewer messages when it dies, so fewer are lost — the risk grows with how far the consumer lags behind.',
  ],
  document: {
    format: 'faultline/1',
    name: 'Auto-ack loses messages when the consumer crashes',
    description: [
      '**shop** publishes each order to **emails** and **receipts**; **notifier** consumes both, a little slower than orders',
      'arrive at peak. On emails it uses automatic acknowledgement: the broker counts a message as done when it sends it,',
      'and sends as many as the consumer will take — prefetch does not apply. On receipts it acks by hand after the work,',
      'with a prefetch of 20.',
      '',
      'At 30 s notifier crashes. Every email it had taken but not yet sent dies with it; the receipts it held were never',
      'acked, so the broker puts them back and delivers them again. Fast, but at-most-once, versus at-least-once.',
    ].join('\n'),
    seed: 'auto-ack-1',
    durationMs: 60000,
    nodes: [
      { id: 'users', kind: 'client', label: 'Users', target: 'shop', arrival: { type: 'poisson', ratePerSec: 40 } },
      { id: 'shop', kind: 'service', label: 'Shop', serviceTime: 5, publishes: [{ exchange: 'orders', routingKey: 'order.placed' }] },
      { id: 'orders', kind: 'exchange', label: 'orders (fanout)', type: 'fanout' },
      { id: 'emails', kind: 'queue', label: 'emails', bindings: [{ exchange: 'orders' }] },
      { id: 'receipts', kind: 'queue', label: 'receipts', bindings: [{ exchange: 'orders' }] },
      {
        id: 'notifier',
        kind: 'service',
        label: 'Notifier',
        consumes: [
          { queue: 'emails', ackMode: 'auto', serviceTime: { dist: 'exponential', meanMs: 27 } },
          { queue: 'receipts', ackMode: 'manual', prefetch: 20, serviceTime: { dist: 'exponential', meanMs: 27 } },
        ],
      },
    ],
    faults: [{ atMs: 30000, untilMs: 33000, target: 'notifier', kind: 'crash' }],
    layout: {
      users: { x: 0, y: 130 },
      shop: { x: 260, y: 130 },
      orders: { x: 520, y: 130 },
      emails: { x: 780, y: 40 },
      receipts: { x: 780, y: 220 },
      notifier: { x: 1040, y: 130 },
    },
  },
};
