/** A gateway on the canvas: requests received, routes, outcomes, what its rate limit and auth refused. */
import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import type { NodeState } from '../../run/types';
import { formatCompact, formatRate } from '../format';
import { defineAppKind } from './define';
import type { FlowNode } from './define';
import { Breakers, EMPTY_COUNTS, FaultStrip, Handles, Header, OutcomeRow, Stat, useLive, useRate } from './shared';

const EMPTY: Extract<NodeState, { kind: 'gateway' }> = { kind: 'gateway', pending: 0, ...EMPTY_COUNTS };

const GatewayNode = memo(function GatewayNode({ id, data }: NodeProps<FlowNode>) {
  const live = useLive(id, EMPTY);
  const rate = useRate(id);
  return (
    <div className="flow-node flow-node-gateway" data-testid={`node-${id}`}>
      <Handles />
      <Header data={data} />
      <div className="stat-row">
        <Stat label="received" value={formatCompact(live.received)} />
        <Stat label="rate" value={formatRate(rate)} />
        <Stat label="routes" value={String(live.calls.length)} />
      </div>
      <OutcomeRow live={live} id={id} />
      <div className="stat-row">
        <Stat label="429 limited" value={formatCompact(live.byStatus['429'] ?? 0)} tone={(live.byStatus['429'] ?? 0) > 0 ? 'warn' : undefined} testId={`stat-${id}-429`} />
        <Stat label="401 unauth" value={formatCompact(live.byStatus['401'] ?? 0)} tone={(live.byStatus['401'] ?? 0) > 0 ? 'warn' : undefined} testId={`stat-${id}-401`} />
      </div>
      <Breakers id={id} calls={live.calls} />
      <FaultStrip data={data} />
    </div>
  );
});

export const gatewayApp = defineAppKind<'gateway'>({
  Node: GatewayNode,
  size: { width: 260, height: 140 },
  detail: (node) => (node.rateLimit ? 'rate-limited' : ''),
});
