/**
 * The canvas nodes, one memoized component per kind, registered in `nodeTypes` at module scope
 * (a new object per render would make React Flow remount every node). Each node subscribes to its
 * own live state by id, which the controller refreshes a few times a second. Numbers are big:
 * the canvas is read from the back of a room.
 */
import { NodeSparkline } from '../charts/Sparkline';
import { memo } from 'react';
import type { ReactNode } from 'react';
import { Handle, Position } from '@xyflow/react';
import type { Node, NodeProps, NodeTypes } from '@xyflow/react';
import type { NodeKind } from '../../scenario/schema';
import type { CallState, NodeState } from '../../run/types';
import { useApp } from '../store';
import { formatCompact, formatPercent, formatRate } from '../format';

export interface FlowNodeData extends Record<string, unknown> {
  label: string;
  kind: NodeKind;
  /** A short fact from the document shown under the name (exchange type, arrival rate...). */
  detail: string;
  /** Live faults on this node right now (kinds), drawn as a warning strip. */
  faults?: string[];
}

export type FlowNode = Node<FlowNodeData>;

const COUNTS = { received: 0, ok: 0, failed: 0, byStatus: {}, calls: [] };
/** Before the first frame: every kind's state at zero. */
const EMPTY: { [K in NodeKind]: Extract<NodeState, { kind: K }> } = {
  client: { kind: 'client', ...COUNTS },
  gateway: { kind: 'gateway', pending: 0, ...COUNTS },
  service: { kind: 'service', busy: 0, capacity: 0, queued: 0, instancesUp: 0, instances: 0, ...COUNTS },
  exchange: { kind: 'exchange', unroutable: 0, ...COUNTS },
  queue: { kind: 'queue', depth: 0, unacked: 0, deadLettered: 0, dropped: 0, ...COUNTS },
  orchestrator: { kind: 'orchestrator', running: 0, started: 0, completed: 0, compensated: 0, stuck: 0, down: false, ...COUNTS },
};

/** A node's live state, of its kind's shape. */
function useLive<K extends NodeKind>(id: string, kind: K): Extract<NodeState, { kind: K }> {
  const live = useApp((s) => s.nodes[id]);
  return live?.kind === kind ? (live as Extract<NodeState, { kind: K }>) : EMPTY[kind];
}

function useRate(id: string): number {
  return useApp((s) => s.rates[id] ?? 0);
}

function Handles() {
  return (
    <>
      <Handle type="target" position={Position.Left} isConnectable={false} className="node-handle" />
      <Handle type="source" position={Position.Right} isConnectable={false} className="node-handle" />
    </>
  );
}

function Header({ data, badge }: { data: FlowNodeData; badge?: ReactNode }) {
  return (
    <div className="node-header">
      <div className="node-title">
        <span className="node-kind">
          {data.kind}
          {data.detail ? <span className="node-detail"> · {data.detail}</span> : null}
        </span>
        <span className="node-label" title={data.label}>
          {data.label}
        </span>
      </div>
      {badge}
    </div>
  );
}

function Stat({ label, value, tone, testId }: { label: string; value: string; tone?: 'ok' | 'bad' | 'warn' | undefined; testId?: string }) {
  return (
    <div className={`stat${tone ? ` stat-${tone}` : ''}${value.length > 7 ? ' stat-long' : value.length > 5 ? ' stat-wide' : ''}`} data-testid={testId}>
      <span className="stat-value">{value}</span>
      <span className="stat-label">{label}</span>
    </div>
  );
}

function OutcomeRow({ live }: { live: Pick<NodeState, 'ok' | 'failed'> }) {
  const done = live.ok + live.failed;
  const errorShare = done > 0 ? live.failed / done : 0;
  return (
    <div className="stat-row">
      <Stat label="ok" value={formatCompact(live.ok)} tone="ok" />
      <Stat label="failed" value={formatCompact(live.failed)} tone={live.failed > 0 ? 'bad' : undefined} />
      <Stat label="errors" value={formatPercent(live.failed, done)} tone={errorShare >= 0.05 ? 'bad' : errorShare > 0 ? 'warn' : undefined} />
    </div>
  );
}

const BREAKER_WORDS: Record<NonNullable<CallState['breaker']>, string> = { CLOSED: 'closed', OPEN: 'OPEN', HALF_OPEN: 'half-open' };

/**
 * One chip per outbound call that has a breaker: its target and the breaker state, in the state's
 * colour (closed green, open red, half-open amber), with how often it opened.
 */
function Breakers({ id, calls }: { id: string; calls: CallState[] }) {
  const withBreaker = calls.filter((c) => c.breaker !== null);
  if (withBreaker.length === 0) return null;
  return (
    <ul className="breakers" aria-label="Circuit breakers">
      {withBreaker.map((c, i) => (
        <li
          key={`${c.target}-${i}`}
          className={`breaker breaker-${c.breaker}`}
          data-testid={`breaker-${id}-${c.target}`}
          data-state={c.breaker}
          title={`Breaker on the call to ${c.target}: ${c.breaker}. Opened ${c.breakerOpens}×, ${c.shortCircuited} calls short-circuited.`}
        >
          <span className="breaker-dot" aria-hidden="true" />
          <span className="breaker-target">→ {c.target}</span>
          <strong className="breaker-state">{BREAKER_WORDS[c.breaker!]}</strong>
          {c.breakerOpens > 0 ? <span className="breaker-opens">{c.breakerOpens}× opened</span> : null}
        </li>
      ))}
    </ul>
  );
}

/** The live faults acting on a node now, so the audience sees why it misbehaves. */
function FaultStrip({ data }: { data: FlowNodeData }) {
  if (!data.faults || data.faults.length === 0) return null;
  return (
    <div className="node-faults" data-testid="node-faults">
      <span aria-hidden="true">⚡</span> {data.faults.join(', ')}
    </div>
  );
}

const INSTANCE_WORDS: Record<NonNullable<Extract<NodeState, { kind: 'service' }>['instanceStates']>[number], string> = {
  up: 'up and listed',
  down: 'down: connections refused',
  unready: 'failing its readiness probes: out of the registry',
  ejected: 'ejected by outlier detection',
  draining: 'deregistered, finishing its work',
  stopped: 'stopped, restarting',
};

/** One dot per instance, coloured by how its callers see it (shown when some instance is not plainly up). */
function InstanceDots({ id, states }: { id: string; states: Extract<NodeState, { kind: 'service' }>['instanceStates'] }) {
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

const ServiceNode = memo(function ServiceNode({ id, data }: NodeProps<FlowNode>) {
  const live = useLive(id, 'service');
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
      <OutcomeRow live={live} />
      <div className="node-spark" title="requests received per second of simulated time, the last 30">
        <NodeSparkline node={id} metric="received" width={196} height={22} label={`${data.label}: requests per interval`} />
      </div>
      <Breakers id={id} calls={live.calls} />
      <FaultStrip data={data} />
    </div>
  );
});

const ClientNode = memo(function ClientNode({ id, data }: NodeProps<FlowNode>) {
  const live = useLive(id, 'client');
  const rate = useRate(id);
  return (
    <div className="flow-node flow-node-client" data-testid={`node-${id}`}>
      <Handles />
      <Header data={data} />
      <div className="stat-row">
        <Stat label="sent" value={formatCompact(live.received)} testId={`node-${id}-sent`} />
        <Stat label="rate" value={formatRate(rate)} />
      </div>
      <OutcomeRow live={live} />
      <Breakers id={id} calls={live.calls} />
      <FaultStrip data={data} />
    </div>
  );
});

const GatewayNode = memo(function GatewayNode({ id, data }: NodeProps<FlowNode>) {
  const live = useLive(id, 'gateway');
  const rate = useRate(id);
  return (
    <div className="flow-node flow-node-gateway" data-testid={`node-${id}`}>
      <Handles />
      <Header data={data} />
      <div className="stat-row">
        <Stat label="received" value={formatCompact(live.received)} />
        <Stat label="rate" value={formatRate(rate)} />
        <Stat label="routes" value={String(live.calls.length)} />
      </div>
      <OutcomeRow live={live} />
      <div className="stat-row">
        <Stat label="429 limited" value={formatCompact(live.byStatus['429'] ?? 0)} tone={(live.byStatus['429'] ?? 0) > 0 ? 'warn' : undefined} testId={`stat-${id}-429`} />
        <Stat label="401 unauth" value={formatCompact(live.byStatus['401'] ?? 0)} tone={(live.byStatus['401'] ?? 0) > 0 ? 'warn' : undefined} testId={`stat-${id}-401`} />
      </div>
      <Breakers id={id} calls={live.calls} />
      <FaultStrip data={data} />
    </div>
  );
});

const ExchangeNode = memo(function ExchangeNode({ id, data }: NodeProps<FlowNode>) {
  const live = useLive(id, 'exchange');
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

const QueueNode = memo(function QueueNode({ id, data }: NodeProps<FlowNode>) {
  const live = useLive(id, 'queue');
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

/** A saga orchestrator: how its sagas ended so far (model/saga.ts), and how many run now. */
const OrchestratorNode = memo(function OrchestratorNode({ id, data }: NodeProps<FlowNode>) {
  const live = useLive(id, 'orchestrator');
  return (
    <div className={`flow-node flow-node-orchestrator${live.down ? ' is-degraded' : ''}`} data-testid={`node-${id}`}>
      <Handles />
      <Header data={data} badge={live.down ? <span className="badge badge-bad">down</span> : undefined} />
      <div className="stat-row">
        <Stat label="sagas" value={formatCompact(live.started)} />
        <Stat label="running" value={formatCompact(live.running)} />
        <Stat label="completed" value={formatCompact(live.completed)} tone="ok" testId={`stat-${id}-completed`} />
      </div>
      <div className="stat-row">
        <Stat label="compensated" value={formatCompact(live.compensated)} tone={live.compensated > 0 ? 'warn' : undefined} testId={`stat-${id}-compensated`} />
        <Stat label="stuck" value={formatCompact(live.stuck)} tone={live.stuck > 0 ? 'bad' : undefined} testId={`stat-${id}-stuck`} />
      </div>
      <Breakers id={id} calls={live.calls} />
      <FaultStrip data={data} />
    </div>
  );
});

export const nodeTypes: NodeTypes = {
  client: ClientNode,
  gateway: GatewayNode,
  service: ServiceNode,
  exchange: ExchangeNode,
  queue: QueueNode,
  orchestrator: OrchestratorNode,
} satisfies Record<NodeKind, unknown>;
