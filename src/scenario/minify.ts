/**
 * The smallest document that means the same: every value equal to the default the schema would
 * fill in is left out. `validateScenario(minifyScenario(s))` gives `s` back. Used before sharing,
 * so a scenario edited in the app (which holds it with every default applied) makes a short link.
 */
import type { z } from 'zod';
import { ScenarioSchema, type Scenario, type ScenarioInput } from './schema';

const DROP = Symbol('drop');

interface Def {
  type: string;
  innerType?: z.ZodType;
  defaultValue?: unknown;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
  valueType?: z.ZodType;
  values?: unknown[];
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

export function minifyScenario(scenario: Scenario): ScenarioInput {
  return strip(ScenarioSchema, scenario) as ScenarioInput;
}

function strip(schema: z.ZodType, value: unknown): unknown {
  const def = defOf(schema);
  switch (def.type) {
    case 'default':
      return deepEqual(value, def.defaultValue) ? DROP : strip(def.innerType!, value);
    case 'optional':
    case 'nullable':
      return value === undefined || value === null ? value : strip(def.innerType!, value);
    case 'object': {
      if (!isPlainObject(value)) return value;
      const out: Record<string, unknown> = {};
      for (const [key, v] of Object.entries(value)) {
        const field = def.shape?.[key];
        const r = field ? strip(field, v) : v;
        if (r !== DROP && r !== undefined) out[key] = r;
      }
      return out;
    }
    case 'array':
      return Array.isArray(value) ? value.map((v) => keep(strip(def.element!, v), v)) : value;
    case 'record':
      if (!isPlainObject(value)) return value;
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, keep(strip(def.valueType!, v), v)]));
    case 'union': {
      const option = pickOption(def, value);
      return option ? keep(strip(option, value), value) : value;
    }
    default:
      return value;
  }
}

/** Inside lists and records nothing is dropped: a missing element would shift the others. */
function keep(result: unknown, original: unknown): unknown {
  return result === DROP ? original : result;
}

function pickOption(def: Def, value: unknown): z.ZodType | undefined {
  const options = def.options ?? [];
  if (def.discriminator !== undefined && isPlainObject(value)) {
    const tag = value[def.discriminator];
    return options.find((o) => {
      const lit = defOf(o).shape?.[def.discriminator!];
      return lit !== undefined && (defOf(lit).values ?? []).includes(tag);
    });
  }
  return options.find((o) => o.safeParse(value).success);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}
