/** Run A's figures beside B's on a canvas node, while a comparison is on: A's ok and failed. */
import './always.css';
import { formatCompact } from '../format';
import { useCompareFlags } from './request';

export function AFigures({ id }: { id: string }) {
  const a = useCompareFlags((s) => (s.active ? s.aNodes[id] : undefined));
  if (!a || !('ok' in a)) return null;
  const done = a.ok + a.failed;
  return (
    <div className="a-figures" title="Run A (the document without B's settings) at the same moment" data-testid={`a-figures-${id}`}>
      <span className="a-tag">A</span> {formatCompact(a.ok)} ok · {formatCompact(a.failed)} failed{done > 0 ? ` · ${Math.round((a.failed / done) * 1000) / 10}% errors` : ''}
    </div>
  );
}
