import fc from 'fast-check';
import { deflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  decodeShareFragment,
  encodeShareFragment,
  fromBase64Url,
  MAX_DOCUMENT_BYTES,
  shareUrl,
  toBase64Url,
} from '../../src/scenario/codec';
import { minifyScenario } from '../../src/scenario/minify';
import { validateScenario } from '../../src/scenario/validate';
import { defaultScenario } from '../../src/scenario/defaultScenario';
import { scenarioArb } from './arbitraries';

const payload = (text: string) => toBase64Url(deflateSync(new TextEncoder().encode(text)));

describe('share codec', () => {
  it('the scenario arbitrary makes valid documents', () => {
    fc.assert(
      fc.property(scenarioArb, (doc) => {
        const result = validateScenario(doc);
        if (!result.ok) throw new Error(result.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
      }),
      { numRuns: 200 },
    );
  });

  it('round-trips any valid document exactly, through a fragment, a hash and a URL', () => {
    fc.assert(
      fc.property(scenarioArb, (doc) => {
        const fragment = encodeShareFragment(doc);
        expect(fragment).toMatch(/^s=1\.[A-Za-z0-9_-]+$/);
        for (const form of [fragment, `#${fragment}`, shareUrl('https://example.test/app/?x=1#old', doc)]) {
          const decoded = decodeShareFragment(form);
          expect(decoded).toEqual({ ok: true, document: JSON.parse(JSON.stringify(doc)) });
        }
      }),
      { numRuns: 200 },
    );
  });

  it('minifyScenario keeps the meaning: validating the minified document gives the same scenario', () => {
    fc.assert(
      fc.property(scenarioArb, (doc) => {
        const full = validateScenario(doc);
        if (!full.ok) throw new Error('arbitrary made an invalid document');
        const small = minifyScenario(full.scenario);
        const again = validateScenario(small);
        expect(again).toEqual(full);
        expect(JSON.stringify(small).length).toBeLessThanOrEqual(JSON.stringify(full.scenario).length);
      }),
      { numRuns: 200 },
    );
  });

  it('minifyScenario drops defaults but keeps what differs from them', () => {
    const full = validateScenario({
      format: 'faultline/1',
      name: 'm',
      nodes: [
        { id: 'a', kind: 'service', concurrency: 8, instances: 3, calls: [{ target: 'b', retry: { maxAttempts: 3 } }] },
        { id: 'b', kind: 'service' },
      ],
    });
    if (!full.ok) throw new Error('invalid');
    expect(minifyScenario(full.scenario)).toEqual({
      format: 'faultline/1',
      name: 'm',
      nodes: [
        { id: 'a', kind: 'service', instances: 3, calls: [{ target: 'b', retry: {} }] },
        { id: 'b', kind: 'service' },
      ],
    });
  });

  it('shareUrl replaces an existing fragment and keeps the page', () => {
    const url = shareUrl('https://example.test/app/?lesson=2#s=1.old', defaultScenario);
    expect(url.startsWith('https://example.test/app/?lesson=2#s=1.')).toBe(true);
    expect(url).not.toContain('old');
  });

  it('finds s= among other fragment parameters', () => {
    const fragment = encodeShareFragment(defaultScenario);
    expect(decodeShareFragment(`#play=1&${fragment}&speed=2`)).toEqual({ ok: true, document: defaultScenario });
  });

  it('gives a clear error for each kind of broken link', () => {
    const error = (text: string) => {
      const r = decodeShareFragment(text);
      if (r.ok) throw new Error('expected an error');
      return r.error;
    };
    expect(error('https://example.test/app/')).toBe('The link holds no scenario: its fragment has no "s=" part (expected "#s=1.…").');
    expect(error('#x=1')).toBe('The link holds no scenario: its fragment has no "s=" part (expected "#s=1.…").');
    expect(error('')).toBe('The link holds no scenario: its fragment has no "s=" part (expected "#s=1.…").');
    expect(error('#s=abc')).toBe('The scenario in the link has no codec version (expected "s=1.…"): the link is damaged.');
    expect(error('#s=2.abc')).toBe(
      'The link uses share codec version 2, and this Faultline reads only version 1: it was made by a newer Faultline.',
    );
    expect(error('#s=0.abc')).toBe('The link uses share codec version 0, and this Faultline reads only version 1.');
    expect(error('#s=1.ab$cd')).toBe('The scenario in the link is not valid base64url: the link was cut short or edited.');
    expect(error('#s=1.a')).toBe('The scenario in the link is not valid base64url: the link was cut short or edited.');
    expect(error('#s=1.')).toBe('The scenario in the link is not valid base64url: the link was cut short or edited.');
    expect(error('#s=1.' + toBase64Url(new TextEncoder().encode('{"plain": "json"}')))).toBe(
      'The scenario in the link does not decompress: the link was cut short or edited.',
    );
    const cut = encodeShareFragment(defaultScenario).slice(0, 60);
    expect(error(cut)).toBe('The scenario in the link does not decompress: the link was cut short or edited.');
    expect(error('#s=1.' + payload('{"format": "faultline/1",'))).toMatch(/^The scenario in the link is not valid JSON \(.+\)\.$/);
    expect(error('#s=1.' + toBase64Url(deflateSync(new Uint8Array([0xff, 0xfe, 0x00]))))).toBe(
      'The scenario in the link decompresses to something that is not UTF-8 text: the link is damaged.',
    );
  });

  it('refuses a link that inflates past the size limit', () => {
    const bomb = toBase64Url(deflateSync(new Uint8Array(MAX_DOCUMENT_BYTES + 10).fill(32)));
    expect(bomb.length).toBeLessThan(20_000);
    expect(decodeShareFragment(`#s=1.${bomb}`)).toEqual({
      ok: false,
      error: `The scenario in the link is too large once decompressed (over ${MAX_DOCUMENT_BYTES} bytes).`,
    });
  });

  it('base64url round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = toBase64Url(bytes);
        expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
        expect(fromBase64Url(text)).toEqual(bytes);
      }),
    );
  });
});
