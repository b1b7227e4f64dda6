/** The one simulation controller, handed to the components that send commands. */
import { createContext, useContext, useSyncExternalStore } from 'react';
import type { SimulationController } from './simulation';
import type { PlaybackState, Speed } from './playback';

export const ControllerContext = createContext<SimulationController | null>(null);

export function useController(): SimulationController {
  const controller = useContext(ControllerContext);
  if (!controller) throw new Error('useController outside <ControllerContext.Provider>');
  return controller;
}

/** The playback actor's state and speed, re-rendering on each transition. */
export function usePlayback(): { state: PlaybackState; speed: Speed } {
  const { actor } = useController();
  const snapshot = useSyncExternalStore(
    (onChange) => {
      const sub = actor.subscribe(onChange);
      return () => sub.unsubscribe();
    },
    () => actor.getSnapshot(),
  );
  return { state: snapshot.value as PlaybackState, speed: snapshot.context.speed };
}
