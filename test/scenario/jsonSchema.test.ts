import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scenarioJsonSchema, scenarioJsonSchemaText } from '../../src/scenario/jsonSchema';
import { FAULT_KINDS, NODE_KINDS } from '../../src/scenario/schema';

const committed = fileURLToPath(new URL('../../public/scenario.schema.json', import.meta.url));

describe('the JSON Schema', () => {
  it('the committed public/scenario.schema.json is what the generator makes now (run `npm run schema`)', () => {
    expect(readFileSync(committed, 'utf8')).toBe(scenarioJsonSchemaText());
  });

  it('has an id, a title and a description, and describes the input (defaults optional)', () => {
    const schema = scenarioJsonSchema() as {
      $id: string;
      title: string;
      description: string;
      required: string[];
      additionalProperties: boolean;
      $defs: Record<string, { oneOf?: { properties: { kind: { const: string } } }[] }>;
    };
    expect(schema.$id).toMatch(/scenario\.schema\.json$/);
    expect(schema.title).toBe('Faultline scenario (faultline/1)');
    expect(schema.description.length).toBeGreaterThan(20);
    expect(schema.required.sort()).toEqual(['format', 'name', 'nodes']);
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.$defs)).toEqual(expect.arrayContaining(['Dist', 'Node', 'Fault', 'RetryPolicy', 'BreakerPolicy']));
    const kinds = (def: string) => (schema.$defs[def]!.oneOf ?? []).map((o) => o.properties.kind.const);
    expect(kinds('Fault')).toEqual([...FAULT_KINDS]);
    expect(schema.$defs.Node!.oneOf!.length).toBe(NODE_KINDS.length);
  });
});
