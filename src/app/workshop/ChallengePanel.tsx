/**
 * A challenge in the Story tab: a goal under a fixed fault timeline and a budget. The player
 * changes the offered settings and runs; the run on screen is scored (goal met, budget kept,
 * budget left over). The link holds the document and the challenge, so it reproduces the result.
 */
import './workshop.css';
import { useState } from 'react';
import { challengeById } from '../../scenario/lessons';
import type { Challenge } from '../../scenario/lessons';
import { budgetUse, challengeDocument, challengeScore } from '../../run/lesson';
import { useController } from '../context';
import { showToast, useApp } from '../store';
import type { SimulationController } from '../simulation';
import { markdownBlocks } from '../Description';
import { Expectations } from './Expectations';
import { SettingFields, useSettingValues, withFields } from './SettingFields';

/** Opens a challenge: its preset with the fixed fault timeline, from 00:00. */
export async function openChallenge(controller: SimulationController, challenge: Challenge): Promise<void> {
  const doc = challengeDocument(challenge);
  if (!doc.ok) {
    showToast(`The challenge cannot open: ${doc.message}`);
    return;
  }
  controller.setChallenge(challenge.id);
  const r = await controller.openDocument(doc.document);
  if (r !== true) showToast(`The challenge cannot open: ${typeof r === 'string' ? r : r.map((p) => p.message).join('; ')}`);
  controller.setChallenge(challenge.id);
}

type Scored = ReturnType<typeof challengeScore>;

export default function ChallengePanel() {
  const controller = useController();
  const id = useApp((s) => s.challenge);
  const challenge = id ? challengeById(id) : undefined;
  if (!challenge) {
    return (
      <div className="lesson" data-testid="challenge">
        <p>This link names a challenge this Faultline does not have.</p>
        <button type="button" className="btn" onClick={() => controller.setChallenge(null)}>
          Close the challenge
        </button>
      </div>
    );
  }
  return <ChallengeBody challenge={challenge} />;
}

function ChallengeBody({ challenge }: { challenge: Challenge }) {
  const controller = useController();
  const document = useApp((s) => s.document);
  const [values, setValue, resetEdits] = useSettingValues(challenge.settings);
  const [busy, setBusy] = useState(false);
  const [scored, setScored] = useState<Scored | null>(null);
  const [error, setError] = useState<string | null>(null);
  const budget = budgetUse(challenge, document);

  const score = async () => {
    setBusy(true);
    const summary = await controller.runToEnd();
    setBusy(false);
    if (summary) setScored(challengeScore(challenge, useApp.getState().document, summary));
  };
  const run = async () => {
    setError(null);
    const next = withFields(useApp.getState().document, values);
    if (!next.ok) {
      setError(next.message);
      return;
    }
    setScored(null);
    const applied = await controller.setDocument(next.document);
    if (applied !== true) {
      setError(typeof applied === 'string' ? applied : applied.map((p) => `${p.path}: ${p.message}`).join('; '));
      return;
    }
    resetEdits();
    await score();
  };

  return (
    <div className="lesson" data-testid="challenge" aria-label={`Challenge: ${challenge.title}`}>
      <div className="lesson-head">
        <span className="lesson-kicker">Challenge</span>
        <button type="button" className="btn btn-small" onClick={() => controller.setChallenge(null)} aria-label="Close the challenge">
          Close
        </button>
      </div>
      <h2 className="lesson-title">{challenge.title}</h2>
      <div className="step-text">{markdownBlocks(challenge.text)}</div>
      <section className="goal" aria-label="Goal and budget">
        <h4 className="block-title">Goal</h4>
        <Expectations results={challenge.goal.map((g) => ({ metric: g.metric, min: g.min ?? null, max: g.max ?? null, actual: null, ok: false }))} testId="challenge-goal-plan" />
        <h4 className="block-title">Budget</h4>
        <ul className="budget" data-testid="challenge-budget">
          {budget.map((b) => (
            <li key={b.text} className={b.ok ? 'is-met' : 'is-missed'}>
              {b.text}: <strong>{Number.isFinite(b.used) ? b.used : '—'}</strong> of {b.max}
            </li>
          ))}
        </ul>
        <SettingFields paths={challenge.settings} values={values} onChange={setValue} testId="challenge-settings" />
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
        <p className="muted">A result link opens this document as it was played: press the button to run and score it again.</p>
        <div className="goal-actions">
          <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void run()} data-testid="challenge-run">
            {busy ? 'Running…' : 'Apply, run and score'}
          </button>
          <button type="button" className="btn btn-small" disabled={!scored} onClick={() => void controller.copyLink()} data-testid="challenge-share">
            Copy the result link
          </button>
        </div>
      </section>
      {scored ? (
        <div className={`verdict ${scored.score > 0 ? 'is-right' : 'is-wrong'}`} role="status" data-testid="challenge-result" data-score={String(scored.score)}>
          <strong className="score">Score {scored.score}</strong>
          <span>{scored.score > 0 ? ' — goal met within budget (100 points, plus what was left of the budget).' : ' — the goal or the budget was missed.'}</span>
          <Expectations results={scored.goal} testId="challenge-goal" />
        </div>
      ) : null}
    </div>
  );
}
