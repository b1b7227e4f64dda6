import { describe, expect, it } from 'vitest';
import { menuPlacement } from '../../../src/app/canvas/ContextMenu';

describe('the context menu’s place', () => {
  it('opens at the point asked for when it fits there', () => {
    expect(menuPlacement(300, 200, 290, 400, 1280, 720)).toEqual({ left: 300, top: 200 });
  });

  it('moves up and in by its measured size, so its last items (rename, delete) stay on screen', () => {
    // A service's menu at 1280×720: faults and the editing items are taller than 420 px.
    expect(menuPlacement(1000, 300, 290, 640, 1280, 720)).toEqual({ left: 986, top: 76 });
  });

  it('taller than the window: from the top, 4 px clear (it scrolls)', () => {
    expect(menuPlacement(10, 600, 290, 900, 1024, 768)).toEqual({ left: 10, top: 4 });
  });
});
