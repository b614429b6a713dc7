/**
 * Activation: the output channel, status item, server, the chat (a side bar view, or an editor
 * tab) and the graph panel (with their serializers, so both come back after a window reload), the
 * previews of proposed changes, the
 * `@architect` participant where the editor has a chat API, the commands, and the listeners that
 * restart the server when the interpreter changes.
 */

import * as vscode from 'vscode';
import { ExtensionChatBackend } from './chat/backend';
import { CHAT_VIEW_TYPE, ChatPanel } from './chat/panel';
import { EditorTracker } from './chat/editors';
import { registerParticipant } from './chat/participant';
import { ProposalPreviews } from './chat/proposals';
import type { ChatServices } from './chat/session';
import { ChatViewProvider } from './chat/view';
import { Commands } from './commands';
import { GRAPH_VIEW_TYPE, GraphPanel } from './graph/panel';
import { onPythonInterpreterChanged } from './python';
import { API_KEY_SECRET, ServerManager } from './server';
import { restartNeeded, SECTION } from './settings';
import { StatusItem } from './status';

let server: ServerManager | undefined;
/** Set by the bundle's first line (client/esbuild.mjs), absent in the unit tests' build. */
declare const __pythonArchitectBundleStart: number | undefined;
const bundleEvaluated = Date.now();

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const activatedAt = Date.now(); // the first start's `Start-up:` line counts from here
  const output = vscode.window.createOutputChannel('Python Architect', { log: true });
  const status = new StatusItem();
  const bundleStart = typeof __pythonArchitectBundleStart === 'number' ? __pythonArchitectBundleStart : undefined;
  server = new ServerManager(context, output, status, { activatedAt, bundleStart, bundleEvaluated });
  const backend = new ExtensionChatBackend(context, server);
  const editors = new EditorTracker();
  const previews = new ProposalPreviews();
  const chatServices: ChatServices = {
    backend, previews, editors, memory: context.workspaceState,
    openInEditor: () => ChatPanel.show(chatServices),
  };
  const chatView = new ChatViewProvider(chatServices);
  const commands = new Commands(context, server, backend, chatView, chatServices);
  const manager = server;
  context.subscriptions.push(output, status, server, backend, editors, previews.register(), chatView.register(), ...commands.register());

  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(CHAT_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => {
        ChatPanel.revive(panel, chatServices);
      },
    }),
    vscode.window.registerWebviewPanelSerializer(GRAPH_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state) => {
        GraphPanel.revive(panel, context.extensionUri, manager, state);
      },
    }),
  );
  const participant = registerParticipant(backend);
  if (participant) {
    context.subscriptions.push(participant);
  }

  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration(SECTION)) {
        return;
      }
      if (restartNeeded((key) => event.affectsConfiguration(key))) {
        manager.scheduleRestart('the interpreter settings changed');
        return;
      }
      if (event.affectsConfiguration(`${SECTION}.chat.offline`)) {
        backend.modeChanged();
      }
      manager.sendConfiguration();
    }),
    context.secrets.onDidChange((event) => {
      if (event.key.startsWith('pythonArchitect.')) {
        backend.modeChanged();
      }
      if (event.key === API_KEY_SECRET) {
        void manager.sendApiKey(); // set in another window too: the running server takes it
      }
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => manager.scheduleRestart('the workspace is now trusted')),
  );
  void onPythonInterpreterChanged(() => manager.scheduleRestart('the Python extension selected another interpreter')).then((disposable) => {
    if (disposable) {
      context.subscriptions.push(disposable);
    }
  });

  // Not awaited: activation returns at once; the status item shows the progress.
  void server.start();
}

export async function deactivate(): Promise<void> {
  await server?.stop();
  server = undefined;
}
