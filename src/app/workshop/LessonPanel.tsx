/**
 * A lesson in the Story tab: the step's story, its "predict, then run" question (the answer is
 * read from the run on screen once it reaches its end, never stored), and its goal — settings to
 * change, checked as expectations against the run. The lesson and step travel in the link.
 */
import './workshop.css';
import { useState } from 'react';
import { lessonById } from '../../scenario/lessons';
import type { Lesson } from '../../scenario/lessons';
import { answerOf, checkGoal, lessonStepDocument } from '../../run/lesson';
import type { ExpectationResult } from '../../run/expect';
import { useController } from '../context';
import { showToast, useApp } from '../store';
import type { SimulationController } from '../simulation';
import { markdownBlocks } from '../Description';
import { figureLabel, formatFigure } from '../side/figures';
import { Expectations } from './Expectations';
import { SettingFields, useSettingValues, withFields } from './SettingFields';

/** Opens step `index` of a lesson: its document (preset, settings, faults) from 00:00, paused. */
export async function openLessonStep(controller: SimulationController, lesson: Lesson, index: number): Promise<void> {
  const doc = lessonStepDocument(lesson, index);
  if (!doc.ok) {
    showToast(`This step cannot open: ${doc.message}`);
    return;
  }
  controller.setLesson({ id: lesson.id, step: index });
  const r = await controller.openDocument(doc.document);
  if (r !== true) showToast(`This step cannot open: ${typeof r === 'string' ? r : r.map((p) => p.message).join('; ')}`);
  controller.setLesson({ id: lesson.id, step: index });
}

export default function LessonPanel() {
  const controller = useController();
  const at = useApp((s) => s.lesson);
  const lesson = at ? lessonById(at.id) : undefined;
  if (!at || !lesson) {
    return (
      <div className="lesson" data-testid="lesson">
        <p>This link names a lesson this Faultline does not have.</p>
        <button type="button" className="btn" onClick={() => controller.setLesson(null)}>
          Close the lesson
        </button>
      </div>
    );
  }
  const index = Math.min(at.step, lesson.steps.length - 1);
  // A new step starts with a fresh question and goal.
  return <LessonStep key={`${lesson.id}:${index}`} lesson={lesson} index={index} />;
}

function LessonStep({ lesson, index }: { lesson: Lesson; index: number }) {
  const controller = useController();
  const step = lesson.steps[index]!;
  const last = index === lesson.steps.length - 1;
  return (
    <div className="lesson" data-testid="lesson" aria-label={`Lesson: ${lesson.title}`}>
      <div className="lesson-head">
        <span className="lesson-kicker">
          Lesson {lesson.order} · step {index + 1} of {lesson.steps.length}
        </span>
        <button type="button" className="btn btn-small" onClick={() => controller.setLesson(null)} aria-label="Close the lesson">
          Close
        </button>
      </div>
      <h2 className="lesson-title">{lesson.title}</h2>
      <ol className="lesson-steps" aria-label="Steps">
        {lesson.steps.map((s, i) => (
          <li key={i} className={i === index ? 'is-current' : i < index ? 'is-done' : ''} aria-current={i === index ? 'step' : undefined} title={s.title}>
            {i + 1}
          </li>
        ))}
      </ol>
      <h3 className="step-title" data-testid="step-title">
        {step.title}
      </h3>
      <div className="step-text">{markdownBlocks(step.text)}</div>
      {step.question ? <QuestionBlock question={step.question} /> : null}
      {step.goal ? <GoalBlock goal={step.goal} /> : null}
      <div className="lesson-nav">
        <button type="button" className="btn" disabled={index === 0} onClick={() => void openLessonStep(controller, lesson, index - 1)} data-testid="step-prev">
          ← Back
        </button>
        <button type="button" className="btn" onClick={() => void openLessonStep(controller, lesson, index)} title="Open this step's scenario again from 00:00" data-testid="step-reset">
          Reset step
        </button>
        {last ? (
          <button type="button" className="btn btn-primary" onClick={() => controller.setLesson(null)} data-testid="lesson-finish">
            Finish
          </button>
        ) : (
          <button type="button" className="btn btn-primary" onClick={() => void openLessonStep(controller, lesson, index + 1)} data-testid="step-next">
            Next →
          </button>
        )}
      </div>
    </div>
  );
}

type Q = NonNullable<Lesson['steps'][number]['question']>;
type G = NonNullable<Lesson['steps'][number]['goal']>;

function QuestionBlock({ question }: { question: Q }) {
  const controller = useController();
  const [choice, setChoice] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ index: number; value: number | null } | null>(null);
  const check = async () => {
    setBusy(true);
    const summary = await controller.runToEnd();
    setBusy(false);
    if (summary) setResult(answerOf(question, summary));
  };
  const right = result !== null && result.index === choice;
  return (
    <section className="question" aria-label="Predict, then run" data-testid="question">
      <h4 className="block-title">Predict, then run</h4>
      <fieldset disabled={result !== null || busy}>
        <legend>{question.prompt}</legend>
        {question.choices.map((c, i) => (
          <label key={i} className={`choice${result !== null && result.index === i ? ' is-answer' : ''}`}>
            <input type="radio" name="choice" checked={choice === i} onChange={() => setChoice(i)} data-testid={`choice-${i}`} />
            <span>{c.text}</span>
          </label>
        ))}
      </fieldset>
      {result === null ? (
        <button type="button" className="btn btn-primary" disabled={choice === null || busy} onClick={() => void check()} data-testid="question-run">
          {busy ? 'Running…' : 'Lock in and run to the end'}
        </button>
      ) : (
        <div className={`verdict ${right ? 'is-right' : 'is-wrong'}`} role="status" data-testid="question-verdict" data-right={String(right)}>
          <strong>{right ? 'Right.' : result.index < 0 ? 'The run fits none of the choices.' : `Not quite: “${question.choices[result.index]!.text}”.`}</strong>{' '}
          The run says {figureLabel(question.metric)} = <strong data-testid="question-value">{formatFigure(question.metric, result.value)}</strong>. {question.explain}
          <div>
            <button type="button" className="btn btn-small" onClick={() => setResult(null)}>
              Ask again
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

function GoalBlock({ goal }: { goal: G }) {
  const controller = useController();
  const [values, setValue, resetEdits] = useSettingValues(goal.settings);
  const [busy, setBusy] = useState(false);
  const [results, setResults] = useState<ExpectationResult[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [showSolution, setShowSolution] = useState(false);
  const run = async () => {
    setError(null);
    const next = withFields(useApp.getState().document, values);
    if (!next.ok) {
      setError(next.message);
      return;
    }
    setBusy(true);
    const applied = await controller.setDocument(next.document);
    if (applied !== true) {
      setBusy(false);
      setError(typeof applied === 'string' ? applied : applied.map((p) => `${p.path}: ${p.message}`).join('; '));
      return;
    }
    resetEdits();
    const summary = await controller.runToEnd();
    setBusy(false);
    if (summary) setResults(checkGoal(goal, summary));
  };
  const reached = results !== null && results.every((r) => r.ok);
  return (
    <section className="goal" aria-label="Goal" data-testid="goal">
      <h4 className="block-title">Goal</h4>
      <p className="goal-text">{goal.text}</p>
      <SettingFields paths={goal.settings} values={values} onChange={setValue} testId="goal-settings" />
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="goal-actions">
        <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void run()} data-testid="goal-run">
          {busy ? 'Running…' : 'Apply and run to the end'}
        </button>
        <button type="button" className="btn btn-small" onClick={() => setShowSolution((v) => !v)} aria-expanded={showSolution} data-testid="goal-hint">
          {showSolution ? 'Hide the answer' : 'Show an answer'}
        </button>
      </div>
      {showSolution ? (
        <div className="solution" data-testid="goal-solution">
          {Object.entries(goal.solution).map(([path, value]) => (
            <div key={path}>
              <code>{path}</code> = <code>{JSON.stringify(value)}</code>
            </div>
          ))}
          <button type="button" className="btn btn-small" onClick={() => Object.entries(goal.solution).forEach(([p, v]) => setValue(p, JSON.stringify(v)))} data-testid="goal-use-solution">
            Put it in the fields
          </button>
        </div>
      ) : null}
      {results ? (
        <div className={`verdict ${reached ? 'is-right' : 'is-wrong'}`} role="status" data-testid="goal-verdict" data-reached={String(reached)}>
          <strong>{reached ? 'Goal reached.' : 'Not yet.'}</strong>
          <Expectations results={results} testId="goal-results" />
        </div>
      ) : null}
    </section>
  );
}
