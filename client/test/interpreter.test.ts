import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseInterpreter, explainCrash, interpreterProblem, isSupported, parseVersion, resolvedCommand, substitute } from '../src/interpreter';

describe('interpreter order', () => {
  it('uses the setting first, with its arguments, even when the Python extension has one', () => {
    const choice = chooseInterpreter(['/opt/py/bin/python', '-X', 'dev'], '/usr/bin/python3.12');
    assert.deepEqual(choice, { command: ['/opt/py/bin/python', '-X', 'dev'], source: 'setting' });
  });

  it('falls back to the Python extension when the setting is empty or blank', () => {
    assert.deepEqual(chooseInterpreter([], '/venv/bin/python'), { command: ['/venv/bin/python'], source: 'pythonExtension' });
    assert.deepEqual(chooseInterpreter(['  ', ''], '/venv/bin/python'), { command: ['/venv/bin/python'], source: 'pythonExtension' });
  });

  it('falls back to python3 on PATH last, and ignores a setting of the wrong type', () => {
    assert.deepEqual(chooseInterpreter([], undefined), { command: ['python3'], source: 'path' });
    assert.deepEqual(chooseInterpreter('/usr/bin/python', ''), { command: ['python3'], source: 'path' });
    assert.deepEqual(chooseInterpreter([3, null], undefined), { command: ['python3'], source: 'path' });
  });

  it('substitutes workspace folder, home and environment variables in the setting', () => {
    const vars = { workspaceFolder: '/ws', userHome: '/home/u', env: { VENV: '/v' } };
    assert.equal(substitute('${workspaceFolder}/.venv/bin/python', vars), '/ws/.venv/bin/python');
    assert.equal(substitute('~/py/bin/python', vars), '/home/u/py/bin/python');
    assert.equal(substitute('${env:VENV}/bin/python', vars), '/v/bin/python');
    assert.deepEqual(chooseInterpreter(['${userHome}/p'], undefined, vars).command, ['/home/u/p']);
  });
});

describe('version check', () => {
  it('parses the version script output', () => {
    assert.deepEqual(parseVersion('3 12\n'), { major: 3, minor: 12 });
    assert.deepEqual(parseVersion('some warning\n3 9'), { major: 3, minor: 9 });
    assert.equal(parseVersion('Python 3.12.1'), undefined);
    assert.equal(parseVersion(''), undefined);
    assert.deepEqual(parseVersion('3 12\n/usr/lib/py/bin/python3.12\n'), { major: 3, minor: 12, executable: '/usr/lib/py/bin/python3.12' });
    assert.deepEqual(parseVersion('3 12\n\n'), { major: 3, minor: 12 });
  });

  it('launches the resolved executable with the setting\'s arguments', () => {
    const choice = { command: ['python3', '-X', 'dev'], source: 'setting' as const };
    assert.deepEqual(resolvedCommand(choice, { major: 3, minor: 12, executable: '/opt/py/bin/python3.12' }), ['/opt/py/bin/python3.12', '-X', 'dev']);
    assert.deepEqual(resolvedCommand(choice, { major: 3, minor: 12 }), ['python3', '-X', 'dev']);
    assert.deepEqual(resolvedCommand(choice, undefined), ['python3', '-X', 'dev']);
  });

  it('accepts 3.10 and newer only', () => {
    assert.equal(isSupported({ major: 3, minor: 10 }), true);
    assert.equal(isSupported({ major: 3, minor: 13 }), true);
    assert.equal(isSupported({ major: 4, minor: 0 }), true);
    assert.equal(isSupported({ major: 3, minor: 9 }), false);
    assert.equal(isSupported({ major: 2, minor: 7 }), false);
  });

  it('explains a missing, unreadable or old interpreter, naming where it came from', () => {
    const choice = { command: ['/nope/python'], source: 'setting' as const };
    const missing = interpreterProblem(choice, { error: 'not found' });
    assert.match(missing ?? '', /could not run \/nope\/python \(from the pythonArchitect\.interpreter setting\): not found/);
    assert.match(interpreterProblem(choice, { stdout: '3 8' }) ?? '', /needs Python 3\.10 or newer.*is Python 3\.8/);
    assert.match(interpreterProblem(choice, { stdout: 'garbage' }) ?? '', /could not read the version/);
    assert.equal(interpreterProblem(choice, { stdout: '3 11' }), undefined);
  });

  it('explains a crash from the end of stderr', () => {
    const traceback = 'Traceback (most recent call last):\n  File "x", line 1\nModuleNotFoundError: No module named \'pygls\'\n';
    assert.match(explainCrash(traceback, 1), /could not import its dependencies \(ModuleNotFoundError: No module named 'pygls'\)/);
    assert.equal(explainCrash('Python Architect needs Python 3.10 or newer (this is 3.8)\n', 3), 'Python Architect needs Python 3.10 or newer (this is 3.8)');
    assert.match(explainCrash('', null), /was killed/);
    assert.match(explainCrash('boom\n', 2), /exited with code 2: boom/);
  });
});
