/**
 * The dialogs the header's menu opens, by id (the store's `dialog`). Each is loaded the first
 * time it opens; a feature adds its dialog here and an entry in header/menu.ts.
 */
import { Suspense, lazy } from 'react';
import type { ComponentType, LazyExoticComponent } from 'react';
import { closeDialog, useApp } from './store';

export interface DialogProps {
  onClose: () => void;
}

export const DIALOGS: Record<string, LazyExoticComponent<ComponentType<DialogProps>>> = {
  help: lazy(() => import('./HelpOverlay')),
  embed: lazy(() => import('./share/EmbedDialog')),
  lessons: lazy(() => import('./workshop/LessonsDialog')),
  challenges: lazy(() => import('./workshop/ChallengesDialog')),
};

export function Dialogs() {
  const id = useApp((s) => s.dialog);
  const Open = id === null ? undefined : DIALOGS[id];
  if (!Open) return null;
  return (
    <Suspense fallback={null}>
      <Open onClose={closeDialog} />
    </Suspense>
  );
}
