/**
 * The "Architect Chat" webview panel (host side): creates or revives the panel, sends the
 * editor context, runs `pythonArchitect/chat` requests for the webview and cancels them on stop.
 * The webview owns the conversation display and its persisted state; see `webview/chat.ts`.
 */

import * as vscode from 'vscode';
import type { AskExtras, Citation, ContextChip, ToHost, ToWebview } from '../webview/protocol';
import { editorChip, type ChatBackend, type ChatResult } from './backend';
import { contentSecurityPolicy, makeNonce, panelOptions } from '../webviewPolicy';

export const CHAT_VIEW_TYPE = 'pythonArchitect.chat';

export class ChatPanel implements vscode.Disposable {
  private static current: ChatPanel | undefined;
  private readonly requests = new Map<string, vscode.CancellationTokenSource>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly queue: ToWebview[] = [];
  private ready = false;
  private contextRemoved = false;
  private chip: ContextChip | null = null;

  /** Shows the panel (creating it when needed) beside the editor. */
  static show(backend: ChatBackend): ChatPanel {
    if (ChatPanel.current) {
      ChatPanel.current.panel.reveal(undefined, false);
      return ChatPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(
      CHAT_VIEW_TYPE,
      'Architect Chat',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false },
      ChatPanel.options(backend.extensionUri),
    );
    return new ChatPanel(panel, backend);
  }

  /** After a window reload: the serializer hands over the panel VS Code restored. */
  static revive(panel: vscode.WebviewPanel, backend: ChatBackend): ChatPanel {
    ChatPanel.current?.dispose();
    panel.webview.options = ChatPanel.options(backend.extensionUri);
    return new ChatPanel(panel, backend);
  }

  private static options(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return panelOptions(vscode.Uri.joinPath(extensionUri, 'client', 'out', 'webview'));
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly backend: ChatBackend,
  ) {
    ChatPanel.current = this;
    panel.webview.html = this.html();
    this.chip = editorChip(vscode.window.activeTextEditor);
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((message: ToHost) => void this.receive(message)),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor && editor.document.uri.scheme === 'file') {
          this.contextRemoved = false;
          this.updateContext(editor);
        }
      }),
      vscode.window.onDidChangeTextEditorSelection((event) => {
        if (event.textEditor.document.uri.scheme !== 'file') {
          return;
        }
        if (!event.selections.every((selection) => selection.isEmpty)) {
          this.contextRemoved = false;
        }
        this.updateContext(event.textEditor);
      }),
      backend.onModeChanged(() => void this.sendMode()),
    );
  }

  /** Puts a question in the chat; `send` asks it at once, else it waits in the input box. */
  prompt(question: string, context: ContextChip | null, options: { send: boolean; extras?: AskExtras }): void {
    this.contextRemoved = context === null;
    this.chip = context;
    this.post({ type: 'prompt', question, context, extras: options.extras, send: options.send });
  }

  /** The chip for the editor the user was last in (undefined editor: keep the last one). */
  private updateContext(editor: vscode.TextEditor | undefined): void {
    const chip = editorChip(editor);
    if (chip === null || this.contextRemoved) {
      return;
    }
    this.chip = chip;
    this.post({ type: 'context', chip });
  }

  private post(message: ToWebview): void {
    if (!this.ready) {
      this.queue.push(message);
      return;
    }
    void this.panel.webview.postMessage(message);
  }

  private async sendMode(): Promise<void> {
    const { mode, detail } = await this.backend.mode();
    this.post({ type: 'mode', mode, detail });
  }

  private async receive(message: ToHost): Promise<void> {
    switch (message.type) {
      case 'ready': {
        this.ready = true;
        await this.sendMode();
        const queued = this.queue.splice(0);
        if (!queued.some((item) => item.type === 'prompt' || item.type === 'context') && !this.contextRemoved) {
          void this.panel.webview.postMessage({ type: 'context', chip: this.chip } satisfies ToWebview);
        }
        for (const item of queued) {
          void this.panel.webview.postMessage(item);
        }
        break;
      }
      case 'ask':
        await this.ask(message.id, message.conversationId, message.question, message.context, message.extras);
        break;
      case 'stop':
        this.requests.get(message.id)?.cancel();
        this.post({ type: 'cancelled', id: message.id });
        break;
      case 'openAdr':
        await this.backend.openAdr(message.adr);
        break;
      case 'openFile':
        await this.backend.openFile(message.path, message.line);
        break;
      case 'copy':
        await vscode.env.clipboard.writeText(message.text);
        vscode.window.setStatusBarMessage('Answer copied', 2_000);
        break;
      case 'removeContext':
        this.contextRemoved = true;
        this.chip = null;
        break;
      case 'newConversation':
        for (const source of this.requests.values()) {
          source.cancel();
        }
        break;
    }
  }

  private async ask(id: string, conversationId: string, question: string, chip: ContextChip | null, extras?: AskExtras): Promise<void> {
    const source = new vscode.CancellationTokenSource();
    this.requests.set(id, source);
    try {
      const result = await this.backend.chat(
        { conversationId, question, requestId: id, uri: chip?.uri, range: chip?.range, code: extras?.code, adrs: extras?.adrs },
        source.token,
        (text) => this.post({ type: 'chunk', id, text }),
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
    this.backend.remember(citations);
    this.post({ type: 'done', id, text: result.text ?? '', citations, error: result.error ?? null, offline: Boolean(result.offline) });
  }

  private html(): string {
    const webview = this.panel.webview;
    const base = vscode.Uri.joinPath(this.backend.extensionUri, 'client', 'out', 'webview');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(base, 'chat.js'));
    const diagrams = webview.asWebviewUri(vscode.Uri.joinPath(base, 'diagrams.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(base, 'chat.css'));
    const nonce = makeNonce();
    const csp = contentSecurityPolicy(webview, nonce);
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>Architect Chat</title>
</head>
<body>
<header>
  <span id="mode" class="mode"></span>
  <button id="new-conversation" type="button" title="Start a new conversation" disabled>New conversation</button>
</header>
<main id="messages" aria-live="polite"></main>
<footer>
  <div id="context"></div>
  <textarea id="question" rows="3" placeholder="Ask the architect (Enter sends, Shift+Enter adds a line)" disabled></textarea>
  <div class="actions">
    <button id="stop" type="button" disabled>Stop</button>
    <button id="send" type="button" disabled>Send</button>
  </div>
</footer>
<script nonce="${nonce}" src="${script.toString()}"></script>
<script nonce="${nonce}" src="${diagrams.toString()}" async></script>
</body>
</html>`;
  }

  dispose(): void {
    if (ChatPanel.current === this) {
      ChatPanel.current = undefined;
    }
    for (const source of this.requests.values()) {
      source.cancel();
    }
    this.requests.clear();
    for (const disposable of this.disposables.splice(0)) {
      disposable.dispose();
    }
    this.panel.dispose();
  }
}
