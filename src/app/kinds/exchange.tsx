/** An exchange on the canvas: messages published, the rate, what could not be routed. */
import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import type { NodeState } from '../../run/types';
import { formatCompact, formatRate } from '../format';
import { defineAppKind } from './define';
import type { FlowNode } from './define';
import { EMPTY_COUNTS, Handles, Header, Stat, useLive, useRate } from './shared';

const EMPTY: Extract<NodeState, { kind: 'exchange' }> = { kind: 'exchange', unroutable: 0, ...EMPTY_COUNTS };

const ExchangeNode = memo(function ExchangeNode({ id, data }: NodeProps<FlowNode>) {
  const live = useLive(id, EMPTY);
  const rate = useRate(id);
  return (
    <div className="flow-node flow-node-exchange" data-testid={`node-${id}`}>
      <Handles />
      {/* The type reads in the kind line ("exchange · topic"), leaving the name its room. */}
      <Header data={data} />
      <div className="stat-row">
        <Stat label="published" value={formatCompact(live.received)} />
        <Stat label="rate" value={formatRate(rate)} />
        {live.unroutable > 0 ? <Stat label="unroutable" value={formatCompact(live.unroutable)} tone="bad" /> : null}
      </div>
    </div>
  );
});

export const exchangeApp = defineAppKind<'exchange'>({
  Node: ExchangeNode,
  size: { width: 200, height: 100 },
  detail: (node) => node.type,
});
