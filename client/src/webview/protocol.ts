/**
 * Messages between the chat webview and the extension host (both sides import these types;
 * nothing here runs).
 */

export interface ContextChip {
  uri: string;
  /** Workspace-relative path shown on the chip. */
  label: string;
  /** 1-based lines; `endLine` > `startLine` for a multi-line selection. */
  startLine: number;
  endLine: number;
  /** 0-based LSP range sent with the question when the user selected something. */
  range?: { start: { line: number; character: number }; end: { line: number; character: number } };
}

export interface Citation {
  id: string;
  title: string;
  uri: string;
  line: number;
}

export interface AskExtras {
  code?: string;
  adrs?: string[];
}

export type ToHost =
  | { type: 'ready' }
  | { type: 'ask'; id: string; conversationId: string; question: string; context: ContextChip | null; extras?: AskExtras }
  | { type: 'stop'; id: string }
  | { type: 'openAdr'; adr: string }
  | { type: 'openFile'; path: string; line: number }
  | { type: 'copy'; text: string }
  | { type: 'removeContext' }
  | { type: 'newConversation' };

export type ToWebview =
  | { type: 'mode'; mode: 'online' | 'offline'; detail: string }
  | { type: 'context'; chip: ContextChip | null }
  | { type: 'prompt'; question: string; context: ContextChip | null; extras?: AskExtras; send: boolean }
  | { type: 'chunk'; id: string; text: string }
  | { type: 'done'; id: string; text: string; citations: Citation[]; error: string | null; offline: boolean }
  | { type: 'cancelled'; id: string }
  | { type: 'failed'; id: string; message: string };

export function chipLabel(chip: ContextChip): string {
  return chip.endLine > chip.startLine ? `${chip.label}:${chip.startLine}-${chip.endLine}` : `${chip.label}:${chip.startLine}`;
}
