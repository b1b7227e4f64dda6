/** The scenario document: schema, validation, migrations, share links, the default scenario. */
export * from './schema';
export { validateScenario, parseScenario, formatProblem, type Problem, type ValidationResult } from './validate';
export { formatPath } from './problem';
export { migrate, runMigrations, CURRENT_FORMAT, MIGRATIONS, type Migration, type MigrateResult } from './migrations';
export {
  encodeShareFragment,
  decodeShareFragment,
  shareUrl,
  CODEC_VERSION,
  MAX_FRAGMENT_CHARS,
  MAX_DOCUMENT_BYTES,
  type DecodeResult,
} from './codec';
export { minifyScenario } from './minify';
export { defaultScenario } from './defaultScenario';
export { scenarioJsonSchema, scenarioJsonSchemaText, SCENARIO_SCHEMA_ID } from './jsonSchema';
export { PRESETS, presetBySlug, type Preset } from './presets';
