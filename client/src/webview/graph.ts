/**
 * The dependency-graph webview (page script `graph.js`): depth and layer controls, the mermaid
 * picture drawn by the shared `diagrams.js` (strict mermaid, SVG re-sanitised by DOMPurify), first
 * shown whole when its text reads at 11 px or more, else at that size from where it starts, with
 * wheel zoom, drag to pan and a Fit button that shows all of it (`viewBox.ts`); an unlayered
 * graph flows along the panel's longer side; a click on a node opens its module, a click on an
 * edge (or on a listed violating edge) its first import line (layer boxes never take the pointer:
 * `graph.css`); the depth select asks again at that depth; labels break only after dots (the
 * server's) and are never wrapped by mermaid (`GRAPH_DIRECTIVE`). The host (`graph/panel.ts`) asks the server; options persist through
 * `setState`. Server text only ever reaches the page as `textContent` or sanitised SVG.
 */

import DOMPurify from 'dompurify';
import { diagramsLoaded } from './diagramsReady';
import { edgeNodes, GRAPH_DIRECTIVE, nodeNumber, normalizeOptions, orderedViolations, summaryLine, type GraphOptions, type GraphToHost, type GraphToWebview } from './graphModel';
import { alongPanel, busiestView, flowOf, formatViewBox, panBy, parseViewBox, wholeFit, zoomAt, type Box, type Flow } from './viewBox';

interface VsCodeApi {
  postMessage(message: GraphToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;


const vscode = acquireVsCodeApi();
const purify = DOMPurify(window);

const depth = document.getElementById('depth') as HTMLSelectElement;
const layers = document.getElementById('layers') as HTMLInputElement;
const refresh = document.getElementById('refresh') as HTMLButtonElement;
const fit = document.getElementById('fit') as HTMLButtonElement;
const summary = document.getElementById('summary') as HTMLElement;
const picture = document.getElementById('picture') as HTMLElement;
const list = document.getElementById('violations') as HTMLElement;

let generation = 0;

function options(): GraphOptions {
  return normalizeOptions({ depth: Number(depth.value), layers: layers.checked });
}

function show(saved: GraphOptions): void {
  depth.value = String(saved.depth);
  layers.checked = saved.layers;
}

function ask(): void {
  const current = options();
  vscode.setState(current);
  vscode.postMessage({ type: 'refresh', options: current });
}

async function receive(message: GraphToWebview): Promise<void> {
  const mine = ++generation; // a newer answer wins over a slower older one
  show(message.options);
  if (message.type === 'loading') {
    summary.textContent = 'Building the graph…';
    picture.setAttribute('aria-busy', 'true');
    return;
  }
  picture.removeAttribute('aria-busy');
  if (message.type === 'error') {
    summary.textContent = message.message;
    picture.replaceChildren();
    list.replaceChildren();
    return;
  }
  const { result } = message;
  summary.textContent = summaryLine(result);
  list.replaceChildren(...orderedViolations(result.violations).map(({ index, text }) => {
    const item = document.createElement('li');
    item.textContent = text;
    if (result.violations[index]?.uri) {
      // A click opens the import line (the host looks the place up in its own copy of the answer).
      item.tabIndex = 0;
      item.setAttribute('role', 'link');
      item.addEventListener('click', () => vscode.postMessage({ type: 'open', violation: index }));
      item.addEventListener('keydown', (event) => {
        if (event.key === 'Enter') vscode.postMessage({ type: 'open', violation: index });
      });
    }
    return item;
  }));
  if (!result.mermaid.trim()) {
    picture.replaceChildren();
    return;
  }
  const pre = document.createElement('pre');
  const code = document.createElement('code');
  code.className = 'language-mermaid';
  code.textContent = GRAPH_DIRECTIVE + followPanel(result.mermaid);
  pre.append(code);
  picture.replaceChildren(pre); // the source shows until mermaid has loaded and drawn it
  const draw = await diagramsLoaded();
  if (mine === generation) {
    await draw(picture, purify);
    pointUpwardEdges(picture.querySelector('svg'));
    zoomable(picture.querySelector('svg'), flowOf(code.textContent));
  }
}

function followPanel(source: string): string {
  const { width, height } = picture.getBoundingClientRect();
  return alongPanel(source, width, height);
}

/**
 * An import up the layers is drawn from its target (see the server's graph), which leaves its
 * arrowhead out: put mermaid's own start marker on that end, so the arrow points at what is
 * imported, as every other edge does.
 */
function pointUpwardEdges(svg: SVGSVGElement | null): void {
  const marker = svg?.querySelector('marker[id$="-pointStart"]');
  if (!svg || !marker) return;
  for (const path of svg.querySelectorAll('path[data-id^="U_"]')) {
    path.setAttribute('marker-start', `url(#${marker.id})`);
  }
}

/** Each drawn node's box in the picture's own units (the viewBox's). */
function nodeBoxes(svg: SVGSVGElement): Box[] {
  const toPicture = svg.getScreenCTM()?.inverse();
  if (!toPicture) return [];
  const nodes = [...svg.querySelectorAll('g.node')].filter((node) => nodeNumber(node.getAttribute('data-id'), node.id) !== undefined);
  return nodes.map((node) => {
    const rect = node.getBoundingClientRect();
    const corner = new DOMPoint(rect.left, rect.top).matrixTransform(toPicture);
    const far = new DOMPoint(rect.right, rect.bottom).matrixTransform(toPicture);
    return { x: corner.x, y: corner.y, width: far.x - corner.x, height: far.y - corner.y };
  }).filter((box) => box.width > 0 && box.height > 0);
}

/**
 * The drawn picture fills the panel; the wheel zooms at the pointer, a drag pans, Fit shows all.
 * Until the user zooms, pans or fits, the first view follows the panel's size (an editor opened
 * beside it halves its width: the view is chosen again for the narrower panel).
 */
let fitted: (() => void) | undefined;
let resizing: ResizeObserver | undefined;
function zoomable(svg: SVGSVGElement | null, flow: Flow): void {
  resizing?.disconnect();
  const original = parseViewBox(svg?.getAttribute('viewBox'));
  if (!svg || !original) {
    fitted = undefined;
    return;
  }
  let box: Box = original;
  const apply = (next: Box) => {
    box = next;
    svg.setAttribute('viewBox', formatViewBox(box));
  };
  svg.removeAttribute('style'); // mermaid's max-width would keep the picture small
  svg.setAttribute('width', '100%');
  svg.setAttribute('height', '100%');
  // First the readable view (the whole graph when it reads at 11 px or more, else the part with
  // the most nodes at that size); Fit: everything.
  const nodes = nodeBoxes(svg);
  let chosen = false; // the user zoomed, panned or fitted: a resize keeps their view
  const firstView = () => {
    const rect = svg.getBoundingClientRect();
    apply(busiestView(original, nodes, rect.width, rect.height, flow));
  };
  firstView();
  resizing = new ResizeObserver(() => {
    if (!chosen) firstView();
  });
  resizing.observe(svg);
  fitted = () => {
    chosen = true;
    const rect = svg.getBoundingClientRect();
    apply(wholeFit(original, rect.width, rect.height));
  };
  svg.addEventListener('wheel', (event) => {
    event.preventDefault();
    chosen = true;
    const rect = svg.getBoundingClientRect();
    const factor = event.deltaY < 0 ? 1.2 : 1 / 1.2;
    apply(zoomAt(box, original, factor, (event.clientX - rect.left) / rect.width, (event.clientY - rect.top) / rect.height));
  }, { passive: false });
  let last: { x: number; y: number } | undefined;
  let moved = 0;
  svg.addEventListener('pointerdown', (event) => {
    last = { x: event.clientX, y: event.clientY };
    moved = 0;
  });
  svg.addEventListener('pointermove', (event) => {
    if (!last || !(event.buttons & 1)) return;
    const rect = svg.getBoundingClientRect();
    moved += Math.abs(event.clientX - last.x) + Math.abs(event.clientY - last.y);
    chosen ||= moved > 4;
    apply(panBy(box, (event.clientX - last.x) / rect.width, (event.clientY - last.y) / rect.height));
    last = { x: event.clientX, y: event.clientY };
  });
  const stop = () => {
    last = undefined;
  };
  svg.addEventListener('pointerup', stop);
  svg.addEventListener('pointercancel', stop);
  svg.addEventListener('click', (event) => {
    if (moved > 4) return; // the end of a pan, not a click
    const target = event.target as Element | null;
    const node = target?.closest('g.node');
    const number = nodeNumber(node?.getAttribute('data-id'), node?.id);
    if (number !== undefined) {
      vscode.postMessage({ type: 'open', node: number });
      return;
    }
    // An edge: its path, or its label (the import count), whose inner group names the edge.
    const edge = target?.closest('path, g.edgeLabel');
    const label = edge?.matches('g.edgeLabel') ? edge.querySelector('[data-id]') : null;
    const joined = edgeNodes(edge?.getAttribute('data-id'), edge?.id, label?.getAttribute('data-id'), label?.id);
    if (joined) vscode.postMessage({ type: 'open', edge: joined });
  });
}

window.addEventListener('message', (event: MessageEvent<GraphToWebview>) => void receive(event.data));
depth.addEventListener('change', ask);
layers.addEventListener('change', ask);
refresh.addEventListener('click', ask);
fit.addEventListener('click', () => fitted?.());
show(normalizeOptions(vscode.getState()));
for (const control of [depth, layers, refresh, fit]) {
  control.disabled = false;
}
vscode.postMessage({ type: 'ready' });
