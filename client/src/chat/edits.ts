/**
 * The text a proposal or an Apply would leave in a file, computed without the editor (pure, so
 * the unit tests run it): the chat result's `proposals.files` replace whole 1-based lines; a
 * plain block replaces a selection given as offsets.
 */

import type { ProposedFile } from '../webview/protocol';

/** Lines with their line endings, as the server counts them. */
function linesOf(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/**
 * `base` with every proposal applied (bottom first, so earlier line numbers stay valid).
 * A proposal whose lines are past the end of `base` is an error: the file changed under it.
 */
export function applyProposedLines(base: string, files: ProposedFile[]): string {
  if (files.some((file) => file.create)) {
    return files.find((file) => file.create)?.newText ?? '';
  }
  const lines = linesOf(base);
  const ordered = [...files].sort((a, b) => b.startLine - a.startLine);
  for (const file of ordered) {
    if (file.startLine < 1 || file.endLine < file.startLine - 1 || file.endLine > lines.length) {
      throw new Error(`${file.path} has ${lines.length} lines now; the proposal replaces lines ${file.startLine}-${file.endLine}`);
    }
    lines.splice(file.startLine - 1, file.endLine - file.startLine + 1, file.newText);
  }
  return lines.join('');
}

/** `base` with the characters `start`..`end` replaced by `code`. */
export function replaceRange(base: string, start: number, end: number, code: string): string {
  return base.slice(0, start) + code + base.slice(end);
}
