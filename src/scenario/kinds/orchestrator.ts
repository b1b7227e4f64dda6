/**
 * A saga orchestrator: each request it takes starts a saga that runs its steps (calls) in order;
 * when a step fails, the compensations of the steps that completed run in reverse order.
 */
import { z } from 'zod';
import { DistSchema, count, httpStatus, label, named, nodeId, policyShape, ref, scenarioMeta, strict } from '../parts';
import { defineKind } from './define';
import { orchestratorShape } from './orchestratorShape';

export const CompensationSpecSchema = named(
  'CompensationSpec',
  strict({
    target: ref,
    ...policyShape,
  }),
);

export const SagaStepSchema = named(
  'SagaStep',
  strict({
    name: z.string().min(1).max(64),
    target: ref,
    ...policyShape,
    compensation: CompensationSpecSchema.nullable()
      .default(null)
      .register(scenarioMeta, { description: 'The call that undoes this step when a later one fails; null: nothing to undo.' }),
  }),
);

export const OrchestratorNodeSchema = named(
  'OrchestratorNode',
  strict({
    id: nodeId,
    kind: z.literal('orchestrator'),
    label,
    steps: z.array(SagaStepSchema).min(1).max(50),
    persistState: z
      .boolean()
      .default(true)
      .register(scenarioMeta, { description: 'true: a crashed orchestrator resumes its sagas when it restarts; false: their state dies with it and they are stuck.' }),
    compensationRounds: count(1)
      .max(100)
      .default(3)
      .register(scenarioMeta, { description: 'How many times a failed compensation is run again (each run with its own policy) before the saga is stuck.' }),
    compensationRetryDelayMs: z.number().nonnegative().default(1000),
    overhead: DistSchema.default(0).register(scenarioMeta, { description: 'Bookkeeping before each step or compensation (writing the saga log).' }),
    compensatedStatus: httpStatus.default(409).register(scenarioMeta, { description: 'What the caller hears when its saga was compensated.' }),
    stuckStatus: httpStatus.default(500),
  }),
);

export const orchestratorKind = defineKind({ ...orchestratorShape, schema: OrchestratorNodeSchema });
