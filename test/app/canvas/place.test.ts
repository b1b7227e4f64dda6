import { describe, expect, it } from 'vitest';
import { placeInside } from '../../../src/app/canvas/place';

describe('placeInside: a menu or a prompt opened at a point stays whole inside its area', () => {
  it('opens at the point asked for when it fits there', () => {
    expect(placeInside(300, 200, 290, 400, 1280, 720)).toEqual({ left: 300, top: 200 });
  });

  it('moves up and in by its measured size, so its last items (rename, delete) stay on screen', () => {
    // A service's menu at 1280×720: faults and the editing items are taller than 420 px.
    expect(placeInside(1000, 300, 290, 640, 1280, 720)).toEqual({ left: 986, top: 76 });
  });

  it('taller than the area: from the top, clear by the margin', () => {
    expect(placeInside(10, 600, 290, 900, 1024, 768)).toEqual({ left: 10, top: 4 });
  });

  it('a connect prompt for a wire dropped near the canvas’s bottom right opens above and left of it', () => {
    // The canvas at 1024×768 is 724 × 669; the prompt 290 × 183.
    expect(placeInside(700 - 20, 640 - 10, 290, 183, 724, 669, 8)).toEqual({ left: 426, top: 478 });
  });
});
