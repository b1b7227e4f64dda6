import { describe, expect, it } from 'vitest';
import { createRun } from '../../src/run/run';
import { RequestEventFilter, buildWaterfall, parseRequestRef } from '../../src/run/waterfall';
import { parseScenario } from '../../src/scenario/validate';
import { presetBySlug } from '../../src/scenario/presets';
import type { LoggedEvent } from '../../src/run/types';

function eventsOf(slug: string, untilMs?: number): LoggedEvent[] {
  const run = createRun(parseScenario(presetBySlug(slug)!.document), { keepAllEvents: true });
  if (untilMs === undefined) run.runToEnd();
  else run.advanceTo(untilMs);
  return run.eventLog();
}

describe('request waterfall', () => {
  const storm = eventsOf('retry-storm', 20_000);

  it('a retried request shows each attempt and each backoff wait, in order, at every layer', () => {
    // A request sent during the outage: the users retry it, and api retries each of its calls to db.
    const start = storm.find((e) => e.kind === 'request.start' && e.t > 15_000)!;
    const id = start.requestId as number;
    const w = buildWaterfall(storm, id);
    expect(w.complete).toBe(true);
    expect(w.correlationId).toBe(`c-${id}`);

    const client = w.spans.filter((s) => s.node === 'users' && (s.kind === 'attempt' || s.kind === 'backoff'));
    expect(client.map((s) => s.kind)).toEqual(['attempt', 'backoff', 'attempt', 'backoff', 'attempt']);
    expect(client.filter((s) => s.kind === 'attempt').map((s) => s.detail.split(':')[0])).toEqual(['attempt 1', 'attempt 2', 'attempt 3']);
    // No jitter: the users' waits are 100 ms then 200 ms, and each wait ends where the next attempt starts.
    const waits = client.filter((s) => s.kind === 'backoff');
    expect(waits.map((s) => s.endMs - s.startMs)).toEqual([100, 200]);
    for (let i = 1; i < client.length; i++) {
      expect(client[i]!.startMs).toBeGreaterThanOrEqual(client[i - 1]!.endMs);
      if (client[i - 1]!.kind === 'backoff') expect(client[i]!.startMs).toBe(client[i - 1]!.endMs);
    }

    // api -> db: three attempts with two waits for each of the users' three attempts, one level deeper.
    const api = w.spans.filter((s) => s.node === 'api' && (s.kind === 'attempt' || s.kind === 'backoff'));
    expect(api.map((s) => s.kind)).toEqual(Array.from({ length: 3 }, () => ['attempt', 'backoff', 'attempt', 'backoff', 'attempt']).flat());
    expect(api.every((s) => s.depth === 2)).toBe(true);
    expect(client.every((s) => s.depth === 1)).toBe(true);
    expect(api.filter((s) => s.kind === 'attempt').every((s) => s.outcome === 'error' && s.detail.includes('503'))).toBe(true);
    // The request itself: one span from start to end, failed.
    const root = w.spans[0]!;
    expect(root).toMatchObject({ kind: 'request', depth: 0, open: false, outcome: 'error' });
    expect(root.endMs).toBe(w.spans.reduce((m, s) => Math.max(m, s.endMs), 0));
    expect(w.status).toBe(502);
  });

  it('the messages a request published: each copy from route to ack, with its delivery, linked through the event id', () => {
    const events = eventsOf('poison-message-dlq');
    const publish = events.find((e) => e.kind === 'message.publish' && typeof e.requestId === 'number')!;
    expect(publish.correlationId).toBe(`c-${publish.requestId}`);
    const w = buildWaterfall(events, publish.requestId as number);
    const pub = w.spans.find((s) => s.kind === 'publish')!;
    expect(pub.detail).toBe(`eventId ${publish.eventId}`);
    const copies = w.spans.filter((s) => s.kind === 'message');
    expect(copies.length).toBeGreaterThan(0);
    for (const c of copies) expect(c.startMs).toBeGreaterThanOrEqual(pub.startMs);
    expect(w.spans.some((s) => s.kind === 'delivery')).toBe(true);
    expect(copies.every((c) => !c.open && ['ok', 'dead-lettered', 'dropped'].includes(c.outcome))).toBe(true);
  });

  it('a dead-lettered message shows its copy in the dead-letter queue too', () => {
    const events = eventsOf('poison-message-dlq');
    const dead = events.find((e) => e.kind === 'message.deadLetter')!;
    const route = events.find((e) => e.kind === 'message.route' && e.messageId === dead.messageId)!;
    const publish = events.find((e) => e.kind === 'message.publish' && e.eventId === route.eventId)!;
    const w = buildWaterfall(events, publish.requestId as number);
    const copies = w.spans.filter((s) => s.kind === 'message');
    expect(copies.some((c) => c.outcome === 'dead-lettered')).toBe(true);
    expect(copies.some((c) => c.node.includes('dlq'))).toBe(true);
  });

  it('the filter keeps only the request’s events, streamed in order; without its start the waterfall says it is incomplete', () => {
    const id = storm.find((e) => e.kind === 'request.start' && e.t > 15_000)!.requestId as number;
    const f = new RequestEventFilter(id);
    for (const e of storm) f.accept(e);
    expect(f.sawStart).toBe(true);
    expect(f.events.every((e) => e.requestId === id)).toBe(true);
    expect(buildWaterfall(f.events, id).spans).toEqual(buildWaterfall(storm, id).spans);
    const tail = f.events.slice(1);
    expect(buildWaterfall(tail, id).complete).toBe(false);
  });

  it('parses request references', () => {
    expect(parseRequestRef('c-42')).toBe(42);
    expect(parseRequestRef(' 7 ')).toBe(7);
    expect(parseRequestRef('#9')).toBe(9);
    expect(parseRequestRef('abc')).toBeNull();
    expect(parseRequestRef(0)).toBeNull();
  });
});
