/** The iframe snippet that embeds the scenario on screen, at this moment, as a read-only player. */
import { useState } from 'react';
import { useController } from '../context';
import { showToast, useApp } from '../store';
import { Dialog } from '../Dialog';
import type { DialogProps } from '../dialogs';

/** The snippet for a player link: a titled, lazily loaded iframe. */
export function embedSnippet(link: string, title: string, width = 960, height = 600): string {
  const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<iframe src="${attr(link)}" width="${width}" height="${height}" title="${attr(`Faultline: ${title}`)}" loading="lazy" style="border:0"></iframe>`;
}

export default function EmbedDialog({ onClose }: DialogProps) {
  const controller = useController();
  const name = useApp((s) => s.scenario?.name ?? 'scenario');
  const [link] = useState(() => controller.links.linkNow({ view: false, embed: true }) ?? '');
  const snippet = embedSnippet(link, name);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(snippet);
      showToast('Embed snippet copied.');
    } catch {
      showToast('The clipboard is not available here: select the snippet and copy it.');
    }
  };
  return (
    <Dialog title="Embed this scenario" onClose={onClose} testId="embed-dialog">
      <p className="muted">A read-only player — the canvas, play, pause and seek, and the story — opening paused at this moment. Paste it into a page or a slide.</p>
      <label className="embed-label" htmlFor="embed-snippet">
        Snippet
      </label>
      <textarea id="embed-snippet" className="embed-snippet" readOnly value={snippet} rows={5} onFocus={(e) => e.currentTarget.select()} data-testid="embed-snippet" />
      <div className="goal-actions">
        <button type="button" className="btn btn-primary" onClick={() => void copy()} data-testid="embed-copy">
          Copy the snippet
        </button>
        <a className="btn" href={link} target="_blank" rel="noopener noreferrer">
          Open the player
        </a>
      </div>
    </Dialog>
  );
}
