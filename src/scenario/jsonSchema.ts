/**
 * The JSON Schema of the document (public/scenario.schema.json), generated from ScenarioSchema so
 * it cannot drift from what validation accepts. It describes the input: keys with defaults are
 * optional. Cross-field and reference rules (minMs <= maxMs, targets exist) are validateScenario's.
 */
import { z } from 'zod';
import { CURRENT_FORMAT } from './migrations';
import { ScenarioSchema, scenarioMeta } from './schema';

export const SCENARIO_SCHEMA_ID = 'https://faultline.invalid/scenario.schema.json';

export function scenarioJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(ScenarioSchema, {
    io: 'input',
    target: 'draft-2020-12',
    metadata: scenarioMeta,
  }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: SCENARIO_SCHEMA_ID,
    title: `Faultline scenario (${CURRENT_FORMAT})`,
    description:
      'A Faultline scenario: nodes, links and a fault timeline, run deterministically from its seed. ' +
      'References between nodes and a few cross-field rules are checked by the app, not by this schema.',
    ...rest,
  };
}

/** The file's text: two-space JSON with a final newline. */
export function scenarioJsonSchemaText(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}
