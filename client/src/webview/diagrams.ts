/**
 * Mermaid code blocks become pictures: the bundled `mermaid` (strict security level, SVG text
 * labels rather than HTML ones), its SVG sanitised again by DOMPurify (`diagramDraw.ts`). A block
 * that does not parse keeps its source, with a note. Built as its own script (`diagrams.js`,
 * most of the webview's weight) so the chat is usable before it has loaded.
 */

import type { DOMPurify } from 'dompurify';
import mermaid from 'mermaid';
import { drawMermaidBlocks } from './diagramDraw';

mermaid.initialize({
  startOnLoad: false,
  securityLevel: 'strict',
  htmlLabels: false,
  flowchart: { htmlLabels: false },
  theme: document.body.classList.contains('vscode-dark') || document.body.classList.contains('vscode-high-contrast') ? 'dark' : 'default',
});

export function drawDiagrams(root: Element, purify: DOMPurify): Promise<void> {
  return drawMermaidBlocks(document, root, purify, (id, source) => mermaid.render(id, source));
}

(window as Window & { architectDiagrams?: typeof drawDiagrams }).architectDiagrams = drawDiagrams;
window.dispatchEvent(new Event('architect-diagrams-ready'));
