import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkInput, fuzzInput, warmUp, type FuzzInput } from '../../src/cli/fuzzCases';

/**
 * Per input, JSON.parse, decode and validation together. `npm run fuzz` holds each to 250 ms;
 * here the bound is wider because the unit tests share two cores with everything else, and
 * JSON.parse alone of the largest inputs (2.8 MB of nested lists) takes over a second there.
 */
const BUDGET_MS = 3000;

describe('fuzzing the decoder and the validator', () => {
  it('random links, damaged links and mutated presets: nothing throws, every refusal has a sentence, each is decided in bounded time', () => {
    warmUp();
    const families = new Set<string>();
    fc.assert(
      fc.property(fuzzInput, (input) => {
        const outcome = checkInput(input, () => performance.now());
        families.add(`${input.family} ${outcome.verdict}`);
        if (outcome.verdict === 'crash') throw new Error(`${input.how}: ${outcome.error}\n${input.text.slice(0, 500)}`);
        expect(outcome.ms, `${input.how} took ${outcome.ms.toFixed(0)} ms`).toBeLessThanOrEqual(BUDGET_MS);
      }),
      { numRuns: 200, seed: 18, endOnFailure: true },
    );
    // The three families all reached the validator's two answers.
    for (const f of ['random-link refused', 'damaged-link refused', 'damaged-link accepted', 'mutated-preset refused', 'mutated-preset accepted']) {
      expect(families).toContain(f);
    }
  });

  it('a crash is reported: something thrown, or a damaged version 2 link that opens as another document', () => {
    const intact: FuzzInput = { family: 'damaged-link', form: 'link', text: '#s=1.q1ZKVLIyrAUA', how: 'hand-made', intact: '{"b":2}' };
    expect(checkInput(intact, () => 0)).toEqual({ verdict: 'crash', ms: 0, error: 'a damaged version 2 link opened as a different document' });
    const refused: FuzzInput = { family: 'random-link', form: 'link', text: '#s=2.AAAA', how: 'hand-made' };
    expect(checkInput(refused, () => 0)).toEqual({ verdict: 'refused', ms: 0 });
    const json: FuzzInput = { family: 'mutated-preset', form: 'json', text: '{"format": "faultline/1", "name": "x", "nodes": [{"id": "a", "kind": "service"}]}', how: 'hand-made' };
    expect(checkInput(json, () => 0).verdict).toBe('accepted');
  });
});
