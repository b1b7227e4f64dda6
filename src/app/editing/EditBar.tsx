/**
 * Building on the canvas: the palette (every component kind the app knows, from the kind
 * registry: click to add, or drag onto the canvas), undo and redo, auto-layout, a new empty
 * scenario, the scenario's own settings, and import/export of real configuration. Listens to the
 * editing keys (Ctrl+Z, Ctrl+Shift+Z / Ctrl+Y, Delete, Ctrl+C / Ctrl+V). Offered only while the
 * store says the document is `editable` (an embed hides all of it).
 */
import './editing.css';
import { Suspense, lazy, useEffect, useState } from 'react';
import type { SimulationController } from '../simulation';
import { APP_KINDS } from '../kinds';
import { editActionFor, isTypingTarget } from '../keymap';
import { useEditHistory } from '../history';
import { useApp } from '../store';
import { addKind, autoLayout, copySelection, deleteSelection, inTurn, newScenario, paste } from './editor';

/** The import/export dialog carries the converters (yaml, jsonc): loaded when opened. */
const ConfigDialog = lazy(() => import('./ConfigDialog'));

/** The drag payload a palette button carries onto the canvas. */
export const KIND_MIME = 'application/x-faultline-kind';

/** The kinds the palette offers: the app's registry (one entry per kind of the scenario's). */
export const PALETTE_KINDS: readonly string[] = Object.keys(APP_KINDS);

const KIND_HELP: Record<string, string> = {
  client: 'the load: sends requests to a gateway or a service',
  gateway: 'routes requests by path prefix; auth and rate limits',
  service: 'does work, calls others, publishes and consumes messages',
  exchange: 'routes published messages to the queues bound to it',
  queue: 'holds messages until a service consumes them',
};

export function EditBar({ controller }: { controller: SimulationController }) {
  const editable = useApp((s) => s.editable);
  const hasNodes = useApp((s) => (s.scenario?.nodes.length ?? 0) > 0);
  const history = useEditHistory();
  const [dialog, setDialog] = useState(false);

  useEffect(() => {
    if (!editable) return;
    const onKey = (e: KeyboardEvent) => {
      const action = editActionFor(e);
      if (action === null || isTypingTarget(e.target as HTMLElement | null)) return;
      // A dialog or menu open above the canvas keeps its keys.
      if ((e.target as HTMLElement | null)?.closest?.('[role="dialog"], [role="menu"]')) return;
      e.preventDefault();
      switch (action) {
        case 'undo':
          void inTurn(() => controller.undo());
          break;
        case 'redo':
          void inTurn(() => controller.redo());
          break;
        case 'delete':
          void deleteSelection(controller);
          break;
        case 'copy':
          void copySelection();
          break;
        case 'paste':
          void paste(controller);
          break;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [controller, editable]);

  if (!editable) return null;
  return (
    <div className="edit-bar" role="toolbar" aria-label="Build the scenario" data-testid="edit-bar">
      <div className="palette" role="group" aria-label="Palette: add a component">
        <span className="edit-label">Add</span>
        {PALETTE_KINDS.map((kind) => (
          <button
            key={kind}
            type="button"
            className={`palette-item palette-${kind}`}
            draggable
            onDragStart={(e) => {
              e.dataTransfer.setData(KIND_MIME, kind);
              e.dataTransfer.effectAllowed = 'copy';
            }}
            onClick={() => void addKind(controller, kind, null)}
            aria-label={`Add a ${kind}`}
            title={`Add a ${kind}: ${KIND_HELP[kind] ?? 'a component kind'}. Click, or drag it onto the canvas.`}
            data-testid={`palette-${kind}`}
          >
            {kind}
          </button>
        ))}
      </div>
      <div className="edit-tools" role="group" aria-label="Edit">
        <button
          type="button"
          className="btn btn-small"
          onClick={() => void inTurn(() => controller.undo())}
          disabled={!history.canUndo}
          aria-label={history.undoLabel ? `Undo ${history.undoLabel}` : 'Undo'}
          title={history.undoLabel ? `Undo: ${history.undoLabel} (Ctrl+Z)` : 'Nothing to undo'}
          data-testid="undo"
        >
          <span aria-hidden="true">↶</span> Undo
        </button>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => void inTurn(() => controller.redo())}
          disabled={!history.canRedo}
          aria-label={history.redoLabel ? `Redo ${history.redoLabel}` : 'Redo'}
          title={history.redoLabel ? `Redo: ${history.redoLabel} (Ctrl+Shift+Z)` : 'Nothing to redo'}
          data-testid="redo"
        >
          <span aria-hidden="true">↷</span> Redo
        </button>
        <button type="button" className="btn btn-small" onClick={() => void autoLayout(controller)} disabled={!hasNodes} aria-label="Auto-layout" title="Place every node left to right (undoable)">
          Layout
        </button>
        <button type="button" className="btn btn-small" onClick={() => useApp.setState({ selection: { type: 'scenario' } })} aria-label="Scenario settings" title="Name, description, seed, duration, network latency, links">
          Scenario…
        </button>
        <button type="button" className="btn btn-small" onClick={() => setDialog(true)} aria-label="Import or export configuration" title="RabbitMQ definitions in and out">
          Import/Export
        </button>
        <button type="button" className="btn btn-small" onClick={() => void newScenario(controller)} aria-label="New empty scenario" title="An empty canvas to build on (Ctrl+Z brings this scenario back)">
          New
        </button>
      </div>
      {dialog ? (
        <Suspense fallback={null}>
          <ConfigDialog onClose={() => setDialog(false)} />
        </Suspense>
      ) : null}
    </div>
  );
}
