import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { CACHE_STATE_KEY, interpreterKey, locateExecutable, VersionCache, type KeyValueStore } from '../src/versionCache';

function scratch(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'pa-version-cache-'));
}

function executable(file: string, content: string): string {
  fs.writeFileSync(file, content);
  fs.chmodSync(file, 0o755);
  return file;
}

class MemoryStore implements KeyValueStore {
  readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    this.values.set(key, value);
  }
}

describe('interpreter version cache keys', () => {
  it('finds a bare command on PATH, in PATH order, and a path as given', () => {
    const dir = scratch();
    const first = path.join(dir, 'a');
    const second = path.join(dir, 'b');
    fs.mkdirSync(first);
    fs.mkdirSync(second);
    executable(path.join(second, 'python3'), '\x7fELF');
    assert.equal(locateExecutable('python3', [first, second].join(path.delimiter), dir), path.join(second, 'python3'));
    executable(path.join(first, 'python3'), '\x7fELF');
    assert.equal(locateExecutable('python3', [first, second].join(path.delimiter), dir), path.join(first, 'python3'));
    assert.equal(locateExecutable('./a/python3', '', dir), path.join(first, 'python3'));
    assert.equal(locateExecutable('python3', '', dir), undefined);
  });

  it('keys a binary by its path, real path, mtime and size; a change makes a new key', () => {
    const dir = scratch();
    const binary = executable(path.join(dir, 'python3.12'), '\x7fELF one');
    const link = path.join(dir, 'python');
    fs.symlinkSync(binary, link);
    const viaLink = interpreterKey([link], '', dir);
    const direct = interpreterKey([binary], '', dir);
    assert.ok(viaLink && direct);
    assert.notEqual(viaLink, direct, 'a venv link and its base binary are different interpreters');
    assert.equal(interpreterKey([link], '', dir), viaLink, 'stable while nothing changes');
    fs.writeFileSync(binary, '\x7fELF two, upgraded');
    assert.notEqual(interpreterKey([link], '', dir), viaLink);
  });

  it('never caches a launcher script, arguments, or a missing interpreter', () => {
    const dir = scratch();
    const shim = executable(path.join(dir, 'python3'), '#!/usr/bin/env bash\nexec python3.12 "$@"\n');
    const binary = executable(path.join(dir, 'py'), '\x7fELF');
    assert.equal(interpreterKey([shim], '', dir), undefined);
    assert.equal(interpreterKey(['python3'], dir, dir), undefined);
    assert.equal(interpreterKey([binary, '-X', 'dev'], '', dir), undefined);
    assert.equal(interpreterKey([path.join(dir, 'missing')], '', dir), undefined);
  });
});

describe('interpreter version cache store', () => {
  it('returns what was put for the same key only, and keeps at most 16 entries', async () => {
    const store = new MemoryStore();
    const cache = new VersionCache(store);
    assert.equal(cache.get('k1'), undefined);
    await cache.put('k1', '3 12\n/usr/bin/python3.12\n');
    assert.equal(cache.get('k1'), '3 12\n/usr/bin/python3.12\n');
    assert.equal(cache.get('k2'), undefined);
    assert.equal(cache.get(undefined), undefined);
    for (let index = 0; index < 20; index += 1) {
      await cache.put(`n${index}`, `3 ${index}`);
    }
    const kept = Object.keys(store.get<Record<string, string>>(CACHE_STATE_KEY) ?? {});
    assert.equal(kept.length, 16);
    assert.equal(cache.get('k1'), undefined, 'the oldest entry went first');
    assert.equal(cache.get('n19'), '3 19');
  });

  it('ignores a corrupt stored value', () => {
    const store = new MemoryStore();
    store.values.set(CACHE_STATE_KEY, 'not an object');
    assert.equal(new VersionCache(store).get('k'), undefined);
  });
});
