/**
 * The chat as a webview view in its own view container of the secondary side bar (as Copilot
 * Chat's), and the one place the commands get "the chat" from: the editor tab when one is open
 * and visible, else this view, revealed (resolving it when VS Code has not yet).
 */

import * as vscode from 'vscode';
import { chatHtml, webviewRoot } from './html';
import { ChatPanel } from './panel';
import { ChatSession, type ChatServices } from './session';

export const CHAT_SIDE_VIEW = 'pythonArchitect.chatView';

export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private session: ChatSession | undefined;
  private view: vscode.WebviewView | undefined;
  private waiting: ((session: ChatSession) => void)[] = [];

  constructor(private readonly services: ChatServices) {}

  register(): vscode.Disposable {
    return vscode.Disposable.from(
      vscode.window.registerWebviewViewProvider(CHAT_SIDE_VIEW, this),
      this,
    );
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.session?.dispose();
    this.view = view;
    view.webview.options = {
      enableScripts: true,
      localResourceRoots: [webviewRoot(this.services.backend.extensionUri)],
      enableCommandUris: false,
    };
    const session = new ChatSession(view.webview, this.services);
    this.session = session;
    view.webview.html = chatHtml(view.webview, this.services.backend.extensionUri);
    view.onDidDispose(() => {
      if (this.session === session) {
        session.dispose();
        this.session = undefined;
        this.view = undefined;
      }
    });
    for (const resolve of this.waiting.splice(0)) {
      resolve(session);
    }
  }

  /** Reveals the chat and resolves with its session (the editor tab when it is open and visible). */
  async show(): Promise<ChatSession> {
    const tab = ChatPanel.open;
    if (tab && tab.panel.visible) {
      tab.panel.reveal(undefined, false);
      return tab.session;
    }
    const resolved = new Promise<ChatSession>((resolve) => {
      if (this.session && this.view) {
        resolve(this.session);
      } else {
        this.waiting.push(resolve);
      }
    });
    await vscode.commands.executeCommand(`${CHAT_SIDE_VIEW}.focus`);
    return resolved;
  }

  dispose(): void {
    this.session?.dispose();
    this.session = undefined;
  }
}
