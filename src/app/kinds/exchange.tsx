/** An exchange on the canvas: messages published, the rate, what could not be routed. */
import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import type { NodeState } from '../../run/types';
import { formatCompact, formatRate } from '../format';
import { defineAppKind } from './define';
import type { FlowNode } from './define';
import { EMPTY_COUNTS, Handles, Header, PresenterNode, Stat, usePresenterDetail, useLive, useRate } from './shared';
import type { Figure } from './shared';

type ExchangeState = Extract<NodeState, { kind: 'exchange' }>;
const EMPTY: ExchangeState = { kind: 'exchange', unroutable: 0, ...EMPTY_COUNTS };
const SIZE = { width: 200, height: 100 };

/** An exchange at the presenter level of detail: what could not be routed (when some could not), what was published. */
export function exchangeFigures(id: string, live: ExchangeState): Figure[] {
  const published: Figure = { key: 'published', value: formatCompact(live.received), label: 'published', testId: `fig-${id}-published` };
  return live.unroutable > 0 ? [{ key: 'unroutable', value: formatCompact(live.unroutable), label: 'unroutable', tone: 'bad', testId: `fig-${id}-unroutable` }, published] : [published];
}

const ExchangeNode = memo(function ExchangeNode({ id, data }: NodeProps<FlowNode>) {
  const live = useLive(id, EMPTY);
  const rate = useRate(id);
  const presenter = usePresenterDetail();
  if (presenter) return <PresenterNode id={id} data={data} size={SIZE} className="flow-node-exchange" figures={exchangeFigures(id, live)} />;
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
  size: SIZE,
  detail: (node) => node.type,
});
