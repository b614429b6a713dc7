/**
 * The executable a pyenv shim would run, read from pyenv's own files instead of running the shim.
 *
 * Why: a shim (`$PYENV_ROOT/shims/python3`) is a bash script that runs `pyenv exec`, several
 * more scripts, then the interpreter: the e2e measured 1.1 s from spawning it to the server's
 * first line at load 2 on two cores, on every start (and a script is never vouched for by the
 * version cache). pyenv picks the version from PYENV_VERSION, else the nearest `.python-version`
 * from the working folder up, else `$PYENV_ROOT/version`; the interpreter is then
 * `$PYENV_ROOT/versions/<version>/bin/<the shim's name>`. Whenever pyenv could decide otherwise
 * (several versions, `system`, a prefix such as `3.11` that pyenv completes, a missing file, a
 * version file this does not understand) the answer is undefined and the shim runs as before.
 * Pure (files are read through `files`), POSIX only (pyenv-win lays out its shims differently).
 */

import * as path from 'node:path';

export interface ShimFiles {
  read(file: string): string | undefined;
  isFile(file: string): boolean;
}

export function pyenvShimTarget(executable: string, env: NodeJS.ProcessEnv, cwd: string, home: string,
  files: ShimFiles, platform: NodeJS.Platform = process.platform): string | undefined {
  if (platform === 'win32' || !path.isAbsolute(executable)) {
    return undefined;
  }
  const root = env.PYENV_ROOT || path.join(home, '.pyenv');
  if (path.dirname(executable) !== path.join(root, 'shims')) {
    return undefined;
  }
  const version = env.PYENV_VERSION !== undefined ? single(env.PYENV_VERSION) : fromFiles(root, cwd, files);
  if (!version || version === 'system' || version.includes('/') || version === '..') {
    return undefined;
  }
  const target = path.join(root, 'versions', version, 'bin', path.basename(executable));
  return files.isFile(target) ? target : undefined;
}

function fromFiles(root: string, cwd: string, files: ShimFiles): string | undefined {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const text = files.read(path.join(dir, '.python-version'));
    if (text !== undefined) {
      return single(text);
    }
    if (path.dirname(dir) === dir) {
      break;
    }
  }
  const global = files.read(path.join(root, 'version'));
  return global === undefined ? undefined : single(global);
}

/** The one version a version file or PYENV_VERSION names (comments dropped), else undefined. */
function single(text: string): string | undefined {
  const words = text.split(/\r?\n/).filter((line) => !line.trim().startsWith('#')).join(' ')
    .split(/[\s:]+/).filter(Boolean);
  return words.length === 1 ? words[0] : undefined;
}
