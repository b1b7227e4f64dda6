/** A queue on the canvas: depth, unacked, in; acked, dead-lettered, dropped. */
import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import type { NodeState } from '../../run/types';
import { formatCompact } from '../format';
import { defineAppKind } from './define';
import type { FlowNode } from './define';
import { EMPTY_COUNTS, FaultStrip, Handles, Header, PresenterNode, Stat, usePresenterDetail, useLive } from './shared';
import type { Figure } from './shared';

type QueueState = Extract<NodeState, { kind: 'queue' }>;
const EMPTY: QueueState = { kind: 'queue', depth: 0, unacked: 0, deadLettered: 0, dropped: 0, ...EMPTY_COUNTS };
const SIZE = { width: 260, height: 140 };

/** A queue at the presenter level of detail: its depth, what was acked, what was dead-lettered or dropped. */
export function queueFigures(id: string, live: QueueState): Figure[] {
  const out: Figure[] = [
    { key: 'depth', value: formatCompact(live.depth), label: 'depth', tone: live.depth > 0 ? 'warn' : undefined, title: 'messages ready in the queue', testId: `fig-${id}-depth` },
    { key: 'acked', value: formatCompact(live.ok), label: 'acked', tone: 'ok', testId: `fig-${id}-acked` },
  ];
  if (live.deadLettered > 0) out.push({ key: 'dlq', value: formatCompact(live.deadLettered), label: 'dead-lettered', tone: 'bad', testId: `fig-${id}-dlq` });
  if (live.dropped > 0) out.push({ key: 'dropped', value: formatCompact(live.dropped), label: 'dropped', tone: 'bad', testId: `fig-${id}-dropped` });
  return out;
}

const QueueNode = memo(function QueueNode({ id, data }: NodeProps<FlowNode>) {
  const live = useLive(id, EMPTY);
  const presenter = usePresenterDetail();
  if (presenter) return <PresenterNode id={id} data={data} size={SIZE} className="flow-node-queue" figures={queueFigures(id, live)} />;
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
  size: SIZE,
  detail: (node) => (node.maxLength !== null ? `max ${node.maxLength}` : ''),
});
