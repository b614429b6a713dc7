// The universal VSIX in a real editor (owned by packaging; run.mjs calls it after the main walk).
//
// Installs dist/python-architect-<version>.vsix (no bundled libraries) into its own isolated
// code-server profile, opens a Python file of a copy of examples/service, and expects ONE error
// notification that says the build has no bundled server, names "fromEnvironment" and the pip
// install command, and whose "Copy Install Command" button answers with the "Copied:" message.
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, freePort, installExtension, profile, startCodeServer } from './codeserver.mjs';
import { openFile, STEP_TIMEOUT } from './workbench.mjs';

/** Runs the check; resolves with the notification's text, rejects with what went wrong. */
export async function universalNotice({ vsix, tmp, workspaceSource, shotPath, log }) {
  const dirs = profile(path.join(tmp, 'universal-profile'));
  const workspace = path.join(tmp, 'universal-service');
  fs.cpSync(workspaceSource, workspace, {
    recursive: true, filter: (source) => !/[\\/](\.python-architect-cache|__pycache__|\.vscode)$/.test(source),
  });
  installExtension(vsix, dirs);
  const server = await startCodeServer(dirs, { port: await freePort(), log: path.join(tmp, 'universal-code-server.log') });
  const context = await chromium.launchPersistentContext(dirs.chrome, {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1400, height: 900 },
  });
  context.setDefaultTimeout(STEP_TIMEOUT);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const page = context.pages()[0] ?? await context.newPage();
  try {
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor();
    await openFile(page, 'src/pricing_service/domain/pricing_rules.py');
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'no bundled server' });
    await toast.first().waitFor();
    const text = (await toast.first().textContent()) ?? '';
    if (!/fromEnvironment/.test(text) || !/-m pip install python-architect/.test(text)) {
      throw new Error(`the notification does not say what to do: ${text}`);
    }
    if (await toast.count() !== 1) throw new Error(`${await toast.count()} notifications instead of one`);
    await toast.first().getByRole('button', { name: 'Copy Install Command' }).click();
    await page.locator('.notifications-toasts .notification-toast', { hasText: 'Copied:' }).first().waitFor();
    if (shotPath) await page.screenshot({ path: shotPath });
    log?.(`universal VSIX notification: ${text.replace(/\s+/g, ' ').slice(0, 200)}`);
    return text;
  } finally {
    await context.close().catch(() => {});
    await server.stop();
  }
}
