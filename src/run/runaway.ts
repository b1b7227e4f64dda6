/**
 * The runaway detector: a scenario whose events grow far faster than simulated time (a retry
 * storm feeding on itself, a closed loop with no think time and no work), or whose pending events
 * pile up, is stopped within seconds of wall time, naming what drove it — long before the
 * 200-million-event limit or the machine's memory would.
 *
 * It looks at the run every `windowEvents` events, counted by the kernel (never by wall time, so
 * a run stops at the same event however it is sliced), and applies three rules:
 *
 *  - too fast: the last `fastEvents` events took less simulated time than `maxEventsPerSimMs`
 *    allows (a zero-time loop stops here);
 *  - still rising: the pace (events per simulated ms) over each of the last `risingSpans` spans of
 *    `spanEvents` events rose by at least `minRise` over the span before, and the last is over
 *    `risingPace`. Work that compounds — a retry storm, where every request still in flight
 *    multiplies its attempts — keeps raising the pace; a heavy but steady run holds its pace (a
 *    step, an outage's retries, rises once and levels off). The rule leaves alone a run below
 *    `risingPace`, and one that at its last span's pace would reach its end within the event
 *    limit;
 *  - piling up: more than `maxPending` events pending at once.
 *
 * The culprit is the node whose own counters grew most in the last look: the one retrying most
 * when retries dominate, else the one sending, calling or publishing most, else the one receiving
 * most.
 */
import type { World } from '../model';

export interface RunawayLimits {
  /** Events per look (default 50,000). The other event counts are multiples of it. */
  windowEvents: number;
  /** Events per simulated millisecond a run may sustain (default 20,000: twenty million per simulated second — a run that fast for its default minute would pass the 200-million-event limit anyway). */
  maxEventsPerSimMs: number;
  /** Over how many events that rate is judged (default 3,000,000). */
  fastEvents: number;
  /** Events per span of the rising rule (default 100,000). */
  spanEvents: number;
  /** Consecutive rises of the pace, span over span, that make a runaway (default 3). */
  risingSpans: number;
  /** The least rise that counts, as a fraction of the span before (default 0.05: 5%). */
  minRise: number;
  /** The pace (events per simulated ms) the last span must pass for the rising rule to apply (default 5,000: at that pace a minute's run would need 300 million events). */
  risingPace: number;
  /** Events pending at once (default 4,000,000: about a gigabyte with their payloads). */
  maxPending: number;
}

export const DEFAULT_RUNAWAY: RunawayLimits = {
  windowEvents: 50_000,
  maxEventsPerSimMs: 20_000,
  fastEvents: 3_000_000,
  spanEvents: 100_000,
  risingSpans: 3,
  minRise: 0.05,
  risingPace: 5_000,
  maxPending: 4_000_000,
};

type Activity = { sent: number; attempts: number; retries: number; published: number; received: number };

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

export class RunawayDetector {
  readonly limits: RunawayLimits;
  /** The kernel event count at which to look next. */
  nextCheck: number;
  /** Simulated time at each of the last looks, oldest first (the first at 0, events 0). */
  private readonly looks: number[] = [0];
  /** How many looks `looks` keeps. */
  private readonly keep: number;
  private readonly fastLooks: number;
  private readonly spanLooks: number;
  private activity: Activity[];
  /** Each node's counters' growth in the last look, and the event count it was taken at. */
  private deltas: Activity[] = [];
  private deltasAt = 0;
  private deltasSpan = 0;

  constructor(
    private readonly world: World,
    limits: Partial<RunawayLimits> = {},
    /** The run's event limit and simulated length: the rising rule stops only a run that, at its pace, would pass the one before reaching the other. */
    private readonly horizon: { maxEvents: number; durationMs: number } = { maxEvents: Infinity, durationMs: Infinity },
  ) {
    this.limits = { ...DEFAULT_RUNAWAY, ...limits };
    const { windowEvents, fastEvents, spanEvents, risingSpans } = this.limits;
    this.fastLooks = Math.max(1, Math.round(fastEvents / windowEvents));
    this.spanLooks = Math.max(1, Math.round(spanEvents / windowEvents));
    this.keep = Math.max(this.fastLooks, this.spanLooks * (risingSpans + 1)) + 1;
    this.nextCheck = windowEvents;
    this.activity = world.nodes.map(() => ({ sent: 0, attempts: 0, retries: 0, published: 0, received: 0 }));
  }

  /** Called when the kernel has processed exactly `nextCheck` events: a stop sentence, or null. */
  check(): string | null {
    const w = this.world;
    const k = w.kernel;
    const { windowEvents, maxEventsPerSimMs, maxPending } = this.limits;
    const looks = this.looks;
    looks.push(k.now);
    if (looks.length > this.keep) looks.shift();
    this.nextCheck += windowEvents;
    if (k.pending > maxPending) {
      return `limit reached: more than ${fmt(maxPending)} events pending at once (${fmt(w.requests.inFlight)} requests in flight; driven by ${this.culprit()}, at ${k.now.toFixed(1)} ms)`;
    }
    const n = looks.length - 1; // looks[n] is now
    if (n >= this.fastLooks) {
      const fast = this.fastLooks * windowEvents;
      const moved = k.now - looks[n - this.fastLooks]!;
      if (fast > moved * maxEventsPerSimMs) {
        return (
          `limit reached: a runaway — ${fmt(fast)} events while simulated time moved ${moved.toFixed(1)} ms, ` +
          `faster than ${fmt(maxEventsPerSimMs)} events per simulated ms (driven by ${this.culprit()}, at ${k.now.toFixed(1)} ms)`
        );
      }
    }
    const rising = this.rising();
    if (rising !== null) {
      return (
        `limit reached: a runaway — the pace of events kept rising, ${rising.map(fmt).join(' → ')} events per simulated ms ` +
        `over the last ${fmt((rising.length - 1) * this.limits.spanEvents)} events (driven by ${this.culprit()}, at ${k.now.toFixed(1)} ms)`
      );
    }
    this.culprit(); // keep the window's activity current for the next look
    return null;
  }

  /** The paces of the last spans, oldest first, when they make a runaway under the rising rule; else null. */
  private rising(): number[] | null {
    const { spanEvents, risingSpans, minRise, risingPace } = this.limits;
    const looks = this.looks;
    const n = looks.length - 1;
    const s = this.spanLooks;
    if (n < s * (risingSpans + 1)) return null;
    const pace = (i: number): number => {
      const dt = looks[n - i * s]! - looks[n - (i + 1) * s]!;
      return dt > 0 ? spanEvents / dt : Infinity;
    };
    const last = pace(0);
    if (!(last > risingPace) || !Number.isFinite(last)) return null; // a zero-time loop is the first rule's
    const k = this.world.kernel;
    if (k.events + last * (this.horizon.durationMs - k.now) <= this.horizon.maxEvents) return null; // it could finish
    const paces = [last];
    for (let i = 1; i <= risingSpans; i++) {
      const before = pace(i);
      if (!(paces[0]! >= before * (1 + minRise))) return null;
      paces.unshift(before);
    }
    return paces;
  }

  /** Which node drove the last look, in words (and remember the counters for the next). */
  culprit(): string {
    const w = this.world;
    // Asked twice at the same event (the event limit falls on a look): the same look's counters.
    if (w.kernel.events !== this.deltasAt) {
      this.deltasSpan = w.kernel.events - this.deltasAt;
      this.deltasAt = w.kernel.events;
      this.deltas = w.nodes.map((n, i) => {
        const s = n.summary();
        const num = (key: string): number => (typeof s[key] === 'number' ? (s[key] as number) : 0);
        const now: Activity = { sent: num('sent'), attempts: num('attempts'), retries: num('retries'), published: num('published'), received: num('received') };
        const before = this.activity[i]!;
        this.activity[i] = now;
        return {
          sent: now.sent - before.sent,
          attempts: now.attempts - before.attempts,
          retries: now.retries - before.retries,
          published: now.published - before.published,
          received: now.received - before.received,
        };
      });
    }
    const deltas = this.deltas;
    let best = -1;
    let bestRetries = 0;
    let driver = -1;
    let driverScore = 0;
    let receiver = -1;
    let receiverScore = 0;
    deltas.forEach((d, i) => {
      if (d.retries > bestRetries) {
        bestRetries = d.retries;
        best = i;
      }
      const score = d.sent + d.attempts + d.published;
      if (score > driverScore) {
        driverScore = score;
        driver = i;
      }
      if (d.received > receiverScore) {
        receiverScore = d.received;
        receiver = i;
      }
    });
    const span = fmt(this.deltasSpan);
    const name = (i: number) => `${w.nodes[i]!.kind} "${w.nodes[i]!.id}"`;
    // Retries drive it when most of that node's calls were retries and they are a good part of all traffic.
    if (best >= 0 && bestRetries * 2 >= deltas[best]!.attempts && bestRetries * 4 >= driverScore) {
      return `${name(best)} retrying its calls (${fmt(bestRetries)} retries of ${fmt(deltas[best]!.attempts)} attempts in the last ${span} events)`;
    }
    if (driver >= 0) {
      const d = deltas[driver]!;
      const what = d.sent >= d.attempts && d.sent >= d.published ? `${fmt(d.sent)} requests sent` : d.attempts >= d.published ? `${fmt(d.attempts)} calls made` : `${fmt(d.published)} messages published`;
      return `${name(driver)} (${what} in the last ${span} events)`;
    }
    if (receiver >= 0) return `${name(receiver)} (${fmt(receiverScore)} received in the last ${span} events)`;
    return 'no node in particular';
  }
}
