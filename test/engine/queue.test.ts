import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue, GENERATIONS, SLOT_SPAN } from '../../src/engine/queue';

/** Pop until a live event comes up (or the queue empties): what the kernel does. */
function popLive(q: EventQueue): boolean {
  while (q.size > 0) {
    q.pop();
    if (!q.poppedCancelled) return true;
  }
  return false;
}

describe('EventQueue', () => {
  it('pops in (time, sequence) order for any sequence of pushes and pops', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 20 })), { maxLength: 300 }), (ops) => {
        const q = new EventQueue(4);
        const model: [number, number][] = [];
        let seq = 0;
        for (const [isPush, t] of ops) {
          if (isPush || model.length === 0) {
            q.push(t, seq, 0, seq);
            model.push([t, seq]);
            seq++;
          } else {
            model.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
            const [et, es] = model.shift()!;
            q.pop();
            expect([q.poppedTime, q.poppedSeq, q.poppedPayload]).toEqual([et, es, es]);
          }
        }
        expect(q.size).toBe(model.length);
      }),
    );
  });

  it('with cancels mixed in, the live events still pop in (time, sequence) order, compaction or not', () => {
    // Op: 0 = push, 1 = pop a live event, 2 = cancel the k-th live event (k picked by the number).
    const op = fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 30 }));
    fc.assert(
      fc.property(fc.array(op, { minLength: 200, maxLength: 1500 }), (ops) => {
        const q = new EventQueue(16);
        const live = new Map<number, { t: number; handle: number }>();
        const dead: number[] = [];
        let seq = 0;
        for (const [kind, x] of ops) {
          if (kind === 0 || live.size === 0) {
            live.set(seq, { t: x, handle: q.push(x, seq, 3, { seq }) });
            seq++;
          } else if (kind === 1) {
            const [es, e] = [...live].sort((a, b) => a[1].t - b[1].t || a[0] - b[0])[0]!;
            expect(popLive(q)).toBe(true);
            expect([q.poppedTime, q.poppedSeq, q.poppedType, q.poppedPayload]).toEqual([e.t, es, 3, { seq: es }]);
            live.delete(es);
            dead.push(e.handle);
          } else {
            const [es, e] = [...live][x % live.size]!;
            expect(q.cancel(e.handle)).toBe(true);
            live.delete(es);
            dead.push(e.handle);
          }
          // A handle to an event that ran or was cancelled never matches again.
          if (dead.length > 0) expect(q.cancel(dead[x % dead.length]!)).toBe(false);
          expect(q.size - q.cancelledCount).toBe(live.size);
          expect(q.cancelledCount).toBeLessThanOrEqual(Math.max(64, q.size / 2));
        }
        const rest = [...live].sort((a, b) => a[1].t - b[1].t || a[0] - b[0]);
        for (const [es, e] of rest) {
          expect(popLive(q)).toBe(true);
          expect([q.poppedTime, q.poppedSeq]).toEqual([e.t, es]);
        }
        expect(popLive(q)).toBe(false);
      }),
      { numRuns: 60 },
    );
  });

  it('events queued for now (the lane) and later (the heap) pop together in (time, sequence) order, cancels included', () => {
    // Op: 0 = push later (now + x), 1 = push now (the lane), 2 = pop a live event (the clock moves
    // to it), 3 = cancel the k-th live event.
    const op = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 30 }));
    fc.assert(
      fc.property(fc.array(op, { minLength: 100, maxLength: 1200 }), (ops) => {
        const q = new EventQueue(8);
        const live = new Map<number, { t: number; handle: number }>();
        let now = 0;
        let seq = 0;
        for (const [kind, x] of ops) {
          if (kind === 0 || kind === 1 || live.size === 0) {
            const t = kind === 1 ? now : now + x;
            live.set(seq, { t, handle: kind === 1 ? q.pushNow(t, seq, 1, seq) : q.push(t, seq, 0, seq) });
            seq++;
          } else if (kind === 2) {
            const [es, e] = [...live].sort((a, b) => a[1].t - b[1].t || a[0] - b[0])[0]!;
            expect(popLive(q)).toBe(true);
            expect([q.poppedTime, q.poppedSeq, q.poppedPayload]).toEqual([e.t, es, es]);
            expect(q.cancel(e.handle)).toBe(false);
            live.delete(es);
            now = e.t;
          } else {
            const [es, e] = [...live][x % live.size]!;
            expect(q.cancel(e.handle)).toBe(true);
            expect(q.cancel(e.handle)).toBe(false);
            live.delete(es);
          }
          expect(q.size - q.cancelledCount).toBe(live.size);
          if (live.size > 0) expect(q.peekTime()).toBeLessThanOrEqual(Math.min(...[...live.values()].map((e) => e.t)));
        }
        const rest = [...live].sort((a, b) => a[1].t - b[1].t || a[0] - b[0]);
        for (const [es, e] of rest) {
          expect(popLive(q)).toBe(true);
          expect([q.poppedTime, q.poppedSeq]).toEqual([e.t, es]);
        }
        expect(popLive(q)).toBe(false);
        q.clear();
        expect(q.size).toBe(0);
      }),
      { numRuns: 60 },
    );
  });

  it('once cancelled entries pass half the heap they are removed, and the rest pop in order', () => {
    const q = new EventQueue(16);
    const handles: number[] = [];
    // Times repeat (i % 7) so the rebuilt heap must break ties by sequence.
    for (let i = 0; i < 200; i++) handles.push(q.push(i % 7, i, 0, i));
    for (let i = 0; i < 200; i += 2) q.cancel(handles[i]!);
    expect([q.size, q.cancelledCount]).toEqual([200, 100]);
    q.cancel(handles[1]!);
    expect([q.size, q.cancelledCount]).toEqual([99, 0]);
    const order: number[] = [];
    while (popLive(q)) order.push(q.poppedPayload as number);
    const expected = Array.from({ length: 200 }, (_, i) => i).filter((i) => i % 2 === 1 && i !== 1);
    expected.sort((a, b) => (a % 7) - (b % 7) || a - b);
    expect(order).toEqual(expected);
  });

  it('grows past its initial capacity', () => {
    const q = new EventQueue(16);
    for (let i = 1000; i > 0; i--) q.push(i, 1000 - i, 7, i);
    expect(q.size).toBe(1000);
    q.pop();
    expect(q.poppedTime).toBe(1);
    expect(q.poppedType).toBe(7);
  });

  it('a handle to a slot that was freed and reused does not cancel the new event there', () => {
    const q = new EventQueue(16);
    const first = q.push(5, 0, 0, 'first');
    q.pop();
    const second = q.push(6, 1, 0, 'second');
    expect(second % SLOT_SPAN).toBe(first % SLOT_SPAN); // the same slot, a new generation
    expect(second).not.toBe(first);
    expect(q.cancel(first)).toBe(false);
    q.pop();
    expect([q.poppedPayload, q.poppedCancelled]).toEqual(['second', false]);
    expect(q.cancel(-1)).toBe(false);
    expect(q.cancel(second)).toBe(false);
  });

  it('retires a slot whose generations run out instead of repeating a handle', () => {
    const q = new EventQueue(16);
    // Walk slot 0 (the first one handed out) to its last generation through its private state.
    (q as unknown as { genOf: Float64Array }).genOf[0] = GENERATIONS - 1;
    const last = q.push(1, 0, 0, null);
    expect(last).toBe((GENERATIONS - 1) * SLOT_SPAN);
    expect(Number.isSafeInteger(last)).toBe(true);
    q.pop();
    const handles = new Set<number>();
    for (let i = 0; i < 16; i++) handles.add(q.push(2, 1 + i, 0, null) % SLOT_SPAN);
    // Slot 0 is not handed out again: the 16th push had to grow the queue.
    expect(handles.has(0)).toBe(false);
    expect(q.capacity).toBe(32);
    expect(q.cancel(last)).toBe(false);
  });

  it('memory follows the live events: a million cancelled timers leave a small heap', () => {
    const q = new EventQueue(16);
    let seq = 0;
    let now = 0;
    // One live event at a time (an arrival), each scheduling a far timeout and cancelling it.
    q.push(now + 1, seq++, 0, null);
    let ran = 0;
    for (let i = 0; i < 1_000_000; i++) {
      if (popLive(q)) ran++;
      now = q.poppedTime;
      const timeout = q.push(now + 1e9, seq++, 1, { request: i });
      q.push(now + 1, seq++, 0, null);
      q.cancel(timeout);
    }
    expect(ran).toBe(1_000_000);
    expect(q.size - q.cancelledCount).toBe(1);
    expect(q.size).toBeLessThanOrEqual(66);
    expect(q.capacity).toBeLessThanOrEqual(128);
  });

  it('lets go of a cancelled payload at once', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const q = new EventQueue(16);
    const refs: WeakRef<object>[] = [];
    const handles: number[] = [];
    for (let i = 0; i < 10; i++) {
      const payload = { big: new Float64Array(1000), i };
      refs.push(new WeakRef(payload));
      handles.push(q.push(1e9 + i, i, 0, payload));
    }
    for (const h of handles.slice(0, 5)) q.cancel(h);
    // WeakRefs hold their targets until the current job ends.
    await new Promise((resolve) => setTimeout(resolve, 0));
    gc();
    expect(refs.map((r) => r.deref() === undefined)).toEqual([true, true, true, true, true, false, false, false, false, false]);
    expect(q.size).toBe(10);
  });
});
