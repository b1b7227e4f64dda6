/**
 * The preset library: a button that opens the list (title and one-line summary, in course
 * order); choosing one loads its document from t=0. `PresetNotes` shows the open preset's
 * "watch" and "try this" lists beside its description (a preset is recognised by its name, so a
 * shared link to a preset shows them too).
 */
import { useEffect, useRef, useState } from 'react';
import { PRESETS } from '../scenario/presets';
import type { Preset } from '../scenario/presets';
import { useController } from './context';
import { firstVariantOf, requestCompare } from './compare/request';
import { showToast, useApp } from './store';
import { Description } from './Description';

export function presetOf(name: string | undefined): Preset | undefined {
  return name === undefined ? undefined : PRESETS.find((p) => p.document.name === name);
}

export function PresetPicker() {
  const controller = useController();
  const [open, setOpen] = useState(false);
  const current = useApp((s) => s.scenario?.name);
  const listRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    listRef.current?.querySelector<HTMLElement>('button[aria-current="true"], .preset-item')?.focus();
    const esc = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    window.addEventListener('keydown', esc);
    return () => window.removeEventListener('keydown', esc);
  }, [open]);

  const choose = async (p: Preset) => {
    setOpen(false);
    const result = await controller.openDocument(p.document);
    // A preset that is a comparison opens in compare view, its first variant as B.
    const variant = firstVariantOf(p.document);
    if (result === true && variant !== null) requestCompare({ type: 'variant', variant });
    if (result !== true) showToast(`The preset could not be opened: ${typeof result === 'string' ? result : result.length + ' problems'}`);
  };

  return (
    <>
      <button type="button" className="btn" onClick={() => setOpen(true)} aria-haspopup="dialog" aria-label="Presets" data-testid="presets">
        Presets
      </button>
      {open ? (
        <div className="overlay" role="presentation" onClick={() => setOpen(false)}>
          <div className="dialog dialog-wide" role="dialog" aria-modal="true" aria-label="Presets" onClick={(e) => e.stopPropagation()}>
            <div className="dialog-head">
              <h2>Presets, in course order</h2>
              <button type="button" className="icon-btn" onClick={() => setOpen(false)} aria-label="Close the presets">
                ×
              </button>
            </div>
            <div className="preset-list" ref={listRef}>
              {PRESETS.map((p, i) => (
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
          </div>
        </div>
      ) : null}
    </>
  );
}

/** The scenario's description, and for a preset what to watch and what to try. */
export function PresetNotes() {
  const name = useApp((s) => s.scenario?.name);
  const description = useApp((s) => s.scenario?.description ?? '');
  const preset = presetOf(name);
  if (!description && !preset) return null;
  return (
    <>
      {description ? <Description text={description} /> : null}
      {preset ? (
        <section className="description preset-notes" aria-label="What to watch and try" data-testid="preset-notes">
          <h2 className="side-title">Watch</h2>
          <ul>
            {preset.watch.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
          <h2 className="side-title">Try this</h2>
          <ul>
            {preset.tryThis.map((t, i) => (
              <li key={i}>{t}</li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
