import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_DEPTH, MAX_DEPTH, normalizeOptions, summaryLine, violationLines } from '../src/webview/graphModel';

describe('graph options', () => {
  it('keeps whole depths in range and layers only when true', () => {
    assert.deepEqual(normalizeOptions({ depth: 3, layers: true }), { depth: 3, layers: true });
    assert.deepEqual(normalizeOptions({ depth: 0, layers: 'yes' }), { depth: 0, layers: false });
  });

  it('clamps out-of-range depths and defaults anything that is not a whole number', () => {
    assert.equal(normalizeOptions({ depth: -4 }).depth, 0);
    assert.equal(normalizeOptions({ depth: 999 }).depth, MAX_DEPTH);
    for (const bad of [1.5, '3', null, Number.NaN]) {
      assert.equal(normalizeOptions({ depth: bad }).depth, DEFAULT_DEPTH, String(bad));
    }
    assert.deepEqual(normalizeOptions(undefined), { depth: DEFAULT_DEPTH, layers: false });
    assert.deepEqual(normalizeOptions('state from an older version'), { depth: DEFAULT_DEPTH, layers: false });
  });
});

describe('graph text', () => {
  it('lists layer violations before cycles, each with its rule and import count', () => {
    const lines = violationLines([
      { source: 'shop.b', target: 'shop.a', kind: 'cycle', imports: 1 },
      { source: 'shop.domain', target: 'shop.api', kind: 'layer', imports: 3 },
      { source: 'shop.a', target: 'shop.b', kind: 'cycle', imports: 2 },
    ]);
    assert.deepEqual(lines, [
      'shop.domain → shop.api: layer violation (ARC102), 3 imports',
      'shop.a → shop.b: import cycle (ARC103), 2 imports',
      'shop.b → shop.a: import cycle (ARC103), 1 import',
    ]);
  });

  it('summarises size and violations, and appends what the server said', () => {
    const base = { folderUri: 'file:///w', mermaid: 'flowchart LR', nodes: 1, edges: 0, violations: [] };
    assert.equal(summaryLine(base), '1 node, 0 edges, no violations');
    assert.equal(
      summaryLine({ ...base, nodes: 4, edges: 3, violations: [{ source: 'a', target: 'b', kind: 'layer', imports: 1 }], message: 'no ADR has a `layers` rule' }),
      '4 nodes, 3 edges, 1 violating edge. no ADR has a `layers` rule',
    );
  });
});

describe('graph clicks', () => {
  it('finds the node number in a drawn node, and none in clusters or edges', async () => {
    const { nodeNumber } = await import('../src/webview/graphModel');
    assert.equal(nodeNumber('n12'), 12);
    assert.equal(nodeNumber(null, 'flowchart-n3-7'), 3);
    assert.equal(nodeNumber(undefined, 'mermaid-1-flowchart-n0-0'), 0);
    for (const other of ['layer0', 'L_n0_n1_0', 'n1x', '']) assert.equal(nodeNumber(other), undefined, other);
  });

  it('keeps each listed violation tied to its index in the answer', async () => {
    const { orderedViolations } = await import('../src/webview/graphModel');
    const listed = orderedViolations([
      { source: 'shop.b', target: 'shop.a', kind: 'cycle', imports: 1 },
      { source: 'shop.domain', target: 'shop.api', kind: 'layer', imports: 3 },
    ]);
    assert.deepEqual(listed.map(({ index }) => index), [1, 0]); // the layer violation is listed first
    assert.match(listed[0]!.text, /^shop\.domain → shop\.api: layer violation/);
  });
});

describe('graph edge clicks', () => {
  it('reads the joined nodes from an edge path or label id, and nothing from other ids', async () => {
    const { edgeNodes } = await import('../src/webview/graphModel');
    assert.deepEqual(edgeNodes('L_n3_n12_0'), [3, 12]);
    assert.deepEqual(edgeNodes(null, 'mermaid-4-L_n0_n1_2'), [0, 1]);
    // An import up the layers is drawn from its target; its id still names it source first.
    assert.deepEqual(edgeNodes('U_n15_n3_0'), [15, 3]);
    assert.deepEqual(edgeNodes(null, 'mermaid-2-U_n15_n3_0'), [15, 3]);
    // Nodes, clusters and the invisible links that stack the layers open nothing.
    for (const other of ['n3', 'flowchart-n3-7', 'layer0', 'L_layer0_layer1_0', '', null, undefined]) {
      assert.equal(edgeNodes(other), undefined, String(other));
    }
  });

  it('finds a clicked edge\'s import line only in the answer, and only for a pair of numbers', async () => {
    const { edgePlace } = await import('../src/webview/graphModel');
    const result = {
      folderUri: 'file:///w', mermaid: '', nodes: 3, edges: 2, violations: [],
      links: [{ edge: [0, 1] as [number, number], uri: 'file:///w/a.py', line: 4 }, { edge: [1, 2] as [number, number], uri: 'file:///w/b.py', line: 0 }],
    };
    assert.deepEqual(edgePlace(result, [1, 2]), { uri: 'file:///w/b.py', line: 0 });
    assert.deepEqual(edgePlace(result, [0, 1]), { uri: 'file:///w/a.py', line: 4 });
    for (const bad of [[1, 0], [0], '0,1', undefined, [0, 1, 2]]) assert.equal(edgePlace(result, bad), undefined, String(bad));
    assert.equal(edgePlace(undefined, [0, 1]), undefined);
  });

  it('keeps labels from wrapping: the directive sets a wrapping width no module name reaches', async () => {
    const { GRAPH_DIRECTIVE } = await import('../src/webview/graphModel');
    const config = JSON.parse(/^%%\{init: (.*)\}%%\n$/.exec(GRAPH_DIRECTIVE)?.[1] ?? 'null');
    assert.ok(config.flowchart.wrappingWidth >= 10000, GRAPH_DIRECTIVE);
  });
});
