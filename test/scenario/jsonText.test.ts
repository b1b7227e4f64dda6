import { describe, expect, it } from 'vitest';
import { jsonTextTooLarge, lineAndColumn, MAX_CONTAINERS, MAX_DOCUMENT_CHARS, MAX_KEYS, MAX_NESTING, parseJsonText } from '../../src/scenario/jsonText';
import { decodeShareFragment } from '../../src/scenario/codec';
import { defaultScenario } from '../../src/scenario/defaultScenario';
import { PRESETS } from '../../src/scenario/presets';
import { deflateSync } from 'fflate';
import { crc32, toBase64Url } from '../../src/scenario/codec';

/** A version 2 link around any text, its checksum right. */
function link(text: string): string {
  const packed = deflateSync(new TextEncoder().encode(text));
  const out = new Uint8Array(4 + packed.length);
  new DataView(out.buffer).setUint32(0, crc32(packed));
  out.set(packed, 4);
  return `#s=2.${toBase64Url(out)}`;
}

describe('reading a document’s JSON text within limits', () => {
  it('reads every preset and the default scenario, pretty-printed or not', () => {
    for (const doc of [defaultScenario, ...PRESETS.map((p) => p.document)]) {
      for (const text of [JSON.stringify(doc), JSON.stringify(doc, null, 2)]) {
        const r = parseJsonText(text);
        expect(r.ok && JSON.stringify(r.value)).toBe(JSON.stringify(doc));
      }
    }
  });

  it('refuses nesting past the limit, naming the line and column where it passed it', () => {
    const text = `{\n  "nodes": ${'['.repeat(MAX_NESTING)}${']'.repeat(MAX_NESTING)}\n}`;
    expect(jsonTextTooLarge(text)).toBe(`nests deeper than ${MAX_NESTING} levels of objects and arrays (at line 2, column ${12 + MAX_NESTING - 1})`);
    expect(jsonTextTooLarge(`[${'['.repeat(MAX_NESTING - 2)}${']'.repeat(MAX_NESTING - 2)}]`)).toBeNull();
  });

  it('refuses more objects and arrays than the limit, and an object with too many keys', () => {
    const many = `[${Array.from({ length: MAX_CONTAINERS }, () => '[]').join(',')}]`;
    expect(jsonTextTooLarge(many)).toMatch(/^holds more than 100,000 objects and arrays \(the next at line 1, column \d+\)$/);
    const keys = `{${Array.from({ length: MAX_KEYS + 1 }, (_, i) => `"k${i}":1`).join(',')}}`;
    expect(jsonTextTooLarge(keys)).toMatch(/^has an object with more than 1,000 keys \(the next at line 1, column \d+\)$/);
    expect(jsonTextTooLarge(`{${Array.from({ length: MAX_KEYS }, (_, i) => `"k${i}":{"a":1}`).join(',')}}`)).toBeNull();
  });

  it('brackets, colons and escaped quotes inside strings are text', () => {
    const text = JSON.stringify({ description: `${'[{:'.repeat(MAX_CONTAINERS)} \\" ]}` });
    expect(jsonTextTooLarge(text)).toBeNull();
    expect(parseJsonText(text).ok).toBe(true);
  });

  it('refuses a text over the size limit before reading it', () => {
    expect(jsonTextTooLarge(' '.repeat(MAX_DOCUMENT_CHARS + 1))).toBe('is too large (4,000,001 characters; at most 4,000,000)');
  });

  it('says a syntax error as JSON.parse does', () => {
    const r = parseJsonText('{"format": "faultline/1",');
    expect(!r.ok && r.error).toMatch(/^is not valid JSON \(.+\)$/);
    expect(lineAndColumn('ab\ncd\nef', 7)).toBe('line 3, column 2');
  });

  it('a link holding a million nested arrays is refused in a sentence before it is parsed', () => {
    const decoded = decodeShareFragment(link(`{"format":"faultline/1","nodes":${'[[[[[[]]]]]],'.repeat(200_000)}[]}`));
    expect(decoded).toEqual({ ok: false, error: expect.stringMatching(/^The scenario in the link holds more than 100,000 objects and arrays \(the next at line 1, column \d+\)\.$/) as unknown });
  });
});
