/**
 * The scenario on an @xyflow/react canvas: nodes by kind, edges by what travels them, and the
 * particle layer on top. Nodes can be dragged (the dots follow); the graph is rebuilt and the
 * view refitted whenever another document is loaded.
 */
import { useCallback, useMemo, useState } from 'react';
import { Background, Controls, MarkerType, ReactFlow, ReactFlowProvider, applyNodeChanges } from '@xyflow/react';
import type { Edge, NodeChange } from '@xyflow/react';
import type { Scenario } from '../../scenario/schema';
import type { Topology } from '../../run/topology';
import type { SimulationController } from '../simulation';
import { useApp } from '../store';
import { formatRate } from '../format';
import { nodeTypes } from './nodes';
import type { FlowNode } from './nodes';
import { ParticleLayer } from './ParticleLayer';
import { Legend } from './Legend';

export function FlowCanvas({ controller }: { controller: SimulationController }) {
  const topology = useApp((s) => s.topology);
  const scenario = useApp((s) => s.scenario);
  const loadCount = useApp((s) => s.loadCount);
  return (
    <section className="canvas-wrap" aria-label="Scenario canvas">
      {topology && scenario ? (
        <ReactFlowProvider key={loadCount}>
          <Flow topology={topology} scenario={scenario} />
          <ParticleLayer controller={controller} topology={topology} />
        </ReactFlowProvider>
      ) : (
        <p className="canvas-empty">Loading the scenario…</p>
      )}
      <Legend />
    </section>
  );
}

function Flow({ topology, scenario }: { topology: Topology; scenario: Scenario }) {
  const [nodes, setNodes] = useState<FlowNode[]>(() => flowNodes(topology, scenario));
  const edges = useMemo(() => flowEdges(topology), [topology]);
  const onNodesChange = useCallback((changes: NodeChange<FlowNode>[]) => setNodes((ns) => applyNodeChanges(changes, ns)), []);
  return (
    <ReactFlow<FlowNode>
      nodes={nodes}
      edges={edges}
      onNodesChange={onNodesChange}
      nodeTypes={nodeTypes}
      nodesConnectable={false}
      edgesFocusable={false}
      fitView
      fitViewOptions={{ padding: 0.12, maxZoom: 1.6 }}
      minZoom={0.2}
      maxZoom={3}
      colorMode="system"
      aria-label="Services and the messages between them"
    >
      <Background gap={24} size={1.5} />
      <Controls position="top-left" showInteractive={false} />
    </ReactFlow>
  );
}

function flowNodes(topology: Topology, scenario: Scenario): FlowNode[] {
  const specs = new Map(scenario.nodes.map((n) => [n.id, n]));
  return topology.nodes.map((n) => {
    const spec = specs.get(n.id);
    let detail = '';
    if (spec?.kind === 'client') {
      const a = spec.arrival;
      detail = a.type === 'closed' ? `${a.users} users` : a.type === 'script' ? `${a.atMs.length} scripted` : `${formatRate(a.ratePerSec)} ${a.type}`;
    } else if (spec?.kind === 'exchange') detail = spec.type;
    else if (spec?.kind === 'gateway' && spec.rateLimit) detail = 'rate-limited';
    else if (spec?.kind === 'queue' && spec.maxLength !== null) detail = `max ${spec.maxLength}`;
    return {
      id: n.id,
      type: n.kind,
      position: n.position,
      data: { label: n.label, kind: n.kind, detail },
      // Screen readers get the name; the box itself is not a control.
      ariaLabel: `${n.kind} ${n.label}`,
    };
  });
}

function flowEdges(topology: Topology): Edge[] {
  return topology.edges.map((e) => ({
    id: e.id,
    source: e.source,
    target: e.target,
    type: 'straight',
    className: `edge-${e.kind}`,
    label: e.label || undefined,
    markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18 },
    selectable: false,
  }));
}
