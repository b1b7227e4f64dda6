/**
 * The pending-event queue: a binary min-heap ordered by (time, sequence).
 *
 * The heap moves only two parallel typed arrays — the time and a slot number; each slot holds the
 * event's sequence, type and payload and stays put while the heap reorders. (Moving the sequence
 * with the time, so that a tie needs no look-up in the slots, was measured 11–16% slower, ties or
 * not: every move then writes three arrays.) The sequence is assigned at scheduling time, so
 * events at equal times run in the order they were scheduled and never depend on the heap's
 * layout. Nothing is allocated per event.
 *
 * Cancelling is lazy but bounded: the event's payload is released at once (so the collector can
 * take it), the entry is skipped when it surfaces, and once cancelled entries are more than half
 * of the heap they are all removed in one O(n) rebuild. Memory stays proportional to the live
 * events, never to the events ever scheduled.
 *
 * Handles are `generation × SLOT_SPAN + slot`, where a slot's generation grows each time the slot
 * is freed: a handle names one scheduling of one slot, at any number of pending events. A slot
 * whose generation reaches GENERATIONS is retired rather than reused, so handles never repeat.
 */

/** Slots per handle: the most events that can be pending at once (2^27, past what a JS array of payloads can hold). */
export const SLOT_SPAN = 134_217_728;
/** Generations per slot before it is retired: SLOT_SPAN × GENERATIONS = 2^53, so every handle is an exact integer. */
export const GENERATIONS = 67_108_864;

/** Below this many cancelled entries the heap is not worth rebuilding. */
const MIN_COMPACT = 64;

const FREE = 0;
const LIVE = 1;
const CANCELLED = 2;
/** Live and cancelled entries of the lane (see `pushNow`). */
const LANE = 3;
const LANE_CANCELLED = 4;

export class EventQueue {
  // The heap: time and slot number of each entry, moved together.
  private times: Float64Array;
  private slots: Int32Array;
  // The slots: sequence, type, payload, state and generation of each event; free slots on a stack.
  private seqOf: Float64Array;
  private typeOf: Int32Array;
  private payloadOf: unknown[];
  private stateOf: Uint8Array;
  private genOf: Int32Array;
  private free: Int32Array;
  private freeTop = 0;
  private _size = 0;
  private _cancelled = 0;
  // The lane: events due at the clock's time when they were queued (`pushNow`), in queue order,
  // a ring of slot numbers and times beside the heap.
  private laneSlots = new Int32Array(64);
  private laneTimes = new Float64Array(64);
  private laneHead = 0;
  private laneSize = 0;
  private laneCancelled = 0;

  /** Fields of the event last removed by `pop()` (read them before the next pop). */
  poppedTime = 0;
  poppedSeq = 0;
  poppedType = 0;
  poppedPayload: unknown = undefined;
  /** Whether the event last popped had been cancelled (its payload is then undefined). */
  poppedCancelled = false;

  constructor(initialCapacity = 1024) {
    const cap = Math.min(SLOT_SPAN, Math.max(16, initialCapacity));
    this.times = new Float64Array(cap);
    this.slots = new Int32Array(cap);
    this.seqOf = new Float64Array(cap);
    this.typeOf = new Int32Array(cap);
    this.payloadOf = new Array<unknown>(cap).fill(undefined);
    this.stateOf = new Uint8Array(cap);
    this.genOf = new Int32Array(cap);
    this.free = new Int32Array(cap);
    for (let i = 0; i < cap; i++) this.free[i] = cap - 1 - i;
    this.freeTop = cap;
  }

  /** Entries queued (heap and lane), cancelled ones included until they surface or are compacted away. */
  get size(): number {
    return this._size + this.laneSize;
  }

  /** Cancelled entries still queued (in the heap never more than half of it, or MIN_COMPACT). */
  get cancelledCount(): number {
    return this._cancelled + this.laneCancelled;
  }

  /** Slots allocated: grows with the most events pending at once, and only then. */
  get capacity(): number {
    return this.typeOf.length;
  }

  /** Time of the earliest entry (it may be a cancelled one); Infinity when empty. */
  peekTime(): number {
    if (this.laneSize > 0) return this.peekWithLane();
    return this._size > 0 ? this.times[0]! : Infinity;
  }

  // The lane's paths are methods of their own, so that `peekTime` and `pop` stay small enough
  // to be inlined into the kernel's loop.
  private peekWithLane(): number {
    const h = this._size > 0 ? this.times[0]! : Infinity;
    const l = this.laneTimes[this.laneHead]!;
    return l < h ? l : h;
  }

  /**
   * Queue an event. `seq` must be greater than every sequence queued before (the kernel's
   * counter). Returns a handle for `cancel`.
   */
  push(time: number, seq: number, type: number, payload: unknown): number {
    if (this.freeTop === 0) this.grow();
    const slot = this.free[--this.freeTop]!;
    this.seqOf[slot] = seq;
    this.typeOf[slot] = type;
    this.payloadOf[slot] = payload;
    this.stateOf[slot] = LIVE;
    const times = this.times;
    const slots = this.slots;
    // Sift the hole up from the end, moving parents down, then drop the event in. A later
    // sequence never beats an equal time already queued, since sequences only grow.
    let i = this._size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = times[p]!;
      if (pt <= time) break;
      times[i] = pt;
      slots[i] = slots[p]!;
      i = p;
    }
    times[i] = time;
    slots[i] = slot;
    return this.genOf[slot]! * SLOT_SPAN + slot;
  }

  /**
   * Queue an event due now: `time` is the clock's (no later than any event still to be queued,
   * and no earlier than any queued with `pushNow` before), `seq` as for `push`. It goes to the
   * lane, a FIFO beside the heap: the lane stays in (time, sequence) order, and `pop` takes the
   * earlier of the two heads, so events come out exactly as from the heap alone — a zero-delay
   * event (a hop with no latency, a handler handing over to another) just skips the sifting.
   */
  pushNow(time: number, seq: number, type: number, payload: unknown): number {
    if (this.freeTop === 0) this.grow();
    const slot = this.free[--this.freeTop]!;
    this.seqOf[slot] = seq;
    this.typeOf[slot] = type;
    this.payloadOf[slot] = payload;
    this.stateOf[slot] = LANE;
    if (this.laneSize === this.laneSlots.length) this.growLane();
    const at = (this.laneHead + this.laneSize) & (this.laneSlots.length - 1);
    this.laneSlots[at] = slot;
    this.laneTimes[at] = time;
    this.laneSize++;
    return this.genOf[slot]! * SLOT_SPAN + slot;
  }

  /**
   * Cancel the pending event named by `handle`: its payload is released now and the entry is
   * skipped when it surfaces. Returns false, doing nothing, if that event already ran or was
   * cancelled (its slot may hold another event by now: the generation tells them apart).
   */
  cancel(handle: number): boolean {
    if (!(handle >= 0)) return false;
    const gen = Math.floor(handle / SLOT_SPAN);
    const slot = handle - gen * SLOT_SPAN;
    if (slot >= this.stateOf.length || this.genOf[slot] !== gen) return false;
    const state = this.stateOf[slot];
    if (state === LANE) {
      this.stateOf[slot] = LANE_CANCELLED;
      this.payloadOf[slot] = undefined;
      this.laneCancelled++;
      return true;
    }
    if (state !== LIVE) return false;
    this.stateOf[slot] = CANCELLED;
    this.payloadOf[slot] = undefined;
    if (++this._cancelled > MIN_COMPACT && this._cancelled * 2 > this._size) this.compact();
    return true;
  }

  /** Remove the earliest entry into the `popped*` fields. The queue must not be empty. */
  pop(): void {
    const times = this.times;
    const slots = this.slots;
    if (this.laneSize > 0 && this.popLane()) return;
    const top = slots[0]!;
    this.poppedTime = times[0]!;
    this.poppedSeq = this.seqOf[top]!;
    this.poppedType = this.typeOf[top]!;
    this.poppedPayload = this.payloadOf[top];
    const cancelled = this.stateOf[top] === CANCELLED;
    this.poppedCancelled = cancelled;
    if (cancelled) this._cancelled--;
    this.release(top);
    const n = --this._size;
    // Move the last entry into the root's hole and sift it down.
    if (n > 0) this.sink(0, times[n]!, slots[n]!, n);
  }

  /** Pop the lane's head if it comes before the heap's (by time, then sequence); false if not. */
  private popLane(): boolean {
    const ls = this.laneSlots[this.laneHead]!;
    const lt = this.laneTimes[this.laneHead]!;
    if (this._size > 0) {
      const ht = this.times[0]!;
      if (ht < lt || (ht === lt && this.seqOf[this.slots[0]!]! < this.seqOf[ls]!)) return false;
    }
    this.poppedTime = lt;
    this.poppedSeq = this.seqOf[ls]!;
    this.poppedType = this.typeOf[ls]!;
    this.poppedPayload = this.payloadOf[ls];
    const cancelled = this.stateOf[ls] === LANE_CANCELLED;
    this.poppedCancelled = cancelled;
    if (cancelled) this.laneCancelled--;
    this.release(ls);
    this.laneHead = (this.laneHead + 1) & (this.laneSlots.length - 1);
    this.laneSize--;
    return true;
  }

  /** Drop every pending event. Handles given out before stay dead. */
  clear(): void {
    for (let i = 0; i < this._size; i++) this.release(this.slots[i]!);
    for (let i = 0; i < this.laneSize; i++) this.release(this.laneSlots[(this.laneHead + i) & (this.laneSlots.length - 1)]!);
    this._size = 0;
    this._cancelled = 0;
    this.laneHead = 0;
    this.laneSize = 0;
    this.laneCancelled = 0;
    this.poppedPayload = undefined;
  }

  /** Free a slot: a new generation, so old handles to it no longer match; retired when they run out. */
  private release(slot: number): void {
    this.payloadOf[slot] = undefined;
    this.stateOf[slot] = FREE;
    const gen = this.genOf[slot]! + 1;
    this.genOf[slot] = gen;
    if (gen < GENERATIONS) this.free[this.freeTop++] = slot;
  }

  /** Remove every cancelled entry and restore the heap order bottom-up (Floyd): O(n). */
  private compact(): void {
    const times = this.times;
    const slots = this.slots;
    const stateOf = this.stateOf;
    let n = 0;
    for (let i = 0; i < this._size; i++) {
      const slot = slots[i]!;
      if (stateOf[slot] === CANCELLED) {
        this.release(slot);
        continue;
      }
      times[n] = times[i]!;
      slots[n] = slot;
      n++;
    }
    this._size = n;
    this._cancelled = 0;
    for (let i = (n >> 1) - 1; i >= 0; i--) this.sink(i, times[i]!, slots[i]!, n);
  }

  /** Put the entry (time, slot) at hole `i` and sift it down within the first `n` entries. */
  private sink(start: number, time: number, slot: number, n: number): void {
    const times = this.times;
    const slots = this.slots;
    const seqOf = this.seqOf;
    let i = start;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      let ct = times[c]!;
      const r = c + 1;
      if (r < n) {
        const rt = times[r]!;
        if (rt < ct || (rt === ct && seqOf[slots[r]!]! < seqOf[slots[c]!]!)) {
          c = r;
          ct = rt;
        }
      }
      if (time < ct || (time === ct && seqOf[slot]! < seqOf[slots[c]!]!)) break;
      times[i] = ct;
      slots[i] = slots[c]!;
      i = c;
    }
    times[i] = time;
    slots[i] = slot;
  }

  /** Double the lane's ring (a power of two), its entries moved to the front in order. */
  private growLane(): void {
    const n = this.laneSize;
    const mask = this.laneSlots.length - 1;
    const slots = new Int32Array(2 * n);
    const times = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      slots[i] = this.laneSlots[(this.laneHead + i) & mask]!;
      times[i] = this.laneTimes[(this.laneHead + i) & mask]!;
    }
    this.laneSlots = slots;
    this.laneTimes = times;
    this.laneHead = 0;
  }

  private grow(): void {
    const old = this.typeOf.length;
    if (old >= SLOT_SPAN) throw new RangeError(`more than ${SLOT_SPAN.toLocaleString('en-US')} events pending at once`);
    const cap = Math.min(SLOT_SPAN, old * 2);
    const widen = <A extends Float64Array | Int32Array | Uint8Array>(a: A, make: (n: number) => A): A => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.times = widen(this.times, (n) => new Float64Array(n));
    this.slots = widen(this.slots, (n) => new Int32Array(n));
    this.seqOf = widen(this.seqOf, (n) => new Float64Array(n));
    this.typeOf = widen(this.typeOf, (n) => new Int32Array(n));
    this.stateOf = widen(this.stateOf, (n) => new Uint8Array(n));
    this.genOf = widen(this.genOf, (n) => new Int32Array(n));
    for (let i = old; i < cap; i++) this.payloadOf.push(undefined);
    // No old slot is free (that is why we grow; retired ones stay out): the stack gets the new ones.
    const free = new Int32Array(cap);
    for (let i = 0; i < cap - old; i++) free[i] = cap - 1 - i;
    this.free = free;
    this.freeTop = cap - old;
  }
}
