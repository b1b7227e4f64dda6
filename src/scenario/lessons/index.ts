/**
 * The course's lessons and challenges: JSON files beside this one (docs/lessons.md says how to
 * write one), each validated with zod when this module loads — a broken file fails loudly,
 * naming the file and the path of the problem. Lessons are listed in their `order`.
 */
import timeouts from './01-timeouts.json';
import retries from './02-retries.json';
import breakers from './03-breakers.json';
import bulkheads from './04-bulkheads.json';
import gateway from './05-gateway.json';
import messaging from './06-messaging.json';
import challengeCascade from './challenge-cascade.json';
import challengeStorm from './challenge-storm.json';
import { parseChallenge, parseLesson } from './schema';
import type { Challenge, Lesson } from './schema';

function lesson(file: string, data: unknown): Lesson {
  const r = parseLesson(data);
  if (!r.ok) throw new Error(`lessons/${file}: ${r.problems.join('; ')}`);
  return r.lesson;
}

function challenge(file: string, data: unknown): Challenge {
  const r = parseChallenge(data);
  if (!r.ok) throw new Error(`lessons/${file}: ${r.problems.join('; ')}`);
  return r.challenge;
}

export const LESSONS: readonly Lesson[] = [
  lesson('01-timeouts.json', timeouts),
  lesson('02-retries.json', retries),
  lesson('03-breakers.json', breakers),
  lesson('04-bulkheads.json', bulkheads),
  lesson('05-gateway.json', gateway),
  lesson('06-messaging.json', messaging),
].sort((a, b) => a.order - b.order);

export const CHALLENGES: readonly Challenge[] = [challenge('challenge-cascade.json', challengeCascade), challenge('challenge-storm.json', challengeStorm)];

export function lessonById(id: string): Lesson | undefined {
  return LESSONS.find((l) => l.id === id);
}

export function challengeById(id: string): Challenge | undefined {
  return CHALLENGES.find((c) => c.id === id);
}

export type { Challenge, Choice, Goal, Lesson, Question, Step } from './schema';
export { parseChallenge, parseLesson } from './schema';
