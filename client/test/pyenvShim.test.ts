import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pyenvShimTarget, type ShimFiles } from '../src/pyenvShim';

const ROOT = '/home/u/.pyenv';
const SHIM = `${ROOT}/shims/python3`;

/** pyenv's files as a map (path -> text); an installed interpreter is a key with text ''. */
function files(entries: Record<string, string>): ShimFiles {
  return { read: (file) => entries[file], isFile: (file) => file in entries };
}

const installed = { [`${ROOT}/versions/3.11.7/bin/python3`]: '', [`${ROOT}/versions/3.12.1/bin/python3`]: '' };
const target = (version: string) => `${ROOT}/versions/${version}/bin/python3`;

describe("reading a pyenv shim's interpreter from pyenv's files", () => {
  it('takes the global version, then a .python-version nearer the folder, then PYENV_VERSION', () => {
    const fs = files({ ...installed, [`${ROOT}/version`]: '3.11.7\n', '/work/app/.python-version': '# pinned\n3.12.1\n' });
    assert.equal(pyenvShimTarget(SHIM, {}, '/elsewhere', '/home/u', fs, 'linux'), target('3.11.7'));
    assert.equal(pyenvShimTarget(SHIM, {}, '/work/app/src/pkg', '/home/u', fs, 'linux'), target('3.12.1'));
    assert.equal(pyenvShimTarget(SHIM, { PYENV_VERSION: '3.11.7' }, '/work/app', '/home/u', fs, 'linux'), target('3.11.7'));
    assert.equal(pyenvShimTarget('/opt/root/shims/python3', { PYENV_ROOT: '/opt/root' }, '/x', '/home/u',
      files({ '/opt/root/version': '3.13.0', '/opt/root/versions/3.13.0/bin/python3': '' }), 'linux'),
    '/opt/root/versions/3.13.0/bin/python3', 'PYENV_ROOT moves everything');
  });

  it('leaves the shim to pyenv whenever pyenv could decide otherwise', () => {
    const cases: [string, NodeJS.ProcessEnv, Record<string, string>][] = [
      ['several versions', {}, { [`${ROOT}/version`]: '3.11.7\n3.12.1\n' }],
      ['several in PYENV_VERSION', { PYENV_VERSION: '3.11.7:3.12.1' }, {}],
      ['system', {}, { [`${ROOT}/version`]: 'system' }],
      ['a prefix pyenv completes', {}, { [`${ROOT}/version`]: '3.11' }],
      ['no version file (pyenv says system)', {}, {}],
      ['a path in the version', { PYENV_VERSION: '../3.11.7' }, {}],
    ];
    for (const [why, env, entries] of cases) {
      assert.equal(pyenvShimTarget(SHIM, env, '/w', '/home/u', files({ ...installed, ...entries }), 'linux'), undefined, why);
    }
    const fs = files({ ...installed, [`${ROOT}/version`]: '3.11.7' });
    assert.equal(pyenvShimTarget('/usr/bin/python3', {}, '/w', '/home/u', fs, 'linux'), undefined, 'not a shim');
    assert.equal(pyenvShimTarget(SHIM, {}, '/w', '/home/u', fs, 'win32'), undefined, 'pyenv-win is laid out differently');
  });
});
