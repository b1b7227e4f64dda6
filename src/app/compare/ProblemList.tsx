/** Problems of a comparison, each with the setting path (or document path) it concerns. */
import type { Problem } from '../../scenario/validate';

export function ProblemList({ title, problems, onClose }: { title: string; problems: Problem[]; onClose?: () => void }) {
  return (
    <div className="compare-problems" role="alert" data-testid="compare-problems">
      <p>
        <strong>{title}</strong>
        {onClose ? (
          <button type="button" className="icon-btn" onClick={onClose} aria-label="Dismiss these problems">
            ×
          </button>
        ) : null}
      </p>
      <ul>
        {problems.slice(0, 20).map((p, i) => (
          <li key={i}>
            {p.path ? <code>{p.path}</code> : null}
            {p.path ? ': ' : ''}
            {p.message}
          </li>
        ))}
        {problems.length > 20 ? <li>and {problems.length - 20} more</li> : null}
      </ul>
    </div>
  );
}
