// A semaphore bulkhead with a bounded FIFO queue, as Polly's BulkheadPolicy (maxParallelization,
// maxQueuingActions: App-vNext/Polly src/Polly/Bulkhead/BulkheadEngine.cs) and SCENARIO.md `bulkhead`
// (maxConcurrent, maxQueue; over it: rejected at once).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Bulkhead } from '../../../src/model/policies/bulkhead';

describe('bulkhead', () => {
  it('admits up to maxConcurrent, queues up to maxQueue, rejects the rest', () => {
    const b = new Bulkhead<string>({ maxConcurrent: 2, maxQueue: 1 });
    expect(['a', 'b', 'c', 'd'].map((id) => b.tryEnter(id))).toEqual(['admitted', 'admitted', 'queued', 'rejected']);
    expect(b.active).toBe(2);
    expect(b.queued).toBe(1);
    expect(b.leave()).toBe('c'); // the permit passes to the waiter
    expect(b.active).toBe(2);
    expect(b.leave()).toBeNull();
    expect(b.leave()).toBeNull();
    expect(b.active).toBe(0);
    expect(b.counters).toMatchObject({ admitted: 3, queued: 1, rejected: 1, maxActive: 2, maxQueued: 1 });
  });

  it('rejects at once with the default maxQueue 0', () => {
    const b = new Bulkhead({ maxConcurrent: 1 });
    expect(b.tryEnter(1)).toBe('admitted');
    expect(b.tryEnter(2)).toBe('rejected');
  });

  it('serves waiters first in, first out, and drops cancelled ones', () => {
    const b = new Bulkhead({ maxConcurrent: 1, maxQueue: 3 });
    b.tryEnter(0);
    b.tryEnter(1);
    b.tryEnter(2);
    b.tryEnter(3);
    expect(b.cancel(2)).toBe(true);
    expect(b.cancel(2)).toBe(false);
    expect([b.leave(), b.leave(), b.leave()]).toEqual([1, 3, null]);
  });

  it('throws on leave without an admitted call', () => {
    expect(() => new Bulkhead({ maxConcurrent: 1 }).leave()).toThrow();
  });

  it('never exceeds its limits and conserves calls (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 5 }), fc.array(fc.constantFrom('enter', 'leave', 'cancel'), { maxLength: 200 }), (maxConcurrent, maxQueue, ops) => {
        const b = new Bulkhead<number>({ maxConcurrent, maxQueue });
        const waiting: number[] = [];
        let id = 0;
        let done = 0;
        let direct = 0;
        for (const op of ops) {
          if (op === 'enter') {
            const r = b.tryEnter(++id);
            if (r === 'queued') waiting.push(id);
            if (r === 'admitted') direct++;
          } else if (op === 'leave' && b.active > 0) {
            const next = b.leave();
            done++;
            if (next !== null) expect(next).toBe(waiting.shift());
          } else if (op === 'cancel' && waiting.length > 0) {
            expect(b.cancel(waiting.pop()!)).toBe(true);
          }
          expect(b.active).toBeLessThanOrEqual(maxConcurrent);
          expect(b.queued).toBeLessThanOrEqual(maxQueue);
          const c = b.counters;
          expect(c.admitted - done).toBe(b.active);
          // Every call entered once; every queued call was later admitted, cancelled, or is still waiting.
          expect(direct + c.queued + c.rejected).toBe(id);
          expect(c.queued).toBe(c.admitted - direct + c.cancelled + b.queued);
        }
      }),
    );
  });
});
