/**
 * The architect chat webview (side bar view or editor tab): owns the conversation's display and
 * its persisted state (`vscode.setState`, so hiding the view or reloading the window keeps it);
 * the extension host owns the requests to the server. Answers go through the one render path of
 * `answer.ts` while they stream and when they end: finished code blocks and diagrams are kept,
 * never redrawn under the diagram drawer. The page's own pieces are built in `parts.ts`.
 */

import DOMPurify from 'dompurify';
import { renderAnswer } from './answer';
import { diagramsLoaded } from './diagramsReady';
import { addBlockActions, answerFooter, contextChip, historyList, markProposals, offlineNotice, stepsElement, type BlockAction } from './parts';
import { fromTurns, newId, restore, type State, type StoredMessage } from './chatState';
import { chipLabel, proposalsFor, type AskExtras, type ContextChip, type ToHost, type ToWebview } from './protocol';

interface VsCodeApi {
  postMessage(message: ToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const purify = DOMPurify(window);

const elements = {
  messages: byId('messages'),
  question: byId('question') as HTMLTextAreaElement,
  send: byId('send') as HTMLButtonElement,
  stop: byId('stop') as HTMLButtonElement,
  newConversation: byId('new-conversation') as HTMLButtonElement,
  history: byId('history') as HTMLButtonElement,
  historyPanel: byId('history-panel'),
  mode: byId('mode'),
  context: byId('context'),
};

let state: State = restore(vscode.getState());
const pendingRender = new Map<string, number>();

function byId(id: string): HTMLElement {
  const element = document.getElementById(id);
  if (!element) {
    throw new Error(`missing #${id}`);
  }
  return element;
}

function save(): void {
  vscode.setState(state);
}

function post(message: ToHost): void {
  vscode.postMessage(message);
}

function messageNode(id: string): HTMLElement | null {
  return elements.messages.querySelector<HTMLElement>(`.message[data-id="${CSS.escape(id)}"]`);
}

// -- rendering --------------------------------------------------------------------------------
function renderAll(): void {
  elements.messages.replaceChildren(...state.messages.map(messageElement));
  renderMode();
  renderContext();
  updateButtons();
  if (state.draft || !elements.question.value) {
    elements.question.value = state.draft; // never wipe what was typed before the script ran
  }
}

function messageElement(message: StoredMessage): HTMLElement {
  const element = document.createElement('div');
  element.className = `message ${message.role}`;
  element.dataset.id = message.id;
  if (message.role === 'user') {
    if (message.context) {
      const context = document.createElement('div');
      context.className = 'message-context';
      context.textContent = message.context;
      element.append(context);
    }
    const body = document.createElement('div');
    body.className = 'body';
    body.textContent = message.text; // the user's own words: plain text, never markup
    element.append(body);
    return element;
  }
  const steps = document.createElement('div');
  steps.className = 'steps-holder';
  const body = document.createElement('div');
  body.className = 'body';
  element.append(steps, body);
  fillAssistant(element, message);
  return element;
}

function blockAction(action: BlockAction, code: string, path: string | undefined, message: StoredMessage): void {
  if (action === 'copy') {
    post({ type: 'copy', text: code });
  } else if (action === 'insert') {
    post({ type: 'insert', code });
  } else {
    const files = path ? proposalsFor(message.proposals, path) : [];
    if (path && files.length > 0) {
      post({ type: 'applyProposal', path, files });
    } else {
      post({ type: 'applyToSelection', code });
    }
  }
}

/** The one render path: called per frame while streaming and once when the answer ends. */
function fillAssistant(element: HTMLElement, message: StoredMessage): void {
  const live = message.status === 'streaming';
  for (const status of ['done', 'cancelled', 'error', 'streaming']) {
    element.classList.toggle(status, message.status === status);
  }
  renderSteps(element, message);
  const body = element.querySelector<HTMLElement>('.body') ?? element;
  const text = message.text || (live ? '…' : '');
  renderAnswer(document, purify, body, text, !live, {
    codeBlock: (holder, segment) => addBlockActions(document, holder, segment.code, segment.info,
      (action, code, path) => blockAction(action, code, path, message)),
    diagram: (holder) => void diagramsLoaded().then((draw) => draw(holder, purify)),
  });
  element.querySelector('.footer')?.remove();
  element.querySelector('.offline-notice')?.remove();
  if (live) {
    return;
  }
  markProposals(document, body, message.proposals);
  if (message.offline && state.needsKey) {
    element.append(offlineNotice(document, () => post({ type: 'runCommand', command: 'pythonArchitect.setApiKey' })));
  }
  element.append(answerFooter(document, message.status === 'cancelled', () => post({ type: 'copy', text: message.text })));
}

function renderSteps(element: HTMLElement, message: StoredMessage): void {
  const holder = element.querySelector('.steps-holder');
  if (!holder) {
    return;
  }
  const steps = message.steps ?? [];
  // Rebuilt only when a step arrives or the answer ends, so a list the user opened stays open.
  const key = `${steps.length}:${message.status}`;
  if (holder instanceof HTMLElement && holder.dataset.key === key) {
    return;
  }
  if (holder instanceof HTMLElement) {
    holder.dataset.key = key;
  }
  holder.replaceChildren(...(steps.length === 0 ? [] : [stepsElement(document, steps, message.status === 'streaming',
    (step) => post({ type: 'openUri', uri: step.uri ?? '', line: step.line ?? 0 }))]));
}

function renderMode(): void {
  elements.mode.textContent = state.mode === 'online' ? 'online' : 'offline';
  elements.mode.className = `mode ${state.mode}`;
  elements.mode.title = state.modeDetail;
}

function renderContext(): void {
  const chips: HTMLElement[] = [];
  if (state.context) {
    const selected = state.context.range ? 'the selected lines' : 'the line at the cursor';
    chips.push(contextChip(document, state.context, `Sent with your question: ${state.context.label}, ${selected} and the file around them`, () => {
      state.context = null;
      save();
      renderContext();
      post({ type: 'removeContext' });
    }));
  }
  for (const file of state.files) {
    chips.push(contextChip(document, file, `The architect is asked to read ${file.label} too`, () => {
      state.files = state.files.filter((item) => item.uri !== file.uri);
      save();
      renderContext();
    }));
  }
  const add = document.createElement('button');
  add.type = 'button';
  add.className = 'context-add';
  add.textContent = '+';
  add.title = 'Add another open file to the question';
  add.setAttribute('aria-label', 'Add an open file');
  add.addEventListener('click', () => post({ type: 'addContext' }));
  elements.context.replaceChildren(...chips, add);
}

function streaming(): StoredMessage | undefined {
  return state.messages.find((message) => message.status === 'streaming');
}

function updateButtons(): void {
  const busy = streaming() !== undefined;
  elements.stop.disabled = !busy;
  elements.send.disabled = busy;
}

function update(id: string, change: Partial<StoredMessage>): void {
  const message = state.messages.find((item) => item.id === id);
  if (!message) {
    return;
  }
  Object.assign(message, change);
  save();
  const element = messageNode(id);
  if (element && message.status === 'streaming') {
    scheduleRender(id);
  } else if (element) {
    cancelAnimationFrame(pendingRender.get(id) ?? 0);
    pendingRender.delete(id);
    fillAssistant(element, message);
  }
  updateButtons();
}

/** Streaming re-renders at most once a frame, however many chunks arrive. */
function scheduleRender(id: string): void {
  if (pendingRender.has(id)) {
    return;
  }
  pendingRender.set(id, requestAnimationFrame(() => {
    pendingRender.delete(id);
    const message = state.messages.find((item) => item.id === id);
    const element = messageNode(id);
    if (message && element) {
      fillAssistant(element, message);
      scrollToEnd();
    }
  }));
}

function scrollToEnd(): void {
  elements.messages.scrollTop = elements.messages.scrollHeight;
}

// -- actions ----------------------------------------------------------------------------------
function ask(question: string, extras?: AskExtras): void {
  const text = question.trim();
  if (!text || streaming()) {
    return;
  }
  const labels = [state.context ? chipLabel(state.context) : '', ...state.files.map((file) => file.label)].filter(Boolean);
  const userMessage: StoredMessage = { id: newId('user'), role: 'user', text, context: labels.join(', ') || undefined };
  const answer: StoredMessage = { id: newId('answer'), role: 'assistant', text: '', status: 'streaming', steps: [] };
  state.messages.push(userMessage, answer);
  state.draft = '';
  elements.question.value = '';
  save();
  elements.messages.append(messageElement(userMessage), messageElement(answer));
  updateButtons();
  scrollToEnd();
  post({ type: 'ask', id: answer.id, conversationId: state.conversationId, question: text, context: state.context, files: state.files, extras });
}

function startConversation(id: string, messages: StoredMessage[]): void {
  const current = streaming();
  if (current) {
    post({ type: 'stop', id: current.id });
  }
  state = { ...state, conversationId: id, messages };
  save();
  renderAll();
}

elements.send.addEventListener('click', () => ask(elements.question.value));
elements.question.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    ask(elements.question.value);
  }
});
elements.question.addEventListener('input', () => {
  state.draft = elements.question.value;
  save();
});
elements.stop.addEventListener('click', () => {
  const current = streaming();
  if (current) {
    post({ type: 'stop', id: current.id });
  }
});
elements.newConversation.addEventListener('click', () => {
  startConversation(newId('conversation'), []);
  post({ type: 'newConversation' });
  elements.question.focus();
});
elements.history.addEventListener('click', () => {
  if (!elements.historyPanel.hidden) {
    elements.historyPanel.hidden = true;
    return;
  }
  elements.historyPanel.hidden = false;
  elements.historyPanel.textContent = 'Loading conversations…';
  post({ type: 'listConversations' });
});
elements.messages.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target.closest('a') : null;
  if (!target) {
    return;
  }
  if (target.classList.contains('adr-link') && target.dataset.adr) {
    event.preventDefault();
    post({ type: 'openAdr', adr: target.dataset.adr });
  } else if (target.classList.contains('file-link') && target.dataset.path) {
    event.preventDefault();
    post({ type: 'openFile', path: target.dataset.path, line: Number(target.dataset.line ?? '1') || 1 });
  } else if (target.classList.contains('command-link')) {
    event.preventDefault();
    post({ type: 'runCommand', command: 'pythonArchitect.setApiKey' });
  }
});

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const message = event.data;
  switch (message.type) {
    case 'mode':
      state.mode = message.mode;
      state.modeDetail = message.detail;
      state.needsKey = message.needsKey;
      save();
      renderMode();
      break;
    case 'context':
      state.context = message.chip;
      save();
      renderContext();
      break;
    case 'addedContext':
      if (!state.files.some((file) => file.uri === message.chip.uri) && state.context?.uri !== message.chip.uri) {
        state.files.push(message.chip);
        save();
        renderContext();
      }
      break;
    case 'prompt':
      state.context = message.context;
      renderContext();
      if (message.send && !streaming()) {
        ask(message.question, message.extras);
      } else if (message.question) {
        // An answer is still streaming: the question waits in the box instead of being dropped.
        elements.question.value = message.question;
        state.draft = message.question;
      }
      // (An empty question only sets the context: "Ask About Selection" keeps what was typed.)
      save();
      elements.question.focus();
      break;
    case 'chunk': {
      const target = state.messages.find((item) => item.id === message.id);
      if (target && target.status === 'streaming') {
        update(message.id, { text: target.text + message.text });
      }
      break;
    }
    case 'step': {
      const target = state.messages.find((item) => item.id === message.id);
      if (target && target.status === 'streaming') {
        update(message.id, { steps: [...(target.steps ?? []), message.step] });
      }
      break;
    }
    case 'done': {
      const previous = state.messages.find((item) => item.id === message.id);
      update(message.id, {
        text: message.text || (previous?.text ?? ''),
        status: message.error ? 'error' : 'done',
        citations: message.citations,
        steps: message.steps.length > 0 ? message.steps : previous?.steps,
        proposals: message.proposals,
        offline: message.offline,
      });
      if (!message.error) {
        // The server is the judge of the mode actually used (it falls back to offline).
        state.mode = message.offline ? 'offline' : 'online';
        save();
        renderMode();
      }
      break;
    }
    case 'cancelled':
      update(message.id, { status: 'cancelled' });
      break;
    case 'failed':
      update(message.id, { text: message.message, status: 'error' });
      break;
    case 'conversations':
      elements.historyPanel.replaceChildren(message.error ? document.createTextNode(message.error) : historyList(
        document, message.items, state.conversationId,
        (id) => post({ type: 'openConversation', id }),
        (id) => post({ type: 'deleteConversation', id }),
      ));
      break;
    case 'conversation':
      elements.historyPanel.hidden = true;
      startConversation(message.id, fromTurns(message.turns));
      break;
    case 'newConversation':
      startConversation(newId('conversation'), []);
      break;
  }
});

renderAll();
scrollToEnd(); // a restored conversation opens at its latest answer
// The page's controls start disabled: nothing can be typed or sent before this script listens.
elements.question.disabled = false;
elements.newConversation.disabled = false;
elements.history.disabled = false;
updateButtons();
post({ type: 'ready', conversationId: state.conversationId, empty: state.messages.length === 0 });
