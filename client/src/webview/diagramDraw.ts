/**
 * Drawing mermaid blocks, apart from mermaid itself (so the unit tests can hand it any renderer):
 * each `pre > code.language-mermaid` under a root becomes the sanitised SVG the renderer returns;
 * a block the renderer rejects keeps its source and gets a visible note saying why, so a bad
 * diagram never looks like one still loading.
 */

import type { DOMPurify } from 'dompurify';
import { sanitizeSvg } from './render';

export type RenderMermaid = (id: string, source: string) => Promise<{ svg: string }>;

let counter = 0;

export async function drawMermaidBlocks(doc: Document, root: Element, purify: DOMPurify, render: RenderMermaid): Promise<void> {
  for (const code of Array.from(root.querySelectorAll('pre > code.language-mermaid'))) {
    const pre = code.parentElement;
    if (!pre || pre.classList.contains('mermaid-error')) {
      continue;
    }
    counter += 1;
    const id = `mermaid-${counter}`;
    let reason = 'nothing drawable was left after sanitising';
    try {
      const { svg } = await render(id, code.textContent ?? '');
      const clean = sanitizeSvg(purify, svg);
      if (clean.includes('<svg')) {
        const holder = doc.createElement('div');
        holder.className = 'mermaid-diagram';
        const template = doc.createElement('template');
        template.innerHTML = clean;
        holder.append(template.content);
        pre.replaceWith(holder);
        continue;
      }
    } catch (error) {
      reason = firstLine(error);
      // mermaid leaves its error drawing in the body when a diagram fails: remove it.
      doc.getElementById(`d${id}`)?.remove();
    }
    pre.classList.add('mermaid-error');
    pre.title = 'This diagram could not be drawn; its source is shown.';
    const note = doc.createElement('div');
    note.className = 'diagram-note';
    note.textContent = `This diagram could not be drawn (${reason}); its source is shown below.`;
    pre.before(note);
  }
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = text.split('\n').map((part) => part.trim()).find(Boolean) ?? 'mermaid rejected it';
  return line.length > 160 ? `${line.slice(0, 157)}…` : line;
}
