import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
// @ts-expect-error: a plain ES module script (client/scripts), bundled by esbuild for the test.
import { copyShots, MAX_BYTES, SHOTS } from '../scripts/marketplace_images.mjs';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

describe('marketplace screenshots from the e2e', () => {
  it('copies each screenshot the e2e saved under the README\'s name', () => {
    const from = fs.mkdtempSync(path.join(os.tmpdir(), 'shots-'));
    const to = path.join(from, 'images');
    for (const name of SHOTS as string[]) fs.writeFileSync(path.join(from, `marketplace-${name}.png`), Buffer.concat([PNG, Buffer.from(name)]));
    const copied = copyShots(from, to) as { file: string }[];
    assert.deepEqual(copied.map(({ file }) => path.basename(file)), ['diagnostics.png', 'hover.png', 'chat-diagram.png']);
    assert.ok(fs.readFileSync(path.join(to, 'hover.png')).includes(Buffer.from('hover')));
  });

  it('refuses a missing, non-PNG or oversized screenshot and copies nothing', () => {
    const from = fs.mkdtempSync(path.join(os.tmpdir(), 'shots-'));
    const to = path.join(from, 'images');
    fs.writeFileSync(path.join(from, 'marketplace-diagnostics.png'), 'not a png');
    fs.writeFileSync(path.join(from, 'marketplace-hover.png'), Buffer.concat([PNG, Buffer.alloc(MAX_BYTES)]));
    assert.throws(() => copyShots(from, to), (error: Error) => /marketplace-chat-diagram\.png is missing: run \.\/dev e2e/.test(error.message)
      && /marketplace-diagnostics\.png is not a PNG/.test(error.message) && /marketplace-hover\.png is \d+ KB, over 400 KB/.test(error.message));
    assert.equal(fs.existsSync(to), false);
  });
});
