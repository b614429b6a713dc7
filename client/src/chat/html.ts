/**
 * The chat page's HTML, the same for the side bar view and the editor tab: scripts by nonce from
 * client/out/webview only (the one CSP of `webviewPolicy.ts`), controls disabled until chat.js runs.
 */

import * as vscode from 'vscode';
import { contentSecurityPolicy, makeNonce } from '../webviewPolicy';

export function webviewRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'client', 'out', 'webview');
}

export function chatHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const base = webviewRoot(extensionUri);
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
  <span class="header-actions">
    <button id="history" type="button" title="Earlier conversations: open or delete one" disabled>History</button>
    <button id="new-conversation" type="button" title="Start a new conversation" disabled>New</button>
  </span>
</header>
<div id="history-panel" hidden></div>
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
