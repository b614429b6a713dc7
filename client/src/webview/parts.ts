/**
 * The pieces of the chat page built with DOM calls only (never from markup): the action bar of a
 * code block (Copy, Insert at Cursor, Apply), the agent's steps as a collapsible list of links,
 * the offline notice with its "Set API Key" link, context chips, an answer's footer and the
 * conversation list.
 */

import { blockTarget, chipLabel, proposalsFor, type AgentStep, type ContextChip, type ConversationSummary, type Proposals } from './protocol';

export type BlockAction = 'copy' | 'insert' | 'apply';

function button(doc: Document, className: string, text: string, title: string): HTMLButtonElement {
  const element = doc.createElement('button');
  element.type = 'button';
  element.className = className;
  element.textContent = text;
  element.title = title;
  return element;
}

/** Adds the action bar above a code block; `act` gets the block's code and its target path. */
export function addBlockActions(
  doc: Document, holder: HTMLElement, code: string, info: string, act: (action: BlockAction, code: string, path?: string) => void,
): void {
  const path = blockTarget(info);
  const bar = doc.createElement('div');
  bar.className = 'block-actions';
  const label = doc.createElement('span');
  label.className = 'block-label';
  label.textContent = path ?? (info.split(/\s+/)[0] || 'code');
  label.title = label.textContent;
  const copy = button(doc, 'block-copy', 'Copy', 'Copy this block');
  const insert = button(doc, 'block-insert', 'Insert', 'Insert at the cursor of the active editor');
  const apply = button(doc, 'block-apply', 'Apply', path
    ? `Preview this change to ${path} as a diff; nothing is written until you accept it`
    : 'Preview this block replacing the selection of the active editor as a diff');
  copy.addEventListener('click', () => act('copy', code));
  insert.addEventListener('click', () => act('insert', code));
  apply.addEventListener('click', () => act('apply', code, path));
  bar.append(label, copy, insert, apply);
  holder.prepend(bar);
}

/** After an answer ends: Apply buttons of blocks that are proposals name their file; refused ones say why. */
export function markProposals(doc: Document, body: Element, proposals: Proposals | null | undefined): void {
  for (const holder of Array.from(body.querySelectorAll<HTMLElement>('.segment.fence[data-info]'))) {
    const path = blockTarget(holder.dataset.info ?? '');
    const apply = holder.querySelector<HTMLButtonElement>('.block-apply');
    if (!path || !apply) {
      continue;
    }
    holder.querySelector('.block-note')?.remove();
    if (proposalsFor(proposals, path).length > 0) {
      apply.title = `Apply to ${path}: preview the change as a diff; nothing is written until you accept it`;
      apply.classList.add('proposal');
      continue;
    }
    const refused = (proposals?.refused ?? []).find((item) => item.path.replace(/^\.\//, '') === path);
    if (refused) {
      apply.disabled = true;
      const note = doc.createElement('div');
      note.className = 'block-note';
      note.textContent = `Not offered as an edit: ${refused.reason}`;
      holder.append(note);
    }
  }
}

/** A label with `code` spans for its back-quoted parts ("Reading `x.py`…"), as text nodes. */
function labelNodes(doc: Document, label: string): Node[] {
  return label.split('`').map((part, index) => {
    if (index % 2 === 0) {
      return doc.createTextNode(part);
    }
    const code = doc.createElement('code');
    code.textContent = part;
    return code;
  });
}

/** The steps list (`details.steps`): open while the answer streams, closed once it is done. */
export function stepsElement(doc: Document, steps: AgentStep[], streaming: boolean, open: (step: AgentStep) => void): HTMLElement {
  const details = doc.createElement('details');
  details.className = 'steps';
  details.open = streaming;
  const summary = doc.createElement('summary');
  summary.textContent = streaming
    ? `Working… ${steps.length} step${steps.length === 1 ? '' : 's'}`
    : `Used ${steps.length} step${steps.length === 1 ? '' : 's'}`;
  const list = doc.createElement('ol');
  for (const step of steps) {
    const item = doc.createElement('li');
    item.className = step.error ? 'step error' : 'step';
    if (step.uri) {
      const link = doc.createElement('a');
      link.className = 'step-link';
      link.href = '#';
      link.dataset.uri = step.uri;
      link.dataset.line = String(step.line ?? 0);
      link.title = `Open ${step.path ?? step.uri}${step.line !== undefined ? ` at line ${step.line + 1}` : ''}`;
      link.append(...labelNodes(doc, step.label));
      link.addEventListener('click', (event) => {
        event.preventDefault();
        open(step);
      });
      item.append(link);
    } else {
      item.append(...labelNodes(doc, step.label));
    }
    if (step.error) {
      const error = doc.createElement('span');
      error.className = 'step-error';
      error.textContent = ` — ${step.error}`;
      item.append(error);
    }
    list.append(item);
  }
  details.append(summary, list);
  return details;
}

/** The note under an offline answer when no key is set: the command as a link that runs it. */
export function offlineNotice(doc: Document, run: () => void): HTMLElement {
  const notice = doc.createElement('div');
  notice.className = 'offline-notice';
  notice.append(doc.createTextNode('Answered offline from your ADRs. '));
  const link = doc.createElement('a');
  link.href = '#';
  link.className = 'run-set-api-key';
  link.textContent = 'Set API Key';
  link.title = 'Run "Python Architect: Set API Key"';
  link.addEventListener('click', (event) => {
    event.preventDefault();
    run();
  });
  notice.append(link, doc.createTextNode(' to have Claude answer with your code and ADRs.'));
  return notice;
}

/** A context chip: its label and an × that removes it. */
export function contextChip(doc: Document, chipValue: ContextChip, title: string, onRemove: () => void): HTMLElement {
  const element = doc.createElement('span');
  element.className = 'context-chip';
  element.title = title;
  const label = doc.createElement('span');
  label.className = 'chip-label';
  label.textContent = chipLabel(chipValue);
  const remove = doc.createElement('button');
  remove.className = 'chip-remove';
  remove.type = 'button';
  remove.title = 'Do not send this with the question';
  remove.setAttribute('aria-label', `Remove ${chipValue.label}`);
  remove.textContent = '×';
  remove.addEventListener('click', onRemove);
  element.append(label, remove);
  return element;
}

/** The footer of a finished answer: "Stopped." when it was, and Copy answer. */
export function answerFooter(doc: Document, stopped: boolean, copy: () => void): HTMLElement {
  const footer = doc.createElement('div');
  footer.className = 'footer';
  if (stopped) {
    const note = doc.createElement('span');
    note.className = 'note';
    note.textContent = 'Stopped.';
    footer.append(note);
  }
  const copyButton = button(doc, 'copy', 'Copy answer', 'Copy this answer as Markdown');
  copyButton.addEventListener('click', copy);
  footer.append(copyButton);
  return footer;
}

/** The conversation list: open one by its title, delete one with ×. */
export function historyList(
  doc: Document, items: ConversationSummary[], current: string, open: (id: string) => void, remove: (id: string) => void,
): HTMLElement {
  const list = doc.createElement('ul');
  list.className = 'history-list';
  if (items.length === 0) {
    const empty = doc.createElement('li');
    empty.className = 'history-empty';
    empty.textContent = 'No earlier conversations in this workspace.';
    list.append(empty);
  }
  for (const item of items) {
    const row = doc.createElement('li');
    row.className = item.id === current ? 'history-item current' : 'history-item';
    row.dataset.id = item.id;
    const title = doc.createElement('a');
    title.href = '#';
    title.className = 'history-open';
    title.textContent = item.title || '(untitled)';
    title.title = `${item.turns} question${item.turns === 1 ? '' : 's'}, ${new Date(item.updated * 1000).toLocaleString()}`;
    title.addEventListener('click', (event) => {
      event.preventDefault();
      open(item.id);
    });
    const remove_ = button(doc, 'history-delete', '×', 'Delete this conversation');
    remove_.setAttribute('aria-label', `Delete ${item.title}`);
    remove_.addEventListener('click', () => remove(item.id));
    row.append(title, remove_);
    list.append(row);
  }
  return list;
}
