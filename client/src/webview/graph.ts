/**
 * The dependency-graph webview (page script `graph.js`): depth and layer controls, the mermaid
 * picture drawn by the shared `diagrams.js` (strict mermaid, SVG re-sanitised by DOMPurify) and
 * fitted to the panel (never below a readable text size) with wheel zoom, drag to pan and a Fit
 * button (`viewBox.ts`); a click on a node opens its module, a click on an edge (or on a listed
 * violating edge) its first import line; the depth select asks again at that depth; labels never
 * wrap mid-word (`GRAPH_DIRECTIVE`). The host (`graph/panel.ts`) asks the server; options persist through
 * `setState`. Server text only ever reaches the page as `textContent` or sanitised SVG.
 */

import DOMPurify from 'dompurify';
import { diagramsLoaded } from './diagramsReady';
import { edgeNodes, GRAPH_DIRECTIVE, nodeNumber, normalizeOptions, orderedViolations, summaryLine, type GraphOptions, type GraphToHost, type GraphToWebview } from './graphModel';
import { formatViewBox, panBy, parseViewBox, readableFit, zoomAt, type Box } from './viewBox';

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
  code.textContent = GRAPH_DIRECTIVE + result.mermaid;
  pre.append(code);
  picture.replaceChildren(pre); // the source shows until mermaid has loaded and drawn it
  const draw = await diagramsLoaded();
  if (mine === generation) {
    await draw(picture, purify);
    zoomable(picture.querySelector('svg'));
  }
}

/** The drawn picture fills the panel (fitted); the wheel zooms at the pointer, a drag pans, Fit resets. */
let fitted: (() => void) | undefined;
function zoomable(svg: SVGSVGElement | null): void {
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
  fitted = () => {
    const rect = svg.getBoundingClientRect();
    apply(readableFit(original, rect.width, rect.height));
  };
  fitted();
  svg.addEventListener('wheel', (event) => {
    event.preventDefault();
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
