/**
 * Where a box that opens at a point (a menu, a prompt) goes so that all of it is inside an area:
 * at the point when it fits, else moved in just enough, `margin` clear of the edges; a box larger
 * than the area starts at its top-left margin.
 */
export function placeInside(x: number, y: number, width: number, height: number, areaWidth: number, areaHeight: number, margin = 4): { left: number; top: number } {
  return { left: Math.max(margin, Math.min(x, areaWidth - width - margin)), top: Math.max(margin, Math.min(y, areaHeight - height - margin)) };
}
