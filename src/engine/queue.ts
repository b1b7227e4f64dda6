/**
 * The pending-event queue: a binary min-heap ordered by (time, sequence), stored as parallel
 * arrays so that the hot loop allocates nothing per event. The sequence number is assigned at
 * scheduling time, so events at equal times run in the order they were scheduled and never
 * depend on the heap's layout.
 */
export class EventQueue {
  private times: Float64Array;
  private seqs: Float64Array;
  private types: Int32Array;
  private payloads: unknown[];
  private _size = 0;

  /** Fields of the event last removed by `pop()` (read them before the next pop). */
  poppedTime = 0;
  poppedSeq = 0;
  poppedType = 0;
  poppedPayload: unknown = undefined;

  constructor(initialCapacity = 1024) {
    const cap = Math.max(16, initialCapacity);
    this.times = new Float64Array(cap);
    this.seqs = new Float64Array(cap);
    this.types = new Int32Array(cap);
    this.payloads = new Array<unknown>(cap);
  }

  get size(): number {
    return this._size;
  }

  /** Time of the earliest event; Infinity when empty. */
  peekTime(): number {
    return this._size > 0 ? this.times[0]! : Infinity;
  }

  push(time: number, seq: number, type: number, payload: unknown): void {
    if (this._size === this.times.length) this.grow();
    const times = this.times;
    const seqs = this.seqs;
    const types = this.types;
    const payloads = this.payloads;
    // Sift the hole up from the end, moving parents down, then drop the event in.
    let i = this._size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = times[p]!;
      if (pt < time || (pt === time && seqs[p]! < seq)) break;
      times[i] = pt;
      seqs[i] = seqs[p]!;
      types[i] = types[p]!;
      payloads[i] = payloads[p];
      i = p;
    }
    times[i] = time;
    seqs[i] = seq;
    types[i] = type;
    payloads[i] = payload;
  }

  /** Remove the earliest event into the `popped*` fields. The queue must not be empty. */
  pop(): void {
    const times = this.times;
    const seqs = this.seqs;
    const types = this.types;
    const payloads = this.payloads;
    this.poppedTime = times[0]!;
    this.poppedSeq = seqs[0]!;
    this.poppedType = types[0]!;
    this.poppedPayload = payloads[0];
    const n = --this._size;
    if (n === 0) {
      payloads[0] = undefined;
      return;
    }
    // Move the last event into the root's hole and sift it down.
    const time = times[n]!;
    const seq = seqs[n]!;
    const type = types[n]!;
    const payload = payloads[n];
    payloads[n] = undefined;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      const r = c + 1;
      if (r < n) {
        const ct = times[c]!;
        const rt = times[r]!;
        if (rt < ct || (rt === ct && seqs[r]! < seqs[c]!)) c = r;
      }
      const ct = times[c]!;
      if (time < ct || (time === ct && seq < seqs[c]!)) break;
      times[i] = ct;
      seqs[i] = seqs[c]!;
      types[i] = types[c]!;
      payloads[i] = payloads[c];
      i = c;
    }
    times[i] = time;
    seqs[i] = seq;
    types[i] = type;
    payloads[i] = payload;
  }

  clear(): void {
    this.payloads.fill(undefined, 0, this._size);
    this._size = 0;
  }

  private grow(): void {
    const cap = this.times.length * 2;
    const times = new Float64Array(cap);
    times.set(this.times);
    const seqs = new Float64Array(cap);
    seqs.set(this.seqs);
    const types = new Int32Array(cap);
    types.set(this.types);
    this.times = times;
    this.seqs = seqs;
    this.types = types;
    this.payloads.length = cap;
  }
}
