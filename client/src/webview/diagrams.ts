/**
 * Mermaid code blocks in a finished answer become pictures: the bundled `mermaid` (strict
 * security level, SVG text labels rather than HTML ones), its SVG sanitised again by DOMPurify.
 * A block that does not parse stays the code block it was. Built as its own script
 * (`diagrams.js`, most of the webview's weight) so the chat is usable before it has loaded.
 */

import type { DOMPurify } from 'dompurify';
import mermaid from 'mermaid';
import { sanitizeSvg } from './render';

let counter = 0;

mermaid.initialize({
  startOnLoad: false,
  securityLevel: 'strict',
  htmlLabels: false,
  flowchart: { htmlLabels: false },
  theme: document.body.classList.contains('vscode-dark') || document.body.classList.contains('vscode-high-contrast') ? 'dark' : 'default',
});

export async function drawDiagrams(root: Element, purify: DOMPurify): Promise<void> {
  for (const code of Array.from(root.querySelectorAll('pre > code.language-mermaid'))) {
    const pre = code.parentElement;
    if (!pre) {
      continue;
    }
    counter += 1;
    const id = `mermaid-${counter}`;
    try {
      const { svg } = await mermaid.render(id, code.textContent ?? '');
      const clean = sanitizeSvg(purify, svg);
      if (!clean.includes('<svg')) {
        continue; // nothing drawable survived: keep the code block
      }
      const holder = document.createElement('div');
      holder.className = 'mermaid-diagram';
      const template = document.createElement('template');
      template.innerHTML = clean;
      holder.append(template.content);
      pre.replaceWith(holder);
    } catch {
      pre.classList.add('mermaid-error');
      pre.title = 'This diagram did not parse; shown as code.';
      // mermaid leaves its error drawing in the body when a diagram fails: remove it.
      document.getElementById(`d${id}`)?.remove();
    }
  }
}

(window as Window & { architectDiagrams?: typeof drawDiagrams }).architectDiagrams = drawDiagrams;
window.dispatchEvent(new Event('architect-diagrams-ready'));
