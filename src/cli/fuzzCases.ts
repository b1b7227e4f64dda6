/**
 * Inputs for fuzzing the link decoder and the validator from outside, as an attacker or an
 * unlucky user would send them: random links, damaged links, and structurally mutated presets
 * (as JSON files and as links). Each input is checked the way the app and the CLI read one:
 * decode, parse, validate; an accepted document must also survive encode → decode → validate
 * unchanged. Nothing may throw. Used by `npm run fuzz` (long runs) and by a unit test (short).
 */
import fc from 'fast-check';
import { deflateSync } from 'fflate';
import { crc32, decodeShareFragment, encodeShareFragment, toBase64Url } from '../scenario/codec';
import { defaultScenario } from '../scenario/defaultScenario';
import { PRESETS } from '../scenario/presets';
import type { ScenarioInput } from '../scenario/schema';
import { validateScenario } from '../scenario/validate';
import { parseJsonText } from '../scenario/jsonText';

export type Family = 'random-link' | 'damaged-link' | 'mutated-preset';

/** One input: a link (as pasted in the address bar or given to `sim`) or a JSON file's text. */
export interface FuzzInput {
  family: Family;
  form: 'link' | 'json';
  text: string;
  /** How it was made, for the report. */
  how: string;
  /** For a damaged version 2 link: the JSON of the document it held before the damage. */
  intact?: string;
}

export interface FuzzOutcome {
  /** 'accepted': a valid scenario; 'refused': a clear error; 'crash': something threw, or a rule broke. */
  verdict: 'accepted' | 'refused' | 'crash';
  ms: number;
  /** For a crash: what threw or which rule broke. */
  error?: string;
}

const DOCUMENTS: readonly ScenarioInput[] = [defaultScenario, ...PRESETS.map((p) => p.document)];
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A link of version 2 around any bytes, with a correct checksum: damage-free, so it reaches JSON.parse and the validator. */
function v2Link(json: Uint8Array): string {
  // The fastest level: the decoder reads any level alike, and a mutated document can be megabytes.
  const packed = deflateSync(json, { level: 1 });
  const out = new Uint8Array(4 + packed.length);
  new DataView(out.buffer).setUint32(0, crc32(packed));
  out.set(packed, 4);
  return `#s=2.${toBase64Url(out)}`;
}

/** Decompression bombs of a few sizes, deflated once and kept (a 50 MB one takes a moment). */
const bombs = new Map<number, Uint8Array>();
function bomb(megabytes: number): Uint8Array {
  let b = bombs.get(megabytes);
  if (!b) bombs.set(megabytes, (b = deflateSync(new Uint8Array(megabytes * 1_000_000).fill(32), { level: 9 })));
  return b;
}

// ---------------------------------------------------------------------------------------------
// Random links

const b64String = (maxLength: number) =>
  fc.array(fc.constantFrom(...B64.split('')), { maxLength }).map((cs) => cs.join(''));

const randomLink: fc.Arbitrary<FuzzInput> = fc.oneof(
  fc.tuple(fc.constantFrom('1', '2', '3', '0', '', '01', '99999999999', 'x'), b64String(400)).map(([v, body]) => ({
    family: 'random-link' as const,
    form: 'link' as const,
    text: `#s=${v}.${body}`,
    how: `random base64url, version "${v}"`,
  })),
  fc.tuple(fc.constantFrom(1, 2), fc.uint8Array({ maxLength: 600 })).map(([v, bytes]) => ({
    family: 'random-link' as const,
    form: 'link' as const,
    text: `#s=${v}.${toBase64Url(deflateSync(bytes))}`,
    how: `random bytes deflated, version ${v}`,
  })),
  fc.jsonValue({ maxDepth: 4 }).map((value) => ({
    family: 'random-link' as const,
    form: 'link' as const,
    text: v2Link(new TextEncoder().encode(JSON.stringify(value) ?? 'null')),
    how: 'random JSON in an intact link',
  })),
  fc.tuple(fc.constantFrom(5, 20, 50), fc.constantFrom(1, 2)).map(([mb, v]) => {
    const packed = bomb(mb);
    const bytes = v === 1 ? packed : new Uint8Array(4 + packed.length);
    if (v === 2) {
      new DataView(bytes.buffer).setUint32(0, crc32(packed));
      bytes.set(packed, 4);
    }
    return { family: 'random-link' as const, form: 'link' as const, text: `#s=${v}.${toBase64Url(bytes)}`, how: `a ${mb} MB decompression bomb, version ${v}` };
  }),
  fc.string({ maxLength: 200 }).map((s) => ({ family: 'random-link' as const, form: 'link' as const, text: s, how: 'random text' })),
);

// ---------------------------------------------------------------------------------------------
// Damaged links: a valid link, then edits

type Damage = { op: 'cut' | 'flip' | 'delete' | 'insert' | 'repeat' | 'version' | 'space' | 'percent'; at: number; n: number; ch: string };

const damage: fc.Arbitrary<Damage> = fc.record({
  op: fc.constantFrom('cut', 'flip', 'delete', 'insert', 'repeat', 'version', 'space', 'percent'),
  at: fc.nat(),
  n: fc.integer({ min: 1, max: 40 }),
  ch: fc.constantFrom(...B64.split(''), '.', '=', '%', '&', '#', ' '),
}) as fc.Arbitrary<Damage>;

function applyDamage(link: string, d: Damage): string {
  const head = link.indexOf('.') + 1;
  const i = head + (d.at % Math.max(1, link.length - head));
  switch (d.op) {
    case 'cut':
      return link.slice(0, i);
    case 'flip':
      return link.slice(0, i) + (link[i] === d.ch ? B64[(B64.indexOf(d.ch) + 1) % 64] : d.ch) + link.slice(i + 1);
    case 'delete':
      return link.slice(0, i) + link.slice(i + d.n);
    case 'insert':
      return link.slice(0, i) + d.ch.repeat(d.n) + link.slice(i);
    case 'repeat':
      return link.slice(0, i) + link.slice(i, i + d.n) + link.slice(i);
    case 'version':
      return link.replace(/s=\d+\./, `s=${link.includes('s=2.') ? 1 : 2}.`);
    case 'space':
      return `${link.slice(0, i)} ${link.slice(i)}`;
    case 'percent':
      return link.slice(0, i) + encodeURIComponent(link.slice(i, i + d.n)) + link.slice(i + d.n);
  }
}

/** Each document's link in both versions, made once (deflating them again for every input was a third of a run). */
const intactLinks = new Map<string, string>();
function intactLink(doc: number, asVersion1: boolean): string {
  const key = `${doc}.${asVersion1 ? 1 : 2}`;
  let link = intactLinks.get(key);
  if (link === undefined) {
    const document = DOCUMENTS[doc]!;
    link = asVersion1 ? `#s=1.${toBase64Url(deflateSync(new TextEncoder().encode(JSON.stringify(document)), { level: 9 }))}` : `#${encodeShareFragment(document)}`;
    intactLinks.set(key, link);
  }
  return link;
}

const damagedLink: fc.Arbitrary<FuzzInput> = fc
  .tuple(fc.nat(DOCUMENTS.length - 1), fc.boolean(), fc.array(damage, { minLength: 1, maxLength: 3 }))
  .map(([doc, asVersion1, damages]) => {
    const document = DOCUMENTS[doc]!;
    let link = intactLink(doc, asVersion1);
    const before = link;
    for (const d of damages) link = applyDamage(link, d);
    return {
      family: 'damaged-link' as const,
      form: 'link' as const,
      text: link,
      how: `${document.name}, version ${asVersion1 ? 1 : 2}, ${damages.map((d) => `${d.op}@${d.at}`).join(' ')}`,
      ...(asVersion1 || link === before ? {} : { intact: JSON.stringify(document) }),
    };
  });

// ---------------------------------------------------------------------------------------------
// Mutated presets: structural edits at random places of a preset's document

/** Values that make validators work: long strings, near-miss ids, numbers at the edges, nesting. */
const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom('', 'a->b', '->', 'api->', '__proto__', 'constructor', 'service', 'queue', 'exchange', '#', '*.#', 'a..b'),
  fc.constantFrom(0, -0, -1, 0.5, 1e-300, 1e308, -1e308, 2 ** 53, 86_400_001, 1e12, 1_000_000_000),
  fc.tuple(fc.constantFrom('a', 'x-', 'api', 'é', '\u0000', '"'), fc.integer({ min: 1, max: 200_000 })).map(([s, n]) => s.repeat(n)),
  fc.integer({ min: 1, max: 20 }).map((depth) => JSON.parse(`${'['.repeat(depth * 50)}${']'.repeat(depth * 50)}`) as unknown),
);

type Mutation =
  | { op: 'set'; at: number; value: unknown }
  | { op: 'delete'; at: number }
  | { op: 'copy'; at: number; from: number }
  | { op: 'repeat'; at: number; times: number }
  | { op: 'rename'; at: number; key: string }
  | { op: 'wrap'; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: nastyValue }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('copy' as const), at: fc.nat(), from: fc.nat() }),
  fc.record({ op: fc.constant('repeat' as const), at: fc.nat(), times: fc.oneof(fc.integer({ min: 2, max: 20 }), fc.integer({ min: 100, max: 12_000 })) }),
  fc.record({ op: fc.constant('rename' as const), at: fc.nat(), key: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('timeout', 'retrys', 'kind', 'id', 'target', 'prototype')) }),
  fc.record({ op: fc.constant('wrap' as const), at: fc.nat() }),
);

type Container = Record<string, unknown> | unknown[];
interface Slot {
  parent: Container;
  key: string | number;
}

/** Every place in the document a value sits (the root excluded), in a fixed order. */
function slots(doc: unknown): Slot[] {
  const out: Slot[] = [];
  const stack: unknown[] = [doc];
  while (stack.length > 0 && out.length < 50_000) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      v.forEach((child, i) => {
        out.push({ parent: v, key: i });
        stack.push(child);
      });
    } else if (typeof v === 'object' && v !== null) {
      for (const [k, child] of Object.entries(v)) {
        out.push({ parent: v as Record<string, unknown>, key: k });
        stack.push(child);
      }
    }
  }
  return out;
}

const read = (s: Slot): unknown => (Array.isArray(s.parent) ? s.parent[s.key as number] : s.parent[s.key as string]);
function write(s: Slot, value: unknown): void {
  if (Array.isArray(s.parent)) s.parent[s.key as number] = value;
  else Object.defineProperty(s.parent, s.key, { value, enumerable: true, writable: true, configurable: true });
}

function mutate(doc: unknown, m: Mutation): void {
  const all = slots(doc);
  if (all.length === 0) return;
  const slot = all[m.at % all.length]!;
  switch (m.op) {
    case 'set':
      write(slot, structuredClone(m.value));
      return;
    case 'delete':
      if (Array.isArray(slot.parent)) slot.parent.splice(slot.key as number, 1);
      else delete slot.parent[slot.key as string];
      return;
    case 'copy':
      write(slot, structuredClone(read(all[m.from % all.length]!)));
      return;
    case 'repeat': {
      const v = read(slot);
      const list = Array.isArray(slot.parent) ? slot.parent : Array.isArray(v) ? v : null;
      if (!list || list.length === 0) return;
      const item = JSON.stringify(list[Array.isArray(slot.parent) ? (slot.key as number) : 0]) ?? 'null';
      // Past the 4 MB a document may have, more copies only cost the fuzzer memory (copies of
      // copies once ran it out of heap): stop at about 5 MB of them.
      const times = Math.min(m.times, Math.max(2, Math.floor(5_000_000 / Math.max(1, item.length))));
      for (let i = 1; i < times; i++) list.push(JSON.parse(item));
      return;
    }
    case 'rename': {
      if (Array.isArray(slot.parent)) return;
      const v = slot.parent[slot.key as string];
      delete slot.parent[slot.key as string];
      write({ parent: slot.parent, key: m.key }, v);
      return;
    }
    case 'wrap':
      write(slot, [read(slot)]);
      return;
  }
}

const mutatedPreset: fc.Arbitrary<FuzzInput> = fc
  .tuple(fc.nat(DOCUMENTS.length - 1), fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.boolean())
  .map(([doc, mutations, asLink]) => {
    const document = structuredClone(DOCUMENTS[doc]!) as unknown;
    for (const m of mutations) mutate(document, m);
    let json: string;
    try {
      json = JSON.stringify(document);
    } catch {
      // Nested past what JSON.stringify can write: send nesting deeper still, as text.
      json = `{"format":"faultline/1","name":"deep","nodes":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    }
    return {
      family: 'mutated-preset' as const,
      form: asLink ? ('link' as const) : ('json' as const),
      text: asLink ? v2Link(new TextEncoder().encode(json)) : json,
      how: `${DOCUMENTS[doc]!.name}: ${mutations.map((m) => `${m.op}@${m.at}`).join(' ')}`,
    };
  });

/** Every kind of input, in equal shares. */
export const fuzzInput: fc.Arbitrary<FuzzInput> = fc.oneof(randomLink, damagedLink, mutatedPreset);

/**
 * Makes the bombs and runs the decoder and the validator once over them and every preset,
 * untimed, so the timings that follow measure the code rather than the JIT compiling it (the
 * first 4 MB a process ever inflates costs several times what later ones do) or the collector
 * reclaiming the bombs' making.
 */
export function warmUp(): void {
  for (const mb of [5, 20, 50]) decodeShareFragment(`#s=1.${toBase64Url(bomb(mb))}`);
  for (const doc of DOCUMENTS) validateScenario(decodeShareFragment(encodeShareFragment(doc)).ok ? doc : null);
}

/**
 * Reads an input as the app (a link) or the CLI (a file) would, timing decode and validation
 * together. A crash is anything thrown, or an accepted document that does not come back the
 * same through its own share link.
 */
export function checkInput(input: FuzzInput, now: () => number): FuzzOutcome {
  const started = now();
  try {
    let doc: unknown;
    if (input.form === 'link') {
      const decoded = decodeShareFragment(input.text);
      if (!decoded.ok) {
        if (typeof decoded.error !== 'string' || decoded.error === '') throw new Error('a refusal without a sentence');
        return { verdict: 'refused', ms: now() - started };
      }
      doc = decoded.document;
      if (input.intact !== undefined && JSON.stringify(doc) !== input.intact) {
        return { verdict: 'crash', ms: now() - started, error: 'a damaged version 2 link opened as a different document' };
      }
    } else {
      // As the CLI reads a file (cli/document.ts) and the app an opened one: within the text limits.
      const parsed = parseJsonText(input.text);
      if (!parsed.ok) return { verdict: 'refused', ms: now() - started };
      doc = parsed.value;
    }
    const result = validateScenario(doc);
    const ms = now() - started;
    if (!result.ok) {
      if (result.problems.length === 0) throw new Error('refused with no problem listed');
      return { verdict: 'refused', ms };
    }
    const again = decodeShareFragment(encodeShareFragment(doc as ScenarioInput));
    const revalidated = again.ok ? validateScenario(again.document) : undefined;
    if (!revalidated?.ok || JSON.stringify(revalidated.scenario) !== JSON.stringify(result.scenario)) {
      return { verdict: 'crash', ms, error: 'an accepted document did not come back the same through its share link' };
    }
    return { verdict: 'accepted', ms };
  } catch (e) {
    return { verdict: 'crash', ms: now() - started, error: e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ''}` : String(e) };
  }
}
