/**
 * The palette commands (category "Python Architect") and the server commands the client routes
 * itself (`askAboutFinding` and `fixWithArchitect` open the chat — the side bar view, or the
 * editor tab when one is open; `recordDecision` from the palette takes the selection).
 */

import * as vscode from 'vscode';
import { ChatPanel } from './chat/panel';
import type { ChatServices } from './chat/session';
import type { ChatViewProvider } from './chat/view';
import { GraphPanel } from './graph/panel';
import { editorChip, fileChip, openAt, type AdrEntry, type ExtensionChatBackend } from './chat/backend';
import { API_KEY_SECRET, type ServerManager } from './server';

interface FindingArgs {
  uri?: string;
  range?: { start: { line: number; character: number }; end: { line: number; character: number } };
  code?: string;
  adrs?: string[];
  message?: string;
  question?: string;
}

interface CheckResult {
  folders?: number;
  files?: number;
  /** What the Problems panel lists: overrides applied, duplicates merged, no hints. */
  findings?: number;
  hints?: number;
}

export class Commands {
  private lastEditor: vscode.TextEditor | undefined = vscode.window.activeTextEditor;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly server: ServerManager,
    private readonly backend: ExtensionChatBackend,
    private readonly chat: ChatViewProvider,
    private readonly chatServices: ChatServices,
  ) {}

  register(): vscode.Disposable[] {
    const command = (id: string, run: (...args: unknown[]) => unknown) => vscode.commands.registerCommand(id, run);
    this.server.routeCommand = (id, args) => this.route(id, args);
    return [
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor && editor.document.uri.scheme === 'file') {
          this.lastEditor = editor;
        }
      }),
      command('pythonArchitect.openChat', () => this.chat.show()),
      command('pythonArchitect.openChatInEditor', () => {
        ChatPanel.show(this.chatServices);
      }),
      command('pythonArchitect.askAboutSelection', async () => {
        const chip = editorChip(this.editor());
        (await this.chat.show()).prompt('', chip, { send: false });
      }),
      command('pythonArchitect.explainFile', async (uri?: unknown) => {
        const target = uri instanceof vscode.Uri ? uri : this.editor()?.document.uri;
        if (!target) {
          void vscode.window.showInformationMessage('Open a Python file first.');
          return;
        }
        (await this.chat.show()).prompt(
          'Which architecture decisions apply to this file, and does the code follow them?',
          fileChip(target),
          { send: true },
        );
      }),
      command('pythonArchitect.showAdrs', () => this.showAdrs()),
      command('pythonArchitect.checkWorkspace', () => this.checkWorkspace()),
      command('pythonArchitect.showGraph', () => {
        GraphPanel.show(this.context.extensionUri, this.server);
      }),
      command('pythonArchitect.restartServer', () => this.server.restart()),
      command('pythonArchitect.showLogs', () => this.server.output.show(true)),
      command('pythonArchitect.setApiKey', () => this.setApiKey()),
      command('pythonArchitect.clearApiKey', () => this.clearApiKey()),
    ];
  }

  private editor(): vscode.TextEditor | undefined {
    const active = vscode.window.activeTextEditor;
    return active && active.document.uri.scheme === 'file' ? active : this.lastEditor;
  }

  /** Server commands handled here instead of being sent to the server; undefined: send them. */
  private route(id: string, args: unknown[]): Promise<unknown> | undefined {
    // fixWithArchitect carries its own question (asking for a fix as an edit): the same chat path.
    if (id === 'pythonArchitect.askAboutFinding' || id === 'pythonArchitect.fixWithArchitect') {
      return this.askAboutFinding((args[0] ?? {}) as FindingArgs);
    }
    if (id === 'pythonArchitect.recordDecision' && args.length === 0) {
      const editor = this.editor();
      const chip = editorChip(editor);
      if (!editor || !chip?.range) {
        void vscode.window.showInformationMessage('Select the text that states the decision, then run "Record a Decision".');
        return Promise.resolve(false);
      }
      return this.server.request('workspace/executeCommand', { command: id, arguments: [{ uri: chip.uri, range: chip.range }] });
    }
    return undefined;
  }

  private async askAboutFinding(finding: FindingArgs): Promise<boolean> {
    const code = finding.code ?? '';
    const question =
      finding.question?.trim() || `Explain this finding and what the code should do instead: ${code} ${finding.message ?? ''}`.trim();
    let chip = null;
    if (finding.uri) {
      const uri = vscode.Uri.parse(finding.uri);
      const line = (finding.range?.start.line ?? 0) + 1;
      chip = { uri: finding.uri, label: vscode.workspace.asRelativePath(uri, false), startLine: line, endLine: (finding.range?.end.line ?? line - 1) + 1, range: finding.range };
    }
    (await this.chat.show()).prompt(question, chip, { send: true, extras: { code, adrs: finding.adrs ?? [] } });
    return true;
  }

  private async showAdrs(): Promise<void> {
    let adrs: AdrEntry[];
    try {
      adrs = await this.server.request<AdrEntry[]>('pythonArchitect/listAdrs', {});
    } catch (error) {
      void vscode.window.showErrorMessage(error instanceof Error ? error.message : String(error));
      return;
    }
    if (adrs.length === 0) {
      void vscode.window.showInformationMessage('No ADRs found in .ai/adrs/ of this workspace.');
      return;
    }
    const picked = await vscode.window.showQuickPick(
      adrs.map((adr) => ({
        label: `${adr.id}  ${adr.title}`,
        description: adr.status,
        detail: vscode.workspace.asRelativePath(vscode.Uri.parse(adr.uri), false),
        adr,
      })),
      { title: 'Architecture decisions', placeHolder: 'Open an ADR at its Decision', matchOnDescription: true, matchOnDetail: true },
    );
    if (picked) {
      await openAt(vscode.Uri.parse(picked.adr.uri), picked.adr.line);
    }
  }

  private async checkWorkspace(): Promise<void> {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Python Architect: checking the workspace', cancellable: true },
      async (_progress, token) => {
        try {
          return await this.server.request<CheckResult>('pythonArchitect/checkWorkspace', {}, token);
        } catch (error) {
          if (!token.isCancellationRequested) {
            void vscode.window.showErrorMessage(error instanceof Error ? error.message : String(error));
          }
          return undefined;
        }
      },
    );
    if (result) {
      // The same number the status item and the Problems panel show: hints are not problems.
      const problems = result.findings ?? 0;
      this.server.showProblemCount(problems);
      vscode.window.setStatusBarMessage(`Python Architect: ${problems} problem${problems === 1 ? '' : 's'} in ${result.files ?? 0} files`, 10_000);
      await vscode.commands.executeCommand('workbench.actions.view.problems');
    }
  }

  private async setApiKey(): Promise<void> {
    const key = await vscode.window.showInputBox({
      title: 'Anthropic API key for the architect chat',
      prompt: 'Stored in VS Code\'s secret storage; it reaches only the language server, which uses it at once (no restart).',
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() === '' ? 'Enter a key, or press Escape.' : /\s/.test(value.trim()) ? 'A key has no spaces.' : undefined),
    });
    if (!key?.trim()) {
      return;
    }
    await this.context.secrets.store(API_KEY_SECRET, key.trim());
    this.backend.modeChanged();
    await this.server.sendApiKey(); // the running server takes it: no restart, diagnostics stay
    vscode.window.setStatusBarMessage('Python Architect: API key stored; the chat answers online', 5_000);
  }

  private async clearApiKey(): Promise<void> {
    await this.context.secrets.delete(API_KEY_SECRET);
    this.backend.modeChanged();
    await this.server.sendApiKey();
    vscode.window.setStatusBarMessage('Python Architect: API key removed; the chat answers offline', 5_000);
  }
}
