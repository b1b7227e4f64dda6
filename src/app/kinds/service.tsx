/** A service on the canvas: instances up (each one's state when one is not plainly up), workers busy and requests queued, outcomes, its breakers. */
import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import type { NodeState } from '../../run/types';
import { NodeSparkline } from '../charts/Sparkline';
import { formatCompact } from '../format';
import { defineAppKind } from './define';
import type { FlowNode } from './define';
import { Breakers, EMPTY_COUNTS, FaultStrip, Handles, Header, OutcomeRow, Stat, useLive } from './shared';

const EMPTY: Extract<NodeState, { kind: 'service' }> = { kind: 'service', busy: 0, capacity: 0, queued: 0, instancesUp: 0, instances: 0, ...EMPTY_COUNTS };

type InstanceStates = Extract<NodeState, { kind: 'service' }>['instanceStates'];

const INSTANCE_WORDS: Record<NonNullable<InstanceStates>[number], string> = {
  up: 'up and listed',
  down: 'down: connections refused',
  unready: 'failing its readiness probes: out of the registry',
  ejected: 'ejected by outlier detection',
  draining: 'deregistered, finishing its work',
  stopped: 'stopped, restarting',
};

/** One dot per instance, coloured by how its callers see it (shown when some instance is not plainly up). */
function InstanceDots({ id, states }: { id: string; states: InstanceStates }) {
  if (!states || states.length < 2 || states.every((s) => s === 'up')) return null;
  return (
    <ul className="instance-dots" aria-label="Instances" data-testid={`instances-${id}`}>
      {states.map((s, i) => (
        <li key={i} className={`instance-dot instance-${s}`} title={`instance ${i}: ${INSTANCE_WORDS[s]}`} data-state={s}>
          {i}
        </li>
      ))}
    </ul>
  );
}

type Ordering = Extract<NodeState, { kind: 'service' }>['ordering'];

/** A state-machine consumer's counts: events applied, out of order, and what became of those (rejected, parked, stale and ignored). */
function OrderingRow({ id, ordering }: { id: string; ordering: Ordering }) {
  if (!ordering) return null;
  const o = ordering;
  const handled = o.rejected > 0 ? ['rejected', o.rejected] : o.parked > 0 ? ['parked', o.parked] : ['stale', o.staleIgnored];
  return (
    <div className="stat-row" data-testid={`ordering-${id}`} title="state machine: events applied; out of order (not the entity's next event); rejected, parked or ignored as stale">
      <Stat label="applied" value={formatCompact(o.applied)} tone="ok" testId={`stat-${id}-applied`} />
      <Stat label="out of order" value={formatCompact(o.outOfOrder)} tone={o.outOfOrder > 0 ? 'warn' : undefined} testId={`stat-${id}-outOfOrder`} />
      <Stat label={handled[0] as string} value={formatCompact(handled[1] as number)} tone={o.rejected > 0 ? 'bad' : undefined} testId={`stat-${id}-${handled[0] as string}`} />
    </div>
  );
}

const ServiceNode = memo(function ServiceNode({ id, data }: NodeProps<FlowNode>) {
  const live = useLive(id, EMPTY);
  const share = live.capacity > 0 ? live.busy / live.capacity : 0;
  const down = live.instancesUp < live.instances;
  return (
    <div className={`flow-node flow-node-service${down ? ' is-degraded' : ''}`} data-testid={`node-${id}`}>
      <Handles />
      <Header
        data={data}
        badge={
          <span className={`badge${down ? ' badge-bad' : ''}`} title="instances up / instances">
            {live.instancesUp}/{live.instances} up
          </span>
        }
      />
      <div className="busy" title="workers busy / workers">
        <div className="busy-bar" role="meter" aria-label={`${data.label} workers busy`} aria-valuemin={0} aria-valuemax={live.capacity} aria-valuenow={live.busy}>
          <div className={`busy-fill${share >= 0.9 ? ' is-hot' : share >= 0.6 ? ' is-warm' : ''}`} style={{ width: `${Math.round(share * 100)}%` }} />
        </div>
        <span className="busy-text">
          <strong>{live.busy}</strong>/{live.capacity} busy
        </span>
        <span className={`queued${live.queued > 0 ? ' has-queue' : ''}`}>
          <strong>{formatCompact(live.queued)}</strong> queued
        </span>
      </div>
      <InstanceDots id={id} states={live.instanceStates} />
      <OrderingRow id={id} ordering={live.ordering} />
      {live.compensations !== undefined && (
        <div className="stat-row" title="compensating messages processed (choreography: undoing a step for a failed saga)">
          <Stat label="compensations" value={formatCompact(live.compensations)} tone={live.compensations > 0 ? 'warn' : undefined} testId={`stat-${id}-compensations`} />
        </div>
      )}
      <OutcomeRow live={live} id={id} />
      <div className="node-spark" title="requests received per second of simulated time, the last 30">
        <NodeSparkline node={id} metric="received" width={196} height={22} label={`${data.label}: requests per interval`} />
      </div>
      <Breakers id={id} calls={live.calls} />
      <FaultStrip data={data} />
    </div>
  );
});

export const serviceApp = defineAppKind<'service'>({
  Node: ServiceNode,
  size: { width: 260, height: 180 },
  detail: () => '',
});
