/**
 * The scenario's description: a small, safe subset of Markdown (paragraphs, "- " lists,
 * **bold**, `code`) turned into React elements. Nothing is ever inserted as HTML.
 */
import type { ReactNode } from 'react';

function inline(text: string): ReactNode[] {
  const out: ReactNode[] = [];
  const pattern = /\*\*([^*]+)\*\*|`([^`]+)`/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = pattern.exec(text)) !== null) {
    if (m.index > last) out.push(text.slice(last, m.index));
    out.push(m[1] !== undefined ? <strong key={m.index}>{m[1]}</strong> : <code key={m.index}>{m[2]}</code>);
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/** The text's blocks (paragraphs and lists) as React elements. */
export function markdownBlocks(text: string): ReactNode[] {
  const blocks: ReactNode[] = [];
  let para: string[] = [];
  let items: string[] = [];
  const flush = () => {
    if (para.length) blocks.push(<p key={blocks.length}>{inline(para.join(' '))}</p>);
    if (items.length) blocks.push(<ul key={blocks.length}>{items.map((it, i) => <li key={i}>{inline(it)}</li>)}</ul>);
    para = [];
    items = [];
  };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') flush();
    else if (/^[-*] /.test(line)) {
      if (para.length) {
        const keep = items;
        items = [];
        flush();
        items = keep;
      }
      items.push(line.slice(2));
    } else {
      if (items.length) flush();
      para.push(line);
    }
  }
  flush();
  return blocks;
}

export function Description({ text }: { text: string }) {
  return (
    <section className="description" aria-label="About this scenario">
      <h2 className="side-title">About this scenario</h2>
      {markdownBlocks(text)}
    </section>
  );
}
