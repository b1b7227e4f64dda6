import type { Preset } from './index';

const CALL = { target: 'ledger', timeoutMs: 3000, fallback: { status: 200, label: 'balance from cache' } } as const;

/** The same outage, two libraries' default breakers, side by side. */
export const opossumVsResilience4j: Preset = {
  slug: 'opossum-vs-resilience4j',
  title: 'opossum defaults vs resilience4j defaults',
  summary: 'One ledger outage at low traffic: opossum\'s defaults open within seconds, resilience4j\'s never do.',
  watch: [
    { text: 'billing-node (opossum defaults) breakerOpens: 1, about 9 s into the outage (each failure shows only when its 3 s timeout fires). opossum judges the last 10 s of calls and needs no minimum volume (volumeThreshold 0): once more than half failed, it opens.', figures: ['nodes.billing-node.breakerOpens'] },
    { text: 'billing-jvm (resilience4j defaults) breakerOpens: 0. It decides nothing before 100 calls are recorded (minimumNumberOfCalls), and at one call a second the outage is over first.', figures: ['nodes.billing-jvm.breakerOpens'] },
    { text: 'timeouts on each side: billing-jvm waits out the 3 s timeout on every call of the outage; billing-node short-circuits to its fallback at once.', figures: ['nodes.billing-jvm.timeouts', 'nodes.billing-node.timeouts', 'nodes.billing-node.shortCircuited'] },
    { text: 'Near 60 s opossum half-opens (resetTimeout 30 s), its trial succeeds and it closes.', figures: ['nodes.billing-node.breakerOpens'] },
  ],
  tryThis: [
    'In billing-jvm\'s breaker set "minimumNumberOfCalls": 5 and "slidingWindowSize": 10: resilience4j now opens too.',
    'Set opossum\'s "volumeThreshold": 10: it too waits for a minimum of calls in its window before judging, and opens about 5 s later.',
  ],
  document: {
    format: 'faultline/1',
    name: 'opossum defaults vs resilience4j defaults',
    description: [
      'Two billing services call the same **ledger**, one call a second each, with a 3 s timeout and a cached fallback.',
      '**billing-node** uses an opossum breaker with its defaults; **billing-jvm** a resilience4j breaker with its defaults.',
      'From 20 s to 60 s the ledger hangs.',
      '',
      'opossum looks at the last 10 seconds and has no minimum volume: it opens within seconds of the first timeouts.',
      'resilience4j waits for **100 recorded calls** before it judges anything; at this traffic it never opens, and every',
      'call of the outage waits 3 s. Library defaults encode assumptions about traffic — read them before you ship them.',
    ].join('\n'),
    seed: 'defaults-1',
    durationMs: 90000,
    nodes: [
      { id: 'node-users', kind: 'client', label: 'Users (Node app)', target: 'billing-node', arrival: { type: 'poisson', ratePerSec: 1 } },
      { id: 'jvm-users', kind: 'client', label: 'Users (JVM app)', target: 'billing-jvm', arrival: { type: 'poisson', ratePerSec: 1 } },
      { id: 'billing-node', kind: 'service', label: 'Billing (opossum)', serviceTime: 5, calls: [{ ...CALL, breaker: { model: 'opossum' } }] },
      { id: 'billing-jvm', kind: 'service', label: 'Billing (resilience4j)', serviceTime: 5, calls: [{ ...CALL, breaker: { model: 'resilience4j' } }] },
      { id: 'ledger', kind: 'service', label: 'Ledger', concurrency: 100, serviceTime: { dist: 'exponential', meanMs: 20 } },
    ],
    faults: [{ atMs: 20000, untilMs: 60000, target: 'ledger', kind: 'hang' }],
    variants: [
      {
        name: 'resilience4j judges sooner',
        description: 'billing-jvm\'s breaker needs 5 calls in a window of 10 instead of 100: resilience4j opens too.',
        set: { 'nodes[billing-jvm].calls[ledger].breaker.minimumNumberOfCalls': 5, 'nodes[billing-jvm].calls[ledger].breaker.slidingWindowSize': 10 },
      },
      { name: 'opossum waits for volume', description: 'opossum judges only after 10 calls in its window.', set: { 'nodes[billing-node].calls[ledger].breaker.volumeThreshold': 10 } },
    ],
    layout: {
      'node-users': { x: 0, y: 40 },
      'jvm-users': { x: 0, y: 220 },
      'billing-node': { x: 520, y: 40 },
      'billing-jvm': { x: 520, y: 220 },
      ledger: { x: 780, y: 130 },
    },
  },
};
