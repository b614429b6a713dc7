/**
 * The chat page's persisted state (what `vscode.setState` keeps across hiding the view and
 * reloading the window): the conversation's messages with their steps and proposals, the
 * context chips, the mode and the draft. Restoring marks an interrupted stream as stopped; a
 * conversation fetched from the server becomes messages here.
 */

import type { AgentStep, Citation, ContextChip, Proposals, StoredTurn } from './protocol';

export interface StoredMessage {
  id: string;
  role: 'user' | 'assistant';
  text: string;
  status?: 'streaming' | 'done' | 'cancelled' | 'error';
  context?: string;
  citations?: Citation[];
  steps?: AgentStep[];
  proposals?: Proposals | null;
  offline?: boolean;
}

export interface State {
  version: 1;
  conversationId: string;
  messages: StoredMessage[];
  context: ContextChip | null;
  /** Open files added with "+", sent by name with the next questions. */
  files: ContextChip[];
  mode: 'online' | 'offline';
  modeDetail: string;
  needsKey: boolean;
  draft: string;
}

export function newId(prefix: string): string {
  const random = new Uint32Array(2);
  crypto.getRandomValues(random);
  return `${prefix}-${Date.now().toString(36)}-${random[0]?.toString(36)}${random[1]?.toString(36)}`;
}

export function restore(saved: unknown): State {
  const fresh: State = {
    version: 1, conversationId: newId('conversation'), messages: [], context: null, files: [],
    mode: 'offline', modeDetail: '', needsKey: false, draft: '',
  };
  if (typeof saved !== 'object' || saved === null || (saved as State).version !== 1) {
    return fresh;
  }
  const restored = { ...fresh, ...(saved as State) };
  restored.files = Array.isArray(restored.files) ? restored.files : [];
  // A stream that was running when the webview went away cannot resume: say so.
  restored.messages = restored.messages.map((message) =>
    message.status === 'streaming' ? { ...message, status: 'cancelled' } : message,
  );
  return restored;
}

/** A stored conversation's turns (from the server) as the page's messages. */
export function fromTurns(turns: StoredTurn[]): StoredMessage[] {
  return turns.flatMap((turn, index) => [
    { id: newId(`user-${index}`), role: 'user' as const, text: turn.question,
      context: turn.path ? `${turn.path}${turn.selection ? `:${turn.selection.join('-')}` : ''}` : undefined },
    { id: newId(`answer-${index}`), role: 'assistant' as const, text: turn.answer, status: 'done' as const,
      steps: (turn.steps ?? []).map((step, number) => ({
        index: number, tool: step.tool, label: step.path ? `${step.tool} \`${step.path}\`` : step.tool,
        path: step.path ?? undefined, uri: step.uri ?? undefined, line: typeof step.line === 'number' ? Math.max(0, step.line - 1) : undefined,
      })) },
  ]);
}
