/**
 * The editing part of a node's or an edge's right-click menu: connect the node to another (the
 * keyboard's way to wire), rename it, delete it or the edge. Shown only while editing is on.
 */
import { useMemo, useState } from 'react';
import { useController } from '../context';
import { useApp } from '../store';
import { deleteEdge, deleteNodes, rename, wire } from './editor';

export interface EditMenuProps {
  /** The node the menu is about, or the canvas edge. */
  node?: string;
  edge?: string;
  /** Where the menu opened (canvas coordinates): a connect prompt opens there. */
  at: { x: number; y: number };
  onClose: () => void;
}

export function EditMenuItems({ node, edge, at, onClose }: EditMenuProps) {
  const controller = useController();
  const editable = useApp((s) => s.editable);
  const nodes = useApp((s) => s.scenario?.nodes);
  const others = useMemo(() => (node ? (nodes ?? []).filter((n) => n.id !== node) : []), [nodes, node]);
  const [mode, setMode] = useState<'menu' | 'connect' | 'rename'>('menu');
  const [name, setName] = useState(node ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  if (!editable) return null;

  if (mode === 'connect' && node) {
    return (
      <>
        <div className="menu-section">Connect {node} to</div>
        {others.map((o) => (
          <button
            key={o.id}
            type="button"
            role="menuitem"
            className="menu-item"
            onClick={() => {
              onClose();
              void wire(controller, node, o.id, at);
            }}
          >
            {o.kind} {o.id}
          </button>
        ))}
      </>
    );
  }
  if (mode === 'rename' && node) {
    return (
      <form
        className="menu-rename"
        onSubmit={(e) => {
          e.preventDefault();
          void rename(controller, node, name).then((why) => {
            if (why === null) onClose();
            else setProblem(why);
          });
        }}
      >
        <label>
          <span className="menu-section">New id for {node}</span>
          <input className="field-input" value={name} onChange={(e) => setName(e.target.value)} autoFocus aria-invalid={problem !== null} data-testid="rename-input" />
        </label>
        {problem ? (
          <p className="field-problems" role="alert">
            {problem}
          </p>
        ) : null}
        <button type="submit" className="btn btn-small btn-primary">
          Rename
        </button>
      </form>
    );
  }
  return (
    <>
      <div className="menu-section">Edit</div>
      {node ? (
        <>
          <button type="button" role="menuitem" className="menu-item" onClick={() => setMode('connect')} disabled={others.length === 0}>
            Connect to…
          </button>
          <button type="button" role="menuitem" className="menu-item" onClick={() => setMode('rename')}>
            Rename…
          </button>
        </>
      ) : null}
      <button
        type="button"
        role="menuitem"
        className="menu-item"
        data-testid="menu-delete"
        onClick={() => {
          onClose();
          if (node) void deleteNodes(controller, [node]);
          else if (edge) void deleteEdge(controller, edge);
        }}
      >
        Delete {node ? node : 'this edge'}
      </button>
    </>
  );
}
