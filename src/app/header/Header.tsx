/**
 * The page's one header row: the brand and the scenario's name, play/pause and restart, the speed
 * (with the rate the run really keeps when it lags), the simulated clock over the seek slider
 * with the fault bands, the presets, copy link, and the overflow menu (menu.ts) for the rest.
 */
import './header.css';
import type { CSSProperties } from 'react';
import { useApp } from '../store';
import { useController, usePlayback } from '../context';
import { SPEEDS } from '../playback';
import type { Speed } from '../playback';
import { formatClock } from '../format';
import { FaultBands } from '../faults/FaultBands';
import { PresetPicker } from '../PresetPicker';
import { CompareButton } from '../compare/CompareButton';
import { MoreMenu } from './MoreMenu';
import { SeekProgress } from './SeekProgress';
import { lagText } from './lag';

function speedLabel(s: Speed): string {
  return s === 'max' ? 'max' : `${s}×`;
}

export function Header() {
  const controller = useController();
  const { state, speed } = usePlayback();
  const name = useApp((s) => s.scenario?.name ?? '');
  const simTimeMs = useApp((s) => s.simTimeMs);
  const durationMs = useApp((s) => s.durationMs);
  const ready = useApp((s) => s.scenario !== null);
  const embed = useApp((s) => s.embed);
  const realRate = useApp((s) => s.realRate);
  const seeking = useApp((s) => s.seeking);
  const playing = state === 'playing';
  const progress = durationMs > 0 ? Math.min(1, simTimeMs / durationMs) : 0;
  const seekStep = Math.max(1, Math.round(durationMs / 1000));
  const lag = playing ? lagText(realRate, speed) : null;

  return (
    <header className="bar" aria-label="Playback">
      <div className="brand">
        <svg className="logo" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true">
          <path d="M2 17 L8 11 L12 14 L16 6 L22 9" fill="none" stroke="currentColor" strokeWidth="2.6" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
        {/* The page's heading: the app and the scenario on screen. */}
        <h1 className="brand-title">
          <span className="brand-name">Faultline</span>
          <span className="scenario-name" data-testid="scenario-name" title={name}>
            {name}
          </span>
        </h1>
      </div>
      <div className="controls">
        <button
          type="button"
          className="btn btn-primary btn-play"
          onClick={() => controller.togglePlay()}
          disabled={!ready}
          aria-label={playing ? 'Pause' : state === 'finished' ? 'Play again from the start' : 'Play'}
          title="Play / pause (Space)"
          data-testid="play"
        >
          <span aria-hidden="true">{playing ? '❚❚' : '▶'}</span>
          <span className="btn-text">{playing ? 'Pause' : 'Play'}</span>
        </button>
        <button type="button" className="btn btn-icon" onClick={() => controller.restart()} disabled={!ready} aria-label="Restart" title="Restart from 00:00">
          <span aria-hidden="true">↺</span>
        </button>
        <label className="speed" title="Simulated time per second of wall time; max runs as fast as the worker can">
          <span className="speed-word">Speed</span>
          <select aria-label="Speed" value={String(speed)} onChange={(e) => controller.setSpeed(e.target.value === 'max' ? 'max' : (Number(e.target.value) as Speed))}>
            {SPEEDS.map((s) => (
              <option key={String(s)} value={String(s)}>
                {speedLabel(s)}
              </option>
            ))}
          </select>
        </label>
        {lag ? (
          <span className="real-rate" data-testid="real-rate" role="status" title="The simulation cannot keep up: this is the rate it really keeps">
            {lag}
          </span>
        ) : null}
      </div>
      <div className="clock" role="group" aria-label="Simulated time">
        <span className="clock-now" data-testid="clock" role="timer" aria-label="Simulated time now">
          {formatClock(simTimeMs)}
        </span>
        <span className="clock-total">/ {formatClock(durationMs)}</span>
        <div className="clock-slider">
          <FaultBands />
          <input
            type="range"
            className="clock-track"
            aria-label="Seek simulated time"
            aria-valuetext={formatClock(simTimeMs)}
            // Busy while a seek runs (a link's moment, a drag): the clock is not where it goes yet.
            aria-busy={seeking}
            min={0}
            max={durationMs}
            step={seekStep}
            // On the step grid, or the browser snaps it and React sees a value it did not set.
            value={Math.min(durationMs, Math.round(simTimeMs / seekStep) * seekStep)}
            disabled={!ready}
            onChange={(e) => controller.seek(Number(e.target.value))}
            // The slider hands Space and the arrows back to the page once the pointer let go of it.
            onPointerUp={(e) => e.currentTarget.blur()}
            style={{ '--progress': `${progress * 100}%` } as CSSProperties}
          />
        </div>
        <span className={`state state-${state}`} data-testid="playback-state">
          {state}
        </span>
      </div>
      <SeekProgress />
      <div className="meta">
        {embed ? null : <PresetPicker />}
        {embed ? null : <CompareButton />}
        <button type="button" className="btn" onClick={() => void controller.copyLink()} disabled={!ready} aria-label="Copy link" title="Copy a link to this scenario at this moment">
          Copy link
        </button>
        <MoreMenu />
      </div>
    </header>
  );
}
