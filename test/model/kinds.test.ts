/**
 * A kind is one entry per layer: this file defines a whole new kind — an "echo" endpoint that
 * answers every request after a fixed delay, and can be made to fail — through the public
 * registration API only (defineKind for the document, defineModelKind for the model), and runs a
 * scenario with it. Nothing in src/ knows the kind.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { builtinKinds, defineKind, kindSet, label, nodeId, validateScenario } from '../../src/scenario';
import { scenarioEdges } from '../../src/scenario/graph';
import { faultKindsFor } from '../../src/scenario/faultTargets';
import { Reason, defineModelKind } from '../../src/model';
import type { ActiveFault, Attempt, Callee, NodeModel, World } from '../../src/model';
import { createRun } from '../../src/run';

const EchoSchema = z.strictObject({
  id: nodeId,
  kind: z.literal('echo'),
  label,
  delayMs: z.number().nonnegative().default(5),
});
type EchoNode = z.output<typeof EchoSchema>;

const echoKind = defineKind({
  kind: 'echo',
  schema: EchoSchema,
  callable: true,
  faults: { error: 'node', partition: 'hops' },
  refs: () => [],
});

class Echo implements NodeModel, Callee {
  readonly kind = 'echo';
  readonly callee = this;
  private received = 0;
  private answered = 0;
  private failing: ActiveFault[] = [];
  private readonly reply;

  constructor(
    private readonly world: World,
    readonly index: number,
    private readonly spec: EchoNode,
  ) {
    this.reply = world.kernel.register(`${spec.id}.reply`, (a: Attempt) => {
      this.answered++;
      const failing = this.failing.length > 0;
      world.net.sendResponse(a, failing ? 500 : 200, failing ? Reason.status : Reason.ok);
    });
  }

  get id(): string {
    return this.spec.id;
  }

  onArrive(a: Attempt): void {
    this.received++;
    this.world.kernel.schedule(this.spec.delayMs, this.reply, a);
  }

  applyFault(f: ActiveFault, on: boolean): void {
    this.failing = on ? [...this.failing, f] : this.failing.filter((x) => x !== f);
  }

  live() {
    return { kind: this.kind, received: this.received, ok: this.answered, failed: 0, byStatus: {}, calls: [] };
  }

  summary() {
    return { kind: this.kind, received: this.received, answered: this.answered };
  }
}

const echoModel = defineModelKind<EchoNode>({ kind: 'echo', create: (ctx, i, spec) => new Echo(ctx.world, i, spec) });
const kinds = kindSet([...builtinKinds, echoKind]);

const doc = {
  format: 'faultline/1',
  name: 'echo',
  durationMs: 10_000,
  nodes: [
    { id: 'users', kind: 'client', target: 'echo', arrival: { type: 'constant', ratePerSec: 10 } },
    { id: 'echo', kind: 'echo', delayMs: 20 },
  ],
  faults: [{ atMs: 5_000, untilMs: 6_000, target: 'echo', kind: 'error' }],
};

describe('a kind defined outside, through the registration API only', () => {
  it('validates: its schema applies its defaults, a client may target it, and its fault table is checked', () => {
    const ok = validateScenario(doc, kinds);
    expect(ok.ok).toBe(true);
    if (!ok.ok) return;
    expect(ok.scenario.nodes[1]).toEqual({ id: 'echo', kind: 'echo', delayMs: 20 });

    const crash = validateScenario({ ...doc, faults: [{ atMs: 0, target: 'echo', kind: 'crash' }] }, kinds);
    expect(crash.ok).toBe(false);
    if (!crash.ok) expect(crash.problems).toContainEqual({ path: 'faults[0].kind', message: 'a echo cannot suffer a crash fault — it takes error, partition' });

    const bad = validateScenario({ ...doc, nodes: [doc.nodes[0], { id: 'echo', kind: 'echo', delayMs: -1 }] }, kinds);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems.map((p) => p.path)).toContain('nodes[1].delayMs');
  });

  it('is unknown to the built-in set', () => {
    const result = validateScenario(doc);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]!.path).toBe('nodes[1].kind');
  });

  it('draws its edges and offers its faults', () => {
    const scenario = validateScenario(doc, kinds);
    if (!scenario.ok) throw new Error('invalid');
    expect(scenarioEdges(scenario.scenario, kinds).map((e) => e.id)).toEqual(['request:users->echo']);
    expect(faultKindsFor(kinds, scenario.scenario.nodes, 'echo')).toEqual(['error', 'partition']);
  });

  it('runs: requests are answered by it, its own fault fails them, and the accounting balances', () => {
    const result = validateScenario(doc, kinds);
    if (!result.ok) throw new Error('invalid');
    const run = createRun(result.scenario, { kinds, models: [echoModel] });
    run.runToEnd();
    const s = run.summary();
    expect(s.invariants).toEqual({ ok: true, violations: [] });
    // Sent every 100 ms from 0 to 10 s inclusive; the last is still on the wire at the end.
    expect(s.requests.sent).toBe(101);
    expect(s.requests.inFlight).toBe(1);
    // An answer leaves 21 ms after its request (1 ms hop + 20 ms): those leaving between 5 s and
    // 6 s, the requests sent at 5.0 … 5.9 s, carry the fault's 500.
    expect(s.requests.byStatus).toEqual({ '200': 90, '500': 10 });
    expect(s.nodes.echo).toEqual({ kind: 'echo', received: 100, answered: 100 });
    expect(run.nodeStates().echo!.kind).toBe('echo');
  });
});
