// The real-editor end-to-end test (owned by the e2e; `./dev e2e`, `npm run test:e2e`).
//
// Packages the VSIX (`npm run package`, or E2E_VSIX=file to reuse one), installs it into an
// isolated code-server, opens a temp copy of examples/service (no interpreter configured, so
// python3 on PATH is found) in Debian's chromium through playwright-core, and walks the user's
// path: diagnostic with its ADR id in Problems, hover with the ADR's decision, a quick fix that
// edits the text, the first action being the fix and "Fix all" changing every occurrence, Check
// Workspace's count equal to the Problems panel's, the chat offline (ADR citation) and online
// through the fake Anthropic server (API key set through the "Set API Key" command, so through
// SecretStorage, reaching the running server: no restart, the diagnostics stay), the citation link
// opening the ADR at its Decision, stop cancelling a slow stream, an injected answer rendering
// inert, the chat in the secondary side bar, the offline notice's Set API Key link, the context
// chip staying on the Python file, an agent answer (a tool step linking to its file, a mermaid
// diagram drawn while the answer still streams, highlighted code, Copy to the clipboard, Apply
// through a diff that writes only on Accept), the dependency graph drawn as SVG (layer groups
// stacked in ADR order without overlapping, the ARC102 edge listed, the depth select redrawing it,
// text at 11 px or more, after Fit a real click on an edge opening its import line and on a node
// its module), both restored by "Developer: Reload Window" (graph options, the chat's
// conversation), the conversation list (New, open a stored one, delete it), a restart
// (the warm start's figures), the version check answered from the cache for a real binary, and
// a bad interpreter giving one notification and the error status without a restart loop, a
// second, larger generated workspace (tests/support/big_workspace.py) where Check Workspace's
// count equals the Problems panel's too; then fresh windows (tests/e2e/freshwindow.mjs: a file
// opened once the window has started, with and without .ai/adrs: open -> squiggle, -> Problems); then
// the universal VSIX in its own code-server: one notification with the pip command and a button
// that copies it (tests/e2e/universal.mjs). Every
// step waits on a UI event and leaves a screenshot in $E2E_OUT (default tests/e2e/output/).
// Prints the VSIX size, activation-to-first-diagnostic, every server start's figures (first and
// warm) and the run time.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, freePort, installExtension, profile, startCodeServer } from './codeserver.mjs';
import { handshake, interpreters } from './handshake.mjs';
import { describeFreshWindows, freshWindows } from './freshwindow.mjs';
import { universalNotice } from './universal.mjs';
import { activationTime, answerFinished, ask as askIn, chatFrame, clientTimeline, openFile, runCommand, serverPhases, serverReadyMs,
  serverStarted, serverStarts, STEP_TIMEOUT, viewLine, webviewFrame } from './workbench.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const outDir = path.resolve(process.env.E2E_OUT || path.join(here, 'output'));
const FAKE_KEY = 'sk-ant-e2e-fake-key-not-a-secret';
const results = [];
const figures = {};
const warnings = [];
let shotNumber = 0;

function log(message) {
  process.stdout.write(`e2e: ${message}\n`);
}

// -- the fake Anthropic API, scripted over its stdin -------------------------------------------
function python() {
  const venv = path.join(repo, '.venv', 'bin', 'python');
  return fs.existsSync(venv) ? venv : 'python3';
}

async function startFake() {
  const child = spawn(python(), [path.join(here, 'fake_anthropic_server.py')], {
    stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, E2E_EXPECTED_KEY: FAKE_KEY },
  });
  const lines = readline.createInterface({ input: child.stdout });
  const waiting = [];
  lines.on('line', (line) => waiting.shift()?.(JSON.parse(line)));
  const next = () => new Promise((resolve) => waiting.push(resolve));
  const { base_url: baseUrl } = await next();
  return {
    baseUrl,
    send(command) {
      const reply = next();
      child.stdin.write(`${JSON.stringify(command)}\n`);
      return reply;
    },
    stop() {
      child.stdin.end();
      child.kill();
    },
  };
}

// -- workbench helpers ---------------------------------------------------------------------------
async function shot(page, name) {
  shotNumber += 1;
  const file = path.join(outDir, `${String(shotNumber).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file }).catch(() => {});
  return file;
}

// The marketplace README's screenshots (issue 22), saved under stable names beside the numbered
// ones (diagnostics, hover, chat-diagram); `./dev marketplace-images` copies them into
// client/marketplace/images/.
async function marketplaceShot(page, name) {
  await page.screenshot({ path: path.join(outDir, `marketplace-${name}.png`) });
}

async function step(page, name, body) {
  // E2E_STEPS=regex runs only the steps it matches (while developing one scenario).
  if (process.env.E2E_STEPS && !new RegExp(process.env.E2E_STEPS).test(name)) {
    log(`skip ${name}`);
    return;
  }
  const started = Date.now();
  try {
    await body();
    results.push({ name, ok: true, ms: Date.now() - started });
    log(`ok   ${name} (${Date.now() - started} ms)`);
    await shot(page, name);
  } catch (error) {
    results.push({ name, ok: false, ms: Date.now() - started, error: String(error?.message || error).split('\n')[0] });
    log(`FAIL ${name}: ${String(error?.message || error).split('\n').slice(0, 4).join(' | ')}`);
    await shot(page, `${name}-FAILED`);
  }
}

const ask = (page, question) => askIn(page, question, (why) => {
  log(`WARN ${why}`);
  warnings.push(why);
});

function check(condition, message) {
  if (!condition) throw new Error(message);
}

// -- the run -----------------------------------------------------------------------------------
async function main() {
  const started = Date.now();
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
  let vsix = process.env.E2E_VSIX;
  if (!vsix) {
    execFileSync('npm', ['run', '--silent', 'package'], { cwd: repo, stdio: 'inherit' });
    vsix = path.join(repo, 'dist', `${manifest.name}-linux-x64-${manifest.version}.vsix`);
    execFileSync('npm', ['run', '--silent', 'package', '--', '--target', 'universal'], { cwd: repo, stdio: 'inherit' });
  }
  figures.vsixMB = +(fs.statSync(vsix).size / 1024 / 1024).toFixed(1);

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-e2e-'));
  const dirs = profile(path.join(tmp, 'profile'));
  const workspace = path.join(tmp, 'service');
  fs.cpSync(path.join(repo, 'examples', 'service'), workspace, {
    recursive: true, filter: (source) => !/[\\/](\.python-architect-cache|__pycache__)$/.test(source),
  });
  fs.rmSync(path.join(workspace, '.vscode'), { recursive: true, force: true }); // no interpreter set
  installExtension(vsix, dirs);
  await handshakes(dirs, manifest);

  const fake = await startFake();
  const port = await freePort();
  const server = await startCodeServer(dirs, { port, log: path.join(outDir, 'code-server.log'),
    env: { ANTHROPIC_BASE_URL: fake.baseUrl } });
  const context = await chromium.launchPersistentContext(dirs.chrome, {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1600, height: 1000 },
  });
  context.setDefaultTimeout(STEP_TIMEOUT);
  // Copy from the chat goes through VS Code's clipboard, which is the page's in code-server.
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  const page = context.pages()[0] ?? await context.newPage();
  try {
    try {
      await walk(page, server.url, workspace, fake, dirs);
    } finally {
      figures.serverStarts = serverStarts(dirs); // every start of the run, before the profile goes
      await context.close().catch(() => {});
      await server.stop();
      fake.stop();
    }
    // Issue 22's sentence: a file opened in a fresh window that has finished starting.
    figures.freshWindow = await freshWindows({ dirs, repo, parent: tmp, outDir, log, record: (r) => results.push(r) });
  } finally {
    if (!process.env.E2E_KEEP) fs.rmSync(tmp, { recursive: true, force: true });
  }
  const universal = process.env.E2E_UNIVERSAL_VSIX || path.join(repo, 'dist', `${manifest.name}-${manifest.version}.vsix`);
  if (fs.existsSync(universal)) {
    const uniTmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-e2e-universal-'));
    const uniStarted = Date.now();
    try {
      await universalNotice({ vsix: universal, tmp: uniTmp, workspaceSource: path.join(repo, 'examples', 'service'),
        shotPath: path.join(outDir, `${String(++shotNumber).padStart(2, '0')}-universal-vsix-explains.png`), log });
      results.push({ name: 'universal-vsix-explains', ok: true, ms: Date.now() - uniStarted });
      log(`ok   universal-vsix-explains (${Date.now() - uniStarted} ms)`);
    } catch (error) {
      results.push({ name: 'universal-vsix-explains', ok: false, error: String(error?.message || error).split('\n')[0] });
      log(`FAIL universal-vsix-explains: ${String(error?.message || error).split('\n')[0]}`);
    } finally {
      if (!process.env.E2E_KEEP) fs.rmSync(uniTmp, { recursive: true, force: true });
    }
  } else {
    results.push({ name: 'universal-vsix-explains', ok: false, error: `${universal} was not built` });
  }
  figures.e2eSeconds = +((Date.now() - started) / 1000).toFixed(1);
  const failed = results.filter((r) => !r.ok);
  fs.writeFileSync(path.join(outDir, 'summary.json'), JSON.stringify({ figures, results, warnings }, null, 2));
  log(`VSIX size: ${figures.vsixMB} MB`);
  log(`activation to first diagnostic: ${figures.activationToDiagnosticMs} ms (extension activated -> ADR diagnostic `
    + `shown in Problems; of which server start ${figures.serverReadyMs} ms; workbench ready -> diagnostic `
    + `${figures.workbenchToDiagnosticMs} ms; file opened -> diagnostic ${figures.openToDiagnosticMs} ms)`);
  log(`activation to the first squiggle in the open file: ${figures.activationToSquiggleMs ?? 'not seen'} ms`);
  log(`the server's first start: ${figures.serverPhases}`);
  log(`the client's first start: ${figures.clientTimeline}`);
  log(`workbench ready -> activate() ${figures.workbenchToActivateMs} ms (file opened -> activate() ${figures.openToActivateMs} ms); `
    + `the host's activation log line -> activate() ${figures.hostActivationToActivateMs} ms; spawn -> the server's `
    + `clock starts (the bootstrap's first line) ${figures.spawnToServerClockMs} ms`);
  if (figures.anchorImportMs) {
    log(`anchor: python3 -c "import lsprotocol.types" (bundled) ${figures.anchorImportMs} ms just after; activation to first `
      + `diagnostic is x${(figures.activationToDiagnosticMs / figures.anchorImportMs).toFixed(2)} of it`);
  }
  for (const [number, start] of [figures.firstStart, ...(figures.serverStarts ?? [])].filter(Boolean).entries()) {
    log(`server start${number === 0 ? ' (first, before the reload)' : ` #${number} after the reload`}: ready in ${start.readyMs} ms (finding the interpreter ${start.findMs} ms; `
      + `interpreter check ${start.checkMs} ms${start.checkCached ? ', cached' : ''}; spawn to initialized ${start.spawnMs} ms)`);
  }
  if (figures.cachedCheck) {
    log(`interpreter check for ${figures.cachedCheck.interpreter}: ${figures.cachedCheck.uncachedCheckMs} ms, then `
      + `${figures.cachedCheck.cachedCheckMs} ms from the cache (server ready in ${figures.cachedCheck.readyMs} ms)`);
  }
  if (figures.restartToDiagnosticMs !== undefined) {
    log(`restart (warm start) to diagnostic: ${figures.restartToDiagnosticMs} ms (server ready in ${figures.warmServerReadyMs} ms)`);
  }
  log(`load average when the diagnostic showed: ${figures.loadAverageAtDiagnostic} on ${os.cpus().length} cores`);
  for (const line of describeFreshWindows(figures.freshWindow)) log(line);
  log(`e2e run time: ${figures.e2eSeconds} s (screenshots in ${path.relative(process.cwd(), outDir) || '.'})`);
  log(`${results.length - failed.length}/${results.length} steps passed`);
  return failed.length ? 1 : 0;
}

const binaryPython = { path: undefined };

/** `python3 -c "import lsprotocol.types"` with the installed bundle (ms, process included): the
 * same-moment yardstick for the start-up figures on a machine whose load varies. */
function anchorImport(dirs) {
  try {
    const extension = fs.readdirSync(dirs.extensions).find((name) => name.startsWith('python-architect.'));
    const bundled = path.join(dirs.extensions, extension ?? '', 'bundled');
    const tag = execFileSync('python3', ['-c', 'import sys; print("%d%d" % sys.version_info[:2])'], { encoding: 'utf8' }).trim();
    const env = { ...process.env, PYTHONPATH: [`libs-cp${tag}`, 'libs'].map((d) => path.join(bundled, d)).join(path.delimiter) };
    const began = Date.now();
    execFileSync('python3', ['-c', 'import lsprotocol.types'], { env, stdio: 'ignore', timeout: 120_000 });
    return Date.now() - began;
  } catch {
    return undefined; // a figure only: the step does not depend on it
  }
}

async function handshakes(dirs, manifest) {
  const bootstrap = path.join(dirs.extensions, `${manifest.publisher}.${manifest.name}-${manifest.version}`,
    'bundled', 'tool', 'bootstrap.py');
  const found = interpreters();
  figures.bundleCheckedOn = [...found.keys()];
  // A real interpreter binary (not a launcher script): its version check can be cached.
  binaryPython.path = [...found.values()].find((file) => {
    try {
      return fs.readFileSync(fs.realpathSync(file)).subarray(0, 2).toString('latin1') !== '#!';
    } catch {
      return false;
    }
  });
  if (!found.size) results.push({ name: 'bundle-handshake', ok: false, error: 'no CPython 3.10-3.13 found' });
  for (const [version, python] of found) {
    const name = `bundle-handshake-cp${version.replace('.', '')}`;
    const started = Date.now();
    try {
      const info = await handshake(python, bootstrap);
      check(/python/i.test(info?.name ?? ''), `serverInfo ${JSON.stringify(info)}`);
      results.push({ name, ok: true, ms: Date.now() - started });
      log(`ok   ${name} (${Date.now() - started} ms, ${python})`);
    } catch (error) {
      results.push({ name, ok: false, ms: Date.now() - started, error: error.message });
      log(`FAIL ${name}: ${error.message}`);
    }
  }
}

/**
 * Runs "Check Workspace" and compares its count with the Problems panel's (the status bar's
 * problems item: errors, warnings, infos; never hints), which the workspace pull fills after the
 * answer. Throws when they differ; returns both and the language status item's text.
 */
async function checkWorkspaceCounts(page) {
  await runCommand(page, 'Python Architect: Check Workspace');
  const message = page.locator('.statusbar-item', { hasText: /Python Architect: \d+ problems? in \d+ files/ }).first();
  await message.waitFor({ timeout: 120_000 });
  const text = await message.textContent();
  const reported = Number(text.match(/(\d+) problems?/)[1]);
  const files = Number(text.match(/in (\d+) files/)[1]);
  const panelCount = async () => {
    const label = (await page.locator('.statusbar-item[id="status.problems"]').first().getAttribute('aria-label')) ?? '';
    return [...label.matchAll(/(\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
  };
  let shown = await panelCount();
  for (let attempt = 0; attempt < 20 && shown !== reported; attempt += 1) {
    await page.waitForTimeout(500); // the workspace pull fills the panel after the answer
    shown = await panelCount();
  }
  check(shown === reported, `Check Workspace said ${reported} problems, the Problems panel counts ${shown}`);
  const statusItem = await page.locator('.statusbar-item[id="status.languageStatus"]').first().getAttribute('aria-label');
  return { reported, problemsPanel: shown, files, statusItem };
}

/**
 * Issue 23's second, larger workspace (tests/support/big_workspace.py: 100 modules in three
 * layers with layer violations, cycles, secrets, ruff findings and hints) opened in the same
 * editor: Check Workspace's count equals the Problems panel's there too.
 */
async function largerWorkspaceCounts(page, baseUrl, parent) {
  const big = path.join(parent, 'big');
  execFileSync(python(), [path.join(repo, 'tests', 'support', 'big_workspace.py'), big]);
  await page.goto(`${baseUrl}/?folder=${encodeURIComponent(big)}`);
  await page.locator('.monaco-workbench .part.editor').waitFor();
  await openFile(page, 'big/domain/d8.py'); // a layer violation: the server starts on a Python file
  await page.keyboard.press('Control+Shift+M');
  await page.locator('.markers-panel .monaco-list-row', { hasText: 'ARC102' }).first().waitFor({ timeout: 120_000 });
  const counts = await checkWorkspaceCounts(page);
  figures.largerWorkspace = counts;
  check(counts.files >= 100, `Check Workspace checked ${counts.files} files of the larger workspace`);
  // At least what the generator plants: 4 ARC102, 12 ARC701, 2 S113 (ruff's) and 2 or more ARC103.
  check(counts.reported >= 20, `Check Workspace found only ${counts.reported} problems in the larger workspace`);
}

async function walk(page, baseUrl, workspace, fake, dirs) {
  const loadStarted = Date.now();
  await page.goto(`${baseUrl}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator('.monaco-workbench .part.editor').waitFor();
  const workbenchReady = Date.now();
  figures.workbenchMs = workbenchReady - loadStarted;

  await step(page, 'diagnostic-in-problems', async () => {
    const opened = Date.now();
    await openFile(page, 'src/pricing_service/domain/pricing_rules.py');
    // The file's diagnostics arrive in one publish: the first squiggle in the editor is when a user
    // first sees one; the Problems row (the figure below) comes after the panel has rendered it.
    const squiggled = page.locator('.editor-instance .monaco-editor [class*="squiggly-"]').first()
      .waitFor({ timeout: 120_000 }).then(() => Date.now(), () => null);
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'ADR-011' }).first()
      .waitFor({ timeout: 120_000 });
    const seen = Date.now();
    const squiggleSeen = await squiggled;
    figures.openToDiagnosticMs = seen - opened;
    figures.workbenchToDiagnosticMs = seen - workbenchReady;
    const activated = activationTime(dirs);
    if (activated) figures.activationToDiagnosticMs = seen - activated;
    if (activated && squiggleSeen) figures.activationToSquiggleMs = squiggleSeen - activated;
    figures.serverReadyMs = serverReadyMs(dirs);
    figures.serverPhases = serverPhases(dirs);
    const timeline = clientTimeline(dirs);
    if (timeline) {
      figures.clientTimeline = timeline.text;
      figures.workbenchToActivateMs = timeline.origin - workbenchReady; // code-server's extension host start
      if (activated) figures.hostActivationToActivateMs = timeline.origin - activated; // loading our bundle
      figures.openToActivateMs = timeline.origin - opened;
      // The interpreter's own start (a launcher script such as a pyenv shim included) before the
      // bootstrap's first line, which starts the server's clock.
      const spawned = Number(timeline.text.match(/\bspawn (-?\d+)/)?.[1]);
      const serverZero = Number(figures.serverPhases?.match(/process started at (\d+)/)?.[1]);
      if (spawned && serverZero) figures.spawnToServerClockMs = serverZero - (timeline.origin + spawned);
    }
    figures.firstStart = serverStarts(dirs)[0];
    figures.anchorImportMs = anchorImport(dirs);
    figures.loadAverageAtDiagnostic = +os.loadavg()[0].toFixed(1);
    const row = await page.locator('.markers-panel .monaco-list-row', { hasText: 'ADR-011' }).first().textContent();
    check(/fastapi/.test(row), `the ADR-011 row does not name fastapi: ${row}`);
    await marketplaceShot(page, 'diagnostics');
  });

  await step(page, 'restart-server-warm-start', async () => {
    // The second start: bytecode is in the extension's storage now, the version check may be cached.
    await serverStarted(page, dirs, 1);
    const restarted = Date.now();
    await runCommand(page, 'Python Architect: Restart Server');
    const warm = await serverStarted(page, dirs, 2);
    figures.warmServerReadyMs = warm.readyMs;
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'ADR-011' }).first().waitFor({ timeout: 120_000 });
    figures.restartToDiagnosticMs = Date.now() - restarted;
  });

  await step(page, 'interpreter-check-cached-on-restart', async () => {
    // Setting an interpreter binary restarts the server (its version is checked: start #3); the
    // next restart answers the check from the cache (no Python spawned for it).
    check(binaryPython.path, 'no CPython 3.10-3.13 binary found to set as the interpreter');
    fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
    fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'),
      JSON.stringify({ 'pythonArchitect.interpreter': [binaryPython.path] }, null, 2));
    const checked = await serverStarted(page, dirs, 3);
    check(!checked.checkCached, 'the first check of a new interpreter came from the cache');
    await runCommand(page, 'Python Architect: Restart Server');
    const cached = await serverStarted(page, dirs, 4);
    check(cached.checkCached, `the second start checked ${binaryPython.path} again (${cached.checkMs} ms)`);
    figures.cachedCheck = { interpreter: binaryPython.path, uncachedCheckMs: checked.checkMs, cachedCheckMs: cached.checkMs,
      readyMs: cached.readyMs };
  });

  await step(page, 'hover-shows-adr-decision', async () => {
    const line = await viewLine(page, /from.fastapi.import.HTTPException/);
    // Monaco joins whitespace into token spans as non-breaking spaces (\s matches them).
    const word = line.locator('span span', { hasText: /^\s*fastapi\s*$/ }).first();
    // The Decision section's first words, as our hover quotes them. (The word "Decision" of the
    // ADR row in the problem's own hover no longer stands in for it: issue 23 took the ADR rows
    // out of the diagnostic, and the problem hover shows before ours arrives.)
    const adr = fs.readFileSync(path.join(workspace, '.ai/adrs/0011-isolate-frameworks-from-the-domain.md'), 'utf8');
    const decision = adr.split(/^#+\s*Decision\s*$/m)[1].trim().split(/\s+/).slice(0, 6).join(' ').replace(/`/g, '');
    const hover = page.locator('.monaco-hover', { hasText: 'ADR-011' });
    const quoted = page.locator('.monaco-hover', { hasText: decision });
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await page.mouse.move(5, 5);
      await word.hover();
      if (await quoted.first().waitFor({ timeout: 10_000 }).then(() => true, () => false)) break;
    }
    const text = (await hover.first().textContent().catch(() => '')).replace(/\s+/g, ' ');
    check(await quoted.count() > 0, `the hover does not quote the ADR's decision ("${decision}"): ${text.slice(0, 300)}`);
    await page.waitForTimeout(500); // the hover fades in: let the screenshot show it
    await marketplaceShot(page, 'hover');
  });

  await step(page, 'quick-fix-edits-text', async () => {
    await page.keyboard.press('Escape');
    await openFile(page, 'src/pricing_service/adapters/customer_client.py', ':43:24');
    const line = await viewLine(page, /requests\.get\(f"\{base_url\}\/customers/);
    check(!/timeout=10/.test(await line.textContent()), 'the line already has a timeout');
    // The file's diagnostics may not have arrived when the editor opens it: code actions asked
    // before them are empty ("No code actions available"). Wait for the file's squiggles (its
    // diagnostics arrive together), then ask again if the menu came up without the fix (the same
    // retry as the next step's).
    await page.locator('.editor-instance .monaco-editor [class*="squiggly-"]').first().waitFor({ timeout: 60_000 });
    const fix = page.locator('.action-widget .monaco-list-row', { hasText: /timeout=10/ }).first();
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await page.keyboard.press('Control+.');
      if (await fix.waitFor({ timeout: 10_000 }).then(() => true, () => false)) break;
      await page.keyboard.press('Escape');
    }
    await fix.click();
    await viewLine(page, /requests\.get\(f"\{base_url\}\/customers\/\{customer_id\}\/tier",.timeout=10\)/);
  });

  await step(page, 'first-action-is-the-fix-and-fix-all-fixes-every-one', async () => {
    // Two imports of requests where ADR-017 names httpx (`use: httpx`): the first action offered
    // is the fix, and "Fix all ARC101 in this file" changes both lines.
    const legacy = 'src/pricing_service/adapters/legacy_http.py';
    fs.writeFileSync(path.join(workspace, legacy),
      'import requests\nfrom requests.adapters import HTTPAdapter\n\n\ndef fetch(url):\n'
      + '    return requests.get(url, timeout=5), HTTPAdapter()\n');
    await openFile(page, legacy, ':1:8');
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel .monaco-list-row', { hasText: /legacy_http|ARC101/ }).first().waitFor({ timeout: 60_000 });
    await openFile(page, legacy, ':1:8');
    const rows = page.locator('.action-widget .monaco-list-row.action');
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await page.keyboard.press('Control+.');
      if (await rows.filter({ hasText: 'instead of' }).first().waitFor({ timeout: 10_000 }).then(() => true, () => false)) break;
      await page.keyboard.press('Escape');
    }
    const titles = await rows.allTextContents();
    check(/Import .httpx. instead of .requests./.test(titles[0] ?? ''), `the first action is not the fix: ${JSON.stringify(titles)}`);
    const fixAll = titles.findIndex((t) => /Fix all ARC101 in this file/.test(t));
    const suppress = titles.findIndex((t) => /Suppress ARC101/.test(t));
    check(fixAll > 0 && suppress > fixAll, `"Fix all" is not before the suppressions: ${JSON.stringify(titles)}`);
    await shot(page, 'code-actions-in-ruffs-order');
    await rows.filter({ hasText: 'Fix all ARC101 in this file' }).first().click();
    await viewLine(page, /^import.httpx.as.requests$/);
    await viewLine(page, /^from.httpx\.adapters.import.HTTPAdapter$/);
  });

  await step(page, 'check-workspace-count-equals-problems-panel', async () => {
    figures.checkWorkspace = await checkWorkspaceCounts(page);
  });

  let frame;
  let index;
  await step(page, 'chat-offline-with-citation', async () => {
    await runCommand(page, 'Python Architect: Open Architect Chat');
    ({ frame, index } = await ask(page, 'Which decision keeps web frameworks out of the domain layer?'));
    const answer = await answerFinished(frame, index);
    check(/\bdone\b/.test(answer.className), `the offline answer ended as ${answer.className}: ${answer.text.slice(0, 200)}`);
    check(/offline/i.test(await frame.locator('#mode').textContent()), 'the mode does not say offline');
    check(await frame.locator('#messages .message.assistant').nth(index).locator('a.adr-link[data-adr]').count() > 0,
      `no ADR citation link in the offline answer: ${answer.text.slice(0, 200)}`);
    const stats = await fake.send({ cmd: 'stats' });
    check(stats.message_requests === 0, `offline asked the API ${stats.message_requests} times`);
  });

  await step(page, 'chat-in-secondary-side-bar', async () => {
    // The chat is a view of its own container in the secondary side bar, not an editor tab.
    // (Webview iframes live in an overlay placed over their part: compare the boxes.)
    await page.locator('.part.auxiliarybar').waitFor();
    const chat = await (await (await chatFrame(page)).frameElement()).boundingBox();
    const bar = await page.locator('.part.auxiliarybar').boundingBox();
    check(chat && bar && chat.x >= bar.x - 2 && chat.x + chat.width <= bar.x + bar.width + 2 && chat.width > 100,
      `the chat (${JSON.stringify(chat)}) is not inside the secondary side bar (${JSON.stringify(bar)})`);
    check(await page.locator('.part.auxiliarybar', { hasText: /Architect/i }).count() > 0,
      'the secondary side bar does not show the Architect view');
    check(await page.locator('.tabs-container .tab', { hasText: 'Architect Chat' }).count() === 0,
      'the chat opened as an editor tab');
  });

  await step(page, 'set-api-key-from-the-offline-notice', async () => {
    // The offline answer's notice names "Set API Key" as a link that runs the command; the key
    // then reaches the running server (checked after the input below: no restart, no blank panel).
    const startsBefore = serverStarts(dirs).length;
    frame = await chatFrame(page);
    await frame.locator('#messages .message.assistant').nth(index).locator('.offline-notice a.run-set-api-key').click();
    const input = page.locator('.quick-input-widget .quick-input-box input[type="password"]');
    await input.waitFor({ state: 'visible' });
    await input.fill(FAKE_KEY);
    await page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden' });
    // The key goes to the running server: no restart, and the diagnostics stay on screen.
    await page.locator('.statusbar-item', { hasText: 'the chat answers online' }).first().waitFor();
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'ADR-011' }).first().waitFor({ timeout: 5_000 });
    check(serverStarts(dirs).length === startsBefore, `setting the key restarted the server (${serverStarts(dirs).length} starts)`);
    check(!(await page.locator('.markers-panel', { hasText: 'No problems have been detected' }).count()),
      'the Problems panel went blank');
  });

  await step(page, 'chat-online-streamed-through-fake-api', async () => {
    ({ frame, index } = await ask(page, 'Where should the HTTPException in pricing_rules.py go?'));
    const answer = await answerFinished(frame, index);
    check(/\bdone\b/.test(answer.className), `the online answer ended as ${answer.className}: ${answer.text.slice(0, 300)}`);
    check(/Online architect/.test(answer.text), `the answer is not the fake API's: ${answer.text.slice(0, 200)}`);
    check(answer.lengths >= 2, `the answer did not stream (${answer.lengths} distinct lengths seen)`);
    check(/online/i.test(await frame.locator('#mode').textContent()), 'the mode does not say online');
    const stats = await fake.send({ cmd: 'stats' });
    check(stats.message_requests >= 1, 'the fake API got no message request');
    check(stats.keys_match, `the API key set in the UI did not reach the API request (auth headers `
      + `${JSON.stringify(stats.auth_headers)}, the key found in ${JSON.stringify(stats.key_found_in)})`);
  });

  await step(page, 'citation-opens-adr-at-decision', async () => {
    frame = await chatFrame(page);
    await frame.locator('#messages a.adr-link[data-adr="ADR-011"]').last().click();
    await page.locator('.tabs-container .tab.active', { hasText: '0011-isolate-frameworks-from-the-domain.md' }).waitFor();
    const adr = fs.readFileSync(path.join(workspace, '.ai/adrs/0011-isolate-frameworks-from-the-domain.md'), 'utf8');
    const decisionLine = adr.split('\n').findIndex((l) => /^#+\s*Decision/.test(l)) + 1;
    await page.locator('.statusbar-item', { hasText: new RegExp(`Ln ${decisionLine},`) }).first().waitFor();
    // The ADR (markdown) is now the active editor: the chip still names the Python file.
    const chip = await (await chatFrame(page)).locator('#context .chip-label').first().textContent();
    check(/\.py:\d+/.test(chip) && !/\.md/.test(chip), `the context chip switched to ${chip}`);
  });

  await step(page, 'stop-cancels-slow-stream', async () => {
    await runCommand(page, 'Python Architect: Open Architect Chat');
    frame = await chatFrame(page);
    const chunks = ['Thinking slowly about this. ', ...Array.from({ length: 60 }, (_, i) => `word${i} `)];
    await fake.send({ cmd: 'script', replies: [{ chunks, delay: 0.5 }] });
    ({ frame, index } = await ask(page, 'Explain the layering in detail, slowly.'));
    await frame.waitForFunction((n) => {
      const message = document.querySelectorAll('#messages .message.assistant')[n];
      return message && /Thinking slowly/.test(message.textContent);
    }, index);
    await frame.locator('button#stop').click();
    const answer = await answerFinished(frame, index, 15_000);
    check(/\bcancelled\b/.test(answer.className), `the stopped answer ended as ${answer.className}`);
    const { disconnect } = await fake.send({ cmd: 'wait_disconnect', timeout: 10 });
    check(disconnect && disconnect.deltas_sent < disconnect.deltas_total,
      `the API stream was not closed early: ${JSON.stringify(disconnect)}`);
  });

  await step(page, 'injected-answer-renders-inert', async () => {
    frame = await chatFrame(page);
    const payload = [
      'Here is the design.\n\n<script>window.__pwned = "script"</script>\n\n',
      '<img src="x" onerror="window.__pwned = \'img\'">\n\n',
      '[see the ADR](javascript:window.__pwned=\'link\') and <a href="javascript:window.__pwned=\'a\'">this</a>\n\n',
      '```mermaid\ngraph TD\n  A["<img src=x onerror=window.__pwned=\'mermaid\'>"] --> B[Domain]\n```\n\nEnd of answer.',
    ];
    await fake.send({ cmd: 'script', replies: [{ chunks: payload }] });
    ({ frame, index } = await ask(page, 'Draw the layers as a diagram.'));
    const answer = await answerFinished(frame, index);
    check(/\bdone\b/.test(answer.className), `the injected answer ended as ${answer.className}`);
    check(/End of answer/.test(answer.text), 'the text around the injections was lost');
    const links = frame.locator('#messages .message.assistant').nth(index).locator('a');
    for (let i = 0; i < await links.count(); i += 1) await links.nth(i).click().catch(() => {});
    const found = await frame.evaluate((n) => {
      const message = document.querySelectorAll('#messages .message.assistant')[n];
      const all = [...message.querySelectorAll('*')];
      return {
        pwned: window.__pwned ?? null,
        scripts: message.querySelectorAll('script').length,
        images: message.querySelectorAll('img').length,
        handlers: all.flatMap((el) => [...el.attributes].map((a) => a.name)).filter((n2) => /^on/i.test(n2)),
        jsLinks: all.filter((el) => /^\s*javascript:/i.test(el.getAttribute('href') || el.getAttribute('xlink:href') || '')).length,
      };
    }, index);
    check(found.pwned === null, `an injected handler ran: window.__pwned = ${found.pwned}`);
    check(found.scripts === 0 && found.images === 0 && found.handlers.length === 0 && found.jsLinks === 0,
      `live HTML survived: ${JSON.stringify(found)}`);
  });

  const CACHE = 'src/pricing_service/adapters/price_cache.py';
  const NEW_DOC = '    """Redis pass-through, kept behind QuoteCache (ADR-014)."""';
  await step(page, 'chat-agent-answer-steps-diagram-code', async () => {
    await openFile(page, 'src/pricing_service/domain/pricing_rules.py');
    frame = await chatFrame(page);
    const answerChunks = [
      'The cache layering, as ADR-014 decides:\n\n```mer', 'maid\ngraph TD\n  S[QuoteService] --> Q[QuoteCache]\n',
      '  Q --> P[PriceCache]\n  P --> R[(Redis)]\n```\n\n', 'Give the pass-through a docstring that says so:\n\n',
      `\`\`\`python path=${CACHE} lines=11-12\nclass PriceCache:\n${NEW_DOC}\n\`\`\`\n\n`,
      ...Array.from({ length: 8 }, (_, i) => `Point ${i + 1} of the migration. `), 'End of the layered answer.',
    ];
    await fake.send({ cmd: 'script', replies: [
      { chunks: ['Let me read the cache first. '], tool_uses: [['read_file', { path: CACHE, start_line: 11, end_line: 24 }]] },
      { chunks: answerChunks, delay: 0.35 },
    ] });
    ({ frame, index } = await ask(page, 'How should the price cache be layered? Draw it.'));
    const message = frame.locator('#messages .message.assistant').nth(index);
    // The diagram is drawn once its block is complete, while the rest still streams.
    await message.locator('.mermaid-diagram svg').first().waitFor();
    figures.diagramDrawnWhileStreaming = /\bstreaming\b/.test(await message.getAttribute('class'));
    check(figures.diagramDrawnWhileStreaming, 'the diagram was drawn only after the answer ended');
    const answer = await answerFinished(frame, index);
    check(/\bdone\b/.test(answer.className), `the agent answer ended as ${answer.className}: ${answer.text.slice(0, 300)}`);
    const drawn = await message.evaluate((element) => ({
      svgs: element.querySelectorAll('.mermaid-diagram svg').length,
      source: element.querySelectorAll('pre > code.language-mermaid').length,
      keywords: element.querySelectorAll('pre code.language-python .hljs-keyword').length,
      steps: [...element.querySelectorAll('details.steps li')].map((li) => li.textContent),
      apply: element.querySelector('.block-apply.proposal')?.title ?? '',
    }));
    check(drawn.svgs === 1 && drawn.source === 0, `the diagram is not one SVG after the answer: ${JSON.stringify(drawn)}`);
    check(drawn.keywords > 0, 'the Python block is not highlighted');
    check(drawn.steps.length === 1 && /Reading.*price_cache\.py/.test(drawn.steps[0]), `steps shown: ${JSON.stringify(drawn.steps)}`);
    check(drawn.apply.startsWith(`Apply to ${CACHE}`), `the proposal's Apply is not tied to its file: ${drawn.apply}`);
    await message.locator('details.steps summary').click(); // open the list for the screenshot
    await message.locator('.mermaid-diagram svg').first().scrollIntoViewIfNeeded();
    await marketplaceShot(page, 'chat-diagram');
  });

  await step(page, 'chat-copy-puts-block-on-clipboard', async () => {
    frame = await chatFrame(page);
    await frame.locator('#messages .message.assistant').nth(index).locator('.segment.fence .block-copy').first().click();
    const expected = `class PriceCache:\n${NEW_DOC}`;
    await page.waitForFunction((text) => navigator.clipboard.readText().then((value) => value === text, () => false), expected,
      { polling: 200 });
  });

  await step(page, 'chat-apply-opens-diff-and-writes-only-on-accept', async () => {
    const file = path.join(workspace, CACHE);
    const before = fs.readFileSync(file, 'utf8');
    frame = await chatFrame(page);
    await frame.locator('#messages .message.assistant').nth(index).locator('.block-apply.proposal').first().click();
    await page.locator('.tabs-container .tab.active', { hasText: 'proposed change' }).waitFor();
    await page.locator('.monaco-diff-editor').first().waitFor();
    check(fs.readFileSync(file, 'utf8') === before, 'the file changed before the change was accepted');
    await shot(page, 'apply-diff-before-accept');
    await page.locator('.editor-actions .action-label[aria-label^="Accept Change"]').first().click();
    await page.waitForFunction(() => ![...document.querySelectorAll('.tabs-container .tab')]
      .some((tab) => /proposed change/.test(tab.textContent)));
    const after = fs.readFileSync(file, 'utf8');
    check(after.includes(NEW_DOC.trim()) && !after.includes('Thin pass-through kept from the first Redis spike'),
      `the accepted change is not in the file: ${after.slice(0, 400)}`);
    check(after.split('\n').length === before.split('\n').length, 'the change did not replace exactly lines 11-12');
  });

  await step(page, 'chat-step-links-to-its-file', async () => {
    frame = await chatFrame(page);
    const message = frame.locator('#messages .message.assistant').nth(index);
    if (await message.locator('details.steps').getAttribute('open') === null) {
      await message.locator('details.steps summary').click();
    }
    await message.locator('details.steps a.step-link').first().click();
    await page.locator('.tabs-container .tab.active', { hasText: 'price_cache.py' }).waitFor();
    await page.locator('.statusbar-item', { hasText: /Ln 11,/ }).first().waitFor();
  });

  await step(page, 'dependency-graph-renders-svg', async () => {
    await runCommand(page, 'Python Architect: Show Dependency Graph');
    let graph = await webviewFrame(page, '#picture');
    await graph.locator('#picture svg').first().waitFor();
    check(/\d+ nodes?, \d+ edges?/.test(await graph.locator('#summary').textContent()), 'no graph summary');
    // Depth 3 with layer groups: the layer violation of the example is listed and drawn.
    await graph.locator('#layers').check();
    await graph.locator('#depth').selectOption('3');
    graph = await webviewFrame(page, '#picture');
    await graph.locator('#violations li', { hasText: 'ARC102' }).first().waitFor();
    // The old picture stays while the new one is built: wait for the drawing with layer groups.
    await graph.locator('#picture svg .cluster').first().waitFor();
    const drawn = await graph.evaluate(() => ({
      clusters: document.querySelectorAll('#picture svg .cluster').length,
      text: document.querySelector('#picture svg')?.textContent ?? '',
      scripts: document.querySelectorAll('#picture script, #picture foreignObject').length,
      source: document.querySelectorAll('#picture pre').length,
    }));
    check(drawn.clusters >= 2, `the layers were not drawn as groups: ${JSON.stringify(drawn).slice(0, 300)}`);
    check(/pricing_service\.domain/.test(drawn.text), 'the module names are not in the picture');
    check(drawn.scripts === 0 && drawn.source === 0, `unexpected content in the picture: ${JSON.stringify(drawn).slice(0, 300)}`);
  });

  await step(page, 'graph-depth-stacks-layers-readably', async () => {
    // The depth select asks again and the drawing changes; at depth 3 the layer boxes read top
    // to bottom in ADR-005's order, and the fitted text is no smaller than 11 px.
    const graph = await webviewFrame(page, '#picture');
    const nodes = () => graph.evaluate(() => document.querySelectorAll('#picture svg g.node').length);
    const atThree = await nodes();
    await graph.locator('#depth').selectOption('1');
    await graph.waitForFunction((before) => {
      const now = document.querySelectorAll('#picture svg g.node').length;
      return now > 0 && now !== before;
    }, atThree, { timeout: STEP_TIMEOUT });
    const atOne = await nodes();
    check(atOne < atThree, `depth 1 drew ${atOne} nodes, depth 3 ${atThree}`);
    await shot(page, 'graph-at-depth-1');
    await graph.locator('#depth').selectOption('3');
    await graph.waitForFunction((before) => document.querySelectorAll('#picture svg g.node').length === before,
      atThree, { timeout: STEP_TIMEOUT });
    const drawn = await graph.evaluate(() => {
      const boxes = [...document.querySelectorAll('#picture svg g.cluster')].map((cluster) => {
        const { top, bottom, left, right } = cluster.querySelector('rect').getBoundingClientRect();
        return { name: cluster.textContent.trim().replace(/^layer /, ''), top, bottom, left, right };
      }).sort((a, b) => a.top - b.top);
      return {
        layers: boxes.map(({ name }) => name),
        boxes,
        textPx: Math.min(...[...document.querySelectorAll('#picture svg g.node text')]
          .map((text) => text.getBoundingClientRect().height).filter((height) => height > 0)),
      };
    });
    check(JSON.stringify(drawn.layers) === JSON.stringify(['pricing_service.api', 'pricing_service.services',
      'pricing_service.adapters', 'pricing_service.domain']), `layers top to bottom: ${drawn.layers}`);
    // Stacked, not side by side: each layer's box starts below the one above it ends (the
    // example's domain imports the adapters above it, ARC102, which used to pull it up beside).
    for (const [upper, lower] of drawn.boxes.slice(0, -1).map((box, i) => [box, drawn.boxes[i + 1]])) {
      check(lower.top >= upper.bottom, `layer ${lower.name} (top ${lower.top}) overlaps ${upper.name} (bottom ${upper.bottom})`);
    }
    check(drawn.textPx >= 11, `the fitted labels are ${drawn.textPx} px high`);
  });

  // Real pointer clicks only: Fit shows the whole graph first (the readable first view may leave
  // the element outside the panel), and layer boxes never take the pointer from nodes and edges.
  async function showWholeGraph(graph) {
    await graph.locator('button#fit').click();
  }

  await step(page, 'graph-edge-opens-import-line', async () => {
    // The ARC102 edge (pricing_rules -> fx_rates) opens pricing_rules.py at its import (line 10).
    const graph = await webviewFrame(page, '#picture');
    await showWholeGraph(graph);
    await graph.locator('#picture svg g.edgeLabel', { hasText: 'ARC102' }).first().click();
    await page.locator('.tabs-container .tab.active', { hasText: 'pricing_rules.py' }).first().waitFor();
    await page.locator('.statusbar-item', { hasText: /Ln 10,/ }).first().waitFor();
  });

  await step(page, 'graph-node-opens-module', async () => {
    // In the layer box "layer pricing_service.adapters" the node is named from there on: fx_rates.
    const graph = await webviewFrame(page, '#picture');
    await showWholeGraph(graph);
    await graph.locator('#picture svg g.node', { hasText: /^\s*fx_rates\s*$/ }).first().click();
    await page.locator('.tabs-container .tab.active', { hasText: 'fx_rates.py' }).waitFor();
  });

  let requestsBeforeReload = 0;
  await step(page, 'window-reload', async () => {
    // The editor's own reload (a browser reload may cut the workbench off before it saves state).
    requestsBeforeReload = (await fake.send({ cmd: 'stats' })).message_requests;
    const reloaded = page.waitForEvent('load');
    await runCommand(page, 'Developer: Reload Window');
    await reloaded;
    await page.locator('.monaco-workbench .part.editor').waitFor();
  });

  await step(page, 'graph-survives-window-reload', async () => {
    // The graph panel comes back (its serializer) with the depth and layer grouping chosen
    // above, drawn afresh by the restarted server.
    const graph = await webviewFrame(page, '#picture');
    await graph.locator('#picture svg').first().waitFor();
    const restored = await graph.evaluate(() => ({
      depth: document.querySelector('#depth').value, layers: document.querySelector('#layers').checked,
    }));
    check(restored.depth === '3' && restored.layers, `the graph came back with ${JSON.stringify(restored)}`);
  });

  await step(page, 'chat-survives-window-reload', async () => {
    // The side bar view comes back with its whole conversation (the page's saved state), its
    // diagram drawn again, without asking anything again.
    // The view is back where it was (the secondary side bar stays open over a reload).
    await page.locator('.part.auxiliarybar', { hasText: /Architect/i }).waitFor();
    frame = await chatFrame(page);
    await frame.locator('#messages .message.assistant', { hasText: 'Online architect' }).first().waitFor();
    await frame.locator('#messages .message.assistant', { hasText: 'End of answer' }).first().waitFor();
    await frame.locator('#messages .message.assistant', { hasText: 'End of the layered answer' }).first()
      .locator('.mermaid-diagram svg').first().waitFor();
    const questions = await frame.locator('#messages .message.user').count();
    check(questions >= 5, `the restored chat shows ${questions} of the 5 questions asked`);
    const stats = await fake.send({ cmd: 'stats' });
    check(stats.message_requests === requestsBeforeReload, 'restoring the chat asked the API again');
  });

  await step(page, 'chat-conversations-switch-and-delete', async () => {
    // The server keeps the conversation: "New" empties the page, History brings it back, × deletes it.
    frame = await chatFrame(page);
    await frame.locator('button#new-conversation').click();
    await frame.waitForFunction(() => document.querySelectorAll('#messages .message').length === 0);
    await frame.locator('button#history').click();
    const row = frame.locator('#history-panel .history-item', { hasText: /price cache|frameworks|HTTPException|layer/i }).first();
    await row.waitFor();
    const id = await row.getAttribute('data-id');
    await row.locator('a.history-open').click();
    await frame.locator('#messages .message.assistant', { hasText: 'End of the layered answer' }).first().waitFor();
    const restored = await frame.locator('#messages .message.user').count();
    check(restored >= 4, `the conversation came back with ${restored} questions`);
    await frame.locator('button#history').click();
    const again = frame.locator(`#history-panel .history-item[data-id="${id}"]`);
    await again.waitFor();
    await shot(page, 'conversation-list');
    await again.locator('button.history-delete').click();
    await frame.waitForFunction((gone) => !document.querySelector(`#history-panel .history-item[data-id="${gone}"]`)
      && document.querySelector('#history-panel .history-list'), id);
    await frame.waitForFunction(() => document.querySelectorAll('#messages .message').length === 0);
  });

  await step(page, 'bad-interpreter-notifies-without-restart-loop', async () => {
    const launches = path.join(path.dirname(workspace), 'old-python.log');
    const fakePython = path.join(path.dirname(workspace), 'old-python');
    // An interpreter that says it is 3.9 and fails like the bootstrap would: it logs each start.
    fs.writeFileSync(fakePython, `#!/bin/sh\necho "$*" >> '${launches}'\n`
      + 'if [ "$1" = "-c" ]; then echo "3 9"; exit 0; fi\n'
      + 'echo "python-architect: Python 3.9 is too old: the server needs Python 3.10 or newer" >&2\nexit 3\n');
    fs.chmodSync(fakePython, 0o755);
    await openFile(page, 'src/pricing_service/domain/pricing_rules.py');
    fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
    fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'),
      JSON.stringify({ 'pythonArchitect.interpreter': [fakePython] }, null, 2));
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'Select Interpreter' });
    await toast.first().waitFor({ timeout: 30_000 });
    const status = page.locator('.statusbar-item[id="status.languageStatus"]');
    await status.locator('.codicon-bracket-error, .codicon-error').first().waitFor({ timeout: 15_000 });
    // The one absence check: a restart loop (vscode-languageclient retries 5 times) would show
    // within this window as more launches or more notifications.
    await page.waitForTimeout(3000);
    const lines = fs.existsSync(launches) ? fs.readFileSync(launches, 'utf8').trim().split('\n') : [];
    const starts = lines.filter((l) => !l.startsWith("-c")).length;
    figures.badInterpreter = { versionChecks: lines.length - starts, serverStarts: starts };
    check(starts <= 1, `the server was started ${starts} times with a 3.9 interpreter`);
    check(await toast.count() === 1, `${await toast.count()} notifications instead of one`);
    await status.hover();
    await page.locator('.monaco-hover, .context-view', { hasText: /Python Architect/ }).first().waitFor({ timeout: 10_000 });
  });

  await step(page, 'larger-workspace-count-equals-problems-panel', () => largerWorkspaceCounts(page, baseUrl, path.dirname(workspace)));
}

main().then((code) => process.exit(code), (error) => {
  console.error(`e2e: ${error.stack || error}`);
  process.exit(1);
});
