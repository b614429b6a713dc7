/**
 * What the chat pages and the `@architect` participant need from the extension: the chat
 * request (text and tool-step chunks), other server requests (stored conversations), the
 * online/offline mode, and opening ADRs and files. One instance, shared.
 */

import * as path from 'node:path';
import * as vscode from 'vscode';
import { API_KEY_SECRET, type ChatChunk, type ServerManager } from '../server';
import { chatMode, SECTION } from '../settings';
import type { AgentStep, Citation, ContextChip, ProposedFile } from '../webview/protocol';

export interface ChatResult {
  text?: string;
  citations?: Citation[];
  redacted?: boolean;
  offline?: boolean;
  error?: string | null;
  model?: string | null;
  steps?: AgentStep[];
  stopped?: boolean;
  proposals?: { files?: ProposedFile[]; refused?: { path: string; reason: string }[]; diff?: string } | null;
}

export interface ChatMode {
  mode: 'online' | 'offline';
  detail: string;
  /** Offline only because no API key is set (not the offline setting): the notice offers Set API Key. */
  needsKey: boolean;
}

export interface AdrEntry {
  id: string;
  title: string;
  status: string;
  uri: string;
  line: number;
}

export interface ChatBackend {
  readonly extensionUri: vscode.Uri;
  readonly onModeChanged: vscode.Event<void>;
  chat(params: { requestId: string } & Record<string, unknown>, token: vscode.CancellationToken, onChunk: (chunk: ChatChunk) => void): Promise<ChatResult>;
  request<R>(method: string, params: unknown): Promise<R>;
  log(message: string): void;
  mode(): Promise<ChatMode>;
  remember(citations: Citation[]): void;
  openAdr(id: string): Promise<void>;
  openFile(relativeOrAbsolute: string, line: number): Promise<void>;
  /** Opens a file URI at a 0-based line (a tool step's link). */
  openUri(uri: string, line: number): Promise<void>;
}

export class ExtensionChatBackend implements ChatBackend, vscode.Disposable {
  private readonly known = new Map<string, Citation>();
  private readonly modeEmitter = new vscode.EventEmitter<void>();
  readonly onModeChanged = this.modeEmitter.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly server: ServerManager,
  ) {}

  get extensionUri(): vscode.Uri {
    return this.context.extensionUri;
  }

  modeChanged(): void {
    this.modeEmitter.fire();
  }

  chat(params: { requestId: string } & Record<string, unknown>, token: vscode.CancellationToken, onChunk: (chunk: ChatChunk) => void): Promise<ChatResult> {
    return this.server.chat<ChatResult>(params, token, onChunk);
  }

  request<R>(method: string, params: unknown): Promise<R> {
    // Always a token: vscode-jsonrpc sends `(params, undefined)` as the array `[params, null]`,
    // which the server cannot read as named params (getConversation then finds nothing).
    return this.server.request<R>(method, params, new vscode.CancellationTokenSource().token);
  }

  log(message: string): void {
    this.server.output.warn(message);
  }

  async mode(): Promise<ChatMode> {
    const offline = vscode.workspace.getConfiguration(SECTION).get<boolean>('chat.offline', false);
    const hasKey = Boolean(await this.context.secrets.get(API_KEY_SECRET)) || Boolean(process.env.ANTHROPIC_API_KEY);
    const mode = chatMode(offline, hasKey);
    const detail =
      mode === 'online'
        ? 'Online: the model answers, with your ADRs and code as context.'
        : offline
          ? 'Offline (pythonArchitect.chat.offline): answers come from your ADRs alone.'
          : 'Offline: no API key is set ("Python Architect: Set API Key"); answers come from your ADRs alone.';
    return { mode, detail, needsKey: mode === 'offline' && !offline };
  }

  remember(citations: Citation[]): void {
    for (const citation of citations) {
      if (citation && typeof citation.id === 'string' && typeof citation.uri === 'string') {
        this.known.set(citation.id.toUpperCase(), citation);
      }
    }
  }

  /** Opens an ADR at its Decision: from the answers' citations, else the server's ADR list. */
  async openAdr(id: string): Promise<void> {
    let target: { uri: string; line: number } | undefined = this.known.get(id.toUpperCase());
    if (!target) {
      try {
        const adrs = await this.server.request<AdrEntry[]>('pythonArchitect/listAdrs', {});
        target = adrs.find((adr) => adr.id.toUpperCase() === id.toUpperCase());
      } catch (error) {
        this.server.output.warn(`listing ADRs failed: ${String(error)}`);
      }
    }
    if (!target) {
      void vscode.window.showWarningMessage(`${id} is not an ADR of this workspace.`);
      return;
    }
    await openAt(vscode.Uri.parse(target.uri), target.line);
  }

  async openFile(reference: string, line: number): Promise<void> {
    const uri = await resolveFile(reference);
    if (!uri) {
      void vscode.window.showWarningMessage(`${reference} was not found in the workspace.`);
      return;
    }
    await openAt(uri, Math.max(0, line - 1));
  }

  async openUri(uri: string, line: number): Promise<void> {
    let target: vscode.Uri;
    try {
      target = vscode.Uri.parse(uri, true);
    } catch {
      return;
    }
    if (target.scheme !== 'file' || !(await exists(target))) {
      void vscode.window.showWarningMessage(`${target.fsPath || uri} was not found.`);
      return;
    }
    await openAt(target, line);
  }

  dispose(): void {
    this.modeEmitter.dispose();
  }
}

export async function openAt(uri: vscode.Uri, line: number): Promise<void> {
  const position = new vscode.Position(Math.max(0, line), 0);
  await vscode.window.showTextDocument(uri, {
    selection: new vscode.Range(position, position),
    viewColumn: vscode.ViewColumn.One,
    preview: false,
  });
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    return (await vscode.workspace.fs.stat(uri)).type !== vscode.FileType.Directory;
  } catch {
    return false;
  }
}

/** A workspace-relative or absolute path to a file URI; a bare tail is searched for. */
export async function resolveFile(reference: string): Promise<vscode.Uri | undefined> {
  if (path.isAbsolute(reference)) {
    const uri = vscode.Uri.file(reference);
    return (await exists(uri)) ? uri : undefined;
  }
  const clean = reference.replace(/^\.\//, '');
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const uri = vscode.Uri.joinPath(folder.uri, clean);
    if (await exists(uri)) {
      return uri;
    }
  }
  const found = await vscode.workspace.findFiles(`**/${clean}`, '**/{node_modules,.venv,.git}/**', 1);
  return found[0];
}

/** The chat context for an editor: the selection (or the cursor's line) in a file. */
export function editorChip(editor: vscode.TextEditor | undefined): ContextChip | null {
  if (!editor || editor.document.uri.scheme !== 'file') {
    return null;
  }
  const selection = editor.selection;
  const startLine = selection.start.line + 1;
  let endLine = selection.end.line + 1;
  if (!selection.isEmpty && selection.end.character === 0 && selection.end.line > selection.start.line) {
    endLine -= 1; // a selection of whole lines ends at column 0 of the next line
  }
  const chip: ContextChip = {
    uri: editor.document.uri.toString(),
    label: vscode.workspace.asRelativePath(editor.document.uri, false),
    startLine,
    endLine: selection.isEmpty ? startLine : endLine,
  };
  if (!selection.isEmpty) {
    chip.range = {
      start: { line: selection.start.line, character: selection.start.character },
      end: { line: selection.end.line, character: selection.end.character },
    };
  }
  return chip;
}

/** The chip for a whole file (no selection): "Explain ADRs for This File". */
export function fileChip(uri: vscode.Uri): ContextChip {
  return { uri: uri.toString(), label: vscode.workspace.asRelativePath(uri, false), startLine: 1, endLine: 1 };
}
