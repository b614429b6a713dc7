import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StartupTimeline } from '../src/startupTimeline';

/** A timeline on a clock the test moves, and the watch that says our diagnostics arrived. */
function timeline() {
  let now = 1000;
  let seen: (() => void) | undefined;
  let disposed = false;
  const lines: string[] = [];
  const line = new StartupTimeline({ name: 'activate()', at: 1000 }, (text) => lines.push(text), (callback) => {
    seen = callback;
    return { dispose: () => { disposed = true; } };
  }, () => now);
  return {
    line, lines,
    at: (ms: number) => { now = 1000 + ms; },
    diagnosticsArrive: () => seen?.(),
    disposed: () => disposed,
  };
}

describe('the client start-up timeline', () => {
  it('logs one line, when our diagnostics reach the editor, with each pull until then', async () => {
    const t = timeline();
    t.line.markAt('bundle evaluation began', 1000 - 40);
    t.at(10);
    t.line.mark('spawn');
    t.at(20);
    t.line.mark('spawn'); // the first time counts
    t.at(300);
    t.line.mark('initialized');
    const cancelled = t.line.pull(async () => {
      t.at(350);
      throw Object.assign(new Error('cancelled'), { name: 'Canceled' });
    });
    await assert.rejects(cancelled);
    t.at(400);
    const report = await t.line.pull(async () => {
      t.at(900);
      return { kind: 'full', items: [1, 2] };
    });
    assert.deepEqual(report, { kind: 'full', items: [1, 2] }, 'the pull answers what the server said');
    assert.deepEqual(t.lines, [], 'nothing is logged before the diagnostics are in the editor');
    t.at(950);
    t.diagnosticsArrive();
    t.diagnosticsArrive();
    t.line.mark('late');
    assert.deepEqual(t.lines, ['Start-up: bundle evaluation began -40, spawn 10, initialized 300, diagnostics in the editor 950, '
      + 'pull sent 300, failed 350 (cancelled), pull sent 400, answered 900 (2 items) (ms since activate() at 1000)']);
    assert.ok(t.disposed(), 'the diagnostics watch ends with the line');
  });

  it('says when a pull was answered "unchanged", and leaves out a mark without a time', async () => {
    const t = timeline();
    t.line.markAt('bundle evaluated', undefined);
    await t.line.pull(async () => ({ kind: 'unchanged', resultId: 'r' }));
    t.diagnosticsArrive();
    assert.match(t.lines[0] ?? '', /^Start-up: diagnostics in the editor 0, pull sent 0, answered 0 \(unchanged\) /);
  });
});
