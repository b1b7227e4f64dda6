/**
 * Real broker configuration in and out: import a RabbitMQ definitions file (`rabbitmqctl
 * export_definitions`, or the management API's) into exchanges, queues and bindings on the
 * canvas — one vhost at a time, every setting that does not map listed by name — and export the
 * scenario's broker as a definitions file `rabbitmqctl import_definitions` accepts. A malformed
 * file names the line or key that is wrong, and the scenario on screen stays as it was.
 *
 * Loaded lazily with the converters, when the dialog is opened.
 */
import { useEffect, useRef, useState } from 'react';
import { exportRabbitDefinitions, formatNote, importRabbitDefinitions, parseJsonText } from '../../scenario/convert';
import type { Note, Problem } from '../../scenario/convert';
import { useController } from '../context';
import { useApp } from '../store';
import { downloadText } from '../files';
import { apply, placeUnplaced } from './editor';
import type { Doc } from './ops';

/** The vhosts a definitions file's exchanges, queues and bindings are declared in. */
export function vhostsOf(data: unknown): string[] {
  const out = new Set<string>();
  if (typeof data !== 'object' || data === null) return [];
  for (const section of ['exchanges', 'queues', 'bindings']) {
    const list = (data as Record<string, unknown>)[section];
    if (!Array.isArray(list)) continue;
    for (const e of list) if (typeof e === 'object' && e !== null && typeof (e as { vhost?: unknown }).vhost === 'string') out.add((e as { vhost: string }).vhost);
  }
  return [...out].sort();
}

function Problems({ problems }: { problems: Problem[] }) {
  return (
    <ul className="field-problems" role="alert" data-testid="config-problems">
      {problems.map((p, i) => (
        <li key={i}>
          {p.path ? <code>{p.path}</code> : null} {p.message}
        </li>
      ))}
    </ul>
  );
}

export function Notes({ notes, title }: { notes: Note[]; title: string }) {
  if (notes.length === 0) return null;
  return (
    <details className="config-notes" open data-testid="config-notes">
      <summary>
        {title} ({notes.length})
      </summary>
      <ul>
        {notes.map((n, i) => (
          <li key={i}>{formatNote(n)}</li>
        ))}
      </ul>
    </details>
  );
}

export default function ConfigDialog({ onClose }: { onClose: () => void }) {
  const controller = useController();
  const document = useApp((s) => s.document);
  const scenario = useApp((s) => s.scenario);
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [vhost, setVhost] = useState('');
  const [outcome, setOutcome] = useState<{ problems: Problem[] } | { notes: Note[]; doc: unknown; count: string; vhost: string } | null>(null);
  const [exported, setExported] = useState<Note[] | null>(null);
  const closeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    closeRef.current?.focus();
    const esc = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', esc);
    return () => window.removeEventListener('keydown', esc);
  }, [onClose]);

  const parsed = text.trim() === '' ? null : parseJsonText(text);
  const vhosts = parsed?.ok ? vhostsOf(parsed.value) : [];
  const chosen = vhosts.includes(vhost) ? vhost : (vhosts[0] ?? '');

  const read = () => {
    const result = importRabbitDefinitions(text, { ...(vhosts.length > 1 ? { vhost: chosen } : {}), into: document });
    if (!result.ok) {
      setOutcome({ problems: result.problems });
      return;
    }
    const exchanges = result.value.nodes.filter((n) => n.kind === 'exchange').length;
    const queues = result.value.nodes.length - exchanges;
    setOutcome({ notes: result.notes, doc: result.value.document, count: `${exchanges} exchange${exchanges === 1 ? '' : 's'} and ${queues} queue${queues === 1 ? '' : 's'}`, vhost: result.value.vhost });
  };

  const exportBroker = () => {
    if (!scenario) return;
    const { value, notes } = exportRabbitDefinitions(scenario);
    downloadText(`${JSON.stringify(value, null, 2)}\n`, 'definitions.json');
    setExported(notes);
  };

  const brokerNodes = scenario?.nodes.filter((n) => n.kind === 'exchange' || n.kind === 'queue').length ?? 0;

  return (
    <div className="overlay" role="presentation" onClick={onClose}>
      <div className="dialog config-dialog" role="dialog" aria-modal="true" aria-label="Import and export configuration" onClick={(e) => e.stopPropagation()} data-testid="config-dialog">
        <div className="dialog-head">
          <h2>Import and export configuration</h2>
          <button ref={closeRef} type="button" className="icon-btn" onClick={onClose} aria-label="Close the import and export dialog">
            ×
          </button>
        </div>

        <section aria-labelledby="rabbit-import-title">
          <h3 id="rabbit-import-title">Import RabbitMQ definitions</h3>
          <p className="muted">
            A <code>definitions.json</code> from <code>rabbitmqctl export_definitions</code> or the management API: its exchanges, queues and bindings join the
            canvas (a queue or exchange of the same name replaces that node).
          </p>
          <div className="config-row">
            <label className="btn btn-small">
              Choose a file…
              <input
                type="file"
                accept="application/json,.json"
                className="visually-hidden"
                data-testid="rabbit-file"
                onChange={(e) => {
                  const file = e.target.files?.[0];
                  e.target.value = '';
                  if (!file) return;
                  void file.text().then((t) => {
                    setText(t);
                    setFileName(file.name);
                    setOutcome(null);
                  });
                }}
              />
            </label>
            {fileName ? <span className="muted">{fileName}</span> : <span className="muted">or paste it below</span>}
          </div>
          <textarea
            className="field-input config-text"
            aria-label="RabbitMQ definitions (JSON)"
            value={text}
            spellCheck={false}
            rows={6}
            onChange={(e) => {
              setText(e.target.value);
              setFileName(null);
              setOutcome(null);
            }}
            data-testid="rabbit-text"
          />
          {vhosts.length > 1 ? (
            <label className="config-row">
              <span>This file has {vhosts.length} vhosts; import</span>
              <select aria-label="Vhost to import" value={chosen} onChange={(e) => { setVhost(e.target.value); setOutcome(null); }} data-testid="rabbit-vhost">
                {vhosts.map((v) => (
                  <option key={v} value={v}>
                    {v}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          <div className="config-row">
            <button type="button" className="btn btn-small" onClick={read} disabled={text.trim() === ''} data-testid="rabbit-read">
              Read the definitions
            </button>
          </div>
          {outcome && 'problems' in outcome ? (
            <>
              <p>The file was not imported; the scenario on screen is unchanged:</p>
              <Problems problems={outcome.problems} />
            </>
          ) : null}
          {outcome && 'notes' in outcome ? (
            <>
              <p data-testid="rabbit-summary">
                Vhost <code>{outcome.vhost}</code>: {outcome.count}.
              </p>
              <Notes notes={outcome.notes} title="Settings that do not map" />
              <button
                type="button"
                className="btn btn-primary btn-small"
                data-testid="rabbit-import"
                onClick={() => {
                  // The new exchanges and queues go below the boxes already placed, not on them.
                  void placeUnplaced(outcome.doc as Doc)
                    .then((doc) => apply(controller, { ok: true, doc, label: `import RabbitMQ definitions (vhost ${outcome.vhost})`, changes: [] }))
                    .then((refused) => {
                      if (refused === null) onClose();
                    });
                }}
              >
                Add them to the canvas
              </button>
            </>
          ) : null}
        </section>

        <section aria-labelledby="rabbit-export-title">
          <h3 id="rabbit-export-title">Export the broker</h3>
          <p className="muted">
            The scenario’s {brokerNodes} exchange{brokerNodes === 1 ? '' : 's'} and queue{brokerNodes === 1 ? '' : 's'}, with their bindings, as a definitions file for{' '}
            <code>rabbitmqctl import_definitions</code> (vhost <code>/</code>).
          </p>
          <button type="button" className="btn btn-small" onClick={exportBroker} disabled={brokerNodes === 0} data-testid="rabbit-export">
            Download definitions.json
          </button>
          {exported ? (exported.length > 0 ? <Notes notes={exported} title="What the definitions leave out" /> : <p className="muted">Everything maps.</p>) : null}
        </section>
        <p className="muted">A call’s policies (resilience4j YAML, opossum options) are exported and imported from the call’s inspector: click its edge.</p>
      </div>
    </div>
  );
}
