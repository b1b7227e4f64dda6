/**
 * The share link: a whole scenario in the URL fragment, so a link is the scenario and nothing is
 * stored anywhere. `#s=2.<base64url(crc32 ‖ deflateRaw(utf8 JSON))>`, where `2` is the version of
 * this encoding (not of the document: the document carries its own `format`, and old documents
 * are migrated after decoding), and `crc32` is the CRC-32 (IEEE, as gzip and PNG use it) of the
 * compressed bytes that follow it, four bytes big-endian. Raw DEFLATE has no checksum of its own,
 * so without one a damaged link could decode to a different valid document. The checksum covers
 * the bytes as sent rather than the document they inflate to: every edit is then caught (CRC-32
 * finds any change of up to 32 bits), even one to the padding past the end of the stream that
 * would inflate to the same document, and a damaged link is refused before anything is
 * inflated. Version 1 links (`#s=1.<base64url(deflateRaw(utf8 JSON))>`, no checksum) still
 * open. Raw DEFLATE (fflate, small and synchronous, so it runs in a worker and in Node alike)
 * keeps a typical scenario to a few hundred characters.
 */
import { deflateSync, Inflate } from 'fflate';
import type { Scenario, ScenarioInput } from './schema';
import { parseJsonText } from './jsonText';

/** The version new links are written in. */
export const CODEC_VERSION = 2;
/** Every version this Faultline reads. */
export const CODEC_VERSIONS_READ: readonly number[] = [1, 2];

/** Limits, so a hostile link cannot take the tab down: fragment length and inflated size. */
export const MAX_FRAGMENT_CHARS = 1_000_000;
export const MAX_DOCUMENT_BYTES = 4_000_000;

/** Compressed bytes handed to the inflater at a time: DEFLATE expands a byte at most ~1032 times,
 * so one slice can overshoot the size cap by about a megabyte before the decoder stops. */
const INFLATE_SLICE_BYTES = 1024;
const CRC_BYTES = 4;

export type DecodeResult = { ok: true; document: unknown } | { ok: false; error: string };

/** `s=2.<payload>`, without the `#`. The document is encoded as given: defaults are not expanded. */
export function encodeShareFragment(doc: ScenarioInput | Scenario): string {
  const packed = deflateSync(new TextEncoder().encode(JSON.stringify(doc)), { level: 9 });
  const out = new Uint8Array(CRC_BYTES + packed.length);
  new DataView(out.buffer).setUint32(0, crc32(packed));
  out.set(packed, CRC_BYTES);
  return `s=${CODEC_VERSION}.${toBase64Url(out)}`;
}

/** `base` with its fragment replaced by the scenario's. */
export function shareUrl(base: string, doc: ScenarioInput | Scenario): string {
  const hash = base.indexOf('#');
  const page = hash < 0 ? base : base.slice(0, hash);
  return `${page}#${encodeShareFragment(doc)}`;
}

const DAMAGED = 'The link is damaged or truncated';

/**
 * Reads a scenario from `#s=...`, `s=...`, or a whole URL. The result is the raw document: run
 * it through validateScenario next. Errors are sentences for the person who opened the link.
 */
export function decodeShareFragment(fragmentOrHashOrUrl: string): DecodeResult {
  const value = findParam(fragmentOrHashOrUrl.trim());
  if (value === undefined) {
    return { ok: false, error: `The link holds no scenario: its fragment has no "s=" part (expected "#s=${CODEC_VERSION}.…").` };
  }
  if (value.length > MAX_FRAGMENT_CHARS) {
    return { ok: false, error: `The scenario in the link is too long (${value.length} characters; at most ${MAX_FRAGMENT_CHARS}).` };
  }
  const dot = value.indexOf('.');
  const version = dot < 0 ? '' : value.slice(0, dot);
  if (!/^\d{1,9}$/.test(version)) {
    return { ok: false, error: `The scenario in the link has no codec version (expected "s=${CODEC_VERSION}.…"): the link is damaged.` };
  }
  const v = Number(version);
  if (!CODEC_VERSIONS_READ.includes(v)) {
    const newer = v > CODEC_VERSION;
    return {
      ok: false,
      error: `The link uses share codec version ${version}, and this Faultline reads only versions ${CODEC_VERSIONS_READ.join(' and ')}${
        newer ? ': it was made by a newer Faultline' : ''
      }.`,
    };
  }
  return v === 1 ? decodeVersion1(value.slice(dot + 1)) : decodeVersion2(value.slice(dot + 1));
}

/** Version 1: no checksum, so damage is found only where it breaks the encoding. */
function decodeVersion1(payload: string): DecodeResult {
  const bytes = fromBase64Url(payload);
  if (bytes === null || bytes.length === 0) {
    return { ok: false, error: 'The scenario in the link is not valid base64url: the link was cut short or edited.' };
  }
  const inflated = inflateCapped(bytes);
  if (inflated === 'corrupt') {
    return { ok: false, error: 'The scenario in the link does not decompress: the link was cut short or edited.' };
  }
  if (inflated === 'too-big') return tooBig();
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(inflated);
  } catch {
    return { ok: false, error: 'The scenario in the link decompresses to something that is not UTF-8 text: the link is damaged.' };
  }
  return parseJson(text);
}

/** Version 2: the checksum of the compressed bytes comes first; any damage is refused in one sentence. */
function decodeVersion2(payload: string): DecodeResult {
  const bytes = fromBase64Url(payload, true);
  if (bytes === null || bytes.length <= CRC_BYTES) {
    return { ok: false, error: `${DAMAGED}: its scenario is not valid base64url, or too short to hold one.` };
  }
  const expected = new DataView(bytes.buffer, bytes.byteOffset, CRC_BYTES).getUint32(0);
  const packed = bytes.subarray(CRC_BYTES);
  if (crc32(packed) !== expected) {
    return { ok: false, error: `${DAMAGED}: its checksum does not match the scenario it holds.` };
  }
  const inflated = inflateCapped(packed);
  // The checksum matched, so the link is as it was made: made by hand, or by something else.
  if (inflated === 'corrupt') return { ok: false, error: 'The scenario in the link does not decompress.' };
  if (inflated === 'too-big') return tooBig();
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(inflated);
  } catch {
    return { ok: false, error: 'The scenario in the link is not UTF-8 text.' };
  }
  return parseJson(text);
}

function tooBig(): DecodeResult {
  return { ok: false, error: `The scenario in the link is too large once decompressed (over ${MAX_DOCUMENT_BYTES} bytes).` };
}

function parseJson(text: string): DecodeResult {
  const parsed = parseJsonText(text);
  if (parsed.ok) return { ok: true, document: parsed.value };
  return { ok: false, error: `The scenario in the link ${parsed.error}.` };
}

/**
 * Raw DEFLATE, inflated a slice of input at a time, stopping as soon as the output passes
 * MAX_DOCUMENT_BYTES: a decompression bomb costs at most a few megabytes of work, never the
 * whole stream. 'corrupt' when the stream is malformed or ends early.
 */
export function inflateCapped(bytes: Uint8Array, maxBytes = MAX_DOCUMENT_BYTES): Uint8Array | 'corrupt' | 'too-big' {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let ended = false;
  const inflater = new Inflate((chunk, final) => {
    total += chunk.length;
    if (total <= maxBytes) chunks.push(chunk);
    if (final) ended = true;
  });
  try {
    for (let at = 0; at < bytes.length && total <= maxBytes; at += INFLATE_SLICE_BYTES) {
      const end = Math.min(bytes.length, at + INFLATE_SLICE_BYTES);
      inflater.push(bytes.subarray(at, end), end === bytes.length);
    }
  } catch {
    return 'corrupt';
  }
  if (total > maxBytes) return 'too-big';
  if (!ended) return 'corrupt';
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), as in gzip, zip and PNG. */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** The value of `s` in the fragment of a URL, a `#fragment`, or a bare `s=...&...`. */
function findParam(text: string): string | undefined {
  const hash = text.indexOf('#');
  let fragment: string;
  if (hash >= 0) fragment = text.slice(hash + 1);
  else if (/^[a-z][a-z0-9+.-]*:/i.test(text)) return undefined; // a URL without a fragment
  else fragment = text;
  for (const part of fragment.split('&')) {
    if (part.startsWith('s=')) return part.slice(2);
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// base64url (RFC 4648 §5, no padding) over btoa/atob, which exist in workers and in Node.

const CHUNK = 0x8000;

export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * The bytes, or null when the text is not base64url (padding tolerated). `canonical` also
 * refuses a last character with unused bits set, which the decoder would otherwise ignore: an
 * edited last character then changes nothing and goes unnoticed.
 */
export function fromBase64Url(text: string, canonical = false): Uint8Array | null {
  const body = text.replace(/=+$/, '');
  if (!/^[A-Za-z0-9_-]*$/.test(body) || body.length % 4 === 1) return null;
  if (canonical && body.length % 4 !== 0) {
    const unused = body.length % 4 === 2 ? 0x0f : 0x03;
    if ((ALPHABET.indexOf(body[body.length - 1]!) & unused) !== 0) return null;
  }
  const padded = body.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (body.length % 4)) % 4);
  let binary: string;
  try {
    binary = atob(padded);
  } catch {
    return null;
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
