import fc from 'fast-check';
import { deflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  crc32,
  decodeShareFragment,
  encodeShareFragment,
  fromBase64Url,
  inflateCapped,
  MAX_DOCUMENT_BYTES,
  shareUrl,
  toBase64Url,
} from '../../src/scenario/codec';
import { minifyScenario } from '../../src/scenario/minify';
import { validateScenario } from '../../src/scenario/validate';
import { defaultScenario } from '../../src/scenario/defaultScenario';
import { scenarioArb } from './arbitraries';

const payload = (text: string) => toBase64Url(deflateSync(new TextEncoder().encode(text)));
/** A link as version 1 wrote it: no checksum. */
const v1 = (doc: unknown) => `s=1.${payload(JSON.stringify(doc))}`;
/** An intact version 2 link around any bytes. */
const v2 = (inflated: Uint8Array) => v2Raw(deflateSync(inflated));
/** A version 2 link around compressed bytes (or anything), with the given checksum (the right one by default). */
const v2Raw = (packed: Uint8Array, crc = crc32(packed)) => {
  const out = new Uint8Array(4 + packed.length);
  new DataView(out.buffer).setUint32(0, crc);
  out.set(packed, 4);
  return `s=2.${toBase64Url(out)}`;
};
const DAMAGED = /^The link is damaged or truncated: .+\.$/;

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
        expect(fragment).toMatch(/^s=2\.[A-Za-z0-9_-]+$/);
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
    expect(url.startsWith('https://example.test/app/?lesson=2#s=2.')).toBe(true);
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
    expect(error('https://example.test/app/')).toBe('The link holds no scenario: its fragment has no "s=" part (expected "#s=2.…").');
    expect(error('#x=1')).toBe('The link holds no scenario: its fragment has no "s=" part (expected "#s=2.…").');
    expect(error('')).toBe('The link holds no scenario: its fragment has no "s=" part (expected "#s=2.…").');
    expect(error('#s=abc')).toBe('The scenario in the link has no codec version (expected "s=2.…"): the link is damaged.');
    expect(error('#s=3.abc')).toBe(
      'The link uses share codec version 3, and this Faultline reads only versions 1 and 2: it was made by a newer Faultline.',
    );
    expect(error('#s=0.abc')).toBe('The link uses share codec version 0, and this Faultline reads only versions 1 and 2.');
    expect(error('#s=99999999999999999999.abc')).toBe('The scenario in the link has no codec version (expected "s=2.…"): the link is damaged.');
    expect(error('#s=1.ab$cd')).toBe('The scenario in the link is not valid base64url: the link was cut short or edited.');
    expect(error('#s=1.a')).toBe('The scenario in the link is not valid base64url: the link was cut short or edited.');
    expect(error('#s=1.')).toBe('The scenario in the link is not valid base64url: the link was cut short or edited.');
    expect(error('#s=1.' + toBase64Url(new TextEncoder().encode('{"plain": "json"}')))).toBe(
      'The scenario in the link does not decompress: the link was cut short or edited.',
    );
    const cut = v1(defaultScenario).slice(0, 60);
    expect(error(cut)).toBe('The scenario in the link does not decompress: the link was cut short or edited.');
    expect(error('#s=1.' + payload('{"format": "faultline/1",'))).toMatch(/^The scenario in the link is not valid JSON \(.+\)\.$/);
    expect(error('#s=1.' + toBase64Url(deflateSync(new Uint8Array([0xff, 0xfe, 0x00]))))).toBe(
      'The scenario in the link decompresses to something that is not UTF-8 text: the link is damaged.',
    );
  });

  it('version 1 links keep opening', () => {
    fc.assert(
      fc.property(scenarioArb, (doc) => {
        expect(decodeShareFragment(`https://example.test/#${v1(doc)}`)).toEqual({ ok: true, document: JSON.parse(JSON.stringify(doc)) });
      }),
      { numRuns: 100 },
    );
  });

  it('a version 2 link cut short anywhere is refused as damaged or truncated', () => {
    fc.assert(
      fc.property(scenarioArb, fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (doc, where) => {
        const link = encodeShareFragment(doc);
        const cut = link.slice(0, 4 + Math.floor(where * (link.length - 4)));
        const r = decodeShareFragment(cut);
        expect(r.ok).toBe(false);
        if (!r.ok && cut.length > 4) expect(r.error).toMatch(DAMAGED);
      }),
      { numRuns: 300 },
    );
  });

  it('a version 2 link with any one character of its payload changed is refused as damaged', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    fc.assert(
      fc.property(scenarioArb, fc.nat(), fc.integer({ min: 1, max: 63 }), (doc, at, shift) => {
        const link = encodeShareFragment(doc);
        const i = 4 + (at % (link.length - 4));
        const edited = link.slice(0, i) + alphabet[(alphabet.indexOf(link[i]!) + shift) % 64] + link.slice(i + 1);
        const r = decodeShareFragment(edited);
        if (r.ok) throw new Error(`an edit at ${i} opened: ${edited}`);
        expect(r.error).toMatch(DAMAGED);
      }),
      { numRuns: 500 },
    );
    // Every character of the default scenario's link, each edited once.
    const link = encodeShareFragment(defaultScenario);
    for (let i = 4; i < link.length; i++) {
      const edited = link.slice(0, i) + alphabet[(alphabet.indexOf(link[i]!) + 1) % 64] + link.slice(i + 1);
      expect(decodeShareFragment(edited).ok).toBe(false);
    }
  });

  it('names each way a version 2 link can be damaged', () => {
    const error = (text: string) => {
      const r = decodeShareFragment(text);
      if (r.ok) throw new Error('expected an error');
      return r.error;
    };
    const json = new TextEncoder().encode(JSON.stringify(defaultScenario));
    expect(error('#s=2.')).toBe('The link is damaged or truncated: its scenario is not valid base64url, or too short to hold one.');
    expect(error('#s=2.ab$cd')).toBe('The link is damaged or truncated: its scenario is not valid base64url, or too short to hold one.');
    expect(error('#s=2.AAAAAA')).toBe('The link is damaged or truncated: its scenario is not valid base64url, or too short to hold one.');
    expect(error(v2Raw(deflateSync(json), 12345))).toBe('The link is damaged or truncated: its checksum does not match the scenario it holds.');
    expect(error(v2Raw(new TextEncoder().encode('{"plain": "json"}'), 0))).toBe(
      'The link is damaged or truncated: its checksum does not match the scenario it holds.',
    );
    expect(error(v2Raw(new TextEncoder().encode('{"plain": "json"}')))).toBe('The scenario in the link does not decompress.');
    expect(error(v2(new Uint8Array([0xff, 0xfe, 0x00])))).toBe('The scenario in the link is not UTF-8 text.');
    expect(error(v2(new TextEncoder().encode('{"format": "faultline/1",')))).toMatch(/^The scenario in the link is not valid JSON \(.+\)\.$/);
    expect(decodeShareFragment(v2(json))).toEqual({ ok: true, document: defaultScenario });
  });

  it('stops inflating at the size cap instead of reading the rest of the stream', () => {
    // Ten megabytes of spaces, then garbage: a decoder that read to the end would call the
    // stream corrupt; one that stops at the cap never reaches the garbage.
    const bomb = deflateSync(new Uint8Array(10_000_000).fill(32));
    const spoilt = new Uint8Array(bomb.length + 64).fill(0xff);
    spoilt.set(bomb.subarray(0, bomb.length - 8));
    expect(inflateCapped(spoilt)).toBe('too-big');
    expect(inflateCapped(spoilt.subarray(0, 2000))).toBe('corrupt');
    expect(inflateCapped(deflateSync(new Uint8Array(100).fill(7)), 99)).toBe('too-big');
    expect(inflateCapped(deflateSync(new Uint8Array(100).fill(7)), 100)).toEqual(new Uint8Array(100).fill(7));
  });

  it('CRC-32 is the IEEE one (the check value of "123456789" is cbf43926)', () => {
    expect(crc32(new TextEncoder().encode('123456789')).toString(16)).toBe('cbf43926');
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('refuses a link that inflates past the size limit', () => {
    const packed = deflateSync(new Uint8Array(MAX_DOCUMENT_BYTES + 10).fill(32));
    const bomb = toBase64Url(packed);
    expect(bomb.length).toBeLessThan(20_000);
    for (const link of [`#s=1.${bomb}`, v2Raw(packed)]) {
      expect(decodeShareFragment(link)).toEqual({
        ok: false,
        error: `The scenario in the link is too large once decompressed (over ${MAX_DOCUMENT_BYTES} bytes).`,
      });
    }
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
