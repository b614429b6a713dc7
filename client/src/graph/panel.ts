/**
 * "Python Architect: Show Dependency Graph" (host side): one webview panel that asks the server
 * for `pythonArchitect/graph` of the active file's workspace folder (or the first folder) and
 * hands the answer to `webview/graph.ts`, which draws it with the chat's bundled mermaid; it asks
 * again when a Python file or an ADR is saved, and opens the places the view's clicks name (a
 * node's module, an edge's or a listed violation's import line).
 * Same security as the chat: scripts by nonce only, resources from client/out/webview only.
 */

import * as vscode from 'vscode';
import type { ServerManager } from '../server';
import { contentSecurityPolicy, makeNonce, panelOptions } from '../webviewPolicy';
import { edgePlace, normalizeOptions, type GraphOptions, type GraphResult, type GraphToHost, type GraphToWebview } from '../webview/graphModel';

export const GRAPH_VIEW_TYPE = 'pythonArchitect.graph';

export class GraphPanel implements vscode.Disposable {
  private static current: GraphPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private pending: vscode.CancellationTokenSource | undefined;
  private options: GraphOptions = normalizeOptions(undefined);
  private folderUri: string | undefined;
  private lastResult: GraphResult | undefined;
  private followTimer: NodeJS.Timeout | undefined;

  static show(extensionUri: vscode.Uri, server: ServerManager): GraphPanel {
    const folder = GraphPanel.folder();
    if (GraphPanel.current) {
      GraphPanel.current.panel.reveal(undefined, false);
      GraphPanel.current.folderUri = folder;
      void GraphPanel.current.refresh(GraphPanel.current.options);
      return GraphPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(
      GRAPH_VIEW_TYPE,
      'Dependency Graph',
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
      GraphPanel.webviewOptions(extensionUri),
    );
    return new GraphPanel(panel, extensionUri, server, folder);
  }

  /**
   * A panel VS Code kept across a window reload: the same page again, with the depth and layer
   * grouping the webview had saved (`state`), asking the server afresh.
   */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, server: ServerManager, state: unknown): GraphPanel {
    GraphPanel.current?.dispose();
    panel.webview.options = GraphPanel.webviewOptions(extensionUri);
    const revived = new GraphPanel(panel, extensionUri, server, GraphPanel.folder());
    revived.options = normalizeOptions(state);
    return revived;
  }

  private static webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return panelOptions(vscode.Uri.joinPath(extensionUri, 'client', 'out', 'webview'));
  }

  /** The active file's workspace folder, else the first one (the server's default too). */
  private static folder(): string | undefined {
    const active = vscode.window.activeTextEditor?.document.uri;
    const folder = (active && vscode.workspace.getWorkspaceFolder(active)) ?? vscode.workspace.workspaceFolders?.[0];
    return folder?.uri.toString();
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly server: ServerManager,
    folderUri: string | undefined,
  ) {
    GraphPanel.current = this;
    this.folderUri = folderUri;
    panel.webview.html = this.html();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      // The graph follows edits: a saved Python file (or ADR) may change the imports it draws.
      vscode.workspace.onDidSaveTextDocument((document) => {
        if (/\.(py|pyi|md)$/.test(document.uri.path) && panel.visible) {
          clearTimeout(this.followTimer);
          this.followTimer = setTimeout(() => void this.refresh(this.options), 500);
        }
      }),
      panel.webview.onDidReceiveMessage((message: GraphToHost) => {
        if (message?.type === 'refresh') {
          void this.refresh(normalizeOptions(message.options));
        } else if (message?.type === 'open') {
          void this.open(message);
        } else if (message?.type === 'ready') {
          void this.refresh(this.options);
        }
      }),
    );
  }

  /**
   * Opens what the webview clicked: a node's module or a violation's import line. Only places
   * from the server's last answer, looked up by index here: the page never names a file.
   */
  private async open(message: { node?: unknown; violation?: unknown; edge?: unknown }): Promise<void> {
    const result = this.lastResult;
    const at = (value: unknown) => (typeof value === 'number' && Number.isInteger(value) ? value : -1);
    const place = result?.violations[at(message.violation)] ?? edgePlace(result, message.edge);
    const uri = place?.uri ?? result?.modules?.[at(message.node)] ?? undefined;
    if (!uri || !uri.startsWith('file:')) {
      return;
    }
    const line = place?.line ?? 0;
    const position = new vscode.Position(line, 0);
    await vscode.window.showTextDocument(vscode.Uri.parse(uri), {
      viewColumn: vscode.ViewColumn.Beside, selection: new vscode.Range(position, position), preserveFocus: false,
    });
  }

  private async refresh(options: GraphOptions): Promise<void> {
    this.options = options;
    this.pending?.cancel();
    const source = new vscode.CancellationTokenSource();
    this.pending = source;
    this.post({ type: 'loading', options });
    try {
      const params = { ...options, ...(this.folderUri ? { folderUri: this.folderUri } : {}) };
      const result = await this.server.request<GraphResult>('pythonArchitect/graph', params, source.token);
      if (!source.token.isCancellationRequested) {
        this.lastResult = result;
        this.post({ type: 'graph', options, result });
      }
    } catch (error) {
      if (!source.token.isCancellationRequested) {
        this.post({ type: 'error', options, message: error instanceof Error ? error.message : String(error) });
      }
    } finally {
      if (this.pending === source) {
        this.pending = undefined;
      }
      source.dispose();
    }
  }

  private post(message: GraphToWebview): void {
    void this.panel.webview.postMessage(message);
  }

  private html(): string {
    const webview = this.panel.webview;
    const base = vscode.Uri.joinPath(this.extensionUri, 'client', 'out', 'webview');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(base, 'graph.js'));
    const diagrams = webview.asWebviewUri(vscode.Uri.joinPath(base, 'diagrams.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(base, 'graph.css'));
    const nonce = makeNonce();
    const csp = contentSecurityPolicy(webview, nonce);
    const depths = Array.from({ length: 6 }, (_, index) => index)
      .map((depth) => `<option value="${depth}">${depth === 0 ? 'modules' : depth}</option>`)
      .join('');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>Dependency Graph</title>
</head>
<body>
<header>
  <label>Depth <select id="depth" disabled>${depths}</select></label>
  <label><input id="layers" type="checkbox" disabled> Group by layers</label>
  <button id="refresh" type="button" disabled>Refresh</button>
  <button id="fit" type="button" disabled title="Show the whole graph (wheel: zoom, drag: pan)">Fit</button>
  <span id="summary" aria-live="polite"></span>
</header>
<main id="picture"></main>
<ul id="violations"></ul>
<script nonce="${nonce}" src="${script.toString()}"></script>
<script nonce="${nonce}" src="${diagrams.toString()}" async></script>
</body>
</html>`;
  }

  dispose(): void {
    if (GraphPanel.current === this) {
      GraphPanel.current = undefined;
    }
    this.pending?.cancel();
    clearTimeout(this.followTimer);
    for (const disposable of this.disposables.splice(0)) {
      disposable.dispose();
    }
    this.panel.dispose();
  }
}
