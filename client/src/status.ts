/**
 * The language status item (the `{}` entry in the status bar for Python files): starting,
 * ready with the ADR count (and, after "Check Workspace", the problem count it reported: the
 * number the Problems panel lists, hints left out), or error. Clicking it opens the logs.
 * Modelled on ruff-vscode's.
 */

import * as vscode from 'vscode';

export type ServerState = 'starting' | 'ready' | 'error' | 'stopped';

export class StatusItem implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;
  private readonly adrs = new Map<string, number>();
  private folderErrors = new Map<string, string>();
  private problemCount: number | undefined;
  state: ServerState = 'stopped';

  constructor() {
    this.item = vscode.languages.createLanguageStatusItem('pythonArchitect.status', [
      { language: 'python' },
      { pattern: '**/.ai/adrs/*.md' },
    ]);
    this.item.name = 'Python Architect';
    this.item.command = { title: 'Show Logs', command: 'pythonArchitect.showLogs' };
    this.starting();
  }

  starting(): void {
    this.state = 'starting';
    this.adrs.clear();
    this.folderErrors.clear();
    this.problemCount = undefined;
    this.item.severity = vscode.LanguageStatusSeverity.Information;
    this.item.busy = true;
    this.item.text = 'Python Architect: starting';
    this.item.detail = 'Starting the language server';
  }

  /** The server is up; the ADR count arrives with `pythonArchitect/status`. */
  running(): void {
    if (this.state === 'starting') {
      this.state = 'ready';
      this.render();
    }
  }

  folderStatus(folderUri: string, state: string, adrs: number, message?: string): void {
    if (state === 'error') {
      this.folderErrors.set(folderUri, message ?? 'the knowledge base could not be loaded');
    } else {
      this.folderErrors.delete(folderUri);
      this.adrs.set(folderUri, adrs);
    }
    if (this.state !== 'error') {
      this.state = 'ready';
    }
    this.render();
  }

  /** The count "Check Workspace" reported (the same number its message and the panel show). */
  problems(count: number): void {
    this.problemCount = count;
    if (this.state === 'ready') {
      this.render();
    }
  }

  error(message: string): void {
    this.state = 'error';
    this.item.busy = false;
    this.item.severity = vscode.LanguageStatusSeverity.Error;
    this.item.text = 'Python Architect: error';
    this.item.detail = message;
  }

  stopped(): void {
    this.state = 'stopped';
    this.item.busy = false;
    this.item.severity = vscode.LanguageStatusSeverity.Warning;
    this.item.text = 'Python Architect: stopped';
    this.item.detail = 'Run "Python Architect: Restart Server" to start it again';
  }

  private render(): void {
    this.item.busy = false;
    const total = [...this.adrs.values()].reduce((sum, count) => sum + count, 0);
    if (this.folderErrors.size > 0) {
      this.item.severity = vscode.LanguageStatusSeverity.Warning;
      this.item.text = `Python Architect: ${total} ADRs`;
      this.item.detail = [...this.folderErrors.values()].join('; ');
      return;
    }
    this.item.severity = vscode.LanguageStatusSeverity.Information;
    const problems =
      this.problemCount === undefined ? '' : ` · ${this.problemCount} problem${this.problemCount === 1 ? '' : 's'}`;
    this.item.text = (this.adrs.size > 0 ? `Python Architect: ${total} ADR${total === 1 ? '' : 's'}` : 'Python Architect: ready') + problems;
    this.item.detail = this.problemCount === undefined ? 'Ready' : 'Ready; problems as of the last "Check Workspace"';
  }

  dispose(): void {
    this.item.dispose();
  }
}
