/** A client on the canvas: requests sent and the rate, their outcomes, its breakers. */
import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import type { NodeState } from '../../run/types';
import { formatCompact, formatRate } from '../format';
import { defineAppKind } from './define';
import type { FlowNode } from './define';
import { Breakers, EMPTY_COUNTS, FaultStrip, Handles, Header, OutcomeRow, PresenterNode, Stat, usePresenterDetail, useLive, useRate } from './shared';
import type { Figure } from './shared';

type ClientState = Extract<NodeState, { kind: 'client' }>;
const EMPTY: ClientState = { kind: 'client', ...EMPTY_COUNTS };
const SIZE = { width: 260, height: 140 };

/** A client at the presenter level of detail: the rate it sends at, then how its requests ended. */
export function clientFigures(id: string, live: ClientState, rate: number): Figure[] {
  return [
    { key: 'rate', value: formatRate(rate), label: 'sent', title: 'requests sent per second of simulated time', testId: `fig-${id}-rate` },
    { key: 'ok', value: formatCompact(live.ok), label: 'ok', tone: 'ok', testId: `fig-${id}-ok` },
    { key: 'failed', value: formatCompact(live.failed), label: 'failed', tone: live.failed > 0 ? 'bad' : undefined, testId: `fig-${id}-failed` },
  ];
}

const ClientNode = memo(function ClientNode({ id, data }: NodeProps<FlowNode>) {
  const live = useLive(id, EMPTY);
  const rate = useRate(id);
  const presenter = usePresenterDetail();
  if (presenter) return <PresenterNode id={id} data={data} size={SIZE} className="flow-node-client" figures={clientFigures(id, live, rate)} />;
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
  size: SIZE,
  detail: ({ arrival: a }) =>
    a.type === 'closed' ? `${a.users} users` : a.type === 'script' ? `${a.atMs.length} scripted` : `${formatRate(a.ratePerSec)} ${a.type}`,
});
