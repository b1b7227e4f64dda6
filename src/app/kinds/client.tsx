/** A client on the canvas: requests sent and the rate, their outcomes, its breakers. */
import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import type { NodeState } from '../../run/types';
import { formatCompact, formatRate } from '../format';
import { defineAppKind } from './define';
import type { FlowNode } from './define';
import { Breakers, EMPTY_COUNTS, FaultStrip, Handles, Header, OutcomeRow, Stat, useLive, useRate } from './shared';

const EMPTY: Extract<NodeState, { kind: 'client' }> = { kind: 'client', ...EMPTY_COUNTS };

const ClientNode = memo(function ClientNode({ id, data }: NodeProps<FlowNode>) {
  const live = useLive(id, EMPTY);
  const rate = useRate(id);
  return (
    <div className="flow-node flow-node-client" data-testid={`node-${id}`}>
      <Handles />
      <Header data={data} />
      <div className="stat-row">
        <Stat label="sent" value={formatCompact(live.received)} testId={`node-${id}-sent`} />
        <Stat label="rate" value={formatRate(rate)} />
      </div>
      <OutcomeRow live={live} id={id} />
      <Breakers id={id} calls={live.calls} />
      <FaultStrip data={data} />
    </div>
  );
});

export const clientApp = defineAppKind<'client'>({
  Node: ClientNode,
  size: { width: 260, height: 140 },
  detail: ({ arrival: a }) =>
    a.type === 'closed' ? `${a.users} users` : a.type === 'script' ? `${a.atMs.length} scripted` : `${formatRate(a.ratePerSec)} ${a.type}`,
});
