import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  chatMode,
  filterConfigurationResult,
  importStrategy,
  initializationOptions,
  MessageType,
  NotificationGate,
  restartNeeded,
  serverEnvironment,
  serverSettings,
  shouldNotify,
  showNotifications,
} from '../src/settings';

const SECTION_VALUE = {
  enable: true,
  debounceMs: 150,
  chat: { model: 'm', offline: false },
  severityOverrides: { ARC502: 'error' },
  interpreter: ['/x/python'],
  importStrategy: 'fromEnvironment',
  showNotifications: 'always',
  trace: { server: 'verbose' },
};

describe('settings mapping', () => {
  it('sends the server its settings nested under pythonArchitect, without the client-only keys', () => {
    const options = initializationOptions(SECTION_VALUE);
    assert.deepEqual(options, {
      pythonArchitect: { enable: true, debounceMs: 150, chat: { model: 'm', offline: false }, severityOverrides: { ARC502: 'error' } },
    });
    assert.deepEqual(serverSettings(undefined), {});
    assert.deepEqual(serverSettings(['not', 'an', 'object']), {});
  });

  it('does not change the caller\'s object', () => {
    const value = structuredClone(SECTION_VALUE);
    serverSettings(value);
    assert.deepEqual(value, SECTION_VALUE);
  });

  it('filters workspace/configuration answers for the section and for the root only', () => {
    const result = filterConfigurationResult(
      ['pythonArchitect', undefined, 'python'],
      [SECTION_VALUE, { pythonArchitect: SECTION_VALUE, editor: { tabSize: 4 } }, { interpreter: 'kept' }],
    );
    assert.equal('interpreter' in (result[0] as object), false);
    assert.equal('trace' in ((result[1] as { pythonArchitect: object }).pythonArchitect), false);
    assert.deepEqual((result[1] as { editor: object }).editor, { tabSize: 4 });
    assert.deepEqual(result[2], { interpreter: 'kept' });
  });

  it('restarts the server only for interpreter and import strategy changes', () => {
    assert.equal(restartNeeded((key) => key === 'pythonArchitect.interpreter'), true);
    assert.equal(restartNeeded((key) => key === 'pythonArchitect.importStrategy'), true);
    assert.equal(restartNeeded((key) => key === 'pythonArchitect.debounceMs'), false);
  });

  it('normalises enum settings to their defaults', () => {
    assert.equal(importStrategy('fromEnvironment'), 'fromEnvironment');
    assert.equal(importStrategy('bogus'), 'useBundled');
    assert.equal(showNotifications('off'), 'off');
    assert.equal(showNotifications(undefined), 'onError');
  });

  it('maps showNotifications to message types', () => {
    const allowed = (setting: Parameters<typeof shouldNotify>[0]) =>
      [MessageType.Error, MessageType.Warning, MessageType.Info, MessageType.Log].filter((type) => shouldNotify(setting, type));
    assert.deepEqual(allowed('off'), []);
    assert.deepEqual(allowed('onError'), [MessageType.Error]);
    assert.deepEqual(allowed('onWarning'), [MessageType.Error, MessageType.Warning]);
    assert.deepEqual(allowed('always'), [MessageType.Error, MessageType.Warning, MessageType.Info]);
  });

  it('builds the server environment: strategy, UTF-8, the stored key over the inherited one', () => {
    const base = { PATH: '/bin', ANTHROPIC_BASE_URL: 'http://127.0.0.1:9', ANTHROPIC_API_KEY: 'from-env', UNSET: undefined };
    const withSecret = serverEnvironment(base, 'useBundled', 'sk-secret');
    assert.equal(withSecret.PYTHON_ARCHITECT_IMPORT_STRATEGY, 'useBundled');
    assert.equal(withSecret.PYTHONUTF8, '1');
    assert.equal(withSecret.ANTHROPIC_API_KEY, 'sk-secret');
    assert.equal(withSecret.ANTHROPIC_BASE_URL, 'http://127.0.0.1:9');
    assert.equal('UNSET' in withSecret, false);
    assert.equal(serverEnvironment(base, 'fromEnvironment', undefined).ANTHROPIC_API_KEY, 'from-env');
  });

  it('lets the bundled server write bytecode beside its sources, or under a prefix when told', () => {
    const base = { PYTHONDONTWRITEBYTECODE: '1', PATH: '/bin' };
    const beside = serverEnvironment(base, 'useBundled', undefined, {});
    assert.equal('PYTHONDONTWRITEBYTECODE' in beside, false);
    assert.equal('PYTHONPYCACHEPREFIX' in beside, false, 'a prefix would hide the stdlib\'s own bytecode');
    const prefixed = serverEnvironment(base, 'useBundled', undefined, { prefix: '/storage/pycache' });
    assert.equal(prefixed.PYTHON_ARCHITECT_PYCACHE_PREFIX, '/storage/pycache');
    assert.equal('PYTHONPYCACHEPREFIX' in prefixed, false, 'the bootstrap decides: it would hide the shipped bytecode');
    assert.equal('PYTHONDONTWRITEBYTECODE' in prefixed, false);
    const environment = serverEnvironment(base, 'fromEnvironment', undefined, { prefix: '/storage/pycache' });
    assert.equal('PYTHONPYCACHEPREFIX' in environment, false);
    assert.equal('PYTHON_ARCHITECT_PYCACHE_PREFIX' in environment, false);
    assert.equal(environment.PYTHONDONTWRITEBYTECODE, '1', 'the user\'s own environment is left alone');
    const own = serverEnvironment({ PYTHONPYCACHEPREFIX: '/mine' }, 'useBundled', undefined, { prefix: '/storage/pycache' });
    assert.equal(own.PYTHONPYCACHEPREFIX, '/mine');
    assert.equal('PYTHON_ARCHITECT_PYCACHE_PREFIX' in own, false, 'the user\'s own prefix wins');
  });

  it('lets a message through once, and at most three a minute', () => {
    const gate = new NotificationGate(3, 60_000);
    assert.equal(gate.allow('a', 0), true);
    assert.equal(gate.allow('a', 1), false);
    assert.equal(gate.allow('b', 2), true);
    assert.equal(gate.allow('c', 3), true);
    assert.equal(gate.allow('d', 4), false);
    assert.equal(gate.allow('d', 60_010), true);
  });

  it('says offline without a key or when forced', () => {
    assert.equal(chatMode(false, true), 'online');
    assert.equal(chatMode(true, true), 'offline');
    assert.equal(chatMode(false, false), 'offline');
  });
});
