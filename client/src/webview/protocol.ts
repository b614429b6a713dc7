/**
 * Messages between the chat webview and the extension host (both sides import these types;
 * nothing here runs but `chipLabel` and `blockTarget`).
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
  /** A whole file added with "+" (no lines shown). */
  wholeFile?: boolean;
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

/** A tool call of the architect while it answers ("Reading `x.py`…"); `line` is 0-based. */
export interface AgentStep {
  index: number;
  tool: string;
  label: string;
  path?: string;
  uri?: string;
  line?: number;
  error?: string;
}

/** One proposed replacement of a workspace file's lines (the chat result's `proposals.files`). */
export interface ProposedFile {
  path: string;
  /** 1-based, inclusive; a new file has `create` and `endLine` 0. */
  startLine: number;
  endLine: number;
  create: boolean;
  newText: string;
  how?: string;
}

export interface Proposals {
  files: ProposedFile[];
  refused: { path: string; reason: string }[];
}

export interface ConversationSummary {
  id: string;
  title: string;
  updated: number;
  turns: number;
  folderUri?: string;
}

export interface StoredTurn {
  question: string;
  answer: string;
  path?: string | null;
  selection?: number[] | null;
  steps?: { tool: string; path?: string | null; uri?: string | null; line?: number | null }[];
}

/** Commands the webview may run by name (the offline notice's "Set API Key"). */
export const WEBVIEW_COMMANDS = ['pythonArchitect.setApiKey'] as const;
export type WebviewCommand = (typeof WEBVIEW_COMMANDS)[number];

export type ToHost =
  | { type: 'ready'; conversationId: string; empty: boolean }
  | { type: 'ask'; id: string; conversationId: string; question: string; context: ContextChip | null; files: ContextChip[]; extras?: AskExtras }
  | { type: 'stop'; id: string }
  | { type: 'openAdr'; adr: string }
  | { type: 'openFile'; path: string; line: number }
  | { type: 'openUri'; uri: string; line: number }
  | { type: 'copy'; text: string }
  | { type: 'insert'; code: string }
  | { type: 'applyToSelection'; code: string }
  | { type: 'applyProposal'; path: string; files: ProposedFile[] }
  | { type: 'removeContext' }
  | { type: 'addContext' }
  | { type: 'newConversation' }
  | { type: 'listConversations' }
  | { type: 'openConversation'; id: string }
  | { type: 'deleteConversation'; id: string }
  | { type: 'runCommand'; command: WebviewCommand }
  | { type: 'openInEditor' };

export type ToWebview =
  | { type: 'mode'; mode: 'online' | 'offline'; detail: string; needsKey: boolean }
  | { type: 'context'; chip: ContextChip | null }
  | { type: 'addedContext'; chip: ContextChip }
  | { type: 'prompt'; question: string; context: ContextChip | null; extras?: AskExtras; send: boolean }
  | { type: 'chunk'; id: string; text: string }
  | { type: 'step'; id: string; step: AgentStep }
  | { type: 'done'; id: string; text: string; citations: Citation[]; error: string | null; offline: boolean; steps: AgentStep[]; proposals: Proposals | null }
  | { type: 'cancelled'; id: string }
  | { type: 'failed'; id: string; message: string }
  | { type: 'conversations'; items: ConversationSummary[]; error?: string }
  | { type: 'conversation'; id: string; turns: StoredTurn[] }
  | { type: 'newConversation' };

export function chipLabel(chip: ContextChip): string {
  if (chip.wholeFile) {
    return chip.label;
  }
  return chip.endLine > chip.startLine ? `${chip.label}:${chip.startLine}-${chip.endLine}` : `${chip.label}:${chip.startLine}`;
}

/** The `path=` a fenced block's info string names (`python path=app/x.py lines=10-24`), if any. */
export function blockTarget(info: string): string | undefined {
  const match = /(?:^|\s)(?:path|file)=(?:"([^"]*)"|'([^']*)'|([^\s`]+))/.exec(info);
  const raw = match?.[1] ?? match?.[2] ?? match?.[3];
  return raw ? raw.replace(/^\.\//, '') : undefined;
}

/** The proposals of an answer that belong to one block's target path. */
export function proposalsFor(proposals: Proposals | null | undefined, path: string): ProposedFile[] {
  const clean = path.replace(/^\.\//, '');
  return (proposals?.files ?? []).filter((file) => file.path === clean || file.path.endsWith(`/${clean}`));
}
