/** The bar on top: play/pause, restart, step, speed, the simulated clock, the seed, copy link. */
import type { CSSProperties } from 'react';
import { useApp } from './store';
import { useController, usePlayback } from './context';
import { SPEEDS } from './playback';
import type { Speed } from './playback';
import { formatClock } from './format';
import { FaultBands } from './faults/FaultBands';

function speedLabel(s: Speed): string {
  return s === 'max' ? 'max' : `${s}×`;
}

export function PlaybackBar() {
  const controller = useController();
  const { state, speed } = usePlayback();
  const name = useApp((s) => s.scenario?.name ?? '');
  const seed = useApp((s) => s.scenario?.seed);
  const simTimeMs = useApp((s) => s.simTimeMs);
  const durationMs = useApp((s) => s.durationMs);
  const ready = useApp((s) => s.scenario !== null);
  const playing = state === 'playing';
  const progress = durationMs > 0 ? Math.min(1, simTimeMs / durationMs) : 0;
  const seekStep = Math.max(1, Math.round(durationMs / 1000));

  return (
    <header className="bar" aria-label="Playback">
      <div className="brand">
        <svg className="logo" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true">
          <path d="M2 17 L8 11 L12 14 L16 6 L22 9" fill="none" stroke="currentColor" strokeWidth="2.6" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
        <span className="brand-name">Faultline</span>
        <span className="scenario-name" data-testid="scenario-name" title={name}>{name}</span>
      </div>
      <div className="controls">
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => controller.togglePlay()}
          disabled={!ready}
          aria-label={playing ? 'Pause' : state === 'finished' ? 'Play again from the start' : 'Play'}
          title="Play / pause (Space)"
          data-testid="play"
        >
          <span aria-hidden="true">{playing ? '❚❚' : '▶'}</span> {playing ? 'Pause' : 'Play'}
        </button>
        <button type="button" className="btn" onClick={() => controller.restart()} disabled={!ready} aria-label="Restart">
          <span aria-hidden="true">↺</span> Restart
        </button>
        <button type="button" className="btn" onClick={() => controller.step()} disabled={!ready || state === 'finished'} aria-label="Step one event">
          Step
        </button>
        <button
          type="button"
          className="btn"
          onClick={() => controller.stepRequest()}
          disabled={!ready || state === 'finished'}
          aria-label="Step to the end of the next request"
          title="Run until the next request ends (N)"
        >
          Step request
        </button>
        <label className="speed">
          <span>Speed</span>
          <select
            aria-label="Speed"
            title="Simulated time per second of wall time; max runs as fast as the worker can"
            value={String(speed)}
            onChange={(e) => controller.setSpeed(e.target.value === 'max' ? 'max' : (Number(e.target.value) as Speed))}
          >
            {SPEEDS.map((s) => (
              <option key={String(s)} value={String(s)}>
                {speedLabel(s)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="clock" role="timer" aria-label="Simulated time">
        <span className="clock-now" data-testid="clock">{formatClock(simTimeMs)}</span>
        <span className="clock-total">/ {formatClock(durationMs)}</span>
        <div className="clock-slider">
        <FaultBands />
        <input
          type="range"
          className="clock-track"
          aria-label="Seek simulated time"
          aria-valuetext={formatClock(simTimeMs)}
          min={0}
          max={durationMs}
          step={seekStep}
          // On the step grid, or the browser snaps it and React sees a value it did not set.
          value={Math.min(durationMs, Math.round(simTimeMs / seekStep) * seekStep)}
          disabled={!ready}
          onChange={(e) => controller.seek(Number(e.target.value))}
          style={{ '--progress': `${progress * 100}%` } as CSSProperties}
        />
        </div>
        <span className={`state state-${state}`} data-testid="playback-state">{state}</span>
      </div>
      <div className="meta">
        <span className="seed" title="The seed: the only source of randomness">
          seed <code data-testid="seed">{seed === undefined ? '' : String(seed)}</code>
        </span>
        <button type="button" className="btn" onClick={() => void controller.copyLink()} disabled={!ready} aria-label="Copy link">
          Copy link
        </button>
      </div>
    </header>
  );
}
