import { describe, expect, it } from 'vitest';
import { CHALLENGES, LESSONS, parseLesson } from '../../src/scenario/lessons';
import { answerOf, budgetUse, challengeDocument, challengeScore, checkGoal, lessonStepDocument } from '../../src/run/lesson';
import { runToEnd } from '../../src/run/lessonRun';
import { applySettings } from '../../src/scenario/variants';

/** Every lesson run headless: each question answered by its run, each goal missed as the step starts and reached by its documented setting. */
describe('the lessons', () => {
  it('are at least six, in the course order', () => {
    expect(LESSONS.map((l) => l.id)).toEqual(['timeouts', 'retries', 'breakers', 'bulkheads', 'gateway', 'messaging']);
  });

  for (const lesson of LESSONS) {
    lesson.steps.forEach((step, i) => {
      it(`${lesson.id}, step ${i + 1} (${step.title}): opens, answers, and its goal is missed then reached`, () => {
        const start = lessonStepDocument(lesson, i);
        if (!start.ok) throw new Error(start.message);
        const run = runToEnd(start.document);
        if (!run.ok) throw new Error(run.message);
        if (step.question) {
          const answer = answerOf(step.question, run.summary);
          expect(answer.value, `${step.question.metric} has a value`).not.toBeNull();
          expect(answer.index, `one choice holds ${step.question.metric} = ${answer.value}`).toBeGreaterThanOrEqual(0);
        }
        if (step.goal) {
          expect(checkGoal(step.goal, run.summary).every((r) => r.ok), 'the starting document misses the goal').toBe(false);
          const solved = applySettings(start.document, step.goal.solution);
          if (!solved.ok) throw new Error(JSON.stringify(solved.problems));
          const after = runToEnd(solved.document);
          if (!after.ok) throw new Error(after.message);
          const results = checkGoal(step.goal, after.summary);
          expect(results.filter((r) => !r.ok), 'the documented setting reaches the goal').toEqual([]);
          for (const path of Object.keys(step.goal.solution)) expect(step.goal.settings, 'the solution changes a setting the goal offers').toContain(path);
        }
        expect(step.question ?? step.goal, 'a step asks or sets a goal').toBeDefined();
      });
    });
  }

  it('a broken lesson is refused with the path of each problem', () => {
    const r = parseLesson({ id: 'Bad Id', title: 't', summary: 's', order: 1, steps: [{ title: 'x', text: 'y', question: { prompt: 'p', metric: 'm', choices: [{ text: 'only one' }], explain: 'e' } }] });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems.some((p) => p.startsWith('id:'))).toBe(true);
      expect(r.problems.some((p) => p.startsWith('steps.0.question.choices'))).toBe(true);
      expect(r.problems.some((p) => p.includes('the first step must open a preset'))).toBe(true);
    }
  });
});

describe('the challenges', () => {
  for (const c of CHALLENGES) {
    it(`${c.id}: the preset as it is misses the goal; the documented solution meets it within budget and scores`, () => {
      const start = challengeDocument(c);
      if (!start.ok) throw new Error(start.message);
      const before = runToEnd(start.document);
      if (!before.ok) throw new Error(before.message);
      expect(challengeScore(c, start.document, before.summary).score).toBe(0);
      const solved = challengeDocument(c, c.solution);
      if (!solved.ok) throw new Error(solved.message);
      const after = runToEnd(solved.document);
      if (!after.ok) throw new Error(after.message);
      const scored = challengeScore(c, solved.document, after.summary);
      expect(scored.goal.filter((g) => !g.ok)).toEqual([]);
      expect(scored.budget.every((b) => b.ok)).toBe(true);
      expect(scored.score).toBeGreaterThan(100);
      for (const path of Object.keys(c.solution)) expect(c.settings).toContain(path);
    });
  }

  it('overspending the budget scores 0 even when the goal is met', () => {
    const c = CHALLENGES.find((x) => x.id === 'survive-slow-inventory')!;
    const doc = challengeDocument(c, { ...c.solution, 'nodes[orders].concurrency': 50 });
    if (!doc.ok) throw new Error(doc.message);
    expect(budgetUse(c, doc.document)[0]).toMatchObject({ used: 50, ok: false });
    const run = runToEnd(doc.document);
    if (!run.ok) throw new Error(run.message);
    expect(challengeScore(c, doc.document, run.summary).score).toBe(0);
  });
});
