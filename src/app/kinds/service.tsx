/**
 * A service on the canvas: instances up (each one's state when one is not plainly up), workers
 * busy and requests queued, utilization and the longest waiting line so far, outcomes (for a
 * service that consumes from queues: messages processed, duplicates skipped and duplicate side
 * effects), its breakers.
 */
import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import type { NodeState } from '../../run/types';
import { NodeSparkline } from '../charts/Sparkline';
import { formatCompact } from '../format';
import { defineAppKind } from './define';
import type { FlowNode } from './define';
import { Breakers, EMPTY_COUNTS, FaultStrip, Handles, Header, OutcomeRow, PresenterNode, Stat, usePresenterDetail, useLive } from './shared';
import type { Figure } from './shared';

type ServiceState = Extract<NodeState, { kind: 'service' }>;
const EMPTY: ServiceState = { kind: 'service', busy: 0, capacity: 0, queued: 0, instancesUp: 0, instances: 0, utilization: 0, queueMax: 0, ...EMPTY_COUNTS };
const SIZE = { width: 260, height: 180 };

type Messages = NonNullable<ServiceState['messages']>;

/** What a consuming service did with its messages, as figures: processed, then the duplicates it skipped and the ones it applied again. */
function messageFigures(id: string, m: Messages): Figure[] {
  const skipped: Figure = { key: 'dup-skipped', value: formatCompact(m.duplicatesSkipped), label: 'dups skipped', tone: m.duplicatesSkipped > 0 ? 'ok' : undefined, title: 'deliveries of an event already processed, recognised and skipped', testId: `fig-${id}-dup-skipped` };
  const effects: Figure = { key: 'dup-effects', value: formatCompact(m.duplicateSideEffects), label: 'dup side effects', tone: m.duplicateSideEffects > 0 ? 'bad' : undefined, title: 'deliveries of an event already processed whose side effect happened again', testId: `fig-${id}-dup-effects` };
  return [
    { key: 'processed', value: formatCompact(m.processed), label: 'processed', tone: 'ok', title: 'messages whose side effect happened (duplicates included)', testId: `fig-${id}-processed` },
    // The harm first for a consumer that is not idempotent, what it was spared first for one that is.
    ...(m.idempotent ? [skipped, effects] : [effects, skipped]),
  ];
}

/**
 * A service at the presenter level of detail: ok and failed (a consumer: its messages first),
 * what waits for a worker when something does, utilization; its state badge says how many
 * instances are up.
 */
export function serviceFigures(id: string, live: ServiceState): Figure[] {
  const outcomes: Figure[] = [
    { key: 'ok', value: formatCompact(live.ok), label: 'ok', tone: 'ok', testId: `fig-${id}-ok` },
    { key: 'failed', value: formatCompact(live.failed), label: 'failed', tone: live.failed > 0 ? 'bad' : undefined, testId: `fig-${id}-failed` },
  ];
  const out: Figure[] = live.messages ? [...messageFigures(id, live.messages), ...(live.received > 0 ? outcomes : [])] : outcomes;
  // A state-machine consumer's story is its events out of order; a compensating consumer's, its undos.
  const o = live.ordering;
  if (o) {
    out.unshift(
      { key: 'applied', value: formatCompact(o.applied), label: 'applied', tone: 'ok', title: "events applied in the entity's order", testId: `fig-${id}-applied` },
      { key: 'out-of-order', value: formatCompact(o.outOfOrder), label: 'out of order', tone: o.outOfOrder > 0 ? 'warn' : undefined, title: "events that were not the entity's next", testId: `fig-${id}-outOfOrder` },
    );
  }
  if (live.compensations !== undefined) out.unshift({ key: 'compensations', value: formatCompact(live.compensations), label: 'compensations', tone: live.compensations > 0 ? 'warn' : undefined, title: 'compensating messages processed', testId: `fig-${id}-compensations` });
  if (live.queued > 0) out.push({ key: 'queued', value: formatCompact(live.queued), label: 'queued', tone: 'warn', title: 'requests waiting for a worker', testId: `fig-${id}-queued` });
  out.push({ key: 'util', value: `${Math.round(live.utilization * 100)}%`, label: 'utilization', title: 'worker time used / worker time available, since the run began', testId: `fig-${id}-util` });
  return out;
}

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
  const presenter = usePresenterDetail();
  if (presenter) {
    const badge =
      live.instances > 1 || down ? (
        <span className={`badge${down ? ' badge-bad' : ''}`} title="instances up / instances">
          {live.instancesUp}/{live.instances} up
        </span>
      ) : undefined;
    return <PresenterNode id={id} data={data} size={SIZE} className="flow-node-service" badge={badge} degraded={down} figures={serviceFigures(id, live)} />;
  }
  const messages = live.messages;
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
        <span className="busy-more" data-testid={`stat-${id}-util`} data-value={live.utilization} title="utilization: worker time used / worker time available, since the run began">
          {Math.round(live.utilization * 100)}% utilization
        </span>
        <span className="busy-more queue-max" data-testid={`stat-${id}-queue-max`} data-value={live.queueMax} title="the longest waiting line for a worker so far (one instance's)">
          queue max {formatCompact(live.queueMax)}
        </span>
      </div>
      <InstanceDots id={id} states={live.instanceStates} />
      <OrderingRow id={id} ordering={live.ordering} />
      {live.compensations !== undefined && (
        <div className="stat-row" title="compensating messages processed (choreography: undoing a step for a failed saga)">
          <Stat label="compensations" value={formatCompact(live.compensations)} tone={live.compensations > 0 ? 'warn' : undefined} testId={`stat-${id}-compensations`} />
        </div>
      )}
      {messages ? (
        <div className="stat-row" title={messages.idempotent ? 'an idempotent consumer: it keeps the eventIds it processed and skips a repeat' : 'not idempotent: a repeated event is processed again'}>
          <Stat label="processed" value={formatCompact(messages.processed)} tone="ok" testId={`stat-${id}-processed`} n={messages.processed} />
          <Stat label="dups skipped" value={formatCompact(messages.duplicatesSkipped)} tone={messages.duplicatesSkipped > 0 ? 'ok' : undefined} testId={`stat-${id}-dup-skipped`} n={messages.duplicatesSkipped} />
          <Stat label="dup side effects" value={formatCompact(messages.duplicateSideEffects)} tone={messages.duplicateSideEffects > 0 ? 'bad' : undefined} testId={`stat-${id}-dup-effects`} n={messages.duplicateSideEffects} />
        </div>
      ) : null}
      {/* A service that only consumes answers no requests: its ok / failed row would say 0. */}
      {messages && live.received === 0 ? null : <OutcomeRow live={live} id={id} />}
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
  size: SIZE,
  detail: (node) => {
    const idempotent = node.consumes.filter((c) => c.idempotent).length;
    if (node.consumes.length === 0) return '';
    return idempotent === node.consumes.length ? 'idempotent consumer' : idempotent === 0 ? 'consumer, not idempotent' : `consumer, ${idempotent} of ${node.consumes.length} idempotent`;
  },
});
