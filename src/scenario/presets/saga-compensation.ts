import type { Preset } from './index';

/** An orchestrated order saga whose payment step fails: the completed steps are undone in reverse. */
export const sagaCompensation: Preset = {
  slug: 'saga-compensation',
  title: 'A saga compensates a failed payment',
  summary: 'Create order, reserve stock, charge card, confirm: when the card is declined, the orchestrator releases the stock and cancels the order.',
  watch: [
    { text: 'checkout on the canvas: sagas started, completed and compensated. From 20 s to 40 s one card in four is declined.', figures: ['nodes.checkout.sagasStarted', 'nodes.checkout.sagasCompleted', 'nodes.checkout.sagasCompensated'] },
    { text: 'A compensated saga in the waterfall (click a request with status 409): step 1 and 2 succeed, step 3 fails, then "undo step 2" and "undo step 1" — in reverse, and the failed payment itself is not undone.', figures: ['nodes.checkout.compensationsRun', 'nodes.checkout.stepsFailed'] },
    { text: 'The summary\'s sagas: every saga ends exactly once — completed, compensated or stuck — and none is stuck here.', figures: ['sagas.completed', 'sagas.compensated', 'sagas.stuck'] },
  ],
  tryThis: [
    'Add a crash of checkout from 30 s to 35 s: with "persistState" true the running sagas resume from the saga log when it restarts (their callers, cut off, time out; the call in flight is made again). Set "persistState" to false and they are stuck — stock reserved, orders open, nobody left to undo them.',
    'Remove the compensation of "reserve stock": declined orders are still cancelled, but their stock stays reserved for ever — the saga counts as compensated, which is why every step that changes state needs its own undo.',
    'Set the payment fault\'s "probability" to 1: every saga from 20 s to 40 s is compensated, and they are quick about it — a declined card answers at once.',
  ],
  document: {
    format: 'faultline/1',
    name: 'A saga compensates a failed payment',
    description: [
      'The **checkout** orchestrator runs a saga for every order: **create order** → **reserve stock** → **charge card** →',
      '**confirm order**. Each step is a local transaction in its own service; each completed one has a compensation.',
      '',
      'From 20 s to 40 s the payment provider **declines one card in four** (402). The orchestrator then runs the',
      'compensations of the steps that completed, last first: **release stock**, then **cancel order**. The user hears',
      '409. No distributed transaction, no locks — eventual consistency, one compensating action at a time.',
    ].join('\n'),
    seed: 'saga-1',
    durationMs: 60000,
    nodes: [
      { id: 'users', kind: 'client', label: 'Users', target: 'checkout', arrival: { type: 'poisson', ratePerSec: 20 }, timeoutMs: 10000 },
      {
        id: 'checkout',
        kind: 'orchestrator',
        label: 'Checkout saga',
        overhead: 2,
        steps: [
          { name: 'create order', target: 'orders', timeoutMs: 2000, compensation: { target: 'orders', timeoutMs: 2000 } },
          { name: 'reserve stock', target: 'inventory', timeoutMs: 2000, compensation: { target: 'inventory', timeoutMs: 2000, retry: { maxAttempts: 3, baseDelayMs: 200 } } },
          { name: 'charge card', target: 'payments', timeoutMs: 3000 },
          { name: 'confirm order', target: 'orders', timeoutMs: 2000 },
        ],
      },
      { id: 'orders', kind: 'service', label: 'Orders', concurrency: 20, serviceTime: { dist: 'exponential', meanMs: 10 } },
      { id: 'inventory', kind: 'service', label: 'Inventory', concurrency: 20, serviceTime: { dist: 'exponential', meanMs: 15 } },
      { id: 'payments', kind: 'service', label: 'Payments', concurrency: 40, serviceTime: { dist: 'lognormal', medianMs: 400, p99Ms: 1500 } },
    ],
    faults: [{ atMs: 20000, untilMs: 40000, target: 'payments', kind: 'error', status: 402, probability: 0.25 }],
    layout: { users: { x: 0, y: 160 }, checkout: { x: 320, y: 160 }, orders: { x: 680, y: 20 }, inventory: { x: 680, y: 160 }, payments: { x: 680, y: 300 } },
  },
};
