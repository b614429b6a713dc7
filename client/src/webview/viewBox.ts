/**
 * Pan and zoom of the graph picture as arithmetic on the SVG's viewBox (pure: unit-tested in
 * node). The panel shows the whole viewBox (preserveAspectRatio "meet"), so the original box is
 * "fit to the panel"; zooming keeps the point under the pointer where it is.
 */

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Closest and farthest zoom, relative to the original (fitted) picture. */
export const MAX_ZOOM = 20;
export const MIN_ZOOM = 0.25;

export function parseViewBox(text: string | null | undefined): Box | null {
  const numbers = (text ?? '').trim().split(/[\s,]+/).map(Number);
  if (numbers.length !== 4 || numbers.some((n) => !Number.isFinite(n))) return null;
  const [x, y, width, height] = numbers as [number, number, number, number];
  return width > 0 && height > 0 ? { x, y, width, height } : null;
}

export function formatViewBox(box: Box): string {
  return [box.x, box.y, box.width, box.height].map((n) => +n.toFixed(3)).join(' ');
}

/**
 * `factor` > 1 zooms in. `fx`, `fy` (0..1) are the pointer's place in the view: that point of the
 * picture stays under it. The zoom is kept between MIN_ZOOM and MAX_ZOOM of `original`.
 */
export function zoomAt(box: Box, original: Box, factor: number, fx: number, fy: number): Box {
  const zoom = original.width / box.width;
  const wanted = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom * factor));
  const width = original.width / wanted;
  const height = box.height * (width / box.width);
  const px = box.x + fx * box.width;
  const py = box.y + fy * box.height;
  return { x: px - fx * width, y: py - fy * height, width, height };
}

/** Moves the picture by a drag of (`dx`, `dy`) view fractions (drag right: the picture follows). */
export function panBy(box: Box, dx: number, dy: number): Box {
  return { ...box, x: box.x - dx * box.width, y: box.y - dy * box.height };
}

/** Mermaid's flowchart text size (px at scale 1) and the smallest size the fitted view shows it at. */
export const DIAGRAM_FONT_PX = 16;
export const MIN_FONT_PX = 11;

/**
 * The box that fits `original` into a `viewWidth` x `viewHeight` panel ("meet"), unless that
 * would draw the text smaller than MIN_FONT_PX: then the box at the smallest readable scale at
 * the picture's top left (where the first layer starts), to pan from.
 */
export function readableFit(original: Box, viewWidth: number, viewHeight: number): Box {
  if (!(viewWidth > 0 && viewHeight > 0)) return original;
  const scale = Math.min(viewWidth / original.width, viewHeight / original.height);
  const least = MIN_FONT_PX / DIAGRAM_FONT_PX;
  if (scale >= least) return original;
  // The panel's own aspect, so "meet" draws it at exactly the least readable scale.
  const boxWidth = viewWidth / least;
  const boxHeight = viewHeight / least;
  return { x: original.x, y: original.y, width: boxWidth, height: boxHeight };
}
