/**
 * The runaway detector: a scenario whose events grow far faster than simulated time (a retry
 * storm feeding on itself, a closed loop with no think time and no work), or whose pending events
 * pile up, is stopped within seconds of wall time, naming what drove it — long before the
 * 200-million-event limit or the machine's memory would.
 *
 * It looks at the run every `windowEvents` events, counted by the kernel (never by wall time, so
 * a run stops at the same event however it is sliced): how far simulated time moved in that
 * window, and how many events are pending. The culprit is the node whose own counters grew most
 * in the window: the one retrying most when retries dominate, else the one sending, calling or
 * publishing most, else the one receiving most.
 */
import type { World } from '../model';

export interface RunawayLimits {
  /** Events per look (default 1,000,000). */
  windowEvents: number;
  /** Events per simulated millisecond a run may sustain (default 20,000: twenty million per simulated second — a run that fast for its default minute would pass the 200-million-event limit anyway). */
  maxEventsPerSimMs: number;
  /** Consecutive looks over that rate before the run is stopped (default 3). */
  windows: number;
  /** Events pending at once (default 4,000,000: about a gigabyte with their payloads). */
  maxPending: number;
}

export const DEFAULT_RUNAWAY: RunawayLimits = {
  windowEvents: 1_000_000,
  maxEventsPerSimMs: 20_000,
  windows: 3,
  maxPending: 4_000_000,
};

type Activity = { sent: number; attempts: number; retries: number; published: number; received: number };

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

export class RunawayDetector {
  readonly limits: RunawayLimits;
  /** The kernel event count at which to look next. */
  nextCheck: number;
  /** Simulated time at each of the last few looks (the first at 0). */
  private readonly looks: number[] = [0];
  private fastWindows = 0;
  private activity: Activity[];

  constructor(
    private readonly world: World,
    limits: Partial<RunawayLimits> = {},
  ) {
    this.limits = { ...DEFAULT_RUNAWAY, ...limits };
    this.nextCheck = this.limits.windowEvents;
    this.activity = world.nodes.map(() => ({ sent: 0, attempts: 0, retries: 0, published: 0, received: 0 }));
  }

  /** Called when the kernel has processed exactly `nextCheck` events: a stop sentence, or null. */
  check(): string | null {
    const w = this.world;
    const k = w.kernel;
    const { windowEvents, maxEventsPerSimMs, windows, maxPending } = this.limits;
    const dt = k.now - this.looks[this.looks.length - 1]!;
    this.looks.push(k.now);
    if (this.looks.length > windows + 1) this.looks.shift();
    this.nextCheck += windowEvents;
    if (k.pending > maxPending) {
      return `limit reached: more than ${fmt(maxPending)} events pending at once (${fmt(w.requests.inFlight)} requests in flight; driven by ${this.culprit()}, at ${k.now.toFixed(1)} ms)`;
    }
    if (windowEvents > dt * maxEventsPerSimMs) this.fastWindows++;
    else this.fastWindows = 0;
    if (this.fastWindows >= windows) {
      const span = windows * windowEvents;
      return (
        `limit reached: a runaway — ${fmt(span)} events while simulated time moved ${(k.now - this.looks[0]!).toFixed(1)} ms, ` +
        `faster than ${fmt(maxEventsPerSimMs)} events per simulated ms (driven by ${this.culprit()}, at ${k.now.toFixed(1)} ms)`
      );
    }
    this.culprit(); // keep the window's activity current for the next look
    return null;
  }

  /** Which node drove the last window, in words (and remember the counters for the next). */
  culprit(): string {
    const w = this.world;
    let best = -1;
    let bestRetries = 0;
    let driver = -1;
    let driverScore = 0;
    let receiver = -1;
    let receiverScore = 0;
    const deltas: Activity[] = [];
    w.nodes.forEach((n, i) => {
      const s = n.summary();
      const num = (key: string): number => (typeof s[key] === 'number' ? (s[key] as number) : 0);
      const now: Activity = { sent: num('sent'), attempts: num('attempts'), retries: num('retries'), published: num('published'), received: num('received') };
      const before = this.activity[i]!;
      const d: Activity = {
        sent: now.sent - before.sent,
        attempts: now.attempts - before.attempts,
        retries: now.retries - before.retries,
        published: now.published - before.published,
        received: now.received - before.received,
      };
      deltas.push(d);
      this.activity[i] = now;
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
    const name = (i: number) => `${w.nodes[i]!.kind} "${w.nodes[i]!.id}"`;
    // Retries drive it when most of that node's calls were retries and they are a good part of all traffic.
    if (best >= 0 && bestRetries * 2 >= deltas[best]!.attempts && bestRetries * 4 >= driverScore) {
      return `${name(best)} retrying its calls (${fmt(bestRetries)} retries of ${fmt(deltas[best]!.attempts)} attempts in the last ${fmt(this.limits.windowEvents)} events)`;
    }
    if (driver >= 0) {
      const d = deltas[driver]!;
      const what = d.sent >= d.attempts && d.sent >= d.published ? `${fmt(d.sent)} requests sent` : d.attempts >= d.published ? `${fmt(d.attempts)} calls made` : `${fmt(d.published)} messages published`;
      return `${name(driver)} (${what} in the last ${fmt(this.limits.windowEvents)} events)`;
    }
    if (receiver >= 0) return `${name(receiver)} (${fmt(receiverScore)} received in the last ${fmt(this.limits.windowEvents)} events)`;
    return 'no node in particular';
  }
}
