/** The challenges: choosing one opens it with its fixed fault timeline in the Story tab. */
import './workshop.css';
import { CHALLENGES } from '../../scenario/lessons';
import { useController } from '../context';
import { Dialog } from '../Dialog';
import type { DialogProps } from '../dialogs';
import { openChallenge } from './ChallengePanel';

export default function ChallengesDialog({ onClose }: DialogProps) {
  const controller = useController();
  return (
    <Dialog title="Challenges" onClose={onClose} wide testId="challenges-dialog">
      <p className="muted">A goal under a fixed fault timeline and a budget. Meet the goal, spend less, score more; the result link reproduces your run.</p>
      <div className="preset-list">
        {CHALLENGES.map((c, i) => (
          <button
            key={c.id}
            type="button"
            className="preset-item"
            data-testid={`challenge-${c.id}`}
            onClick={() => {
              onClose();
              void openChallenge(controller, c);
            }}
          >
            <span className="preset-n">{i + 1}</span>
            <span>
              <strong className="preset-title">{c.title}</strong>
              <span className="preset-summary">{c.text.replace(/\*\*/g, '')}</span>
            </span>
          </button>
        ))}
      </div>
    </Dialog>
  );
}
