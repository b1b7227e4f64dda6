/**
 * Click a moving dot: what it carries. A request shows its id, correlation id, the attempts made
 * so far and how this hop ends; a broker message its id and deliveries. The events come from the
 * worker's log (what its ring still holds for that id).
 */
import './inspector.css';
import { useEffect, useState } from 'react';
import type { LoggedEvent, XDeathField } from '../../run/types';
import { useController } from '../context';
import { useApp } from '../store';
import { formatClock } from '../format';
import type { PickedDot } from '../canvas/ParticleLayer';

const BROKER = new Set(['exchange', 'queue']);

export function MessagePopover({ dot, x, y, onClose }: { dot: PickedDot; x: number; y: number; onClose: () => void }) {
  const controller = useController();
  const nodes = useApp((s) => s.topology?.nodes);
  const kindOf = (id: string) => nodes?.find((n) => n.id === id)?.kind;
  const isMessage = BROKER.has(kindOf(dot.from) ?? '') || BROKER.has(kindOf(dot.to) ?? '');
  // A publish (service -> exchange) carries the message's eventId; a queued copy's hops its messageId.
  const by = !isMessage ? 'request' : kindOf(dot.to) === 'exchange' && kindOf(dot.from) !== 'exchange' ? 'event' : 'message';
  const [events, setEvents] = useState<LoggedEvent[] | null>(null);

  useEffect(() => {
    let live = true;
    void controller.requestEvents(dot.requestId, by).then((evs) => {
      if (live) setEvents(evs);
    });
    return () => {
      live = false;
    };
  }, [controller, dot.requestId, by]);

  useEffect(() => {
    const esc = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', esc);
    return () => window.removeEventListener('keydown', esc);
  }, [onClose]);

  const attempts = events?.filter((e) => e.kind === 'attempt.start').length ?? 0;
  const deliveries = events?.filter((e) => e.kind === 'message.deliver').length ?? 0;
  const end = events?.find((e) => e.kind === 'request.end');
  const correlation = events?.find((e) => typeof e.correlationId === 'string')?.correlationId;
  // The message's x-death list (RabbitMQ's header, newest first): from its last dead-lettering, or
  // the one it arrived with through a dead-letter exchange.
  const deaths = events?.filter((e) => Array.isArray(e.xDeath)).at(-1)?.xDeath as XDeathField[] | undefined;

  return (
    <div className="popover" role="dialog" aria-label={isMessage ? `Message ${dot.requestId}` : `Request ${dot.requestId}`} style={{ left: x + 12, top: y + 12 }} data-testid="message-popover">
      <div className="popover-head">
        <strong>{!isMessage ? `request ${dot.requestId}` : by === 'event' ? `published event ${dot.requestId}` : `message ${dot.requestId}`}</strong>
        <button type="button" className="icon-btn" onClick={onClose} aria-label="Close">
          ×
        </button>
      </div>
      <dl className="kv">
        {isMessage ? null : (
          <>
            <dt>correlation id</dt>
            <dd>
              <code>{String(correlation ?? `c-${dot.requestId}`)}</code>
            </dd>
            <dt>attempts so far</dt>
            <dd data-testid="popover-attempts">{events ? attempts : '…'}</dd>
          </>
        )}
        {isMessage ? (
          <>
            <dt>deliveries</dt>
            <dd>{events ? deliveries : '…'}</dd>
          </>
        ) : null}
        <dt>this hop</dt>
        <dd>
          {dot.from} → {dot.to} ({dot.response ? 'response' : isMessage ? 'delivery' : 'request'})
        </dd>
        <dt>fate</dt>
        <dd>
          <span className="swatch" style={{ background: `var(--fate-${dot.fate})` }} aria-hidden="true" /> {dot.fate}
        </dd>
        {end ? (
          <>
            <dt>ended</dt>
            <dd>
              {String(end.status ?? '')} {end.reason ? String(end.reason) : ''} at {formatClock(end.t)}
            </dd>
          </>
        ) : null}
      </dl>
      {deaths && deaths.length > 0 ? (
        <table className="popover-xdeath" data-testid="popover-xdeath" aria-label="x-death">
          <caption>x-death</caption>
          <thead>
            <tr>
              <th>queue</th>
              <th>reason</th>
              <th>count</th>
              <th>exchange</th>
              <th>routing-keys</th>
            </tr>
          </thead>
          <tbody>
            {deaths.map((d) => (
              <tr key={`${d.queue}:${d.reason}`}>
                <td>{d.queue}</td>
                <td>{d.reason}</td>
                <td>{d.count}</td>
                <td>{d.exchange === '' ? '(default)' : d.exchange}</td>
                <td>{d['routing-keys'].join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {events && events.length > 0 ? (
        <ol className="popover-events">
          {events.slice(-12).map((e, i) => (
            <li key={i}>
              <code>{formatClock(e.t)}</code> {e.kind} <span className="muted">{e.node}</span>
            </li>
          ))}
        </ol>
      ) : events ? (
        <p className="muted">Its events have left the log's window.</p>
      ) : null}
    </div>
  );
}
