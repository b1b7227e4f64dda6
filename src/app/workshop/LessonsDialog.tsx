/** The lessons, in the course's order: choosing one opens its first step in the Story tab. */
import './workshop.css';
import { LESSONS } from '../../scenario/lessons';
import { useController } from '../context';
import { Dialog } from '../Dialog';
import type { DialogProps } from '../dialogs';
import { openLessonStep } from './LessonPanel';

export default function LessonsDialog({ onClose }: DialogProps) {
  const controller = useController();
  return (
    <Dialog title="Lessons, in course order" onClose={onClose} wide testId="lessons-dialog">
      <p className="muted">Each lesson opens a scenario, asks you to predict what the run will show, then sets a goal your settings must reach. Your place travels in the link.</p>
      <div className="preset-list">
        {LESSONS.map((l) => (
          <button
            key={l.id}
            type="button"
            className="preset-item"
            data-testid={`lesson-${l.id}`}
            onClick={() => {
              onClose();
              void openLessonStep(controller, l, 0);
            }}
          >
            <span className="preset-n">{l.order}</span>
            <span>
              <strong className="preset-title">{l.title}</strong>
              <span className="preset-summary">
                {l.summary} ({l.steps.length} steps)
              </span>
            </span>
          </button>
        ))}
      </div>
    </Dialog>
  );
}
