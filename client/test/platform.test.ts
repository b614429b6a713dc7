import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseInterpreter, nextDefault, parseVersion, resolvedCommand, substitute } from '../src/interpreter';
import { bundleLayout, defaultInterpreters, envValue, executableNames, installCommand, isPyLauncher, universalHelp } from '../src/platform';
import { locateExecutable } from '../src/versionCache';

describe('interpreter search per platform', () => {
  it('tries the py launcher, then python.exe on Windows; python3, then python elsewhere', () => {
    assert.deepEqual(chooseInterpreter([], undefined, {}, 'win32'), { command: ['py', '-3'], source: 'path' });
    assert.deepEqual(nextDefault({ command: ['py', '-3'], source: 'path' }, 'win32'), { command: ['python'], source: 'path' });
    assert.equal(nextDefault({ command: ['python'], source: 'path' }, 'win32'), undefined);
    assert.deepEqual(chooseInterpreter([], undefined, {}, 'darwin').command, ['python3']);
    assert.deepEqual(nextDefault({ command: ['python3'], source: 'path' }, 'linux'), { command: ['python'], source: 'path' });
    // A setting or the Python extension's choice is never replaced by a default.
    assert.equal(nextDefault({ command: ['py', '-3'], source: 'setting' }, 'win32'), undefined);
    assert.deepEqual(defaultInterpreters('win32').flat().includes('python3'), false);
  });

  it('launches the executable py -3 resolved to, without the launcher-only -3', () => {
    const version = parseVersion('3 12\r\nC:\\Users\\Me\\AppData\\Local\\Programs\\Python\\Python312\\python.exe\r\n');
    assert.equal(version?.executable, 'C:\\Users\\Me\\AppData\\Local\\Programs\\Python\\Python312\\python.exe');
    assert.deepEqual(resolvedCommand({ command: ['py', '-3'], source: 'path' }, version),
      ['C:\\Users\\Me\\AppData\\Local\\Programs\\Python\\Python312\\python.exe']);
    assert.deepEqual(resolvedCommand({ command: ['C:\\Windows\\py.exe', '-3.12', '-X', 'dev'], source: 'setting' }, version),
      ['C:\\Users\\Me\\AppData\\Local\\Programs\\Python\\Python312\\python.exe', '-X', 'dev']);
    assert.equal(isPyLauncher('C:\\Windows\\PY.EXE'), true);
    assert.equal(isPyLauncher('pypy3'), false);
  });

  it('reads Windows executables with forward slashes and UNC shares as absolute', () => {
    assert.equal(parseVersion('3 11\nC:/tools/python.exe')?.executable, 'C:/tools/python.exe');
    assert.equal(parseVersion('3 11\n\\\\server\\share\\python.exe')?.executable, '\\\\server\\share\\python.exe');
    assert.equal(parseVersion('3 11\npython.exe')?.executable, undefined);
  });

  it('substitutes %LOCALAPPDATA% spelled ${env:LOCALAPPDATA} and a ~\\ home on Windows', () => {
    const vars = { userHome: 'C:\\Users\\Me', env: { LOCALAPPDATA: 'C:\\Users\\Me\\AppData\\Local' } };
    assert.equal(substitute('${env:LOCALAPPDATA}\\Programs\\Python\\Python312\\python.exe', vars),
      'C:\\Users\\Me\\AppData\\Local\\Programs\\Python\\Python312\\python.exe');
    assert.equal(substitute('~\\venv\\Scripts\\python.exe', vars), 'C:\\Users\\Me\\venv\\Scripts\\python.exe');
  });

  it('finds python as python.exe on a ;-separated Windows PATH, in the case Windows spells Path', () => {
    const env = { Path: 'C:\\Windows;C:\\Python312;C:\\Tools', PATHEXT: '.COM;.EXE;.BAT' };
    const present = new Set(['C:\\Python312\\python.exe', 'C:\\Tools\\python.exe']);
    const envPath = envValue(env, 'PATH', 'win32');
    assert.equal(envPath, env.Path);
    assert.equal(envValue(env, 'PATH', 'linux'), undefined, 'POSIX environments are case-sensitive');
    const found = locateExecutable('python', envPath, 'C:\\work', 'win32', env.PATHEXT, (file) => present.has(file));
    assert.equal(found, 'C:\\Python312\\python.exe');
    assert.equal(locateExecutable('.\\venv\\Scripts\\python', '', 'C:\\work', 'win32', env.PATHEXT,
      (file) => file === 'C:\\work\\venv\\Scripts\\python.exe'), 'C:\\work\\venv\\Scripts\\python.exe');
    assert.deepEqual(executableNames('python.exe', 'win32', env.PATHEXT), ['python.exe']);
    assert.deepEqual(executableNames('python3', 'linux', env.PATHEXT), ['python3']);
  });
});

describe('the universal VSIX', () => {
  const universal = bundleLayout((relative) => relative === 'bundled/tool/bootstrap.py');

  it('tells which build is installed from its folders', () => {
    assert.equal(universal, 'universal');
    assert.equal(bundleLayout((relative) => relative.startsWith('bundled/')), 'platform');
    assert.equal(bundleLayout(() => false), 'source');
  });

  it('asks for fromEnvironment and a pip install, with the command to copy, under useBundled', () => {
    const help = universalHelp(universal, 'useBundled', ['/opt/py/bin/python3'], 'freebsd', 'x64');
    assert.ok(help);
    assert.equal(help.command, '/opt/py/bin/python3 -m pip install python-architect');
    assert.match(help.message, /no bundled server for freebsd-x64/);
    assert.match(help.message, /importStrategy to "fromEnvironment"/);
    assert.ok(help.message.includes(help.command));
  });

  it('stays quiet under fromEnvironment until the import fails, then says pip install', () => {
    assert.equal(universalHelp(universal, 'fromEnvironment', ['python3'], 'linux', 'riscv64'), undefined);
    const help = universalHelp(universal, 'fromEnvironment', ['python3'], 'linux', 'riscv64', true);
    assert.match(help?.message ?? '', /does not have python-architect installed/);
    assert.equal(universalHelp('platform', 'useBundled', ['python3'], 'linux', 'x64', true), undefined);
    assert.equal(universalHelp('source', 'useBundled', ['python3'], 'linux', 'x64'), undefined);
  });

  it('quotes an interpreter path with spaces for the shell it will be pasted into', () => {
    assert.equal(installCommand(['C:\\Program Files\\Python312\\python.exe'], 'win32'),
      '"C:\\Program Files\\Python312\\python.exe" -m pip install python-architect');
    assert.equal(installCommand(['/Users/me/my env/bin/python'], 'darwin'),
      "'/Users/me/my env/bin/python' -m pip install python-architect");
    assert.equal(installCommand([], 'win32'), 'py -3 -m pip install python-architect');
  });
});
