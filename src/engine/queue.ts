/**
 * The pending-event queue: a binary min-heap ordered by (time, sequence). The heap itself moves
 * only two parallel typed arrays — the time and a slot number; each slot holds the event's
 * sequence, type and payload and stays put while the heap reorders. The sequence number is
 * assigned at scheduling time, so events at equal times run in the order they were scheduled and
 * never depend on the heap's layout. Nothing is allocated per event.
 */
/** Marks a free slot (payloads may legitimately be undefined or null). */
const FREE = Symbol('free');

export class EventQueue {
  // The heap: times and slot numbers, moved together.
  private times: Float64Array;
  private slots: Int32Array;
  // The slots: sequence, type and payload of each pending event; free slots on a stack.
  private seqOf: Float64Array;
  private typeOf: Int32Array;
  private payloadOf: unknown[];
  /** 1 for a pending event that was cancelled: it is skipped when it surfaces (lazy deletion). */
  private cancelledOf: Uint8Array;
  private free: Int32Array;
  private freeTop = 0;
  private _size = 0;

  /** Fields of the event last removed by `pop()` (read them before the next pop). */
  poppedTime = 0;
  poppedSeq = 0;
  poppedType = 0;
  poppedPayload: unknown = undefined;

  constructor(initialCapacity = 1024) {
    const cap = Math.max(16, initialCapacity);
    this.times = new Float64Array(cap);
    this.slots = new Int32Array(cap);
    this.seqOf = new Float64Array(cap);
    this.typeOf = new Int32Array(cap);
    this.payloadOf = new Array<unknown>(cap).fill(FREE);
    this.cancelledOf = new Uint8Array(cap);
    this.free = new Int32Array(cap);
    for (let i = 0; i < cap; i++) this.free[i] = cap - 1 - i;
    this.freeTop = cap;
  }

  get size(): number {
    return this._size;
  }

  /** Time of the earliest event; Infinity when empty. */
  peekTime(): number {
    return this._size > 0 ? this.times[0]! : Infinity;
  }

  /** Queue an event; returns the slot it occupies until it is popped (for `cancel`). */
  push(time: number, seq: number, type: number, payload: unknown): number {
    if (this.freeTop === 0) this.grow();
    const slot = this.free[--this.freeTop]!;
    this.seqOf[slot] = seq;
    this.typeOf[slot] = type;
    this.payloadOf[slot] = payload;
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
    return slot;
  }

  /**
   * Mark the pending event with sequence `seq` in `slot` as cancelled; it will be skipped. Does
   * nothing if that event already left the queue (the slot may hold another event by now).
   */
  cancel(slot: number, seq: number): void {
    if (slot >= 0 && slot < this.seqOf.length && this.seqOf[slot] === seq && this.payloadOf[slot] !== FREE) this.cancelledOf[slot] = 1;
  }

  /** Whether the event last popped had been cancelled. */
  poppedCancelled = false;

  /** Remove the earliest event into the `popped*` fields. The queue must not be empty. */
  pop(): void {
    const times = this.times;
    const slots = this.slots;
    const seqOf = this.seqOf;
    const top = slots[0]!;
    this.poppedTime = times[0]!;
    this.poppedSeq = seqOf[top]!;
    this.poppedType = this.typeOf[top]!;
    this.poppedPayload = this.payloadOf[top];
    this.poppedCancelled = this.cancelledOf[top] === 1;
    this.cancelledOf[top] = 0;
    this.payloadOf[top] = FREE;
    this.free[this.freeTop++] = top;
    const n = --this._size;
    if (n === 0) return;
    // Move the last event into the root's hole and sift it down.
    const time = times[n]!;
    const slot = slots[n]!;
    let i = 0;
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

  clear(): void {
    while (this._size > 0) this.pop();
    this.poppedPayload = undefined;
  }

  private grow(): void {
    const old = this.times.length;
    const cap = old * 2;
    const times = new Float64Array(cap);
    times.set(this.times);
    const slots = new Int32Array(cap);
    slots.set(this.slots);
    const seqOf = new Float64Array(cap);
    seqOf.set(this.seqOf);
    const typeOf = new Int32Array(cap);
    typeOf.set(this.typeOf);
    const cancelledOf = new Uint8Array(cap);
    cancelledOf.set(this.cancelledOf);
    this.cancelledOf = cancelledOf;
    this.times = times;
    this.slots = slots;
    this.seqOf = seqOf;
    this.typeOf = typeOf;
    for (let i = old; i < cap; i++) this.payloadOf.push(FREE);
    // Every old slot is in use (that is why we grow): the free stack gets the new ones.
    const free = new Int32Array(cap);
    for (let i = 0; i < old; i++) free[i] = cap - 1 - i;
    this.free = free;
    this.freeTop = old;
  }
}
