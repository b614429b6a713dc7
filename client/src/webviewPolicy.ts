/**
 * The one Content-Security-Policy of our webviews (chat and graph): nothing remote, scripts only
 * by nonce, inline styles allowed because mermaid puts a <style> inside the SVG it draws; and the
 * one set of panel options both are created (and revived) with.
 */
import type * as vscode from 'vscode';

export function makeNonce(): string {
  const bytes = new Uint8Array(24);
  globalThis.crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}

export function contentSecurityPolicy(webview: vscode.Webview, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource} 'unsafe-inline'`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

/**
 * Options of a panel whose page loads only from `webviewRoot` (client/out/webview). Not kept
 * alive when hidden: the page's state survives through `setState` and a revived panel.
 */
export function panelOptions(webviewRoot: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    retainContextWhenHidden: false,
    localResourceRoots: [webviewRoot],
    enableCommandUris: false,
  };
}
