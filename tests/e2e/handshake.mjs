// The installed VSIX's server on every supported CPython found on this machine (owned by the e2e).
//
// For each interpreter: start `<python> <extension>/bundled/tool/bootstrap.py` the way the client
// does (PYTHON_ARCHITECT_IMPORT_STRATEGY=useBundled, PYTHONUTF8=1), send initialize, and require
// the reply to be the first and only bytes on stdout. This proves the per-version compiled
// libraries (libs-cp3XX) load, not just the one interpreter the editor happens to pick.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const SUPPORTED = ['3.10', '3.11', '3.12', '3.13'];

/** One interpreter per supported minor version: /usr/bin, PATH, then pyenv's installs. */
export function interpreters() {
  const found = new Map();
  const pyenv = path.join(process.env.PYENV_ROOT || path.join(os.homedir(), '.pyenv'), 'versions');
  for (const version of SUPPORTED) {
    const candidates = [`/usr/bin/python${version}`, `/usr/local/bin/python${version}`];
    if (fs.existsSync(pyenv)) {
      for (const dir of fs.readdirSync(pyenv).filter((d) => d.startsWith(`${version}.`)).sort().reverse()) {
        candidates.push(path.join(pyenv, dir, 'bin', 'python3'));
      }
    }
    for (const candidate of candidates) {
      if (!fs.existsSync(candidate)) continue;
      try {
        const said = execFileSync(candidate, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'],
          { encoding: 'utf8', timeout: 20_000 }).trim();
        if (said === version) {
          found.set(version, candidate);
          break;
        }
      } catch {
        // not runnable: try the next
      }
    }
  }
  return found;
}

function frame(message) {
  const body = Buffer.from(JSON.stringify(message));
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]);
}

/** Resolves with the initialize result's serverInfo; rejects on stray output, exit or timeout. */
export function handshake(python, bootstrap, timeoutMs = 60_000) {
  return new Promise((resolve, reject) => {
    // No bytecode written here: the editor's first start must stay a real first start.
    const env = { ...process.env, PYTHON_ARCHITECT_IMPORT_STRATEGY: 'useBundled', PYTHONUTF8: '1', PYTHONDONTWRITEBYTECODE: '1' };
    delete env.PYTHONPATH;
    const child = spawn(python, [bootstrap], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = Buffer.alloc(0);
    let stderr = '';
    const timer = setTimeout(() => finish(new Error(`no initialize reply within ${timeoutMs} ms`)), timeoutMs);
    function finish(error, value) {
      clearTimeout(timer);
      child.kill();
      if (error) reject(new Error(`${python}: ${error.message}; stderr: ${stderr.trim().slice(-300)}`));
      else resolve(value);
    }
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.on('exit', (code) => finish(new Error(`exited with ${code} before answering`)));
    child.stdout.on('data', (chunk) => {
      stdout = Buffer.concat([stdout, chunk]);
      const prefix = 'Content-Length:';
      if (!prefix.startsWith(stdout.toString('latin1', 0, Math.min(prefix.length, stdout.length)))) {
        finish(new Error(`stray bytes on stdout: ${JSON.stringify(stdout.toString().slice(0, 80))}`));
        return;
      }
      const head = stdout.indexOf('\r\n\r\n');
      if (head < 0) return;
      const length = Number(/Content-Length: (\d+)/.exec(stdout.subarray(0, head).toString())?.[1]);
      if (stdout.length < head + 4 + length) return;
      const reply = JSON.parse(stdout.subarray(head + 4, head + 4 + length).toString());
      if (reply.id !== 1 || !reply.result) finish(new Error(`unexpected first message ${JSON.stringify(reply).slice(0, 200)}`));
      else finish(null, reply.result.serverInfo);
    });
    child.stdin.write(frame({ jsonrpc: '2.0', id: 1, method: 'initialize',
      params: { processId: null, rootUri: null, capabilities: {} } }));
  });
}
