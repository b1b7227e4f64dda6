/** A queue on the canvas: depth, unacked, in; acked, dead-lettered, dropped. */
import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import type { NodeState } from '../../run/types';
import { formatCompact } from '../format';
import { defineAppKind } from './define';
import type { FlowNode } from './define';
import { EMPTY_COUNTS, FaultStrip, Handles, Header, Stat, useLive } from './shared';

const EMPTY: Extract<NodeState, { kind: 'queue' }> = { kind: 'queue', depth: 0, unacked: 0, deadLettered: 0, dropped: 0, ...EMPTY_COUNTS };

const QueueNode = memo(function QueueNode({ id, data }: NodeProps<FlowNode>) {
  const live = useLive(id, EMPTY);
  return (
    <div className="flow-node flow-node-queue" data-testid={`node-${id}`}>
      <Handles />
      <Header data={data} />
      <div className="stat-row">
        <Stat label="depth" value={formatCompact(live.depth)} tone={live.depth > 0 ? 'warn' : undefined} testId={`stat-${id}-depth`} />
        <Stat label="unacked" value={formatCompact(live.unacked)} />
        <Stat label="in" value={formatCompact(live.received)} />
      </div>
      <div className="stat-row">
        <Stat label="acked" value={formatCompact(live.ok)} tone="ok" />
        <Stat
          label="dead-lettered"
          value={formatCompact(live.deadLettered)}
          tone={live.deadLettered > 0 ? 'bad' : undefined}
          testId={`stat-${id}-dlq`}
        />
        {live.dropped > 0 ? <Stat label="dropped" value={formatCompact(live.dropped)} tone="bad" /> : null}
      </div>
      <FaultStrip data={data} />
    </div>
  );
});

export const queueApp = defineAppKind<'queue'>({
  Node: QueueNode,
  size: { width: 260, height: 140 },
  detail: (node) => (node.maxLength !== null ? `max ${node.maxLength}` : ''),
});
