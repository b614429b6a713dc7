/**
 * Remembers the version check's output per interpreter binary, so a start (a restart, a reload,
 * the next session) does not spawn Python only to ask its version. Node-only (no `vscode`):
 * unit-tested in `client/test/versionCache.test.ts`; the store is the extension's globalState.
 *
 * The key is the executable as found on PATH (a venv's `bin/python` stays distinct from the
 * binary it links to, whose `sys.executable` and packages differ), its real path, mtime and size:
 * replacing or upgrading the interpreter changes the key. A launcher *script* (a pyenv shim, a
 * `#!` wrapper) is never cached: it picks its interpreter anew from the cwd and environment.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { executableNames, type Platform } from './platform';

export const CACHE_STATE_KEY = 'pythonArchitect.interpreterVersions';
const MAX_ENTRIES = 16;

/** The slice of `vscode.Memento` used here. */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void> | Promise<void>;
}

/**
 * The file `command` runs: as given when it has a directory part, else the first on PATH. On
 * Windows (`platform`) PATH is `;`-separated and `python` is found as `python.exe` (PATHEXT).
 */
export function locateExecutable(
  command: string,
  envPath: string | undefined,
  cwd: string,
  platform: Platform = process.platform,
  pathext: string | undefined = process.env.PATHEXT,
  isFile: (file: string, platform: Platform) => boolean = isExecutableFile,
): string | undefined {
  const paths = platform === 'win32' ? path.win32 : path.posix;
  const names = executableNames(command, platform, pathext);
  if (command.includes('/') || (platform === 'win32' && command.includes('\\'))) {
    return names.map((name) => paths.resolve(cwd, name)).find((full) => isFile(full, platform));
  }
  for (const dir of (envPath ?? '').split(paths.delimiter)) {
    if (dir) {
      const found = names.map((name) => paths.join(dir, name)).find((full) => isFile(full, platform));
      if (found) {
        return found;
      }
    }
  }
  return undefined;
}

function isExecutableFile(file: string, platform: Platform = process.platform): boolean {
  try {
    fs.accessSync(file, platform === 'win32' ? fs.constants.F_OK : fs.constants.X_OK); // no execute bit on Windows
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The cache key for an interpreter command, or undefined when it must not be cached. */
export function interpreterKey(command: readonly string[], envPath: string | undefined, cwd: string): string | undefined {
  if (command.length !== 1 || !command[0]) {
    return undefined; // arguments (`py -3`, `env python3`) choose the interpreter themselves
  }
  const located = locateExecutable(command[0], envPath, cwd);
  if (!located) {
    return undefined;
  }
  try {
    const real = fs.realpathSync(located);
    const head = Buffer.alloc(2);
    const fd = fs.openSync(real, 'r');
    try {
      fs.readSync(fd, head, 0, 2, 0);
    } finally {
      fs.closeSync(fd);
    }
    if (head.toString('latin1') === '#!') {
      return undefined;
    }
    const stat = fs.statSync(real);
    return [located, real, stat.mtimeMs, stat.size].join('\0');
  } catch {
    return undefined;
  }
}

export class VersionCache {
  constructor(private readonly store: KeyValueStore) {}

  get(key: string | undefined): string | undefined {
    if (!key) {
      return undefined;
    }
    const entries = this.store.get<Record<string, string>>(CACHE_STATE_KEY);
    const value = entries && typeof entries === 'object' ? entries[key] : undefined;
    return typeof value === 'string' ? value : undefined;
  }

  async put(key: string | undefined, output: string): Promise<void> {
    if (!key) {
      return;
    }
    const entries = { ...(this.store.get<Record<string, string>>(CACHE_STATE_KEY) ?? {}) };
    delete entries[key]; // re-inserted last: the oldest entries go first
    entries[key] = output;
    const keys = Object.keys(entries);
    for (const old of keys.slice(0, Math.max(0, keys.length - MAX_ENTRIES))) {
      delete entries[old];
    }
    await this.store.update(CACHE_STATE_KEY, entries);
  }
}
