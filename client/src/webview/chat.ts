/**
 * The architect chat webview: owns the conversation's display and its persisted state
 * (`vscode.setState`, so hiding the panel or reloading the window keeps it); the extension host
 * owns the requests to the server. Rendering goes through `render.ts` (markdown-it + DOMPurify);
 * mermaid blocks become pictures once an answer is complete.
 */

import DOMPurify from 'dompurify';
import { diagramsLoaded } from './diagramsReady';
import { renderInto } from './render';
import { chipLabel, type AskExtras, type Citation, type ContextChip, type ToHost, type ToWebview } from './protocol';

interface VsCodeApi {
  postMessage(message: ToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;


interface StoredMessage {
  id: string;
  role: 'user' | 'assistant';
  text: string;
  status?: 'streaming' | 'done' | 'cancelled' | 'error';
  context?: string;
  citations?: Citation[];
}

interface State {
  version: 1;
  conversationId: string;
  messages: StoredMessage[];
  context: ContextChip | null;
  mode: 'online' | 'offline';
  modeDetail: string;
  draft: string;
}

const vscode = acquireVsCodeApi();
const purify = DOMPurify(window);

const elements = {
  messages: byId('messages'),
  question: byId('question') as HTMLTextAreaElement,
  send: byId('send') as HTMLButtonElement,
  stop: byId('stop') as HTMLButtonElement,
  newConversation: byId('new-conversation') as HTMLButtonElement,
  mode: byId('mode'),
  context: byId('context'),
};

let state: State = restore(vscode.getState());
const pendingRender = new Set<string>();

function byId(id: string): HTMLElement {
  const element = document.getElementById(id);
  if (!element) {
    throw new Error(`missing #${id}`);
  }
  return element;
}

function newId(prefix: string): string {
  const random = new Uint32Array(2);
  crypto.getRandomValues(random);
  return `${prefix}-${Date.now().toString(36)}-${random[0]?.toString(36)}${random[1]?.toString(36)}`;
}

function restore(saved: unknown): State {
  const fresh: State = {
    version: 1,
    conversationId: newId('conversation'),
    messages: [],
    context: null,
    mode: 'offline',
    modeDetail: '',
    draft: '',
  };
  if (typeof saved !== 'object' || saved === null || (saved as State).version !== 1) {
    return fresh;
  }
  const restored = { ...fresh, ...(saved as State) };
  // A stream that was running when the webview went away cannot resume: say so.
  restored.messages = restored.messages.map((message) =>
    message.status === 'streaming' ? { ...message, status: 'cancelled' } : message,
  );
  return restored;
}

function save(): void {
  vscode.setState(state);
}

function post(message: ToHost): void {
  vscode.postMessage(message);
}

// -- rendering --------------------------------------------------------------------------------
function renderAll(): void {
  elements.messages.replaceChildren();
  for (const message of state.messages) {
    elements.messages.append(messageElement(message));
    if (message.role === 'assistant' && message.status !== 'streaming') {
      void renderDiagrams(message.id);
    }
  }
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
  const body = document.createElement('div');
  body.className = 'body';
  element.append(body);
  fillAssistant(element, message);
  return element;
}

function fillAssistant(element: HTMLElement, message: StoredMessage): void {
  element.classList.toggle('done', message.status === 'done');
  element.classList.toggle('cancelled', message.status === 'cancelled');
  element.classList.toggle('error', message.status === 'error');
  element.classList.toggle('streaming', message.status === 'streaming');
  const body = element.querySelector('.body') ?? element;
  const text = message.text || (message.status === 'streaming' ? '…' : '');
  renderInto(document, purify, body, text);
  element.querySelector('.footer')?.remove();
  if (message.status !== 'streaming') {
    const footer = document.createElement('div');
    footer.className = 'footer';
    if (message.status === 'cancelled') {
      const note = document.createElement('span');
      note.className = 'note';
      note.textContent = 'Stopped.';
      footer.append(note);
    }
    const copy = document.createElement('button');
    copy.className = 'copy';
    copy.type = 'button';
    copy.textContent = 'Copy';
    copy.title = 'Copy this answer as Markdown';
    copy.addEventListener('click', () => post({ type: 'copy', text: message.text }));
    footer.append(copy);
    element.append(footer);
  }
}

function renderMode(): void {
  elements.mode.textContent = state.mode === 'online' ? 'online' : 'offline';
  elements.mode.className = `mode ${state.mode}`;
  elements.mode.title = state.modeDetail;
}

function renderContext(): void {
  elements.context.replaceChildren();
  const chip = state.context;
  if (!chip) {
    return;
  }
  const element = document.createElement('span');
  element.className = 'context-chip';
  element.title = `Sent with your question: ${chip.uri}`;
  const label = document.createElement('span');
  label.className = 'chip-label';
  label.textContent = chipLabel(chip);
  const remove = document.createElement('button');
  remove.className = 'chip-remove';
  remove.type = 'button';
  remove.title = 'Do not send this file with the question';
  remove.setAttribute('aria-label', 'Remove context');
  remove.textContent = '×';
  remove.addEventListener('click', () => {
    state.context = null;
    save();
    renderContext();
    post({ type: 'removeContext' });
  });
  element.append(label, remove);
  elements.context.append(element);
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
  const element = elements.messages.querySelector<HTMLElement>(`.message[data-id="${CSS.escape(id)}"]`);
  if (!element) {
    return;
  }
  if (message.status === 'streaming') {
    scheduleRender(id);
  } else {
    fillAssistant(element, message);
    void renderDiagrams(id);
  }
  updateButtons();
}

/** Streaming re-renders at most once a frame, however many chunks arrive. */
function scheduleRender(id: string): void {
  if (pendingRender.has(id)) {
    return;
  }
  pendingRender.add(id);
  requestAnimationFrame(() => {
    pendingRender.delete(id);
    const message = state.messages.find((item) => item.id === id);
    const element = elements.messages.querySelector<HTMLElement>(`.message[data-id="${CSS.escape(id)}"]`);
    if (message && element) {
      fillAssistant(element, message);
      scrollToEnd();
    }
  });
}

function scrollToEnd(): void {
  elements.messages.scrollTop = elements.messages.scrollHeight;
}

async function renderDiagrams(id: string): Promise<void> {
  const selector = `.message[data-id="${CSS.escape(id)}"]`;
  if (!elements.messages.querySelector(`${selector} pre > code.language-mermaid`)) {
    return;
  }
  const draw = await diagramsLoaded();
  const element = elements.messages.querySelector<HTMLElement>(selector);
  if (element) {
    await draw(element, purify);
  }
}

// -- actions ----------------------------------------------------------------------------------
function ask(question: string, extras?: AskExtras): void {
  const text = question.trim();
  if (!text || streaming()) {
    return;
  }
  const userMessage: StoredMessage = {
    id: newId('user'),
    role: 'user',
    text,
    context: state.context ? chipLabel(state.context) : undefined,
  };
  const answer: StoredMessage = { id: newId('answer'), role: 'assistant', text: '', status: 'streaming' };
  state.messages.push(userMessage, answer);
  state.draft = '';
  elements.question.value = '';
  save();
  elements.messages.append(messageElement(userMessage), messageElement(answer));
  updateButtons();
  scrollToEnd();
  post({ type: 'ask', id: answer.id, conversationId: state.conversationId, question: text, context: state.context, extras });
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
  const current = streaming();
  if (current) {
    post({ type: 'stop', id: current.id });
  }
  state = { ...state, conversationId: newId('conversation'), messages: [] };
  save();
  renderAll();
  post({ type: 'newConversation' });
  elements.question.focus();
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
  }
});

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const message = event.data;
  switch (message.type) {
    case 'mode':
      state.mode = message.mode;
      state.modeDetail = message.detail;
      save();
      renderMode();
      break;
    case 'context':
      state.context = message.chip;
      save();
      renderContext();
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
        save();
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
    case 'done':
      update(message.id, {
        text: message.text || (state.messages.find((item) => item.id === message.id)?.text ?? ''),
        status: message.error ? 'error' : 'done',
        citations: message.citations,
      });
      if (!message.error) {
        // The server is the judge of the mode actually used (it falls back to offline).
        state.mode = message.offline ? 'offline' : 'online';
        save();
        renderMode();
      }
      break;
    case 'cancelled':
      update(message.id, { status: 'cancelled' });
      break;
    case 'failed':
      update(message.id, { text: message.message, status: 'error' });
      break;
  }
});

renderAll();
// The page's controls start disabled: nothing can be typed or sent before this script listens.
elements.question.disabled = false;
elements.newConversation.disabled = false;
updateButtons();
post({ type: 'ready' });
