/** A saga orchestrator on the canvas: its sagas so far (started, running, completed, compensated, stuck), its step calls' breakers. */
import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import type { NodeState } from '../../run/types';
import { formatCompact } from '../format';
import { defineAppKind } from './define';
import type { FlowNode } from './define';
import { Breakers, EMPTY_COUNTS, FaultStrip, Handles, Header, Stat, useLive } from './shared';

const EMPTY: Extract<NodeState, { kind: 'orchestrator' }> = { kind: 'orchestrator', running: 0, started: 0, completed: 0, compensated: 0, stuck: 0, down: false, ...EMPTY_COUNTS };

const OrchestratorNode = memo(function OrchestratorNode({ id, data }: NodeProps<FlowNode>) {
  const live = useLive(id, EMPTY);
  return (
    <div className={`flow-node flow-node-orchestrator${live.down ? ' is-degraded' : ''}`} data-testid={`node-${id}`}>
      <Handles />
      <Header data={data} badge={live.down ? <span className="badge badge-bad">down</span> : undefined} />
      <div className="stat-row">
        <Stat label="sagas" value={formatCompact(live.started)} />
        <Stat label="running" value={formatCompact(live.running)} />
        <Stat label="completed" value={formatCompact(live.completed)} tone="ok" testId={`stat-${id}-completed`} />
      </div>
      <div className="stat-row">
        <Stat label="compensated" value={formatCompact(live.compensated)} tone={live.compensated > 0 ? 'warn' : undefined} testId={`stat-${id}-compensated`} />
        <Stat label="stuck" value={formatCompact(live.stuck)} tone={live.stuck > 0 ? 'bad' : undefined} testId={`stat-${id}-stuck`} />
      </div>
      <Breakers id={id} calls={live.calls} />
      <FaultStrip data={data} />
    </div>
  );
});

export const orchestratorApp = defineAppKind<'orchestrator'>({
  Node: OrchestratorNode,
  size: { width: 260, height: 160 },
  detail: (node) => `${node.steps.length} steps${node.persistState ? '' : ', state in memory'}`,
});
