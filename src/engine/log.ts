/**
 * The event log: a bounded ring of the most recent events (for the UI and exports), optionally
 * every event (the CLI's --events), and a running 64-bit hash over every event ever emitted —
 * the trace hash. The hash covers all events even when the ring has dropped old ones.
 *
 * An event is numeric: (t, kind, node, a, b, c). What kind and node codes and the fields a..c
 * mean is up to the layer above (model and run name them); the kernel-level log only stores and
 * hashes numbers, so emitting allocates nothing.
 */

export interface RawEvent {
  t: number;
  kind: number;
  node: number;
  a: number;
  b: number;
  c: number;
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** A float64 folded into one 32-bit word (both halves, mixed so that neither cancels the other). */
function fold(x: number): number {
  f64[0] = x;
  return (u32[0]! ^ Math.imul(u32[1]!, 0x9e3779b1) ^ 0x5bd1e995) | 0;
}

export interface LogOptions {
  /** Events kept in the ring. */
  capacity?: number;
  /** Keep every event instead of a ring (bounded by `maxKept`). */
  keepAll?: boolean;
  /** With keepAll: the most events held at once (between drains); more are hashed and counted, not kept. */
  maxKept?: number;
}

export class EventLog {
  /** Events emitted so far (all of them, whatever was kept). */
  count = 0;
  private h1 = 0x9747b28c | 0;
  private h2 = 0x811c9dc5 | 0;

  private readonly cap: number;
  private readonly keepAll: boolean;
  private readonly maxKept: number;
  /** The ring: event i's (t, kind, node, a, b, c) at 6i..6i+5, one event to a few adjacent words. */
  private readonly ring: Float64Array;
  private all: number[] = [];
  private drained = 0;
  /** Ring slot of the next event. */
  private next = 0;

  constructor(options: LogOptions = {}) {
    this.keepAll = options.keepAll ?? false;
    this.maxKept = options.maxKept ?? 5_000_000;
    this.cap = this.keepAll ? 1 : Math.max(1, options.capacity ?? 10_000);
    this.ring = new Float64Array(this.cap * 6);
  }

  emit(t: number, kind: number, node: number, a = 0, b = 0, c = 0): void {
    // Two 32-bit lanes, each a multiply-xor per word (FNV-style and golden-ratio). The time goes
    // in as both halves of its float64; kind and node share a word; a field that is not a 32-bit
    // integer goes in as its float64's halves folded into one word.
    let h1 = this.h1;
    let h2 = this.h2;
    f64[0] = t;
    let w = u32[0]!;
    h1 = Math.imul(h1 ^ w, 0x01000193);
    h2 = Math.imul(((h2 << 5) | (h2 >>> 27)) ^ w, 0x9e3779b1);
    w = u32[1]!;
    h1 = Math.imul(h1 ^ w, 0x01000193);
    h2 = Math.imul(((h2 << 5) | (h2 >>> 27)) ^ w, 0x9e3779b1);
    w = kind | (node << 8);
    h1 = Math.imul(h1 ^ w, 0x01000193);
    h2 = Math.imul(((h2 << 5) | (h2 >>> 27)) ^ w, 0x9e3779b1);
    w = (a | 0) === a ? a : fold(a);
    h1 = Math.imul(h1 ^ w, 0x01000193);
    h2 = Math.imul(((h2 << 5) | (h2 >>> 27)) ^ w, 0x9e3779b1);
    w = (b | 0) === b ? b : fold(b);
    h1 = Math.imul(h1 ^ w, 0x01000193);
    h2 = Math.imul(((h2 << 5) | (h2 >>> 27)) ^ w, 0x9e3779b1);
    w = (c | 0) === c ? c : fold(c);
    h1 = Math.imul(h1 ^ w, 0x01000193);
    h2 = Math.imul(((h2 << 5) | (h2 >>> 27)) ^ w, 0x9e3779b1);
    this.h1 = h1;
    this.h2 = h2;
    this.count++;
    if (this.keepAll) {
      if (this.all.length < this.maxKept * 6) this.all.push(t, kind, node, a, b, c);
      return;
    }
    const i = this.next;
    this.next = i + 1 === this.cap ? 0 : i + 1;
    const ring = this.ring;
    const o = i * 6;
    ring[o] = t;
    ring[o + 1] = kind;
    ring[o + 2] = node;
    ring[o + 3] = a;
    ring[o + 4] = b;
    ring[o + 5] = c;
  }

  /** The trace hash: 16 hex digits over every event emitted, in order. */
  hash(): string {
    // Finalise copies of the lanes (murmur3's fmix) so the running state is untouched.
    const fmix = (h: number): number => {
      h ^= h >>> 16;
      h = Math.imul(h, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h ^= h >>> 16;
      return h >>> 0;
    };
    const a = fmix(this.h1 ^ this.count);
    const b = fmix(this.h2 ^ Math.imul(this.count, 0x9e3779b1));
    return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
  }

  /** Events still held, oldest first; at most the last `limit` of them. */
  records(limit = Infinity): RawEvent[] {
    const out: RawEvent[] = [];
    if (this.keepAll) {
      const kept = this.all.length / 6;
      const from = Math.max(0, kept - limit);
      for (let j = from; j < kept; j++) {
        const o = j * 6;
        const all = this.all;
        out.push({ t: all[o]!, kind: all[o + 1]!, node: all[o + 2]!, a: all[o + 3]!, b: all[o + 4]!, c: all[o + 5]! });
      }
      return out;
    }
    const held = Math.min(this.count, this.cap);
    const take = Math.min(held, limit);
    for (let j = this.count - take; j < this.count; j++) {
      const o = (j % this.cap) * 6;
      const ring = this.ring;
      out.push({ t: ring[o]!, kind: ring[o + 1]!, node: ring[o + 2]!, a: ring[o + 3]!, b: ring[o + 4]!, c: ring[o + 5]! });
    }
    return out;
  }

  /**
   * With keepAll: hand over the events kept so far and forget them (the CLI streams a long run
   * to a file this way without holding it all). Without keepAll: the ring's content, oldest first.
   */
  drain(): RawEvent[] {
    const out = this.records();
    if (this.keepAll) {
      this.drained += this.all.length / 6;
      this.all = [];
    }
    return out;
  }

  /** True when events were emitted that are no longer (or never were) held. */
  get truncated(): boolean {
    return this.keepAll ? this.count > this.drained + this.all.length / 6 : this.count > this.cap;
  }
}
