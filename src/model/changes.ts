/**
 * Timed changes (a fork at a moment): each change of the document's `changes` is an event at its
 * `atMs` that sets one live setting on the built model, logged as `change.apply`. What can change
 * live, and why the rest cannot, is decided in scenario/changes.ts; this file only applies it.
 * Before `atMs` a run with changes does exactly what the original does: the change events draw
 * nothing and touch nothing until they fire.
 */
import type { LiveChange } from '../scenario/changes';
import { LogKind } from './events';
import { faultTimelineOf } from './faults';
import type { CallSite } from './callsite';
import type { Client } from './client';
import type { Gateway } from './gateway/gateway';
import type { Service } from './service';
import type { World } from './world';

/** Schedules every change on the world's kernel (after the nodes are built and started). */
export function scheduleChanges(world: World, changes: readonly LiveChange[]): void {
  if (changes.length === 0) return;
  const order = new Map<number, number>();
  const type = world.kernel.register('change.apply', (c: LiveChange & { slot: number }) => applyChange(world, c, c.slot));
  for (const c of changes) {
    const slot = order.get(c.change) ?? 0;
    order.set(c.change, slot + 1);
    world.kernel.at(c.atMs, type, { ...c, slot });
  }
}

function applyChange(world: World, c: LiveChange, slot: number): void {
  const s = c.setting;
  let node = 0;
  switch (s.target) {
    case 'service':
      (world.nodes[s.node] as unknown as Service).setLive(s.key, c.value);
      node = s.node;
      break;
    case 'arrival':
      (world.nodes[s.node] as unknown as Client).setRate(c.value as number);
      node = s.node;
      break;
    case 'policy':
      siteOf(world, s.node, s.site).setLive(s.key, c.value);
      node = s.node;
      break;
    case 'fault': {
      const timeline = faultTimelineOf(world);
      if (!timeline) throw new Error(`changes[${c.change}]: the run has no fault timeline`);
      timeline.setLive(s.fault, s.key, c.value);
      const target = world.scenario.faults[s.fault]!.target;
      node = world.indexOf(target.includes('->') ? target.split('->')[0]! : target);
      break;
    }
  }
  world.log.emit(world.now, LogKind.changeApply, node, c.change, slot);
}

/** The call site a policy change names: a client's own, a gateway route's, a service call's. */
function siteOf(world: World, node: number, site: number): CallSite {
  const n = world.nodes[node]!;
  switch (n.kind) {
    case 'client':
      return (n as unknown as Client).callSite();
    case 'gateway':
      return (n as unknown as Gateway).routeSite(site);
    default:
      return (n as unknown as Service).callSite(site);
  }
}
