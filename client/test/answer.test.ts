import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import createDOMPurify from 'dompurify';
import { JSDOM } from 'jsdom';
import { renderAnswer, splitAnswer, type Segment } from '../src/webview/answer';
import { drawMermaidBlocks } from '../src/webview/diagramDraw';
import { addBlockActions, markProposals, offlineNotice, stepsElement } from '../src/webview/parts';
import { blockTarget, proposalsFor } from '../src/webview/protocol';
import { applyProposedLines, replaceRange } from '../src/chat/edits';

const dom = new JSDOM('<!DOCTYPE html><body></body>');
const { document } = dom.window;
const purify = createDOMPurify(dom.window as unknown as Window & typeof globalThis);

/** Nothing in the tree can run script: no script element, no on* handler, no javascript:/data: URL. */
function assertInert(root: Element): void {
  assert.equal(root.querySelectorAll('script, iframe, object, embed, foreignObject, img').length, 0, root.innerHTML);
  for (const element of Array.from(root.querySelectorAll('*'))) {
    for (const attribute of Array.from(element.attributes)) {
      assert.ok(!/^on/i.test(attribute.name), `handler ${attribute.name} survived: ${root.innerHTML}`);
      assert.ok(!/^\s*(javascript|vbscript|data):/i.test(attribute.value), `${attribute.name}=${attribute.value} survived`);
    }
  }
}

/** Renders the stream chunk by chunk (as the webview does per frame), then the final text. */
function stream(chunks: string[], hooks: Parameters<typeof renderAnswer>[5], target = document.createElement('div')) {
  let text = '';
  const afterEach: number[] = [];
  for (const chunk of chunks) {
    text += chunk;
    renderAnswer(document, purify, target, text, false, hooks);
    afterEach.push(target.querySelectorAll('.mermaid-diagram').length);
  }
  renderAnswer(document, purify, target, text, true, hooks);
  return { target, afterEach };
}

/** A diagram drawer standing in for mermaid: replaces the block's <pre> with a drawn holder. */
function fakeDrawer(calls: string[]) {
  return (holder: HTMLElement, segment: Segment) => {
    calls.push(segment.code);
    const drawn = document.createElement('div');
    drawn.className = 'mermaid-diagram';
    drawn.innerHTML = '<svg viewBox="0 0 10 10"><text>drawn</text></svg>';
    holder.querySelector('pre')?.replaceWith(drawn);
  };
}

const DIAGRAM = '```mermaid\ngraph TD\n  A[API] --> B[Domain]\n```';

describe('answer render path: diagrams', () => {
  it('draws a diagram completed mid-stream once, and no later chunk or the final text replaces it', () => {
    const calls: string[] = [];
    const chunks = ['Layers:\n\n```merm', 'aid\ngraph TD\n  A[API] -', '-> B[Domain]\n``', '`\n\nThe API depends ', 'on the domain, ', 'never the reverse.'];
    const { target, afterEach } = stream(chunks, { diagram: fakeDrawer(calls) });
    assert.deepEqual(calls, ['graph TD\n  A[API] --> B[Domain]'], 'drawn exactly once, with the whole block');
    // Not drawn before its closing fence's line ended; drawn from then on, through every chunk.
    assert.deepEqual(afterEach, [0, 0, 0, 1, 1, 1]);
    assert.equal(target.querySelectorAll('.mermaid-diagram svg').length, 1);
    assert.equal(target.querySelectorAll('pre > code.language-mermaid').length, 0, 'the source came back over the drawing');
    assert.match(target.textContent ?? '', /never the reverse\./);
  });

  it('draws a diagram that arrives in the last chunk (closing fence without a newline) when the answer ends', () => {
    const calls: string[] = [];
    const { target, afterEach } = stream(['Here:\n\n', '```mermaid\ngraph LR\n  X --> Y\n', '```'], { diagram: fakeDrawer(calls) });
    assert.deepEqual(afterEach, [0, 0, 0], 'a trailing ``` mid-stream may still grow: not drawn yet');
    assert.deepEqual(calls, ['graph LR\n  X --> Y']);
    assert.equal(target.querySelectorAll('.mermaid-diagram').length, 1);
  });

  it('keeps the same node for an unchanged block, so a drawing in progress is never detached', () => {
    const calls: string[] = [];
    const target = document.createElement('div');
    let holderSeen: HTMLElement | undefined;
    const hooks = { diagram: (holder: HTMLElement) => { holderSeen = holder; calls.push('draw'); } };
    renderAnswer(document, purify, target, `${DIAGRAM}\n\nMore`, false, hooks);
    renderAnswer(document, purify, target, `${DIAGRAM}\n\nMore text`, false, hooks);
    renderAnswer(document, purify, target, `${DIAGRAM}\n\nMore text.`, true, hooks);
    assert.equal(calls.length, 1);
    assert.ok(holderSeen && target.contains(holderSeen), 'the holder handed to the drawer was replaced');
  });

  it('shows an invalid diagram as its source with a visible note saying why', async () => {
    const target = document.createElement('div');
    let drawing: Promise<void> = Promise.resolve();
    renderAnswer(document, purify, target, '```mermaid\ngraph TD\n  A -->\n```', true, {
      diagram: (holder) => {
        drawing = drawMermaidBlocks(document, holder, purify, async () => {
          throw new Error('Parse error on line 2:\nExpecting NODE_STRING');
        });
      },
    });
    await drawing;
    const note = target.querySelector('.diagram-note');
    assert.ok(note, target.innerHTML);
    assert.match(note.textContent ?? '', /could not be drawn \(Parse error on line 2:\)/);
    assert.match(target.querySelector('pre.mermaid-error > code.language-mermaid')?.textContent ?? '', /A -->/);
  });

  it('puts a valid diagram in as sanitised SVG (the renderer\'s script and handlers dropped)', async () => {
    const target = document.createElement('div');
    let drawing: Promise<void> = Promise.resolve();
    renderAnswer(document, purify, target, DIAGRAM, true, {
      diagram: (holder) => {
        drawing = drawMermaidBlocks(document, holder, purify, async () => ({
          svg: '<svg viewBox="0 0 5 5" onload="window.x=1"><script>window.x=1</script><text>API</text></svg>',
        }));
      },
    });
    await drawing;
    const svg = target.querySelector('.mermaid-diagram svg');
    assert.ok(svg, target.innerHTML);
    assert.equal(svg.getAttribute('viewBox'), '0 0 5 5');
    assert.equal(target.querySelector('.diagram-note'), null);
    assertInert(target);
  });
});

describe('answer render path: code blocks', () => {
  it('highlights Python, TOML, YAML, JSON, shell and diff blocks', () => {
    const target = document.createElement('div');
    const blocks: [string, string][] = [
      ['python', 'def price(x):\n    return x  # cents'],
      ['toml', '[tool.ruff]\nline-length = 100'],
      ['yaml', 'name: ci\non: [push]'],
      ['json', '{"a": 1}'],
      ['shell', 'export MODE="dev" && pip install -e .'],
      ['diff', '-old\n+new'],
    ];
    renderAnswer(document, purify, target, blocks.map(([lang, code]) => `\`\`\`${lang}\n${code}\n\`\`\``).join('\n\n'), true);
    const pres = Array.from(target.querySelectorAll('pre'));
    assert.equal(pres.length, 6);
    for (const [index, pre] of pres.entries()) {
      assert.ok(pre.querySelector('span[class^="hljs-"]'), `${blocks[index]?.[0]} not highlighted: ${pre.innerHTML}`);
    }
    assert.equal(pres[0]?.querySelector('.hljs-keyword')?.textContent, 'def');
    assert.equal(pres[0]?.textContent, 'def price(x):\n    return x  # cents\n', 'highlighting changed the code');
  });

  it('keeps injections in code, info strings and streamed pieces inert', () => {
    const payloads = [
      'Before\n\n<script>window.pwned = 1</script>\n\nAfter',
      'An image: <img src=x onerror="window.pwned=1"> here',
      '[click me](javascript:alert(1)) and <javascript:alert(1)> and [d](data:text/html;base64,PHNjcmlwdD4=)',
      '<a href="javascript:alert(1)" onclick="x()">raw</a> <div onmouseover="x()">d</div>',
      '```python" onmouseover="alert(1)\nx = "<img src=x onerror=alert(1)>"\n```',
      '```python\n</code></pre><img src=x onerror=alert(1)>\n```',
      '```mermaid\ngraph TD\n  A["<img src=x onerror=alert(1)>"] --> B\n```',
    ];
    for (const payload of payloads) {
      const target = document.createElement('div');
      // In pieces of 7 characters, as a stream might cut it, then whole.
      const chunks = payload.match(/[\s\S]{1,7}/g) ?? [];
      stream(chunks, { codeBlock: (holder, segment) => addBlockActions(document, holder, segment.code, segment.info, () => {}) }, target);
      assertInert(target);
    }
  });

  it('adds Copy, Insert and Apply to a finished block, handing over its exact code and target path', () => {
    const target = document.createElement('div');
    const acted: [string, string, string | undefined][] = [];
    const code = 'class QuoteCache:\n    """Caches quotes."""';
    renderAnswer(document, purify, target, `Change it:\n\n\`\`\`python path=src/app/cache.py lines=3-9\n${code}\n\`\`\``, true, {
      codeBlock: (holder, segment) => addBlockActions(document, holder, segment.code, segment.info, (action, text, path) => acted.push([action, text, path])),
    });
    for (const name of ['copy', 'insert', 'apply']) {
      target.querySelector<HTMLButtonElement>(`.block-${name}`)?.click();
    }
    assert.deepEqual(acted, [['copy', code, undefined], ['insert', code, undefined], ['apply', code, 'src/app/cache.py']]);
    assert.equal(target.querySelector('.block-label')?.textContent, 'src/app/cache.py');
  });

  it('adds no actions to a block still streaming', () => {
    const target = document.createElement('div');
    let calls = 0;
    renderAnswer(document, purify, target, '```python\nx = 1\n', false, { codeBlock: () => { calls += 1; } });
    assert.equal(calls, 0);
    assert.equal(target.querySelector('pre code')?.textContent, 'x = 1\n');
  });

  it('names the file on Apply for a block that is a proposal and says why one was refused', () => {
    const target = document.createElement('div');
    const text = '```python path=app/a.py lines=1-2\nA = 1\n```\n\n```python path=../etc/passwd\nB = 2\n```';
    renderAnswer(document, purify, target, text, true, {
      codeBlock: (holder, segment) => addBlockActions(document, holder, segment.code, segment.info, () => {}),
    });
    markProposals(document, target, {
      files: [{ path: 'app/a.py', startLine: 1, endLine: 2, create: false, newText: 'A = 1\n' }],
      refused: [{ path: '../etc/passwd', reason: 'outside the workspace' }],
    });
    const applies = Array.from(target.querySelectorAll<HTMLButtonElement>('.block-apply'));
    assert.ok(applies[0]?.classList.contains('proposal'));
    assert.match(applies[0]?.title ?? '', /^Apply to app\/a\.py/);
    assert.equal(applies[1]?.classList.contains('proposal'), false);
    assert.equal(applies[1]?.disabled, true);
    assert.match(target.querySelector('.block-note')?.textContent ?? '', /outside the workspace/);
  });
});

describe('splitting an answer', () => {
  it('joins back to the text and finds only line-start fences', () => {
    const text = 'Use `x` and ``` inline.\n\n~~~yaml\na: 1\n~~~\nthen\n```python\nopen = 1\n';
    const parts = splitAnswer(text, false);
    assert.equal(parts.map((part) => part.source).join(''), text);
    assert.deepEqual(parts.map((part) => [part.kind, part.info, part.complete]), [
      ['prose', '', true], ['fence', 'yaml', true], ['prose', '', true], ['fence', 'python', false],
    ]);
  });

  it('reads the target path of a proposal block', () => {
    assert.equal(blockTarget('python path=app/x.py lines=10-24'), 'app/x.py');
    assert.equal(blockTarget('python path="./app/my file.py"'), 'app/my file.py');
    assert.equal(blockTarget('python'), undefined);
    const proposals = { files: [{ path: 'src/app/x.py', startLine: 1, endLine: 1, create: false, newText: '' }], refused: [] };
    assert.equal(proposalsFor(proposals, 'app/x.py').length, 1);
    assert.equal(proposalsFor(proposals, 'x.pyc').length, 0);
  });
});

describe('steps and notices', () => {
  it('lists each step as a link to its file and line, with code for back-quoted names', () => {
    const opened: number[] = [];
    const element = stepsElement(document, [
      { index: 0, tool: 'read_file', label: 'Reading `price_cache.py`…', path: 'src/price_cache.py', uri: 'file:///w/src/price_cache.py', line: 11 },
      { index: 1, tool: 'search_code', label: 'Searching `QuoteCache`…' },
    ], true, (step) => opened.push(step.line ?? -1));
    assert.equal(element.tagName, 'DETAILS');
    assert.equal((element as HTMLDetailsElement).open, true);
    const link = element.querySelector<HTMLAnchorElement>('a.step-link');
    assert.equal(link?.dataset.uri, 'file:///w/src/price_cache.py');
    assert.equal(link?.querySelector('code')?.textContent, 'price_cache.py');
    link?.click();
    assert.deepEqual(opened, [11]);
    assert.equal(element.querySelectorAll('li').length, 2);
    assert.equal(element.querySelectorAll('a').length, 1, 'a step without a file is not a link');
  });

  it('offers Set API Key as a link that runs it', () => {
    let ran = 0;
    const notice = offlineNotice(document, () => { ran += 1; });
    notice.querySelector<HTMLAnchorElement>('a.run-set-api-key')?.click();
    assert.equal(ran, 1);
    const target = document.createElement('div');
    renderAnswer(document, purify, target, 'run **Python Architect: Set API Key** from the Command Palette', true);
    assert.equal(target.querySelector<HTMLAnchorElement>('a.command-link')?.dataset.command, 'pythonArchitect.setApiKey');
  });
});

describe('proposed text', () => {
  const base = 'a\nb\nc\nd\n';
  it('replaces 1-based inclusive lines, several proposals bottom first', () => {
    assert.equal(applyProposedLines(base, [
      { path: 'x.py', startLine: 1, endLine: 1, create: false, newText: 'A\n' },
      { path: 'x.py', startLine: 3, endLine: 4, create: false, newText: 'C\nD\nE\n' },
    ]), 'A\nb\nC\nD\nE\n');
  });
  it('gives a new file its text and refuses lines past the end', () => {
    assert.equal(applyProposedLines('', [{ path: 'n.py', startLine: 1, endLine: 0, create: true, newText: 'x = 1\n' }]), 'x = 1\n');
    assert.throws(() => applyProposedLines(base, [{ path: 'x.py', startLine: 4, endLine: 9, create: false, newText: '' }]), /has 4 lines now/);
  });
  it('replaces a selection by offsets', () => {
    assert.equal(replaceRange('hello world', 6, 11, 'there'), 'hello there');
  });
});
