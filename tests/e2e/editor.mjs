// `./dev editor`: the example workspace in a real browser editor with the packaged extension.
//
// Packages the VSIX (or E2E_VSIX=file), installs it into an isolated code-server profile under
// $XDG_CACHE_HOME/python-architect/editor (kept between runs: settings and the API key survive),
// opens examples/service and prints the URL. Ctrl+C stops code-server and everything it started.
// --port N picks the port (default 8080); --workspace DIR opens another folder; --chromium also
// opens Debian's chromium on it (optional).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheRoot } from '../../client/scripts/toolchain.mjs';
import { CHROMIUM, installExtension, profile, startCodeServer } from './codeserver.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 && args[at + 1] ? args[at + 1] : fallback;
};

async function main() {
  const port = Number(option('--port', process.env.PA_EDITOR_PORT || 8080));
  const workspace = path.resolve(option('--workspace', path.join(repo, 'examples', 'service')));
  const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
  let vsix = process.env.E2E_VSIX;
  if (!vsix) {
    execFileSync('npm', ['run', '--silent', 'package'], { cwd: repo, stdio: 'inherit' });
    vsix = path.join(repo, 'dist', `${manifest.name}-linux-x64-${manifest.version}.vsix`);
  }
  const dirs = profile(path.join(cacheRoot(), 'editor'), { keepSettings: true });
  installExtension(vsix, dirs);
  const server = await startCodeServer(dirs, { port, log: path.join(dirs.root, 'code-server.log') });
  const url = `${server.url}/?folder=${encodeURIComponent(workspace)}`;
  console.log(`Python Architect in code-server: ${url}`);
  console.log(`(log: ${path.join(dirs.root, 'code-server.log')}; Ctrl+C to stop)`);
  let browser;
  if (args.includes('--chromium') && fs.existsSync(CHROMIUM)) {
    browser = spawn(CHROMIUM, [`--user-data-dir=${dirs.chrome}`, '--no-first-run', url], { stdio: 'ignore' });
  }
  const stop = async () => {
    browser?.kill();
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await new Promise(() => {}); // until Ctrl+C
}

main().catch((error) => {
  console.error(`editor: ${error.message}`);
  process.exit(1);
});
