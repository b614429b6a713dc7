/**
 * The one render path of an answer, for every chunk of a stream and for the final text alike.
 *
 * The answer is split into top-level pieces — prose, and fenced code blocks — and each piece is
 * rendered into its own `div.segment`. A later render keeps every piece whose source did not
 * change, node for node: a completed code block (its highlighting, its action bar, a diagram
 * being drawn or drawn) is never replaced by the chunks that follow it or by the final message.
 * So a mermaid block is handed to the diagram drawer once, the moment its closing fence arrives
 * (mid-answer or in the last chunk), and nothing re-renders it under the drawer afterwards.
 *
 * Pure over a `Document` and a DOMPurify instance (the unit tests run it in jsdom).
 */

import type { DOMPurify } from 'dompurify';
import { fenceLanguage } from './highlight';
import { renderInto } from './render';

export interface Segment {
  kind: 'prose' | 'fence';
  /** The exact source of the piece (a fence with its opening and, when complete, closing line). */
  source: string;
  /** A fence's info string (`python path=app/x.py lines=3-9`). */
  info: string;
  /** A fence's code, without its fence lines. */
  code: string;
  /** A fence whose closing line has arrived (prose is always complete). */
  complete: boolean;
}

export interface AnswerHooks {
  /** A code block that just appeared complete (not mermaid): add its actions. */
  codeBlock?(holder: HTMLElement, segment: Segment): void;
  /** A complete mermaid block that just appeared: draw it (once; the holder is never re-rendered). */
  diagram?(holder: HTMLElement, segment: Segment): void;
}

const OPEN = /^( {0,3})(`{3,}|~{3,})([^\n]*)$/;

/**
 * Splits markdown into prose and top-level fenced blocks, in order; the parts join to `text`.
 * `final`: the text is the whole answer (a closing fence without a newline closes the block).
 */
export function splitAnswer(text: string, final = true): Segment[] {
  const segments: Segment[] = [];
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  let prose = '';
  let index = 0;
  while (index < lines.length) {
    const line = lines[index] ?? '';
    const open = OPEN.exec(line.replace(/\n$/, ''));
    const fence = open?.[2] ?? '';
    // A backtick fence's info string cannot contain a backtick (CommonMark): then it is prose.
    if (!open || (fence.startsWith('`') && (open[3] ?? '').includes('`'))) {
      prose += line;
      index += 1;
      continue;
    }
    if (prose) {
      segments.push({ kind: 'prose', source: prose, info: '', code: '', complete: true });
      prose = '';
    }
    const closing = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}[ \\t]*$`);
    let source = line;
    const code: string[] = [];
    let complete = false;
    index += 1;
    while (index < lines.length) {
      const inner = lines[index] ?? '';
      index += 1;
      source += inner;
      // Mid-stream, the closing line counts once its newline is there: a trailing "```" may
      // still grow into "```python", which is code inside the block, not its end.
      if (closing.test(inner.replace(/\n$/, '')) && (inner.endsWith('\n') || final)) {
        complete = true;
        break;
      }
      code.push(inner);
    }
    segments.push({ kind: 'fence', source, info: (open[3] ?? '').trim(), code: code.join('').replace(/\n$/, ''), complete });
  }
  if (prose) {
    segments.push({ kind: 'prose', source: prose, info: '', code: '', complete: true });
  }
  return segments;
}

/** What each rendered piece was made from: equal keys mean the DOM can stay as it is. */
const renderedFrom = new WeakMap<Element, string>();

function keyOf(segment: Segment): string {
  return `${segment.kind}:${segment.complete ? 1 : 0}:${segment.source}`;
}

/**
 * Renders `text` into `target` (a container owned by this function), reusing every piece that
 * has not changed since the last call and calling the hooks for pieces that are new. `final`
 * is false while the answer streams (a fence still open is shown as code, without actions).
 */
export function renderAnswer(
  doc: Document, purify: DOMPurify, target: Element, text: string, final: boolean, hooks: AnswerHooks = {},
): void {
  const segments = splitAnswer(text, final);
  const existing = Array.from(target.children);
  segments.forEach((segment, position) => {
    const key = keyOf(segment);
    const current = existing[position];
    if (current && renderedFrom.get(current) === key) {
      return; // unchanged: keep the node (and the diagram or actions on it)
    }
    const holder = doc.createElement('div');
    holder.className = `segment ${segment.kind}`;
    renderedFrom.set(holder, key);
    renderInto(doc, purify, holder, segment.source);
    if (current) {
      current.replaceWith(holder);
    } else {
      target.append(holder);
    }
    if (segment.kind === 'fence' && segment.complete) {
      holder.dataset.info = segment.info;
      if (fenceLanguage(segment.info) === 'mermaid') {
        holder.classList.add('diagram-source');
        hooks.diagram?.(holder, segment);
      } else {
        hooks.codeBlock?.(holder, segment);
      }
    }
  });
  for (const extra of existing.slice(segments.length)) {
    extra.remove();
  }
}
