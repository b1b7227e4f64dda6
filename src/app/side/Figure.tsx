/** One live figure a story names (a summary path): its words and its value, exact in `data-value`. */
import { useApp } from '../store';
import { figureLabel, figureValue, formatFigure } from './figures';

export function Figure({ path }: { path: string }) {
  const value = useApp((s) => figureValue(s.summary, path));
  return (
    <span className="figure" data-testid={`figure-${path}`} data-value={value === null ? '' : String(value)} title={path}>
      <span className="figure-label">{figureLabel(path)}</span>
      <strong className="figure-value">{formatFigure(path, value)}</strong>
    </span>
  );
}
