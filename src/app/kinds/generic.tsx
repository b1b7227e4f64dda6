/**
 * The node of a kind the app has no entry for (a kind defined outside the built-in list): the
 * header, what it received and the outcomes, whatever the shape of its live state, so a document
 * using it still opens and plays.
 */
import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import { formatCompact, formatRate } from '../format';
import type { AppKind, FlowNode } from './define';
import { FaultStrip, Handles, Header, OutcomeRow, PresenterNode, Stat, usePresenterDetail, useAnyLive, useRate } from './shared';

const SIZE = { width: 260, height: 140 };

const GenericNode = memo(function GenericNode({ id, data }: NodeProps<FlowNode>) {
  const live = useAnyLive(id);
  const rate = useRate(id);
  const presenter = usePresenterDetail();
  if (presenter) {
    const ok = live?.ok ?? 0;
    const failed = live?.failed ?? 0;
    const figures = [
      { key: 'ok', value: formatCompact(ok), label: 'ok', tone: 'ok' as const, testId: `fig-${id}-ok` },
      { key: 'failed', value: formatCompact(failed), label: 'failed', tone: failed > 0 ? ('bad' as const) : undefined, testId: `fig-${id}-failed` },
    ];
    return <PresenterNode id={id} data={data} size={SIZE} className="flow-node-generic" figures={figures} />;
  }
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
  size: SIZE,
  detail: () => '',
};
