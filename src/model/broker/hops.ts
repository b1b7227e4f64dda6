/**
 * Link faults on the broker's own hops: a publish (service → exchange), a delivery (queue →
 * consumer) and an ack or nack (consumer → queue). The network (network.ts) hands over the active
 * faults covering the hop — a link "a->b" between the two nodes, or a node whose faults act on its
 * hops — and this applies them the way the network applies them to a request's hop, drawing from
 * each fault's own stream in the same order (partition, drop, error, latency, reorder, duplicate as
 * they come):
 * - `partition` loses the hop; `drop` loses it with `probability`;
 * - `error` (publish hops only, `allowError`): the broker refuses the publish — the publisher's nack;
 * - `latency` adds `add` ± `jitterMs`; `reorder` holds the hop back by `delayMs`, so later ones
 *   overtake it; `duplicate` sends one extra copy right behind it.
 * What a lost or doubled hop means is up to the caller (messaging.ts): a lost publish is a lost
 * event, a lost delivery or ack leaves the message unacked until the consumer timeout.
 *
 * A partition is not a loss on these hops: AMQP runs over one TCP connection, which outlives a
 * short partition and retransmits what it could not send, so a hop the partition catches waits
 * for it to end (`partitionOf`; it tries again every `RETRANSMIT_MS`) and then crosses as any other would. The callers
 * check for it before `crossHop`.
 */
import { latencyDraw } from '../faults';
import type { ActiveFault } from '../faults';

export interface HopOutcome {
  /** Extra delay on top of the hop's latency (never negative). */
  extraMs: number;
  /** The fault that lost the hop, or null. */
  lost: ActiveFault | null;
  /** The error fault that refused a publish (the publisher's nack), or null. */
  refused: ActiveFault | null;
  /** 1, or 2 when a duplicate fault struck. */
  copies: number;
}

const CLEAN: HopOutcome = Object.freeze({ extraMs: 0, lost: null, refused: null, copies: 1 });

/** Apply `faults` (those covering one hop) to one crossing of it. */
export function crossHop(faults: readonly ActiveFault[], allowError: boolean): HopOutcome {
  if (faults.length === 0) return CLEAN;
  let extra = 0;
  let copies = 1;
  for (const f of faults) {
    const spec = f.spec;
    switch (spec.kind) {
      case 'partition':
        return { extraMs: 0, lost: f, refused: null, copies: 0 };
      case 'drop':
        if (f.draw() < spec.probability) return { extraMs: 0, lost: f, refused: null, copies: 0 };
        break;
      case 'error':
        if (allowError && f.draw() < spec.probability) return { extraMs: 0, lost: null, refused: f, copies: 0 };
        break;
      case 'latency':
        extra += latencyDraw(f);
        break;
      case 'reorder':
        if (f.draw() < spec.probability) extra += f.delay!();
        break;
      case 'duplicate':
        if (f.draw() < spec.probability) copies = 2;
        break;
      default:
        break;
    }
  }
  return { extraMs: extra > 0 ? extra : 0, lost: null, refused: null, copies };
}

/** The partition cutting a hop now, or null: the hop waits for it to end (TCP keeps the connection). */
export function partitionOf(faults: readonly ActiveFault[]): ActiveFault | null {
  for (const f of faults) if (f.spec.kind === 'partition') return f;
  return null;
}

/**
 * How long a held hop waits before it tries again: TCP's retransmissions, simplified to one a
 * second (so a hop crosses within a second after its partition ends, however the end was set).
 */
export const RETRANSMIT_MS = 1000;
