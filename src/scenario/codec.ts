/**
 * The share link: a whole scenario in the URL fragment, so a link is the scenario and nothing is
 * stored anywhere. `#s=<v>.<base64url(deflateRaw(utf8 JSON))>`, where `<v>` is the version of
 * this encoding (not of the document: the document carries its own `format`, and old documents
 * are migrated after decoding). Raw DEFLATE (fflate, small and synchronous, so it runs in a
 * worker and in Node alike) keeps a typical scenario to a few hundred characters.
 */
import { deflateSync, inflateSync } from 'fflate';
import type { Scenario, ScenarioInput } from './schema';

export const CODEC_VERSION = 1;

/** Limits, so a hostile link cannot take the tab down: fragment length and inflated size. */
export const MAX_FRAGMENT_CHARS = 1_000_000;
export const MAX_DOCUMENT_BYTES = 4_000_000;

export type DecodeResult = { ok: true; document: unknown } | { ok: false; error: string };

/** `s=1.<payload>`, without the `#`. The document is encoded as given: defaults are not expanded. */
export function encodeShareFragment(doc: ScenarioInput | Scenario): string {
  const json = JSON.stringify(doc);
  const packed = deflateSync(new TextEncoder().encode(json), { level: 9 });
  return `s=${CODEC_VERSION}.${toBase64Url(packed)}`;
}

/** `base` with its fragment replaced by the scenario's. */
export function shareUrl(base: string, doc: ScenarioInput | Scenario): string {
  const hash = base.indexOf('#');
  const page = hash < 0 ? base : base.slice(0, hash);
  return `${page}#${encodeShareFragment(doc)}`;
}

/**
 * Reads a scenario from `#s=...`, `s=...`, or a whole URL. The result is the raw document: run
 * it through validateScenario next. Errors are sentences for the person who opened the link.
 */
export function decodeShareFragment(fragmentOrHashOrUrl: string): DecodeResult {
  const value = findParam(fragmentOrHashOrUrl.trim());
  if (value === undefined) {
    return { ok: false, error: 'The link holds no scenario: its fragment has no "s=" part (expected "#s=1.…").' };
  }
  if (value.length > MAX_FRAGMENT_CHARS) {
    return { ok: false, error: `The scenario in the link is too long (${value.length} characters; at most ${MAX_FRAGMENT_CHARS}).` };
  }
  const dot = value.indexOf('.');
  const version = dot < 0 ? '' : value.slice(0, dot);
  if (!/^\d+$/.test(version)) {
    return { ok: false, error: 'The scenario in the link has no codec version (expected "s=1.…"): the link is damaged.' };
  }
  if (Number(version) !== CODEC_VERSION) {
    const newer = Number(version) > CODEC_VERSION;
    return {
      ok: false,
      error: `The link uses share codec version ${version}, and this Faultline reads only version ${CODEC_VERSION}${
        newer ? ': it was made by a newer Faultline' : ''
      }.`,
    };
  }
  const bytes = fromBase64Url(value.slice(dot + 1));
  if (bytes === null || bytes.length === 0) {
    return { ok: false, error: 'The scenario in the link is not valid base64url: the link was cut short or edited.' };
  }
  let inflated: Uint8Array;
  try {
    // A buffer one byte over the limit: fflate truncates to it, so a full buffer means too big.
    inflated = inflateSync(bytes, { out: new Uint8Array(MAX_DOCUMENT_BYTES + 1) });
  } catch {
    return { ok: false, error: 'The scenario in the link does not decompress: the link was cut short or edited.' };
  }
  if (inflated.length > MAX_DOCUMENT_BYTES) {
    return { ok: false, error: `The scenario in the link is too large once decompressed (over ${MAX_DOCUMENT_BYTES} bytes).` };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(inflated);
  } catch {
    return { ok: false, error: 'The scenario in the link decompresses to something that is not UTF-8 text: the link is damaged.' };
  }
  try {
    return { ok: true, document: JSON.parse(text) as unknown };
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { ok: false, error: `The scenario in the link is not valid JSON (${why}).` };
  }
}

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

/** The bytes, or null when the text is not base64url (padding tolerated). */
export function fromBase64Url(text: string): Uint8Array | null {
  const body = text.replace(/=+$/, '');
  if (!/^[A-Za-z0-9_-]*$/.test(body) || body.length % 4 === 1) return null;
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
