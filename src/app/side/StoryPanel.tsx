/**
 * The Story tab: the open lesson or challenge (loaded lazily), else the scenario's description
 * and, for a preset, what to watch — each note with the figures it names, live — and what to try.
 */
import { Suspense, lazy } from 'react';
import { useApp } from '../store';
import { Description } from '../Description';
import { presetNamed, usePresets } from '../presets';
import { Figure } from './Figure';

const LessonPanel = lazy(() => import('../workshop/LessonPanel'));
const ChallengePanel = lazy(() => import('../workshop/ChallengePanel'));

export function StoryPanel() {
  const lesson = useApp((s) => s.lesson);
  const challenge = useApp((s) => s.challenge);
  if (lesson !== null || challenge !== null) {
    return (
      <Suspense fallback={<p className="muted">Loading…</p>}>
        {lesson !== null ? <LessonPanel /> : <ChallengePanel />}
      </Suspense>
    );
  }
  return <PresetStory />;
}

export function PresetStory() {
  const name = useApp((s) => s.scenario?.name);
  const description = useApp((s) => s.scenario?.description ?? '');
  const preset = presetNamed(usePresets(), name);
  return (
    <div className="story" data-testid="story">
      <h2 className="story-title" title={name}>
        {name}
      </h2>
      {preset ? (
        <section className="preset-notes" aria-label="What to watch" data-testid="preset-notes">
          <h3 className="side-title">Watch</h3>
          <ul className="watch">
            {preset.watch.map((w, i) => (
              <li key={i} data-testid={`watch-${i}`}>
                <span className="watch-text">{w.text}</span>
                <span className="watch-figures">
                  {w.figures.map((f) => (
                    <Figure key={f} path={f} />
                  ))}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {description ? <Description text={description} /> : null}
      {preset ? (
        <section className="preset-notes" aria-label="Try this">
          <h3 className="side-title">Try this</h3>
          <ul>
            {preset.tryThis.map((t, i) => (
              <li key={i}>{t}</li>
            ))}
          </ul>
        </section>
      ) : null}
      {!preset && !description ? <p className="muted">This scenario has no description. Presets (top right) each tell one story of the course.</p> : null}
    </div>
  );
}
