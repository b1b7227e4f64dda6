import { describe, expect, it } from 'vitest';
import { samplingNote } from '../../../src/app/canvas/ParticleLayer';
import { MAX_STRIDE } from '../../../src/app/canvas/particles';

describe("the canvas's note on its sampling", () => {
  it('says nothing when no lane is sampled', () => {
    expect(samplingNote(0, 40)).toBe('');
  });

  it('gives the sparsest ratio, rounded, while dots stand for a number of hops', () => {
    expect(samplingNote(3, 58.4)).toBe('Sampled: busy edges draw 1 dot in up to 58 over a band of their flow. Counts are exact.');
    expect(samplingNote(1, 1234)).toBe('Sampled: busy edges draw 1 dot in up to 1,200 over a band of their flow. Counts are exact.');
  });

  it('past the sparsest stride (hardly a dot drawn, as at max) says so instead of a ratio no dot stands for', () => {
    const note = samplingNote(2, 5e9);
    expect(note).toBe('Sampled: busy edges draw few dots or none and show their flow as a band. Counts are exact.');
    expect(MAX_STRIDE).toBe(4096);
    expect(samplingNote(2, MAX_STRIDE)).toContain('1 dot in up to 4,100 over');
  });
});
