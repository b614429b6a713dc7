/**
 * The chat as an editor tab ("Open Architect Chat in Editor"): a webview panel beside the code,
 * revived by its serializer after a window reload. The page and its host side are the same as
 * the side bar view's (`chatHtml`, `ChatSession`).
 */

import * as vscode from 'vscode';
import { panelOptions } from '../webviewPolicy';
import { chatHtml, webviewRoot } from './html';
import { ChatSession, type ChatServices } from './session';

export const CHAT_VIEW_TYPE = 'pythonArchitect.chat';

export class ChatPanel implements vscode.Disposable {
  private static current: ChatPanel | undefined;
  readonly session: ChatSession;
  private readonly disposables: vscode.Disposable[] = [];

  /** The open tab, if any. */
  static get open(): ChatPanel | undefined {
    return ChatPanel.current;
  }

  /** Shows the tab (creating it when needed) beside the editor. */
  static show(services: ChatServices): ChatPanel {
    if (ChatPanel.current) {
      ChatPanel.current.panel.reveal(undefined, false);
      return ChatPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(
      CHAT_VIEW_TYPE,
      'Architect Chat',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false },
      panelOptions(webviewRoot(services.backend.extensionUri)),
    );
    return new ChatPanel(panel, services);
  }

  /** After a window reload: the serializer hands over the panel VS Code restored. */
  static revive(panel: vscode.WebviewPanel, services: ChatServices): ChatPanel {
    ChatPanel.current?.dispose();
    panel.webview.options = panelOptions(webviewRoot(services.backend.extensionUri));
    return new ChatPanel(panel, services);
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    services: ChatServices,
  ) {
    ChatPanel.current = this;
    this.session = new ChatSession(panel.webview, services);
    panel.webview.html = chatHtml(panel.webview, services.backend.extensionUri);
    this.disposables.push(this.session, panel.onDidDispose(() => this.dispose()));
  }

  dispose(): void {
    if (ChatPanel.current === this) {
      ChatPanel.current = undefined;
    }
    for (const disposable of this.disposables.splice(0)) {
      disposable.dispose();
    }
    this.panel.dispose();
  }
}
