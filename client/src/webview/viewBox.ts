/**
 * What part of the graph picture the panel shows, as arithmetic on the SVG's viewBox (pure:
 * unit-tested in node): the first view (whole when readable, else the readable window holding the
 * most nodes), Fit (everything), zoom at the pointer, pan, and the flow that suits the panel's
 * shape. The panel shows the whole viewBox (preserveAspectRatio "meet"), so the original box is
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
/** The fitted view never enlarges the picture past its own size (a 2-node graph is not a poster). */
export const MAX_FIT_SCALE = 1;

/** How the picture flows: top to bottom (layers stacked) or left to right. */
export type Flow = 'TB' | 'LR';

export function flowOf(source: string): Flow {
  return /^\s*(?:%%.*\n\s*)*(?:flowchart|graph)\s+(?:LR|RL)\b/.test(source) ? 'LR' : 'TB';
}

/**
 * A graph without layers may flow either way: it follows the panel's shape (left to right in a
 * wide panel, top to bottom in a tall one, as in a narrow column beside an editor), so more of
 * it fits at a readable size. A layered graph (top to bottom) is left as it is.
 */
export function alongPanel(source: string, viewWidth: number, viewHeight: number): string {
  return viewHeight > viewWidth ? source.replace(/^flowchart LR\b/m, 'flowchart TB') : source;
}

/** The box of the panel's aspect that draws `original` at `scale`, centred on it. */
function centredAt(original: Box, viewWidth: number, viewHeight: number, scale: number): Box {
  const width = viewWidth / scale;
  const height = viewHeight / scale;
  return { x: original.x + (original.width - width) / 2, y: original.y + (original.height - height) / 2, width, height };
}

/**
 * Fit: the whole picture in a `viewWidth` x `viewHeight` panel ("meet"), however small its text
 * gets (the Fit button: "show me everything"), never enlarged past MAX_FIT_SCALE.
 */
export function wholeFit(original: Box, viewWidth: number, viewHeight: number): Box {
  if (!(viewWidth > 0 && viewHeight > 0)) return original;
  const scale = Math.min(viewWidth / original.width, viewHeight / original.height);
  return scale > MAX_FIT_SCALE ? centredAt(original, viewWidth, viewHeight, MAX_FIT_SCALE) : original;
}

/**
 * The first view: the whole picture when its text stays at MIN_FONT_PX or more (as `wholeFit`);
 * otherwise the picture at the smallest readable scale, where it starts: a top-down picture
 * (layers) from its top, centred across; a left-to-right one from its left, centred up and down.
 * The panel shows a part to pan from, every label in it readable.
 */
export function readableFit(original: Box, viewWidth: number, viewHeight: number, flow: Flow = 'TB'): Box {
  if (!(viewWidth > 0 && viewHeight > 0)) return original;
  const scale = Math.min(viewWidth / original.width, viewHeight / original.height);
  const least = MIN_FONT_PX / DIAGRAM_FONT_PX;
  if (scale >= least) return wholeFit(original, viewWidth, viewHeight);
  const box = centredAt(original, viewWidth, viewHeight, least);
  return flow === 'TB' ? { ...box, y: original.y } : { ...box, x: original.x };
}

/** Candidate places per axis that `busiestView` tries (evenly picked from the nodes' edges). */
const MAX_CANDIDATES = 60;

/**
 * The first view of a picture too large to show whole at a readable size: the readable-size box
 * (as `readableFit`) moved to where it holds the most whole nodes (`nodes`: their boxes in the
 * picture's units), the flow's start winning a tie; the whole picture when that reads.
 */
export function busiestView(original: Box, nodes: readonly Box[], viewWidth: number, viewHeight: number, flow: Flow = 'TB'): Box {
  const start = readableFit(original, viewWidth, viewHeight, flow);
  if (start.width >= original.width && start.height >= original.height) return start;
  if (!nodes.length) return start;
  const margin = 8;
  const places = (from: (node: Box) => number, low: number, size: number, whole: number, fixed: number) => {
    if (size >= whole) return [fixed];
    const high = low + whole - size;
    const all = [...new Set(nodes.map((node) => Math.min(high, Math.max(low, from(node) - margin))))].sort((a, b) => a - b);
    const step = Math.max(1, Math.ceil(all.length / MAX_CANDIDATES));
    return all.filter((_, index) => index % step === 0);
  };
  const xs = places((node) => node.x, original.x, start.width, original.width, start.x);
  const ys = places((node) => node.y, original.y, start.height, original.height, start.y);
  let best = start;
  let bestCount = -1;
  let bestLead = Infinity;
  for (const x of xs) {
    for (const y of ys) {
      const count = nodes.filter((node) => node.x >= x && node.y >= y && node.x + node.width <= x + start.width
        && node.y + node.height <= y + start.height).length;
      const lead = flow === 'TB' ? y : x; // nearer the flow's start wins a tie
      if (count > bestCount || (count === bestCount && lead < bestLead)) {
        best = { x, y, width: start.width, height: start.height };
        bestCount = count;
        bestLead = lead;
      }
    }
  }
  return best;
}
