/**
 * The parameters a link's fragment carries beside the scenario (SCENARIO.md "Share URL
 * parameters"): `s=` (the document) or `preset=SLUG`, and `t=SECONDS` (open paused there),
 * `speed=X`, `embed=1`, `present=1`, and the workshop's `lesson=ID&step=N` and `challenge=ID`.
 * Pure: read and written without a page.
 */
import { SPEEDS } from './playback';
import type { Speed } from './playback';

export interface LinkParams {
  /** The share payload after `s=` (without the `s=`), if any. */
  s?: string;
  preset?: string;
  /** Simulated milliseconds to open paused at. */
  tMs?: number;
  speed?: Speed;
  embed: boolean;
  present: boolean;
  lesson?: string;
  /** 0-based step of the lesson. */
  step?: number;
  challenge?: string;
}

/** The view parameters that stay in the address while the document changes (mode and lesson). */
export type ViewParams = Pick<LinkParams, 'embed' | 'present' | 'lesson' | 'step' | 'challenge'>;

const SLUG = /^[a-z0-9-]{1,80}$/;
/** The longest time a link may ask to open at: a day of simulated time. */
const MAX_T_SECONDS = 86_400;

/** Reads a fragment (`#a=1&b=2`, with or without the `#`); unknown or malformed parts are ignored. */
export function parseLinkParams(hash: string): LinkParams {
  const fragment = hash.startsWith('#') ? hash.slice(1) : hash;
  const out: LinkParams = { embed: false, present: false };
  for (const part of fragment.split('&')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const key = part.slice(0, eq);
    const value = part.slice(eq + 1);
    switch (key) {
      case 's':
        out.s = value;
        break;
      case 'preset':
        if (SLUG.test(value)) out.preset = value;
        break;
      case 't': {
        const t = Number(value);
        if (value !== '' && Number.isFinite(t) && t >= 0 && t <= MAX_T_SECONDS) out.tMs = Math.round(t * 1000);
        break;
      }
      case 'speed': {
        const speed = value === 'max' ? 'max' : Number(value);
        const known = SPEEDS.find((x) => x === speed);
        if (known !== undefined) out.speed = known;
        break;
      }
      case 'embed':
        out.embed = value === '1';
        break;
      case 'present':
        out.present = value === '1';
        break;
      case 'lesson':
        if (SLUG.test(value)) out.lesson = value;
        break;
      case 'step': {
        const n = Number(value);
        if (Number.isInteger(n) && n >= 0 && n < 1000) out.step = n;
        break;
      }
      case 'challenge':
        if (SLUG.test(value)) out.challenge = value;
        break;
      default:
        break;
    }
  }
  return out;
}

/** Seconds as a link writes them: whole seconds bare, else up to milliseconds (`20`, `20.5`, `0.125`). */
export function secondsText(ms: number): string {
  const s = Math.max(0, Math.round(ms)) / 1000;
  return Number.isInteger(s) ? String(s) : String(Number(s.toFixed(3)));
}

/**
 * A fragment (without `#`): the document part (`s=…` as the worker wrote it, or `preset=SLUG`),
 * then the moment (`t`, `speed` unless 1×) and the view parameters that are set.
 */
export function buildFragment(documentPart: string, extra: Partial<LinkParams> = {}): string {
  const parts = [documentPart];
  if (extra.tMs !== undefined) parts.push(`t=${secondsText(extra.tMs)}`);
  if (extra.speed !== undefined && extra.speed !== 1) parts.push(`speed=${String(extra.speed)}`);
  if (extra.present) parts.push('present=1');
  if (extra.embed) parts.push('embed=1');
  if (extra.lesson !== undefined) {
    parts.push(`lesson=${extra.lesson}`);
    if (extra.step !== undefined) parts.push(`step=${extra.step}`);
  }
  if (extra.challenge !== undefined) parts.push(`challenge=${extra.challenge}`);
  return parts.filter((p) => p !== '').join('&');
}

/** The view parameters of a fragment (what `write` keeps while the document changes). */
export function viewParamsOf(p: LinkParams): ViewParams {
  return {
    embed: p.embed,
    present: p.present,
    ...(p.lesson !== undefined ? { lesson: p.lesson } : {}),
    ...(p.step !== undefined ? { step: p.step } : {}),
    ...(p.challenge !== undefined ? { challenge: p.challenge } : {}),
  };
}
