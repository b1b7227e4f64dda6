import { describe, expect, it } from 'vitest';
import { Fifo } from '../../src/engine/fifo';

describe('Fifo', () => {
  it('keeps first-in first-out order across growth and wrap-around', () => {
    const q = new Fifo<number>(4);
    const out: number[] = [];
    let next = 0;
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < (round % 5) + 1; i++) q.push(next++);
      for (let i = 0; i < (round % 3) + 1 && q.size > 0; i++) out.push(q.shift()!);
    }
    out.push(...q.drain());
    expect(out).toEqual(Array.from({ length: next }, (_, i) => i));
    expect(q.shift()).toBeUndefined();
    expect(q.peek()).toBeUndefined();
  });
});
