/**
 * Real configuration in and out of a scenario: RabbitMQ definitions, resilience4j's Spring Boot
 * properties and opossum's options. The app and the CLI use these same functions.
 *
 * Every import returns `{ ok: true, value, notes }` or `{ ok: false, problems }` and never
 * throws on bad input: a problem names the line (and column) of a syntax error, or the key path
 * of a wrong value. `notes` lists, by name, each setting that does not map.
 */
export { formatNote, parseJsonText, parseYamlText, type ConvertResult, type Note, type Problem } from './common';
export {
  importRabbitDefinitions,
  exportRabbitDefinitions,
  DEFAULT_EXCHANGE_LABEL,
  PREDECLARED_EXCHANGES,
  type RabbitDefinitions,
  type RabbitExchange,
  type RabbitQueue,
  type RabbitBinding,
  type RabbitImport,
  type RabbitImportOptions,
  type RabbitExportOptions,
} from './rabbitmq';
export {
  importResilience4j,
  exportResilience4j,
  resilience4jInstances,
  r4jRange,
  modelRange,
  type R4jInterval,
  type Resilience4jImport,
  type Resilience4jImportOptions,
  type Resilience4jExportOptions,
} from './resilience4j';
export { importOpossum, exportOpossum, type OpossumImport } from './opossum';
export { listPolicyHolders, findPolicyHolder, policyOf, applyPolicy, type PolicyHolder } from './calls';
export { parseSpringDuration, formatSpringDuration } from './duration';
export { slugOf, assignIds } from './ids';
