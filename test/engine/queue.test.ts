import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../src/engine/queue';

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

  it('grows past its initial capacity', () => {
    const q = new EventQueue(16);
    for (let i = 1000; i > 0; i--) q.push(i, 1000 - i, 7, i);
    expect(q.size).toBe(1000);
    q.pop();
    expect(q.poppedTime).toBe(1);
    expect(q.poppedType).toBe(7);
  });
});
