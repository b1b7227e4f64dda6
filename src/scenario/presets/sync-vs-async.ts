import type { Preset } from './index';

/** The same notification sent two ways while the notification service is down: an HTTP call fails the order, a queued event waits. */
export const syncVsAsync: Preset = {
  slug: 'sync-vs-async',
  title: 'Sync vs async: the notification service goes down',
  summary: 'notifications crashes for 20 s: orders that call it over HTTP fail, orders that publish an event succeed and their notifications wait in the queue.',
  watch: [
    { text: 'orders-sync failed vs orders-async failed (0): while notifications is down, every order that waits on its HTTP answer fails with it.', figures: ['nodes.orders-sync.failed', 'nodes.orders-async.failed'] },
    { text: 'notify-q depthMax: the events piling up during the outage; depthEnd back to 0 once notifications restarts and drains them.', figures: ['nodes.notify-q.depthMax'] },
    { text: 'notifications consumed catches up with orders-async ok (all but the last message or two, in flight when the run ends): every async order was notified in the end, only later.', figures: ['nodes.notifications.consumed', 'nodes.orders-async.ok', 'nodes.notifications.ok'] },
    { text: 'notifications received: the HTTP calls that got through; the rest were refused while it was down.', figures: ['nodes.notifications.received'] },
  ],
  tryThis: [
    'Give the sync call a fallback ("fallback": { "status": 200 } on orders-sync\'s call): its orders succeed again, but nobody is ever notified of those — the queue is what keeps the promise.',
    'Make the outage longer ("untilMs": 50000): the async side still loses nothing; notify-q depthMax just grows, and draining takes longer.',
    'Set notify-q\'s "maxLength" to 100: the oldest waiting notifications are now dropped (dropped on notify-q) — a bounded queue trades memory for losses.',
  ],
  document: {
    format: 'faultline/1',
    name: 'Sync vs async: the notification service goes down',
    description: [
      'Two order services tell **notifications** about each order. **orders-sync** calls it over HTTP and waits for the answer;',
      '**orders-async** publishes order.placed to a queue, answers its client at once, and lets notifications catch up.',
      '',
      'From 20 s to 40 s notifications is down. A synchronous caller shares its callee\'s fate: each order fails while the',
      'notification cannot be sent. The asynchronous one does not notice — the events wait in **notify-q** and are delivered',
      'when notifications comes back. Use a queue when the work can happen later; call directly when you need the answer now.',
    ].join('\n'),
    seed: 'sync-async-1',
    durationMs: 60000,
    nodes: [
      { id: 'shoppers', kind: 'client', label: 'Shoppers (sync)', target: 'orders-sync', arrival: { type: 'poisson', ratePerSec: 10 } },
      { id: 'buyers', kind: 'client', label: 'Shoppers (async)', target: 'orders-async', arrival: { type: 'poisson', ratePerSec: 10 } },
      { id: 'orders-sync', kind: 'service', label: 'Orders (HTTP call)', serviceTime: 10, calls: [{ target: 'notifications', timeoutMs: 3000 }] },
      { id: 'orders-async', kind: 'service', label: 'Orders (publishes)', serviceTime: 10, publishes: [{ exchange: 'events', routingKey: 'order.placed' }] },
      { id: 'events', kind: 'exchange', label: 'events (topic)', type: 'topic' },
      { id: 'notify-q', kind: 'queue', label: 'notify queue', bindings: [{ exchange: 'events', key: 'order.*' }] },
      {
        id: 'notifications',
        kind: 'service',
        label: 'Notifications',
        serviceTime: 20,
        consumes: [{ queue: 'notify-q', prefetch: 20, consumers: 2, serviceTime: 20 }],
      },
    ],
    faults: [{ atMs: 20000, untilMs: 40000, target: 'notifications', kind: 'crash' }],
    layout: {
      shoppers: { x: 0, y: 40 },
      buyers: { x: 0, y: 240 },
      'orders-sync': { x: 260, y: 40 },
      'orders-async': { x: 260, y: 240 },
      events: { x: 520, y: 240 },
      'notify-q': { x: 780, y: 240 },
      notifications: { x: 1040, y: 40 },
    },
  },
};
