/**
 * A gateway on the canvas: requests received, routes, outcomes, what its rate limit and auth
 * refused (429s, 401s), and the client-set X-User-Id headers it saw and stripped.
 */
import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import type { NodeState } from '../../run/types';
import { formatCompact, formatRate } from '../format';
import { defineAppKind } from './define';
import type { FlowNode } from './define';
import { Breakers, EMPTY_COUNTS, FaultStrip, Handles, Header, OutcomeRow, PresenterNode, Stat, usePresenterDetail, useLive, useRate } from './shared';
import type { Figure } from './shared';

type GatewayState = Extract<NodeState, { kind: 'gateway' }>;
const EMPTY: GatewayState = { kind: 'gateway', pending: 0, spoofAttempts: 0, spoofStripped: 0, ...EMPTY_COUNTS };
const SIZE = { width: 260, height: 140 };

/** The requests the gateway refused itself: 401 (no valid token) and 429 (over the rate limit). */
export function deniedOf(live: GatewayState): { unauthorized: number; limited: number } {
  return { unauthorized: live.byStatus['401'] ?? 0, limited: live.byStatus['429'] ?? 0 };
}

/**
 * A gateway at the presenter level of detail: allowed (answered ok), denied (401 and 429, its
 * own refusals), then other failures and the spoofed headers stripped when there are any.
 */
export function gatewayFigures(id: string, live: GatewayState): Figure[] {
  const { unauthorized, limited } = deniedOf(live);
  const denied = unauthorized + limited;
  const out: Figure[] = [
    { key: 'allowed', value: formatCompact(live.ok), label: 'allowed', tone: 'ok', title: 'requests answered ok', testId: `fig-${id}-allowed` },
    {
      key: 'denied',
      value: formatCompact(denied),
      label: denied > 0 ? `denied (${formatCompact(unauthorized)}×401, ${formatCompact(limited)}×429)` : 'denied',
      tone: denied > 0 ? 'warn' : undefined,
      title: `refused by the gateway itself: ${unauthorized} × 401 unauthorized, ${limited} × 429 rate-limited`,
      testId: `fig-${id}-denied`,
    },
  ];
  const other = live.failed - denied;
  if (other > 0) out.push({ key: 'failed', value: formatCompact(other), label: 'failed', tone: 'bad', title: 'failed for another reason (upstream error, timeout...)', testId: `fig-${id}-failed` });
  if (live.spoofAttempts > 0) {
    out.push({
      key: 'spoof',
      value: `${formatCompact(live.spoofStripped)}/${formatCompact(live.spoofAttempts)}`,
      label: 'spoofed ids stripped',
      tone: live.spoofStripped < live.spoofAttempts ? 'bad' : 'ok',
      title: 'requests whose client set its own X-User-Id header: stripped by the gateway / attempts',
      testId: `fig-${id}-spoof`,
    });
  }
  return out;
}

const GatewayNode = memo(function GatewayNode({ id, data }: NodeProps<FlowNode>) {
  const live = useLive(id, EMPTY);
  const rate = useRate(id);
  const presenter = usePresenterDetail();
  if (presenter) return <PresenterNode id={id} data={data} size={SIZE} className="flow-node-gateway" figures={gatewayFigures(id, live)} />;
  const { unauthorized, limited } = deniedOf(live);
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
        <Stat label="429 limited" value={formatCompact(limited)} tone={limited > 0 ? 'warn' : undefined} testId={`stat-${id}-429`} />
        <Stat label="401 unauth" value={formatCompact(unauthorized)} tone={unauthorized > 0 ? 'warn' : undefined} testId={`stat-${id}-401`} />
      </div>
      {live.spoofAttempts > 0 ? (
        <div className="stat-row" title="requests whose client set its own X-User-Id header, and how many the gateway stripped">
          <Stat label="spoof attempts" value={formatCompact(live.spoofAttempts)} tone="warn" testId={`stat-${id}-spoof`} n={live.spoofAttempts} />
          <Stat
            label="stripped"
            value={formatCompact(live.spoofStripped)}
            tone={live.spoofStripped < live.spoofAttempts ? 'bad' : 'ok'}
            testId={`stat-${id}-stripped`}
            n={live.spoofStripped}
          />
        </div>
      ) : null}
      <Breakers id={id} calls={live.calls} />
      <FaultStrip data={data} />
    </div>
  );
});

export const gatewayApp = defineAppKind<'gateway'>({
  Node: GatewayNode,
  size: SIZE,
  detail: (node) => (node.rateLimit ? 'rate-limited' : ''),
});
