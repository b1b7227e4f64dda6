/**
 * Playback as a statechart: paused, playing, finished. The machine only decides; the side
 * effects (telling the worker to restart or step) are actions the controller provides.
 * TICK carries each frame's `finished` flag, so reaching the end (or leaving it after a
 * restart) moves the machine whatever caused it.
 */
import { assign, setup } from 'xstate';

export const SPEEDS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 100, 'max'] as const;
export type Speed = (typeof SPEEDS)[number];

export type PlaybackEvent =
  | { type: 'PLAY' }
  | { type: 'PAUSE' }
  | { type: 'SPEED'; speed: Speed }
  | { type: 'RESTART' }
  | { type: 'STEP' }
  | { type: 'TICK'; finished: boolean }
  /** A new document was loaded: back to paused at t=0, nothing to send. */
  | { type: 'LOADED' };

export interface PlaybackContext {
  speed: Speed;
}

export const playbackMachine = setup({
  types: {
    context: {} as PlaybackContext,
    events: {} as PlaybackEvent,
  },
  actions: {
    // Implemented by the controller with machine.provide(); no-ops here keep the machine testable.
    restartRun: () => {},
    stepRun: () => {},
    setSpeed: assign({ speed: ({ context, event }) => (event.type === 'SPEED' ? event.speed : context.speed) }),
  },
  guards: {
    reachedEnd: ({ event }) => event.type === 'TICK' && event.finished,
    leftEnd: ({ event }) => event.type === 'TICK' && !event.finished,
  },
}).createMachine({
  id: 'playback',
  initial: 'paused',
  context: { speed: 1 },
  on: {
    SPEED: { actions: 'setSpeed' },
    RESTART: { target: '.paused', actions: 'restartRun' },
    LOADED: { target: '.paused' },
  },
  states: {
    paused: {
      on: {
        PLAY: { target: 'playing' },
        STEP: { actions: 'stepRun' },
        TICK: { guard: 'reachedEnd', target: 'finished' },
      },
    },
    playing: {
      on: {
        PAUSE: { target: 'paused' },
        STEP: { target: 'paused', actions: 'stepRun' },
        TICK: { guard: 'reachedEnd', target: 'finished' },
      },
    },
    finished: {
      on: {
        // Play at the end starts over.
        PLAY: { target: 'playing', actions: 'restartRun' },
        TICK: { guard: 'leftEnd', target: 'paused' },
      },
    },
  },
});

export type PlaybackState = 'paused' | 'playing' | 'finished';
