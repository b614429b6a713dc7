// Issue 22's start-up sentence measured as a user meets it (owned by the e2e; run.mjs calls it
// after the main walk, on the main walk's profile: the extension installed and used once).
//
// "From opening a Python file in a fresh window to its first diagnostic": for each case a new
// code-server (so no other window's extension host or language server is running) on the same
// profile, a new chromium profile, and a fresh copy of a workspace. The window is opened and the
// test waits until the window's extension host has finished starting (its log's first
// `onStartupFinished` activation: the workbench has told the host that start-up is over), then
// opens the Problems panel and a Python file with Quick Open, and times the click on Quick
// Open's row -> the file's tab, -> the first squiggle in that file, -> the expected Problems row.
// Three cases:
// - `example`: a copy of examples/service; `workspaceContains:.ai/adrs` has activated us while
//   the window started, so the server may be up before the file opens (pricing_rules.py, ADR-011);
// - `no-adrs`: the same copy without `.ai`, a Python project all the same: its `pyproject.toml`
//   activates us while the window starts (customer_client.py, ruff's S113 `requests.get` without
//   a timeout, a default finding);
// - `loose-folder`: the same without `.ai` and `pyproject.toml`, its Python files only in
//   subfolders: only `onLanguage:python` activates us, when the file opens.
// The main walk's first step stays the worst case (the file opened while the window starts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, freePort, startCodeServer } from './codeserver.mjs';
import { focusWorkbench, STEP_TIMEOUT } from './workbench.mjs';

const OURS = 'python-architect.python-architect';
const DIAGNOSTIC_TIMEOUT = 120_000;

export const FRESH_WINDOW_CASES = [
  { name: 'example', keepAdrs: true, file: 'src/pricing_service/domain/pricing_rules.py', row: 'ADR-011' },
  // Opened at the finding's line: Monaco draws squiggles on visible lines only.
  { name: 'no-adrs', keepAdrs: false, file: 'src/pricing_service/adapters/customer_client.py', at: ':43', row: 'S113' },
  { name: 'loose-folder', keepAdrs: false, keepProject: false, file: 'src/pricing_service/adapters/customer_client.py',
    at: ':43', row: 'S113' },
];

/** Log lines stamped `YYYY-MM-DD HH:MM:SS.mmm` (local time) -> ms since the epoch. */
function stampOf(line) {
  const stamp = line?.match(/^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d{3})/);
  return stamp ? new Date(`${stamp[1]}T${stamp[2]}`).getTime() : undefined;
}

function logFiles(dirs, name) {
  const logs = path.join(dirs.userData, 'logs');
  if (!fs.existsSync(logs)) return [];
  return fs.readdirSync(logs, { recursive: true }).map(String).filter((f) => f.endsWith(name)).map((f) => path.join(logs, f));
}

const read = (file) => (file && fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');

/** The new window's extension host log once it says start-up finished (the file is polled). */
async function windowReady(page, dirs, known) {
  const deadline = Date.now() + STEP_TIMEOUT;
  for (;;) {
    for (const file of logFiles(dirs, 'remoteexthost.log').filter((f) => !known.has(f))) {
      const line = read(file).split('\n').find((l) => /activationEvent: 'onStartupFinished'/.test(l));
      if (line) return { file, at: stampOf(line) };
    }
    if (Date.now() > deadline) throw new Error('no new extension host logged an onStartupFinished activation');
    await page.waitForTimeout(50); // a log file: polled
  }
}

function copyWorkspace(source, target, { keepAdrs, keepProject = true }) {
  const always = /[\\/](\.python-architect-cache|__pycache__|\.vscode)$/;
  const skip = (file) => always.test(file) || (!keepAdrs && /[\\/]\.ai$/.test(file))
    || (!keepProject && path.dirname(file) === source && /^(pyproject\.toml|setup\.py)$/.test(path.basename(file)));
  fs.cpSync(source, target, { recursive: true, filter: (file) => !skip(file) });
}

/** One case: resolves with its figures; rejects when the expected diagnostic never shows. */
async function oneWindow(kase, { dirs, repo, parent, outDir }) {
  const workspace = path.join(parent, `fresh-${kase.name}`, 'service');
  copyWorkspace(path.join(repo, 'examples', 'service'), workspace, kase);
  const known = new Set(logFiles(dirs, 'remoteexthost.log'));
  const server = await startCodeServer(dirs, { port: await freePort(), log: path.join(outDir, `code-server-fresh-${kase.name}.log`) });
  const context = await chromium.launchPersistentContext(path.join(parent, `fresh-${kase.name}`, 'chrome'), {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1600, height: 1000 },
  });
  context.setDefaultTimeout(STEP_TIMEOUT);
  const page = context.pages()[0] ?? await context.newPage();
  try {
    const loading = Date.now();
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench .part.editor').waitFor();
    const ready = await windowReady(page, dirs, known);
    const windowReadyAt = Date.now();
    const hostLog = ready.file;
    const ourLog = path.join(path.dirname(hostLog), OURS, 'Python Architect.log');
    await focusWorkbench(page);
    await page.keyboard.press('Control+Shift+M'); // the panel is open before the file: its row is not its render
    await page.locator('.markers-panel').first().waitFor();
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`${kase.file}${kase.at ?? ''}`);
    const choice = page.locator('.quick-input-widget .monaco-list-row', { hasText: path.basename(kase.file) }).first();
    await choice.waitFor();
    const activatedBeforeOpen = /_doActivateExtension python-architect\.python-architect/.test(read(hostLog));
    const serverReadyBeforeOpen = /Server ready in/.test(read(ourLog));
    const opened = Date.now();
    await choice.click();
    const at = (locator) => locator.waitFor({ timeout: DIAGNOSTIC_TIMEOUT }).then(() => Date.now(), () => null);
    const [tab, squiggle, row] = await Promise.all([
      at(page.locator('.editor-group-container.active .tabs-container .tab.active', { hasText: path.basename(kase.file) }).first()),
      at(page.locator('.editor-instance .monaco-editor [class*="squiggly-"]').first()),
      at(page.locator('.markers-panel .monaco-list-row', { hasText: kase.row }).first()),
    ]);
    await page.screenshot({ path: path.join(outDir, `fresh-window-${kase.name}.png`) }).catch(() => {});
    if (!row) throw new Error(`no ${kase.row} row in Problems within ${DIAGNOSTIC_TIMEOUT / 1000} s of opening ${kase.file}`);
    if (!squiggle) throw new Error(`no squiggle in ${kase.file} within ${DIAGNOSTIC_TIMEOUT / 1000} s`);
    const activation = read(hostLog).split('\n').find((l) => l.includes(`_doActivateExtension ${OURS}`));
    const activatedAt = stampOf(activation);
    const activateCalled = Number(read(ourLog).match(/\(ms since activate\(\) at (\d+)\)/)?.[1]) || undefined;
    // The server's clock: its process start (ms since the epoch) and its `document opened` mark.
    const phases = read(ourLog).match(/startup: ([^\n]*)/)?.[1];
    const serverZero = Number(phases?.match(/process started at (\d+)/)?.[1]);
    const didOpen = Number(phases?.match(/document opened (\d+)/)?.[1]);
    return {
      file: kase.file,
      row: kase.row,
      activationEvent: activation?.match(/activationEvent: '([^']*)'/)?.[1],
      activatedBeforeOpen,
      serverReadyBeforeOpen,
      loadToWindowReadyMs: windowReadyAt - loading,
      openToTabMs: tab === null ? undefined : tab - opened,
      openToSquiggleMs: squiggle === null ? undefined : squiggle - opened,
      openToProblemsRowMs: row - opened,
      activationToSquiggleMs: activatedAt && squiggle ? squiggle - activatedAt : undefined,
      // Negative when activate() ran before the open (the example: workspaceContains).
      openToActivateMs: activateCalled ? activateCalled - opened : undefined,
      openToServerDidOpenMs: serverZero && didOpen ? serverZero + didOpen - opened : undefined,
      serverPhases: phases,
      clientTimeline: read(ourLog).match(/Start-up: ([^\n]*)/)?.[1],
      loadAverage: +os.loadavg()[0].toFixed(1),
    };
  } finally {
    await context.close().catch(() => {});
    await server.stop();
  }
}

/**
 * Runs every case as a step named `fresh-window-<case>` (E2E_STEPS filters them like the walk's
 * steps); `record(result)` takes each step's result; resolves with the figures by case name.
 */
export async function freshWindows({ dirs, repo, parent, outDir, log, record }) {
  const figures = {};
  for (const kase of FRESH_WINDOW_CASES) {
    const name = `fresh-window-${kase.name}`;
    if (process.env.E2E_STEPS && !new RegExp(process.env.E2E_STEPS).test(name)) {
      log(`skip ${name}`);
      continue;
    }
    const started = Date.now();
    try {
      figures[kase.name] = await oneWindow(kase, { dirs, repo, parent, outDir });
      record({ name, ok: true, ms: Date.now() - started });
      log(`ok   ${name} (${Date.now() - started} ms)`);
    } catch (error) {
      const message = String(error?.message || error).split('\n')[0];
      record({ name, ok: false, ms: Date.now() - started, error: message });
      log(`FAIL ${name}: ${message}`);
    }
  }
  return figures;
}

/** The summary's lines for the figures `freshWindows` returned. */
export function describeFreshWindows(figures = {}) {
  return Object.entries(figures).map(([name, f]) => `fresh window (${name}: ${f.file}, activated by ${f.activationEvent ?? '?'}`
    + `${f.activatedBeforeOpen ? ' before the open' : ''}${f.serverReadyBeforeOpen ? ', server ready before the open' : ''}): `
    + `open -> tab ${f.openToTabMs ?? 'not seen'} ms, -> first squiggle ${f.openToSquiggleMs ?? 'not seen'} ms, `
    + `-> ${f.row} row in Problems ${f.openToProblemsRowMs} ms; open -> activate() ${f.openToActivateMs ?? '?'} ms, `
    + `-> didOpen at the server ${f.openToServerDidOpenMs ?? '?'} ms; activation -> squiggle ${f.activationToSquiggleMs ?? '?'} ms; `
    + `window load -> ready ${f.loadToWindowReadyMs} ms; load ${f.loadAverage}\n`
    + `    server: ${f.serverPhases ?? 'no startup line'}\n    client: ${f.clientTimeline ?? 'no Start-up line'}`);
}
