/** A saga orchestrator on the canvas: its sagas so far (started, running, completed, compensated, stuck), its step calls' breakers. */
import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import type { NodeState } from '../../run/types';
import { formatCompact } from '../format';
import { defineAppKind } from './define';
import type { FlowNode } from './define';
import { Breakers, EMPTY_COUNTS, FaultStrip, Handles, Header, PresenterNode, Stat, usePresenterDetail, useLive } from './shared';
import type { Figure } from './shared';

type OrchestratorState = Extract<NodeState, { kind: 'orchestrator' }>;
const SIZE = { width: 260, height: 160 };

/** An orchestrator at the presenter level of detail: sagas completed, compensated, stuck. */
export function orchestratorFigures(id: string, live: OrchestratorState): Figure[] {
  return [
    { key: 'completed', value: formatCompact(live.completed), label: 'completed', tone: 'ok', testId: `fig-${id}-completed` },
    { key: 'compensated', value: formatCompact(live.compensated), label: 'compensated', tone: live.compensated > 0 ? 'warn' : undefined, testId: `fig-${id}-compensated` },
    { key: 'stuck', value: formatCompact(live.stuck), label: 'stuck', tone: live.stuck > 0 ? 'bad' : undefined, testId: `fig-${id}-stuck` },
    { key: 'running', value: formatCompact(live.running), label: 'running', testId: `fig-${id}-running` },
  ];
}

const EMPTY: OrchestratorState = { kind: 'orchestrator', running: 0, started: 0, completed: 0, compensated: 0, stuck: 0, down: false, ...EMPTY_COUNTS };

const OrchestratorNode = memo(function OrchestratorNode({ id, data }: NodeProps<FlowNode>) {
  const live = useLive(id, EMPTY);
  const presenter = usePresenterDetail();
  const badge = live.down ? <span className="badge badge-bad">down</span> : undefined;
  if (presenter) return <PresenterNode id={id} data={data} size={SIZE} className="flow-node-orchestrator" badge={badge} degraded={live.down} figures={orchestratorFigures(id, live)} />;
  return (
    <div className={`flow-node flow-node-orchestrator${live.down ? ' is-degraded' : ''}`} data-testid={`node-${id}`}>
      <Handles />
      <Header data={data} badge={badge} />
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
  size: SIZE,
  detail: (node) => `${node.steps.length} steps${node.persistState ? '' : ', state in memory'}`,
});
