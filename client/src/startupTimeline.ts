/**
 * One server start's client-side timeline, from its origin (activate() for the first start of a
 * window, the restart for later ones) to our first diagnostics reaching the editor
 * (`vscode.languages`, what the Problems panel reads): the interpreter found, the spawn, the
 * `initialize` round trip, each diagnostic pull until then (sent, answered, with what). Logged
 * once as one `Start-up:` line that the e2e and a user's bug report read; nothing is recorded
 * after it. Owned by `ServerManager` (one per start; the event loop is its only writer).
 */

const MAX_PULLS = 4;

export interface Disposable {
  dispose(): void;
}

/** Calls `seen` when our first diagnostics reach the editor (`server.ts`: `vscode.languages`). */
export type DiagnosticsWatch = (seen: () => void) => Disposable;

export class StartupTimeline implements Disposable {
  private readonly marks: [string, number][] = [];
  private readonly pulls: string[] = [];
  private done = false;
  private readonly watcher: Disposable;

  constructor(
    private readonly origin: { name: string; at: number },
    private readonly log: (line: string) => void,
    watch: DiagnosticsWatch,
    private readonly now: () => number = Date.now,
  ) {
    this.watcher = watch(() => this.finish());
  }

  /** Records `name` now, the first time only. */
  mark(name: string): void {
    this.markAt(name, this.now());
  }

  /** Records `name` at `at` (ms since the epoch), the first time only; an unknown time is left out. */
  markAt(name: string, at: number | undefined): void {
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
    const sent = this.since(this.now());
    try {
      const report = await ask();
      this.pulls[index] = `pull sent ${sent}, answered ${this.since(this.now())} (${describe(report)})`;
      return report;
    } catch (error) {
      const cancelled = (error as Error | undefined)?.name === 'Canceled'; // vscode.CancellationError
      this.pulls[index] = `pull sent ${sent}, failed ${this.since(this.now())} (${cancelled ? 'cancelled' : 'error'})`;
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
