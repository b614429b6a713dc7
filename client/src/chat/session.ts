/**
 * The extension host's side of one chat page (the side bar view or the editor tab): runs
 * `pythonArchitect/chat` requests and streams their text and tool steps to the page, keeps the
 * context chip on the Python editor, answers the page's actions (copy, insert, apply as a
 * previewed diff, open a step's file) and its conversation list (stored by the server).
 * The page owns what it displays; this owns the requests and remembers, in the workspace's
 * state, which conversation is current (so an emptied page gets it back from the server).
 */

import * as vscode from 'vscode';
import type { AgentStep, AskExtras, Citation, ContextChip, ConversationSummary, Proposals, StoredTurn, ToHost, ToWebview } from '../webview/protocol';
import { WEBVIEW_COMMANDS } from '../webview/protocol';
import { editorChip, fileChip, type ChatBackend, type ChatResult } from './backend';
import type { EditorTracker } from './editors';
import type { ProposalPreviews } from './proposals';

const CURRENT_CONVERSATION = 'pythonArchitect.chat.currentConversation';

export interface ChatServices {
  backend: ChatBackend;
  previews: ProposalPreviews;
  editors: EditorTracker;
  /** The workspace's state: the current conversation id. */
  memory: vscode.Memento;
  openInEditor(): void;
}

interface StoredConversation {
  id: string;
  turns: StoredTurn[];
}

export class ChatSession implements vscode.Disposable {
  private readonly requests = new Map<string, vscode.CancellationTokenSource>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly queue: ToWebview[] = [];
  private ready = false;
  private contextRemoved = false;
  private chip: ContextChip | null;

  constructor(
    private readonly webview: vscode.Webview,
    private readonly services: ChatServices,
  ) {
    this.chip = editorChip(services.editors.python);
    this.disposables.push(
      webview.onDidReceiveMessage((message: ToHost) => void this.receive(message)),
      services.editors.onDidChangePython((editor) => this.follow(editor)),
      services.backend.onModeChanged(() => void this.sendMode()),
    );
  }

  /** Puts a question in the chat; `send` asks it at once, else it waits in the input box. */
  prompt(question: string, context: ContextChip | null, options: { send: boolean; extras?: AskExtras }): void {
    this.contextRemoved = context === null;
    this.chip = context;
    this.post({ type: 'prompt', question, context, extras: options.extras, send: options.send });
  }

  /** The chip follows the Python editor (its selection); other files never replace it. */
  private follow(editor: vscode.TextEditor): void {
    const selected = !editor.selection.isEmpty;
    if (this.contextRemoved && !selected) {
      return;
    }
    this.contextRemoved = false;
    this.chip = editorChip(editor);
    this.post({ type: 'context', chip: this.chip });
  }

  private post(message: ToWebview): void {
    if (!this.ready) {
      this.queue.push(message);
      return;
    }
    void this.webview.postMessage(message);
  }

  private async sendMode(): Promise<void> {
    this.post({ type: 'mode', ...(await this.services.backend.mode()) });
  }

  private async receive(message: ToHost): Promise<void> {
    const { backend, previews, editors } = this.services;
    switch (message.type) {
      case 'ready':
        await this.started(message.conversationId, message.empty);
        break;
      case 'ask':
        await this.services.memory.update(CURRENT_CONVERSATION, message.conversationId);
        await this.ask(message.id, message.conversationId, message.question, message.context, message.files, message.extras);
        break;
      case 'stop':
        this.requests.get(message.id)?.cancel();
        this.post({ type: 'cancelled', id: message.id });
        break;
      case 'openAdr':
        await backend.openAdr(message.adr);
        break;
      case 'openFile':
        await backend.openFile(message.path, message.line);
        break;
      case 'openUri':
        await backend.openUri(message.uri, message.line);
        break;
      case 'copy':
        await vscode.env.clipboard.writeText(message.text);
        vscode.window.setStatusBarMessage('Copied', 2_000);
        break;
      case 'insert':
        await this.insert(message.code);
        break;
      case 'applyToSelection':
        await previews.previewSelection(editors.target, message.code);
        break;
      case 'applyProposal':
        await previews.previewProposal(message.path, message.files);
        break;
      case 'removeContext':
        this.contextRemoved = true;
        this.chip = null;
        break;
      case 'addContext':
        await this.addContext();
        break;
      case 'newConversation':
        this.cancelAll();
        await this.services.memory.update(CURRENT_CONVERSATION, undefined);
        break;
      case 'listConversations':
        await this.listConversations();
        break;
      case 'openConversation':
        await this.openConversation(message.id);
        break;
      case 'deleteConversation':
        await this.deleteConversation(message.id);
        break;
      case 'runCommand':
        if ((WEBVIEW_COMMANDS as readonly string[]).includes(message.command)) {
          await vscode.commands.executeCommand(message.command);
        }
        break;
      case 'openInEditor':
        this.services.openInEditor();
        break;
    }
  }

  /** The page is listening: mode, context, what waited; an emptied page gets the current conversation back. */
  private async started(pageConversation: string, empty: boolean): Promise<void> {
    this.ready = true;
    await this.sendMode();
    const queued = this.queue.splice(0);
    if (!queued.some((item) => item.type === 'prompt' || item.type === 'context') && !this.contextRemoved) {
      void this.webview.postMessage({ type: 'context', chip: this.chip } satisfies ToWebview);
    }
    const current = this.services.memory.get<string>(CURRENT_CONVERSATION);
    if (empty && current && current !== pageConversation && !queued.some((item) => item.type === 'prompt')) {
      const stored = await this.request<StoredConversation | null>('pythonArchitect/getConversation', { conversationId: current });
      if (stored && Array.isArray(stored.turns) && stored.turns.length > 0) {
        void this.webview.postMessage({ type: 'conversation', id: stored.id, turns: stored.turns } satisfies ToWebview);
      }
    }
    for (const item of queued) {
      void this.webview.postMessage(item);
    }
  }

  private async request<R>(method: string, params: unknown): Promise<R | undefined> {
    try {
      return await this.services.backend.request<R>(method, params);
    } catch (error) {
      this.services.backend.log(`${method} failed: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  private async listConversations(): Promise<void> {
    const items = await this.request<ConversationSummary[]>('pythonArchitect/listConversations', {});
    this.post(items === undefined
      ? { type: 'conversations', items: [], error: 'The conversations could not be listed: the server is not running (see "Python Architect: Show Logs").' }
      : { type: 'conversations', items });
  }

  private async openConversation(id: string): Promise<void> {
    const stored = await this.request<StoredConversation | null>('pythonArchitect/getConversation', { conversationId: id });
    if (!stored) {
      void vscode.window.showWarningMessage('That conversation is no longer stored.');
      await this.listConversations();
      return;
    }
    this.cancelAll();
    await this.services.memory.update(CURRENT_CONVERSATION, stored.id);
    this.post({ type: 'conversation', id: stored.id, turns: stored.turns ?? [] });
  }

  private async deleteConversation(id: string): Promise<void> {
    await this.request('pythonArchitect/deleteConversation', { conversationId: id });
    if (this.services.memory.get<string>(CURRENT_CONVERSATION) === id) {
      await this.services.memory.update(CURRENT_CONVERSATION, undefined);
      this.post({ type: 'newConversation' });
    }
    await this.listConversations();
  }

  private async insert(code: string): Promise<void> {
    const editor = this.services.editors.target;
    if (!editor) {
      void vscode.window.showInformationMessage('Open a file and place the cursor where the code should go.');
      return;
    }
    const shown = await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn, selection: editor.selection });
    await shown.edit((builder) => builder.replace(shown.selection, code));
  }

  private async addContext(): Promise<void> {
    const current = this.chip?.uri;
    const documents = vscode.workspace.textDocuments.filter((document) =>
      document.uri.scheme === 'file' && document.uri.toString() !== current && !document.isClosed);
    if (documents.length === 0) {
      void vscode.window.showInformationMessage('No other open file to add.');
      return;
    }
    const picked = await vscode.window.showQuickPick(
      documents.map((document) => ({ label: vscode.workspace.asRelativePath(document.uri, false), uri: document.uri })),
      { title: 'Add an open file to the question', placeHolder: 'The architect reads it with the question' },
    );
    if (picked) {
      this.post({ type: 'addedContext', chip: { ...fileChip(picked.uri), wholeFile: true } });
    }
  }

  private async ask(id: string, conversationId: string, question: string, chip: ContextChip | null, files: ContextChip[], extras?: AskExtras): Promise<void> {
    const source = new vscode.CancellationTokenSource();
    this.requests.set(id, source);
    const extra = files.length > 0 ? `\n\n(Also read: ${files.map((file) => `\`${file.label}\``).join(', ')}.)` : '';
    try {
      const result = await this.services.backend.chat(
        { conversationId, question: question + extra, requestId: id, uri: chip?.uri, range: chip?.range, code: extras?.code, adrs: extras?.adrs },
        source.token,
        (chunk) => {
          if (typeof chunk.text === 'string') {
            this.post({ type: 'chunk', id, text: chunk.text });
          } else if (chunk.kind === 'step' && chunk.step && typeof chunk.step === 'object') {
            this.post({ type: 'step', id, step: chunk.step as AgentStep });
          }
        },
      );
      if (!source.token.isCancellationRequested) {
        this.finish(id, result);
      }
    } catch (error) {
      if (!source.token.isCancellationRequested) {
        this.post({ type: 'failed', id, message: error instanceof Error ? error.message : String(error) });
      }
    } finally {
      this.requests.delete(id);
      source.dispose();
    }
  }

  private finish(id: string, result: ChatResult): void {
    const citations: Citation[] = Array.isArray(result.citations) ? result.citations : [];
    this.services.backend.remember(citations);
    const proposals: Proposals | null = result.proposals && Array.isArray(result.proposals.files)
      ? { files: result.proposals.files, refused: Array.isArray(result.proposals.refused) ? result.proposals.refused : [] }
      : null;
    this.post({
      type: 'done', id, text: result.text ?? '', citations, error: result.error ?? null, offline: Boolean(result.offline),
      steps: Array.isArray(result.steps) ? result.steps : [], proposals,
    });
  }

  private cancelAll(): void {
    for (const source of this.requests.values()) {
      source.cancel();
    }
  }

  dispose(): void {
    this.cancelAll();
    this.requests.clear();
    for (const disposable of this.disposables.splice(0)) {
      disposable.dispose();
    }
  }
}
