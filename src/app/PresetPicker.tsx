/**
 * The preset library: a button that opens the list (title and one-line summary, in course
 * order), fetched when it first opens (app/presets.ts); choosing one loads its document from t=0
 * (cancelling a seek under way). The Story tab
 * shows the open preset's notes (side/StoryPanel.tsx): a preset is recognised by its name, so a
 * shared link to a preset shows them too.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Preset } from '../scenario/presets';
import { usePresets } from './presets';
import { useController } from './context';
import { firstVariantOf, requestCompare } from './compare/request';
import { showToast, useApp } from './store';
import { Dialog } from './Dialog';
import { SUPERSEDED } from './simulation/session';

export function PresetPicker() {
  const controller = useController();
  const [open, setOpen] = useState(false);
  const current = useApp((s) => s.scenario?.name);

  const close = useCallback(() => setOpen(false), []);

  const choose = async (p: Preset) => {
    setOpen(false);
    // Another document replaces the run: a lesson or challenge in progress is left.
    if (useApp.getState().lesson !== null || useApp.getState().challenge !== null) useApp.setState({ lesson: null, challenge: null });
    const result = await controller.openDocument(p.document);
    // A preset that is a comparison opens in compare view, its first variant as B.
    const variant = firstVariantOf(p.document);
    if (result === true && variant !== null) requestCompare({ type: 'variant', variant });
    if (result !== true && result !== SUPERSEDED) showToast(`The preset could not be opened: ${typeof result === 'string' ? result : result.length + ' problems'}`);
  };

  return (
    <>
      <button type="button" className="btn" onClick={() => setOpen(true)} aria-haspopup="dialog" aria-label="Presets" data-testid="presets">
        Presets
      </button>
      {open ? (
        <Dialog title="Presets, in course order" onClose={close} wide>
          <PresetList current={current} choose={choose} />
        </Dialog>
      ) : null}
    </>
  );
}

/** The list, once the library is here (it is fetched when the list first opens). */
function PresetList({ current, choose }: { current: string | undefined; choose: (p: Preset) => Promise<void> }) {
  const presets = usePresets();
  const listRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (presets !== null) listRef.current?.querySelector<HTMLElement>('button[aria-current="true"], .preset-item')?.focus();
  }, [presets]);
  if (presets === null) return <p className="muted">Loading the presets…</p>;
  return (
    <div className="preset-list" ref={listRef}>
      {presets.map((p, i) => (
        <button
          key={p.slug}
          type="button"
          className="preset-item"
          aria-current={p.document.name === current}
          onClick={() => void choose(p)}
          data-testid={`preset-${p.slug}`}
        >
          <span className="preset-n">{i + 1}</span>
          <span>
            <strong className="preset-title">{p.title}</strong>
            <span className="preset-summary">{p.summary}</span>
          </span>
        </button>
      ))}
    </div>
  );
}

