/**
 * The hand-over between a page script (chat.js, graph.js) and diagrams.js, the much larger mermaid
 * bundle that loads after it: diagrams.js sets `window.architectDiagrams` and fires
 * `architect-diagrams-ready`. Kept apart from diagrams.ts so page scripts do not bundle mermaid.
 */

import type DOMPurify from 'dompurify';

export type DrawDiagrams = (root: Element, purify: ReturnType<typeof DOMPurify>) => Promise<void>;
type DiagramWindow = Window & { architectDiagrams?: DrawDiagrams };

export function diagramsLoaded(): Promise<DrawDiagrams> {
  const ready = (window as DiagramWindow).architectDiagrams;
  if (ready) {
    return Promise.resolve(ready);
  }
  return new Promise((resolve) => {
    window.addEventListener('architect-diagrams-ready', () => {
      const draw = (window as DiagramWindow).architectDiagrams;
      if (draw) {
        resolve(draw);
      }
    }, { once: true });
  });
}
