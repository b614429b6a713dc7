import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alongPanel, busiestView, DIAGRAM_FONT_PX, flowOf, formatViewBox, MAX_FIT_SCALE, MAX_ZOOM, MIN_FONT_PX, panBy, parseViewBox, readableFit,
  wholeFit, zoomAt } from '../src/webview/viewBox';

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

  it('never draws text below the minimum: a large layered graph is shown from its top, centred across', () => {
    const large = { x: -8, y: -8, width: 4000, height: 3000 };
    const box = readableFit(large, 800, 600); // "meet" would be 0.2: 3.2 px text
    const scale = scaleOf(box, 800, 600);
    assert.ok(Math.abs(scale * DIAGRAM_FONT_PX - MIN_FONT_PX) < 1e-9, `text at ${scale * DIAGRAM_FONT_PX} px`);
    assert.equal(box.y, large.y); // the first layer is in view
    assert.ok(Math.abs(box.x + box.width / 2 - (large.x + large.width / 2)) < 1e-9); // centred across
    assert.ok(Math.abs(box.width / box.height - 800 / 600) < 1e-9);
  });

  it('starts a large left-to-right graph at its left, centred up and down', () => {
    const wide = { x: 0, y: 0, width: 5000, height: 2000 };
    const box = readableFit(wide, 800, 600, 'LR');
    assert.equal(box.x, 0);
    assert.ok(Math.abs(box.y + box.height / 2 - 1000) < 1e-9);
  });

  it('never enlarges a small picture past its own size, and Fit shows all of a large one', () => {
    const small = { x: 0, y: 0, width: 200, height: 100 };
    for (const box of [readableFit(small, 800, 600), wholeFit(small, 800, 600)]) {
      assert.equal(scaleOf(box, 800, 600), MAX_FIT_SCALE);
      assert.ok(box.x <= 0 && box.y <= 0 && box.x + box.width >= 200 && box.y + box.height >= 100, JSON.stringify(box));
    }
    const large = { x: 0, y: 0, width: 4000, height: 3000 };
    assert.deepEqual(wholeFit(large, 800, 600), large); // all of it, however small its text
  });

  it('turns an unlayered graph to flow along a tall panel, and leaves layers and wide panels alone', () => {
    const plain = 'flowchart LR\n  n0["a"] -->|"1"| n1["b"]\n';
    assert.equal(alongPanel(plain, 300, 800), plain.replace('flowchart LR', 'flowchart TB'));
    assert.equal(alongPanel(plain, 800, 300), plain);
    const layered = 'flowchart TB\n  subgraph layer0["layer a"]\n  end\n';
    assert.equal(alongPanel(layered, 300, 800), layered);
    assert.equal(alongPanel(layered, 800, 300), layered);
  });

  it('reads the flow from the mermaid source, past directives and comments', () => {
    assert.equal(flowOf('%%{init: {}}%%\nflowchart LR\n  a --> b'), 'LR');
    assert.equal(flowOf('flowchart TB\n  subgraph x\n  end'), 'TB');
    assert.equal(flowOf('%%{init: {}}%%\nflowchart TB\n  %% flowchart LR in a comment'), 'TB');
  });
  it('keeps the picture when the panel has no size yet', () => {
    assert.deepEqual(readableFit(original, 0, 0), original);
  });
});

describe('graph first view beside an editor', () => {
  const scaleOf = (box: { width: number; height: number }, w: number, h: number) => Math.min(w / box.width, h / box.height);
  const picture = { x: 0, y: 0, width: 3000, height: 1200 };
  const node = (x: number, y: number) => ({ x, y, width: 100, height: 40 });

  it('shows the whole graph when it reads at the minimum size or more', () => {
    assert.deepEqual(busiestView({ x: 0, y: 0, width: 1000, height: 500 }, [node(10, 10)], 800, 600), { x: 0, y: 0, width: 1000, height: 500 });
  });

  it('moves the readable window to where most nodes are, not the empty top left', () => {
    // One node at the top left, six in a row at the bottom right: the window goes to the six.
    const nodes = [node(10, 10), ...Array.from({ length: 6 }, (_, i) => node(1900 + i * 150, 900))];
    const box = busiestView(picture, nodes, 800, 400);
    const inside = nodes.filter((n) => n.x >= box.x && n.y >= box.y && n.x + n.width <= box.x + box.width
      && n.y + n.height <= box.y + box.height);
    assert.equal(inside.length, 6, JSON.stringify(box));
    assert.ok(Math.abs(scaleOf(box, 800, 400) * DIAGRAM_FONT_PX - MIN_FONT_PX) < 1e-9);
    assert.ok(box.x >= 0 && box.y >= 0 && box.x + box.width <= 3000 + 1e-9 && box.y + box.height <= 1200 + 1e-9);
  });

  it('prefers the start of the flow when two places hold as many nodes', () => {
    const nodes = [node(100, 50), node(100, 1100)];
    const box = busiestView(picture, nodes, 800, 400);
    assert.ok(box.y <= 50, JSON.stringify(box));
  });
});
