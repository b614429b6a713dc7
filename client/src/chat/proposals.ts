/**
 * Apply, previewed: a change the chat offers (a proposal for a workspace file, or a plain block
 * for the active editor's selection) opens in VS Code's diff view — the file as it is on the
 * left, the proposed text on the right (a read-only `python-architect-proposal:` document) — and
 * nothing is written until the user clicks "Accept Change" in the diff's title bar. Accepting
 * re-checks that the file still has the text the diff was made from, applies one edit and saves.
 *
 * Owns the pending previews (one map, touched only on the extension host's thread).
 */

import * as vscode from 'vscode';
import type { ProposedFile } from '../webview/protocol';
import { resolveFile } from './backend';
import { applyProposedLines, replaceRange } from './edits';

export const PROPOSAL_SCHEME = 'python-architect-proposal';
export const ACCEPT_COMMAND = 'pythonArchitect.acceptChange';
export const DISCARD_COMMAND = 'pythonArchitect.discardChange';

interface Pending {
  target: vscode.Uri;
  /** The file's text the proposal was computed from ('' for a new file). */
  base: string;
  proposed: string;
  create: boolean;
  label: string;
}

export class ProposalPreviews implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly pending = new Map<string, Pending>();
  private counter = 0;
  private readonly disposables: vscode.Disposable[] = [];

  register(): vscode.Disposable {
    this.disposables.push(
      vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, this),
      vscode.commands.registerCommand(ACCEPT_COMMAND, (uri?: unknown) => this.accept(uri)),
      vscode.commands.registerCommand(DISCARD_COMMAND, (uri?: unknown) => this.discard(uri)),
    );
    return this;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.pending.get(uri.toString())?.proposed ?? '';
  }

  /** A proposal of an answer (all of its changes to that file) as a diff. */
  async previewProposal(path: string, files: ProposedFile[]): Promise<void> {
    // The server only proposes paths inside the root, relative; anything else is not ours to open.
    if (/^([/\\]|[A-Za-z]:)/.test(path) || path.split(/[/\\]/).includes('..')) {
      void vscode.window.showWarningMessage(`${path} is not a path inside the workspace: nothing to apply.`);
      return;
    }
    const create = files.some((file) => file.create);
    let target = await resolveFile(path);
    if (!target && create) {
      const folder = vscode.workspace.workspaceFolders?.[0];
      target = folder ? vscode.Uri.joinPath(folder.uri, path) : undefined;
    }
    if (!target) {
      void vscode.window.showWarningMessage(`${path} was not found in the workspace.`);
      return;
    }
    const base = create ? '' : (await vscode.workspace.openTextDocument(target)).getText();
    let proposed: string;
    try {
      proposed = applyProposedLines(base, files);
    } catch (error) {
      void vscode.window.showWarningMessage(`The proposal no longer fits: ${error instanceof Error ? error.message : String(error)}. Ask again.`);
      return;
    }
    await this.open({ target, base, proposed, create, label: vscode.workspace.asRelativePath(target, false) });
  }

  /** A plain code block replacing the editor's selection (inserted at the cursor when empty). */
  async previewSelection(editor: vscode.TextEditor | undefined, code: string): Promise<void> {
    if (!editor) {
      void vscode.window.showInformationMessage('Open a file and select the code to replace, then Apply again.');
      return;
    }
    const document = editor.document;
    const base = document.getText();
    const proposed = replaceRange(base, document.offsetAt(editor.selection.start), document.offsetAt(editor.selection.end), code);
    await this.open({ target: document.uri, base, proposed, create: false, label: vscode.workspace.asRelativePath(document.uri, false) });
  }

  private async open(change: Pending): Promise<void> {
    this.counter += 1;
    const right = vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/${this.counter}/${change.label}` });
    this.pending.set(right.toString(), change);
    const left = change.create ? vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/${this.counter}-empty/${change.label}` }) : change.target;
    await vscode.commands.executeCommand('vscode.diff', left, right, `${change.label} ↔ proposed change (Accept or Discard above)`, {
      preview: false,
      viewColumn: vscode.ViewColumn.One,
    });
  }

  private find(uri: unknown): [string, Pending] | undefined {
    const active = vscode.window.activeTextEditor?.document.uri;
    const key = uri instanceof vscode.Uri ? uri.toString() : active?.toString();
    const found = key ? this.pending.get(key) : undefined;
    return key && found ? [key, found] : undefined;
  }

  async accept(uri?: unknown): Promise<boolean> {
    const found = this.find(uri);
    if (!found) {
      void vscode.window.showInformationMessage('No proposed change is open.');
      return false;
    }
    const [key, change] = found;
    const edit = new vscode.WorkspaceEdit();
    if (change.create) {
      edit.createFile(change.target, { ignoreIfExists: false, contents: new TextEncoder().encode(change.proposed) });
    } else {
      const document = await vscode.workspace.openTextDocument(change.target);
      if (document.getText() !== change.base) {
        void vscode.window.showWarningMessage(`${change.label} changed since this diff was opened: nothing was applied. Click Apply again.`);
        return false;
      }
      edit.replace(change.target, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), change.proposed);
    }
    if (!(await vscode.workspace.applyEdit(edit))) {
      void vscode.window.showErrorMessage(`The change to ${change.label} could not be applied.`);
      return false;
    }
    if (!change.create) {
      await (await vscode.workspace.openTextDocument(change.target)).save();
    }
    this.pending.delete(key);
    await this.closeDiff(key);
    vscode.window.setStatusBarMessage(`Python Architect: applied the change to ${change.label}`, 5_000);
    return true;
  }

  async discard(uri?: unknown): Promise<void> {
    const found = this.find(uri);
    if (found) {
      this.pending.delete(found[0]);
      await this.closeDiff(found[0]);
    }
  }

  private async closeDiff(key: string): Promise<void> {
    for (const group of vscode.window.tabGroups.all) {
      for (const tab of group.tabs) {
        if (tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === key) {
          await vscode.window.tabGroups.close(tab);
        }
      }
    }
  }

  dispose(): void {
    this.pending.clear();
    for (const disposable of this.disposables.splice(0)) {
      disposable.dispose();
    }
  }
}
