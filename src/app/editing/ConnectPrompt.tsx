/**
 * What opens where a wire was dropped: the value the new reference needs (a route's prefix, a
 * routing key, a binding key or header arguments) and, when a pair allows several things, which;
 * or why the pair allows nothing. Enter connects, Escape closes.
 */
import { useLayoutEffect, useRef, useState } from 'react';
import { placeInside } from '../canvas/place';
import { useController } from '../context';
import { finishWire, useEditing } from './editor';

export function ConnectPrompt() {
  const prompt = useEditing((s) => s.prompt);
  if (!prompt) return null;
  return <PromptBox key={`${prompt.source}->${prompt.target}@${prompt.x},${prompt.y}`} />;
}

function PromptBox() {
  const controller = useController();
  const prompt = useEditing((s) => s.prompt)!;
  const [choice, setChoice] = useState(0);
  const connection = prompt.connections[choice];
  const [value, setValue] = useState(connection?.ask?.initial ?? '');
  const ref = useRef<HTMLFormElement>(null);
  const close = () => useEditing.setState({ prompt: null });

  // Inside the canvas, all of it, as it is and as it grows (a refusal shown under the field): a
  // wire dropped near the bottom opened it below the canvas, and focusing its field scrolled the
  // whole page up. Then the focus, without scrolling anything.
  useLayoutEffect(() => {
    const el = ref.current;
    const area = el?.parentElement;
    if (!el || !area) return;
    const place = () => {
      const at = placeInside(prompt.x - 20, prompt.y - 10, el.offsetWidth, el.offsetHeight, area.clientWidth, area.clientHeight, 8);
      el.style.left = `${at.left}px`;
      el.style.top = `${at.top}px`;
    };
    place();
    el.querySelector<HTMLElement>('input, button')?.focus({ preventScroll: true });
    const observer = new ResizeObserver(place);
    observer.observe(el);
    return () => observer.disconnect();
  }, [prompt.x, prompt.y]);

  return (
    <form
      ref={ref}
      className="connect-prompt"
      role="dialog"
      aria-label={prompt.connections.length === 0 ? 'Nothing to connect' : `Connect ${prompt.source} to ${prompt.target}`}
      data-testid="connect-prompt"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          close();
        }
      }}
      onSubmit={(e) => {
        e.preventDefault();
        if (connection) void finishWire(controller, connection, connection.ask ? value : '');
      }}
    >
      {prompt.connections.length === 0 ? (
        <>
          <p className="connect-why" role="alert" data-testid="connect-why">
            {prompt.why}
          </p>
          <div className="connect-actions">
            <button type="button" className="btn btn-small" onClick={close}>
              OK
            </button>
          </div>
        </>
      ) : (
        <>
          <div className="connect-title">
            {prompt.source} → {prompt.target}
          </div>
          {prompt.connections.length > 1 ? (
            <fieldset className="connect-choice">
              <legend>Create</legend>
              {prompt.connections.map((c, i) => (
                <label key={c.edge}>
                  <input
                    type="radio"
                    name="connect-choice"
                    checked={i === choice}
                    onChange={() => {
                      setChoice(i);
                      setValue(c.ask?.initial ?? '');
                    }}
                  />{' '}
                  {c.describe}
                </label>
              ))}
            </fieldset>
          ) : (
            <div className="connect-what">{connection?.describe}</div>
          )}
          {connection?.ask ? (
            <label className="connect-field">
              <span>{connection.ask.label}</span>
              <input className="field-input" value={value} onChange={(e) => setValue(e.target.value)} aria-describedby="connect-help" data-testid="connect-value" />
              <small id="connect-help" className="muted">
                {connection.ask.help}
              </small>
            </label>
          ) : null}
          {connection?.replaces && connection.replaces !== connection.other ? <p className="muted">Replaces {connection.holder}’s {connection.replaces}.</p> : null}
          {prompt.problem ? (
            <p className="field-problems" role="alert" data-testid="connect-problem">
              {prompt.problem}
            </p>
          ) : null}
          <div className="connect-actions">
            <button type="submit" className="btn btn-primary btn-small">
              Connect
            </button>
            <button type="button" className="btn btn-small" onClick={close}>
              Cancel
            </button>
          </div>
        </>
      )}
    </form>
  );
}
