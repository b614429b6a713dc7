/**
 * `@architect` in VS Code's own Chat view, over the same `pythonArchitect/chat` request as the
 * panel. Feature-detected: editors without `vscode.chat` simply skip it.
 */

import * as vscode from 'vscode';
import type { ChatBackend } from './backend';
import { editorChip } from './backend';

export const PARTICIPANT_ID = 'python-architect.architect';

export function registerParticipant(backend: ChatBackend): vscode.Disposable | undefined {
  const chat = (vscode as { chat?: typeof vscode.chat }).chat;
  if (!chat || typeof chat.createChatParticipant !== 'function') {
    return undefined;
  }
  let counter = 0;
  let conversation = '';
  const handler: vscode.ChatRequestHandler = async (request, context, stream, token) => {
    counter += 1;
    const chip = editorChip(vscode.window.activeTextEditor);
    // A chat with no history starts a new server conversation; follow-ups continue the last one.
    if (context.history.length === 0 || conversation === '') {
      conversation = `vscode-chat-${Date.now()}-${counter}`;
    }
    const conversationId = conversation;
    try {
      const result = await backend.chat(
        { conversationId, question: request.prompt, requestId: `participant-${Date.now()}-${counter}`, uri: chip?.uri, range: chip?.range },
        token,
        (chunk) => {
          if (typeof chunk.text === 'string') {
            stream.markdown(chunk.text);
          } else if (chunk.kind === 'step' && chunk.step && typeof chunk.step === 'object') {
            const label = (chunk.step as { label?: unknown }).label;
            if (typeof label === 'string') {
              stream.progress(label.replace(/`/g, ''));
            }
          }
        },
      );
      const citations = Array.isArray(result.citations) ? result.citations : [];
      backend.remember(citations);
      for (const citation of citations) {
        const position = new vscode.Position(Math.max(0, citation.line), 0);
        stream.reference(new vscode.Location(vscode.Uri.parse(citation.uri), position));
      }
      if (result.error) {
        return { errorDetails: { message: result.text || result.error } };
      }
      return {};
    } catch (error) {
      if (token.isCancellationRequested) {
        return {};
      }
      return { errorDetails: { message: error instanceof Error ? error.message : String(error) } };
    }
  };
  const participant = chat.createChatParticipant(PARTICIPANT_ID, handler);
  participant.iconPath = new vscode.ThemeIcon('symbol-structure');
  return participant;
}
