/**
 * Spring Boot durations, as resilience4j's properties take them: a bare number is milliseconds;
 * the simple form is a whole number with an optional unit (`ns`, `us`, `ms`, `s`, `m`, `h`,
 * `d`; no unit: ms); ISO-8601 (`PT30S`, `P1DT2H`, `PT0.5S`) is read too.
 */

const SIMPLE = /^([+-]?\d+)([a-zA-Z]{0,2})$/;
const ISO = /^([+-]?)P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/i;

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds, or an error sentence. */
export function parseSpringDuration(value: unknown): { ok: true; ms: number } | { ok: false; message: string } {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { ok: false, message: `must be a duration such as 500ms or 30s — got ${value}` };
    return value < 0 ? { ok: false, message: `must not be negative — got ${value}` } : { ok: true, ms: value };
  }
  if (typeof value !== 'string') return { ok: false, message: `must be a duration such as 500ms or 30s — got ${JSON.stringify(value)}` };
  const text = value.trim();
  const simple = SIMPLE.exec(text);
  if (simple) {
    const unit = simple[2]!.toLowerCase() || 'ms';
    const factor = UNIT_MS[unit];
    if (factor === undefined) return { ok: false, message: `"${simple[2]}" is not a duration unit (ns, us, ms, s, m, h, d) — got ${JSON.stringify(value)}` };
    const n = Number(simple[1]);
    if (n < 0) return { ok: false, message: `must not be negative — got ${JSON.stringify(value)}` };
    return { ok: true, ms: n * factor };
  }
  const iso = text.includes('P') || text.includes('p') ? ISO.exec(text) : null;
  if (iso && text.length > 1 && !/[Tt]$/.test(text)) {
    if (iso[1] === '-') return { ok: false, message: `must not be negative — got ${JSON.stringify(value)}` };
    const [, , d, h, m, s] = iso;
    const ms = Number(d ?? 0) * 86_400_000 + Number(h ?? 0) * 3_600_000 + Number(m ?? 0) * 60_000 + Number((s ?? '0').replace(',', '.')) * 1000;
    return { ok: true, ms };
  }
  return { ok: false, message: `must be a duration such as 500ms, 30s or PT30S — got ${JSON.stringify(value)}` };
}

/** A whole number of ms as Spring Boot's short form: `30s` when it is whole seconds, else `500ms`. */
export function formatSpringDuration(ms: number): string {
  if (ms !== 0 && ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
