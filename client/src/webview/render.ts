/**
 * Model output to safe DOM: markdown-it (default preset, raw HTML off, code highlighted by
 * `highlight.ts`) then DOMPurify, then ADR ids, file references and the "Set API Key" command
 * turned into links. Pure over a `Document` and a DOMPurify instance, so
 * the unit tests run it in jsdom against the same injections the webview must survive.
 *
 * Links made here carry no `href` that a browser could follow: clicks go to the extension host
 * by message (the webview script handles `a.adr-link` and `a.file-link`).
 */

import MarkdownIt from 'markdown-it';
import type { Config, DOMPurify } from 'dompurify';
import { highlightCode } from './highlight';

/** An ADR id as the knowledge base writes it (`ADR-011`, `ADR-7`). */
export const ADR_ID = /\bADR-\d{1,5}\b/g;

/**
 * A file reference: a relative or absolute path with a known extension, optionally `:line`.
 * Bare file names without a folder (`pyproject.toml`) count too; URLs do not (checked by the
 * caller on the preceding character).
 */
export const FILE_REF = /(?:[A-Za-z0-9_.\-]+\/)*[A-Za-z0-9_\-][A-Za-z0-9_.\-]*\.(?:py|pyi|md|toml|txt|cfg|ini|ya?ml|json)(?::(\d{1,6}))?\b/g;

// `highlight` returns escaped HTML; markdown-it wraps it in <pre><code class="language-…">.
const markdown = new MarkdownIt('default', { html: false, linkify: false, typographer: false, highlight: highlightCode });

/**
 * DOMPurify tests every attribute value that is not known URI-safe against this pattern: it is
 * DOMPurify's default with the schemes narrowed to http(s) and mailto. Values without a scheme
 * (`#x`, `100%`, `0 0 10 10`) pass; `javascript:`, `data:`, `vbscript:` and the rest do not.
 */
const SAFE_URI = /^(?:(?:https?|mailto):|[^a-z]|[a-z+.\-]+(?:[^a-z+.\-:]|$))/i;
/** The same for the SVG of a diagram: no scheme at all (links inside it are removed anyway). */
const SAFE_SVG_VALUE = /^(?:[^a-z]|[a-z+.\-]+(?:[^a-z+.\-:]|$))/i;

const HTML_CONFIG: Config = {
  ALLOWED_URI_REGEXP: SAFE_URI,
  FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed', 'svg', 'math'],
  FORBID_ATTR: ['style', 'id'],
};

const SVG_CONFIG: Config = {
  USE_PROFILES: { svg: true, svgFilters: true },
  ALLOWED_URI_REGEXP: SAFE_SVG_VALUE,
  FORBID_TAGS: ['foreignObject', 'script', 'a', 'image', 'use'],
};

/** Markdown to sanitised HTML (a string; `renderInto` builds the DOM). */
export function toSafeHtml(purify: DOMPurify, text: string): string {
  const html = markdown.render(text);
  return String(purify.sanitize(html, { ...HTML_CONFIG, RETURN_TRUSTED_TYPE: false }));
}

/** Sanitises a rendered mermaid SVG: no script, no handlers, no foreign HTML, no external refs. */
export function sanitizeSvg(purify: DOMPurify, svg: string): string {
  return String(purify.sanitize(svg, { ...SVG_CONFIG, RETURN_TRUSTED_TYPE: false }));
}

/** Renders `text` into `target` (replacing its children) and links ADR ids and file references. */
export function renderInto(doc: Document, purify: DOMPurify, target: Element, text: string): void {
  const template = doc.createElement('template');
  template.innerHTML = toSafeHtml(purify, text);
  linkify(doc, template.content);
  target.replaceChildren(template.content);
  for (const anchor of Array.from(target.querySelectorAll('a[href]'))) {
    // External links open through VS Code's link handling; never inside the webview.
    anchor.setAttribute('rel', 'noopener noreferrer');
  }
}

interface Match {
  start: number;
  end: number;
  make: () => HTMLElement;
}

/** Turns ADR ids and file references in text nodes (outside links and code blocks) into links. */
export function linkify(doc: Document, root: Node): void {
  const walker = doc.createTreeWalker(root, 4 /* NodeFilter.SHOW_TEXT */);
  const texts: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!insideSkipped(node)) {
      texts.push(node as Text);
    }
  }
  for (const node of texts) {
    const matches = findReferences(doc, node.data);
    if (matches.length === 0) {
      continue;
    }
    const fragment = doc.createDocumentFragment();
    let at = 0;
    for (const match of matches) {
      if (match.start > at) {
        fragment.append(doc.createTextNode(node.data.slice(at, match.start)));
      }
      fragment.append(match.make());
      at = match.end;
    }
    if (at < node.data.length) {
      fragment.append(doc.createTextNode(node.data.slice(at)));
    }
    node.replaceWith(fragment);
  }
}

function insideSkipped(node: Node): boolean {
  for (let parent = node.parentElement; parent; parent = parent.parentElement) {
    const tag = parent.tagName.toLowerCase();
    if (tag === 'a' || tag === 'pre') {
      return true;
    }
  }
  return false;
}

/** Command titles an answer may name that become links running the command (offline notice). */
const COMMAND_TITLE = /Python Architect: Set API Key/g;

/** The references in one text, in order, without overlaps (ADR ids win). */
export function references(text: string): { kind: 'adr' | 'file' | 'command'; text: string; start: number; end: number; path?: string; line?: number }[] {
  const found: { kind: 'adr' | 'file' | 'command'; text: string; start: number; end: number; path?: string; line?: number }[] = [];
  for (const match of text.matchAll(COMMAND_TITLE)) {
    found.push({ kind: 'command', text: match[0], start: match.index ?? 0, end: (match.index ?? 0) + match[0].length });
  }
  for (const match of text.matchAll(ADR_ID)) {
    found.push({ kind: 'adr', text: match[0], start: match.index ?? 0, end: (match.index ?? 0) + match[0].length });
  }
  for (const match of text.matchAll(FILE_REF)) {
    const start = match.index ?? 0;
    const before = text.slice(Math.max(0, start - 3), start);
    if (/[:/\\]$/.test(before) || /:\/\/$/.test(before) || /[@\w.-]$/.test(before)) {
      continue; // part of a URL, an e-mail address or a longer word
    }
    const whole = match[0];
    const line = match[1] !== undefined ? Number(match[1]) : undefined;
    const path = line !== undefined ? whole.slice(0, whole.lastIndexOf(':')) : whole;
    if (!path.includes('/') && !/\.(py|pyi|toml)$/.test(path)) {
      continue; // a bare "notes.md" in prose is rarely a workspace file; bare .py/.toml usually are
    }
    found.push({ kind: 'file', text: whole, start, end: start + whole.length, path, line });
  }
  found.sort((a, b) => a.start - b.start || (a.kind === 'file' ? 1 : b.kind === 'file' ? -1 : 0));
  const kept: typeof found = [];
  for (const item of found) {
    const last = kept[kept.length - 1];
    if (!last || item.start >= last.end) {
      kept.push(item);
    }
  }
  return kept;
}

function findReferences(doc: Document, text: string): Match[] {
  return references(text).map((ref) => ({
    start: ref.start,
    end: ref.end,
    make: () => {
      const anchor = doc.createElement('a');
      anchor.textContent = ref.text;
      anchor.setAttribute('href', '#');
      anchor.setAttribute('role', 'link');
      if (ref.kind === 'command') {
        anchor.className = 'command-link';
        anchor.dataset.command = 'pythonArchitect.setApiKey';
        anchor.title = 'Run "Python Architect: Set API Key"';
      } else if (ref.kind === 'adr') {
        anchor.className = 'adr-link';
        anchor.dataset.adr = ref.text;
        anchor.title = `Open ${ref.text} at its Decision`;
      } else {
        anchor.className = 'file-link';
        anchor.dataset.path = ref.path ?? ref.text;
        anchor.dataset.line = String(ref.line ?? 1);
        anchor.title = `Open ${ref.text}`;
      }
      return anchor;
    },
  }));
}
