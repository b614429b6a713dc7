import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DIAGRAM_FONT_PX, formatViewBox, MAX_ZOOM, MIN_FONT_PX, panBy, parseViewBox, readableFit, zoomAt } from '../src/webview/viewBox';

const original = { x: 0, y: 0, width: 1000, height: 500 };

describe('graph pan and zoom', () => {
  it('reads a viewBox and refuses anything else', () => {
    assert.deepEqual(parseViewBox('-8 -8 1016.5 516'), { x: -8, y: -8, width: 1016.5, height: 516 });
    for (const bad of ['', '0 0 100', '0 0 0 10', 'a b c d', null]) assert.equal(parseViewBox(bad), null, String(bad));
    assert.equal(formatViewBox({ x: 1 / 3, y: 0, width: 10, height: 5 }), '0.333 0 10 5');
  });

  it('zooms around the pointer: the point under it stays put', () => {
    const zoomed = zoomAt(original, original, 2, 0.25, 0.5);
    assert.deepEqual(zoomed, { x: 125, y: 125, width: 500, height: 250 });
    // The picture point at 25% / 50% of the view was (250, 250); it still is.
    assert.equal(zoomed.x + 0.25 * zoomed.width, 250);
    assert.equal(zoomed.y + 0.5 * zoomed.height, 250);
    const back = zoomAt(zoomed, original, 0.5, 0.25, 0.5);
    assert.deepEqual(back, original);
  });

  it('keeps the zoom within its limits', () => {
    let box = original;
    for (let i = 0; i < 50; i += 1) box = zoomAt(box, original, 2, 0.5, 0.5);
    assert.equal(original.width / box.width, MAX_ZOOM);
  });

  it('pans by view fractions', () => {
    assert.deepEqual(panBy(original, 0.1, -0.2), { x: -100, y: 100, width: 1000, height: 500 });
  });
});

describe('graph fit with a readable text size', () => {
  const scaleOf = (box: { width: number; height: number }, w: number, h: number) => Math.min(w / box.width, h / box.height);

  it('shows the whole picture when its text stays readable', () => {
    assert.deepEqual(readableFit(original, 800, 600), original); // scale 0.8: 12.8 px text
  });

  it('never draws text below the minimum: a large graph is shown from its top left', () => {
    const large = { x: -8, y: -8, width: 4000, height: 3000 };
    const box = readableFit(large, 800, 600); // "meet" would be 0.2: 3.2 px text
    const scale = scaleOf(box, 800, 600);
    assert.ok(Math.abs(scale * DIAGRAM_FONT_PX - MIN_FONT_PX) < 1e-9, `text at ${scale * DIAGRAM_FONT_PX} px`);
    assert.deepEqual([box.x, box.y], [large.x, large.y]); // the first layer's start is in view
    assert.ok(Math.abs(box.width / box.height - 800 / 600) < 1e-9);
  });

  it('keeps the picture when the panel has no size yet', () => {
    assert.deepEqual(readableFit(original, 0, 0), original);
  });
});
