/**
 * The policies a call site wraps a call in, and their default order (outermost first). No zod
 * here: the model reads the order at run time, and the worker's first bundle goes without the
 * schemas (parts.ts builds the `policyOrder` schema from these names).
 */
export const POLICY_NAMES = ['fallback', 'retry', 'breaker', 'bulkhead', 'timeout'] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];
/** The order policies wrap a call in when `policyOrder` is not given, outermost first. */
export const DEFAULT_POLICY_ORDER: readonly PolicyName[] = POLICY_NAMES;
