/**
 * Which editors the chat acts on: the last *Python* file editor is the context the chip shows
 * (an ADR or markdown file opened from an answer never replaces it), and the last file editor
 * of any language is where Insert and Apply-to-selection go. One tracker, shared by every chat.
 */

import * as vscode from 'vscode';

export function isPythonEditor(editor: vscode.TextEditor | undefined): editor is vscode.TextEditor {
  return Boolean(editor && editor.document.uri.scheme === 'file' && editor.document.languageId === 'python');
}

export class EditorTracker implements vscode.Disposable {
  private pythonEditor: vscode.TextEditor | undefined;
  private fileEditor: vscode.TextEditor | undefined;
  private readonly emitter = new vscode.EventEmitter<vscode.TextEditor>();
  /** A Python editor became active or its selection changed. */
  readonly onDidChangePython = this.emitter.event;
  private readonly disposables: vscode.Disposable[];

  constructor() {
    this.note(vscode.window.activeTextEditor);
    this.disposables = [
      this.emitter,
      vscode.window.onDidChangeActiveTextEditor((editor) => this.note(editor)),
      vscode.window.onDidChangeTextEditorSelection((event) => this.note(event.textEditor)),
    ];
  }

  private note(editor: vscode.TextEditor | undefined): void {
    if (!editor || editor.document.uri.scheme !== 'file') {
      return;
    }
    this.fileEditor = editor;
    if (isPythonEditor(editor)) {
      this.pythonEditor = editor;
      this.emitter.fire(editor);
    }
  }

  /** The Python editor the chip follows (the active one, else the last one). */
  get python(): vscode.TextEditor | undefined {
    const active = vscode.window.activeTextEditor;
    return isPythonEditor(active) ? active : this.pythonEditor;
  }

  /** The file editor Insert and Apply target: the active one, else the last one still visible. */
  get target(): vscode.TextEditor | undefined {
    const active = vscode.window.activeTextEditor;
    if (active && active.document.uri.scheme === 'file') {
      return active;
    }
    return vscode.window.visibleTextEditors.find((editor) => editor === this.fileEditor) ?? this.fileEditor;
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0)) {
      disposable.dispose();
    }
  }
}
