/**
 * One server start's client-side timeline, from its origin (activate() for the first start of a
 * window, the restart for later ones) to our first diagnostics reaching the editor
 * (`vscode.languages`, what the Problems panel reads): the interpreter found, the spawn, the
 * `initialize` round trip, each diagnostic pull until then (sent, answered, with what). Logged
 * once as one `Start-up:` line that the e2e and a user's bug report read; nothing is recorded
 * after it. Owned by `ServerManager` (one per start; the event loop is its only writer).
 */

import * as vscode from 'vscode';

/** Our diagnostics' `source` (the server's `convert.SOURCE`). */
const SOURCE = 'python-architect';
const MAX_PULLS = 4;

export class StartupTimeline implements vscode.Disposable {
  private readonly marks: [string, number][] = [];
  private readonly pulls: string[] = [];
  private done = false;
  private readonly watcher: vscode.Disposable;

  constructor(
    private readonly origin: { name: string; at: number },
    private readonly log: (line: string) => void,
  ) {
    this.watcher = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((uri) => vscode.languages.getDiagnostics(uri).some((d) => d.source === SOURCE))) {
        this.finish();
      }
    });
  }

  /** Records `name` at `at` (default now), the first time only; an unknown time is left out. */
  mark(name: string, at: number | undefined = Date.now()): void {
    if (at !== undefined && !this.done && !this.marks.some(([known]) => known === name)) {
      this.marks.push([name, at]);
    }
  }

  /** Wraps one diagnostic pull: when it was sent, when answered and with what. */
  async pull<R>(ask: () => Promise<R>): Promise<R> {
    if (this.done || this.pulls.length >= MAX_PULLS) {
      return ask();
    }
    const index = this.pulls.push('') - 1;
    const sent = this.since(Date.now());
    try {
      const report = await ask();
      this.pulls[index] = `pull sent ${sent}, answered ${this.since(Date.now())} (${describe(report)})`;
      return report;
    } catch (error) {
      this.pulls[index] = `pull sent ${sent}, failed ${this.since(Date.now())} (${error instanceof vscode.CancellationError ? 'cancelled' : 'error'})`;
      throw error;
    }
  }

  private since(at: number): number {
    return at - this.origin.at;
  }

  private finish(): void {
    if (this.done) {
      return;
    }
    this.mark('diagnostics in the editor');
    this.done = true;
    this.watcher.dispose();
    const marks = this.marks.map(([name, at]) => `${name} ${this.since(at)}`);
    const pulls = this.pulls.filter(Boolean);
    this.log(`Start-up: ${[...marks, ...pulls].join(', ')} (ms since ${this.origin.name} at ${this.origin.at})`);
  }

  dispose(): void {
    this.done = true;
    this.watcher.dispose();
  }
}

function describe(report: unknown): string {
  const value = report as { kind?: string; items?: unknown[] } | undefined;
  if (value?.kind === 'unchanged') {
    return 'unchanged';
  }
  return `${value?.items?.length ?? 0} items`;
}
