// Workbench helpers for the real-editor e2e (owned by the e2e): quick input, files, editor
// lines, the chat webview's frame and questions, and the extension host's logs. Every helper
// waits on a UI event (a locator, a frame, a DOM condition), never on a fixed delay.
import fs from 'node:fs';
import path from 'node:path';

export const STEP_TIMEOUT = Number(process.env.E2E_STEP_TIMEOUT_MS || 60_000);

export async function focusWorkbench(page) {
  // Keys typed while a webview has focus never reach the workbench: click a neutral title first.
  await page.locator('.part.sidebar .composite.title').first().click();
}

export async function quickInput(page, prefix, text, rowText) {
  await focusWorkbench(page);
  await page.keyboard.press(prefix === '>' ? 'F1' : 'Control+P');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`${prefix}${text}`);
  // Click the matching row: Enter would take whichever row is highlighted while the list filters.
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: rowText ?? text }).first().click();
}

export const runCommand = (page, title) => quickInput(page, '>', title);

export async function openFile(page, relative, position = '') {
  const name = path.basename(relative);
  await quickInput(page, '', `${relative}${position}`, name);
  // The focused group's active tab: with the graph open beside an editor, another group may show
  // the same file as its own active tab.
  await page.locator('.editor-group-container.active .tabs-container .tab.active', { hasText: name }).first().waitFor();
}

export async function viewLine(page, pattern) {
  const lines = page.locator('.editor-instance .view-lines .view-line');
  await page.waitForFunction((source) => [...document.querySelectorAll('.editor-instance .view-lines .view-line')]
    .some((line) => new RegExp(source).test(line.textContent)), pattern.source);
  const count = await lines.count();
  for (let i = 0; i < count; i += 1) {
    if (pattern.test(await lines.nth(i).textContent())) return lines.nth(i);
  }
  throw new Error(`no line matches ${pattern}`);
}

export async function chatFrame(page) {
  const deadline = Date.now() + STEP_TIMEOUT;
  while (Date.now() < deadline) {
    // The newest attached frame: VS Code swaps a webview's iframe when its html is set again.
    for (const frame of [...page.frames()].reverse()) {
      if (frame.isDetached()) continue;
      if (await frame.locator('textarea#question').count().catch(() => 0)) return frame;
    }
    await page.waitForEvent('framenavigated', { timeout: 1000 }).catch(() => {});
  }
  throw new Error('the chat webview (textarea#question) did not appear');
}

/** Sends a question; resolves with {frame, index} of the answer to wait for. */
export async function ask(page, question, warn = () => {}) {
  for (let attempt = 1; ; attempt += 1) {
    const frame = await chatFrame(page);
    await frame.locator('#mode').filter({ hasText: /\w/ }).waitFor(); // the webview script is running
    const index = await frame.locator('#messages .message.assistant').count();
    const users = await frame.locator('#messages .message.user').count();
    await frame.evaluate(() => {
      // Record every intermediate length of the newest answer: proof that it streamed.
      window.__e2eLengths = new Set();
      const messages = document.querySelector('#messages');
      new MutationObserver(() => {
        const all = messages.querySelectorAll('.message.assistant');
        const last = all[all.length - 1];
        if (last) window.__e2eLengths.add(last.textContent.length);
      }).observe(messages, { childList: true, subtree: true, characterData: true });
    });
    await frame.locator('textarea#question').fill(question);
    await frame.locator('button#send').click();
    const sent = await frame.locator('#messages .message.user').nth(users).waitFor({ timeout: 10_000 })
      .then(() => true, () => false);
    if (sent) return { frame, index };
    const seen = await frame.evaluate(() => ({ box: document.querySelector('textarea#question')?.value ?? null,
      users: document.querySelectorAll('#messages .message.user').length, ready: document.readyState }))
      .catch((error) => ({ error: String(error).split('\n')[0] }));
    const frames = page.frames().filter((f) => !f.isDetached()).length;
    const why = `frame detached: ${frame.isDetached()}, frames: ${frames}, webview saw ${JSON.stringify(seen)}`;
    if (attempt === 2) throw new Error(`the question was not sent (${why})`);
    warn(`the question did not appear in the chat (${why}); asking again`);
  }
}

export async function answerFinished(frame, index, timeout = STEP_TIMEOUT) {
  await frame.waitForFunction((n) => {
    const all = document.querySelectorAll('#messages .message.assistant');
    return all.length > n && /\b(done|error|cancelled)\b/.test(all[n].className);
  }, index, { timeout });
  return frame.evaluate((n) => {
    const message = document.querySelectorAll('#messages .message.assistant')[n];
    return { className: message.className, text: message.textContent, html: message.innerHTML,
      lengths: [...(window.__e2eLengths || [])].length };
  }, index);
}

// The extension host logs its activation (local time, ms): the start of activation-to-diagnostic.
function hostLog(dirs, name) {
  const logs = path.join(dirs.userData, 'logs');
  if (!fs.existsSync(logs)) return '';
  const file = fs.readdirSync(logs, { recursive: true }).map(String).filter((f) => f.endsWith(name)).sort().pop();
  return file ? fs.readFileSync(path.join(logs, file), 'utf8') : '';
}

export function activationTime(dirs) {
  const line = hostLog(dirs, 'remoteexthost.log').split('\n')
    .find((l) => /_doActivateExtension python-architect\.python-architect/.test(l));
  const stamp = line?.match(/^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d{3})/);
  return stamp ? new Date(`${stamp[1]}T${stamp[2]}`).getTime() : undefined;
}

export function serverReadyMs(dirs) {
  return serverStarts(dirs)[0]?.readyMs;
}

/** Every "Server ready" line of the client's log: total, interpreter check (cached or not), spawn. */
export function serverStarts(dirs) {
  const pattern = /Server ready in (\d+) ms \(interpreter check (\d+) ms(, cached)?(?:; spawn to initialized (\d+) ms)?\)(?:; finding the interpreter (\d+) ms)?/g;
  return [...hostLog(dirs, 'Python Architect.log').matchAll(pattern)].map((m) => ({
    readyMs: Number(m[1]), checkMs: Number(m[2]), checkCached: Boolean(m[3]), spawnMs: m[4] ? Number(m[4]) : undefined,
    findMs: m[5] ? Number(m[5]) : undefined,
  }));
}

/** The server's own phases of its first start (its `startup:` line), or undefined. */
export function serverPhases(dirs) {
  return hostLog(dirs, 'Python Architect.log').match(/startup: ([^\n]*)/)?.[1];
}

/** The client's timeline of its first server start (its `Start-up:` line): the marks and pulls as
 * [name, ms] pairs and `origin`, when activate() was called (ms since the epoch), or undefined. */
export function clientTimeline(dirs) {
  const line = hostLog(dirs, 'Python Architect.log').match(/Start-up: ([^\n]*) \(ms since activate\(\) at (\d+)\)/);
  return line ? { text: line[1], origin: Number(line[2]) } : undefined;
}

/** Resolves once the client has logged `count` server starts (the log is a file: polled). */
export async function serverStarted(page, dirs, count, timeout = STEP_TIMEOUT) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const starts = serverStarts(dirs);
    if (starts.length >= count) return starts[count - 1];
    if (Date.now() > deadline) throw new Error(`the server did not log start #${count} (saw ${starts.length})`);
    await page.waitForTimeout(200);
  }
}

/** The newest attached webview frame that has `selector` in it. */
export async function webviewFrame(page, selector) {
  const deadline = Date.now() + STEP_TIMEOUT;
  while (Date.now() < deadline) {
    for (const frame of [...page.frames()].reverse()) {
      if (frame.isDetached()) continue;
      if (await frame.locator(selector).count().catch(() => 0)) return frame;
    }
    await page.waitForEvent('framenavigated', { timeout: 1000 }).catch(() => {});
  }
  throw new Error(`no webview with ${selector} appeared`);
}
