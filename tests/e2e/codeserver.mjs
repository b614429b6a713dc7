// code-server and chromium for the real-editor e2e and `./dev editor` (owned by the e2e).
//
// code-server runs isolated and quiet: its own user-data, extensions and XDG folders under one
// temp dir, no gallery (EXTENSIONS_GALLERY='{}'), no telemetry, no update check, auth none on
// 127.0.0.1; in its own process group (detached = setsid) so stop() ends it and every child it
// started (extension host, language server) by the group id. Chromium is Debian's, driven by
// playwright-core, with flags that work as root without network.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ensureCodeServer, ensureNode } from '../../client/scripts/toolchain.mjs';

export const CHROMIUM = process.env.E2E_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function profile(root, { keepSettings = false } = {}) {
  const dirs = {
    root,
    userData: path.join(root, 'user-data'),
    extensions: path.join(root, 'extensions'),
    xdgConfig: path.join(root, 'xdg-config'),
    xdgData: path.join(root, 'xdg-data'),
    chrome: path.join(root, 'chrome'),
  };
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { recursive: true });
  // Quiet defaults: no welcome page, no trust prompt, no tips; the editor's own settings only.
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'update.mode': 'none',
    'editor.hover.delay': 100,
    'chat.disableAIFeatures': true,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'git.enabled': false,
    'git.openRepositoryInParentFolders': 'never',
  };
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  const file = path.join(dirs.userData, 'User', 'settings.json');
  if (!keepSettings || !fs.existsSync(file)) fs.writeFileSync(file, JSON.stringify(settings, null, 2));
  return dirs;
}

function baseEnv(dirs, extra = {}) {
  const env = { ...process.env, EXTENSIONS_GALLERY: '{}', XDG_CONFIG_HOME: dirs.xdgConfig,
    XDG_DATA_HOME: dirs.xdgData, ...extra };
  delete env.ANTHROPIC_API_KEY; // the key must come from the editor's SecretStorage
  delete env.VSCODE_IPC_HOOK_CLI;
  return env;
}

function codeServerArgs(dirs) {
  return ['--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
}

export function installExtension(vsix, dirs) {
  const node = ensureNode();
  const entry = ensureCodeServer();
  const out = execFileSync(node, [entry, ...codeServerArgs(dirs), '--install-extension', vsix, '--force'],
    { env: baseEnv(dirs), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (!/successfully installed/i.test(out)) throw new Error(`installing ${vsix} said: ${out.trim()}`);
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts code-server; resolves when its /healthz answers. */
export async function startCodeServer(dirs, { port, env = {}, log }) {
  const node = ensureNode();
  const entry = ensureCodeServer();
  const args = [entry, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', ...codeServerArgs(dirs),
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override'];
  const logFile = fs.openSync(log, 'a');
  const child = spawn(node, args, { env: baseEnv(dirs, env), detached: true, stdio: ['ignore', logFile, logFile] });
  fs.closeSync(logFile);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const state = await Promise.race([exited, fetch(`${url}/healthz`).then((r) => r.ok, () => false)]);
    if (state === true) break;
    if (typeof state === 'object') throw new Error(`code-server exited at start (${JSON.stringify(state)}); see ${log}`);
    if (Date.now() > deadline) throw new Error(`code-server did not answer on ${url} within 60 s; see ${log}`);
    await new Promise((resolve) => setTimeout(resolve, 100)); // poll interval while it boots
  }
  return {
    url,
    pid: child.pid,
    stop: () => {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      return Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]).then(() => {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // the group ended on SIGTERM
        }
      });
    },
  };
}
