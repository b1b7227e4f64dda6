/**
 * The node of a kind the app has no entry for (a kind defined outside the built-in list): the
 * header, what it received and the outcomes, whatever the shape of its live state, so a document
 * using it still opens and plays.
 */
import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import { formatCompact, formatRate } from '../format';
import type { AppKind, FlowNode } from './define';
import { FaultStrip, Handles, Header, OutcomeRow, Stat, useAnyLive, useRate } from './shared';

const GenericNode = memo(function GenericNode({ id, data }: NodeProps<FlowNode>) {
  const live = useAnyLive(id);
  const rate = useRate(id);
  return (
    <div className="flow-node flow-node-generic" data-testid={`node-${id}`}>
      <Handles />
      <Header data={data} />
      <div className="stat-row">
        <Stat label="received" value={formatCompact(live?.received ?? 0)} />
        <Stat label="rate" value={formatRate(rate)} />
      </div>
      <OutcomeRow live={live ?? { ok: 0, failed: 0 }} id={id} />
      <FaultStrip data={data} />
    </div>
  );
});

export const genericApp: AppKind = {
  Node: GenericNode,
  size: { width: 260, height: 140 },
  detail: () => '',
};
