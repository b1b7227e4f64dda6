import type { Preset } from './index';

/** A poison message that is nacked with requeue loops forever on a classic queue; a quorum queue's delivery limit ends the loop. */
export const poisonQuorumVsClassic: Preset = {
  slug: 'poison-quorum-vs-classic',
  title: 'Poison messages: classic queue vs quorum delivery limit',
  summary: '1% of events are poison and both consumers nack them with requeue: on the classic queue they come back forever; the quorum queue dead-letters each after its delivery limit.',
  watch: [
    { text: 'audit-classic redelivered = poisonFailures: thousands — the few poison messages going round and round, each one taking the consumer\'s time.', figures: ['nodes.audit-classic.redelivered', 'nodes.audit-classic.poisonFailures'] },
    { text: 'audit-classic depthEnd: hundreds of good orders waiting behind them at the end (auditor-a consumed far fewer than auditor-b); the poison messages themselves are never removed.', figures: ['nodes.audit-classic.depthEnd', 'nodes.auditor-a.consumed'] },
    { text: 'audit-quorum deadLettered = audit-dlq depthEnd: each poison message was delivered 4 times (deliveryLimit 3: poisonFailures = 4 × deadLettered, redelivered = 3 ×), then dead-lettered with reason delivery_limit.', figures: ['nodes.audit-quorum.deadLettered', 'nodes.audit-dlq.depthEnd'] },
    { text: 'audit-quorum depthEnd 0: with the poison messages out of the way the quorum queue keeps up.', figures: ['nodes.audit-quorum.depthEnd'] },
  ],
  tryThis: [
    'Set audit-quorum\'s "deliveryLimit" to 0: a poison message is dead-lettered after its first failure.',
    'Change the classic consumer\'s "onError" to "dead-letter" and give audit-classic the same "deadLetter": the loop ends there too, but so does every transient failure — a delivery limit gives transient errors a few more chances.',
    'Remove audit-quorum\'s "deadLetter": the poison messages are dropped with reason delivery_limit — out of the way, but gone.',
  ],
  document: {
    format: 'faultline/1',
    name: 'Poison messages: classic queue vs quorum delivery limit',
    description: [
      '**orders** publishes order.placed; 1% of the events are **poison** — malformed in a way every consumer fails on, every',
      'time. Two copies of the same consumer read them from two queues and, on failure, nack **with requeue**.',
      '',
      '**audit-classic** is a classic queue: a requeued message goes back where it was and is delivered again at once, for',
      'ever. **audit-quorum** is a quorum queue with `deliveryLimit: 3`: after its fourth delivery the broker dead-letters',
      'it (reason delivery_limit) to **audit-dlq**, where someone can look at it. Classic queues have no delivery limit.',
    ].join('\n'),
    seed: 'poison-quorum-1',
    durationMs: 60000,
    nodes: [
      { id: 'users', kind: 'client', label: 'Users', target: 'orders', arrival: { type: 'poisson', ratePerSec: 20 } },
      { id: 'orders', kind: 'service', label: 'Orders', serviceTime: 5, publishes: [{ exchange: 'events', routingKey: 'order.placed', poisonRate: 0.01 }] },
      { id: 'events', kind: 'exchange', label: 'events (fanout)', type: 'fanout' },
      { id: 'audit-classic', kind: 'queue', label: 'audit (classic)', bindings: [{ exchange: 'events' }] },
      { id: 'audit-quorum', kind: 'queue', label: 'audit (quorum)', bindings: [{ exchange: 'events' }], queueType: 'quorum', deliveryLimit: 3, deadLetter: { exchange: 'dlx' } },
      { id: 'dlx', kind: 'exchange', label: 'dlx (fanout)', type: 'fanout' },
      { id: 'audit-dlq', kind: 'queue', label: 'audit DLQ', bindings: [{ exchange: 'dlx' }] },
      { id: 'auditor-a', kind: 'service', label: 'Auditor (classic)', consumes: [{ queue: 'audit-classic', serviceTime: 10, onError: 'requeue' }] },
      { id: 'auditor-b', kind: 'service', label: 'Auditor (quorum)', consumes: [{ queue: 'audit-quorum', serviceTime: 10, onError: 'requeue' }] },
    ],
    layout: {
      users: { x: 0, y: 130 },
      orders: { x: 260, y: 130 },
      events: { x: 520, y: 130 },
      'audit-classic': { x: 780, y: 20 },
      'audit-quorum': { x: 780, y: 200 },
      dlx: { x: 780, y: 340 },
      'audit-dlq': { x: 1040, y: 340 },
      'auditor-a': { x: 1040, y: 20 },
      'auditor-b': { x: 1040, y: 200 },
    },
  },
};
