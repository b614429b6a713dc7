import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import createDOMPurify from 'dompurify';
import { JSDOM } from 'jsdom';
import { references, renderInto, sanitizeSvg } from '../src/webview/render';

const dom = new JSDOM('<!DOCTYPE html><body></body>');
const { document } = dom.window;
const purify = createDOMPurify(dom.window as unknown as Window & typeof globalThis);

function render(text: string): HTMLElement {
  const target = document.createElement('div');
  renderInto(document, purify, target, text);
  return target;
}

/** Nothing in the tree can run script: no script element, no on* handler, no javascript:/data: URL. */
function assertInert(root: Element): void {
  assert.equal(root.querySelectorAll('script, iframe, object, embed, foreignObject').length, 0, root.innerHTML);
  for (const element of Array.from(root.querySelectorAll('*'))) {
    for (const attribute of Array.from(element.attributes)) {
      assert.ok(!/^on/i.test(attribute.name), `handler ${attribute.name} survived: ${root.innerHTML}`);
      assert.ok(!/^\s*(javascript|vbscript|data):/i.test(attribute.value), `${attribute.name}=${attribute.value} survived`);
    }
  }
}

describe('markdown sanitising', () => {
  it('renders a <script> block as text, not as an element', () => {
    const out = render('Before\n\n<script>window.pwned = 1</script>\n\nAfter');
    assertInert(out);
    assert.match(out.textContent ?? '', /<script>window\.pwned = 1<\/script>/);
    assert.match(out.textContent ?? '', /After/);
  });

  it('keeps an <img onerror> inert and visible as text', () => {
    const out = render('An image: <img src=x onerror="window.pwned=1"> here');
    assertInert(out);
    assert.equal(out.querySelector('img'), null);
    assert.match(out.textContent ?? '', /onerror/);
  });

  it('drops javascript:, vbscript: and data: links but keeps their text', () => {
    for (const url of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'vbscript:msgbox(1)', 'data:text/html;base64,PHNjcmlwdD4=', ' javascript:alert(1)']) {
      const out = render(`[click me](${url}) and <${url}>`);
      assertInert(out);
      assert.match(out.textContent ?? '', /click me/);
    }
  });

  it('drops raw HTML anchors and event attributes', () => {
    const out = render('<a href="javascript:alert(1)" onclick="x()">raw</a> <div onmouseover="x()">d</div>');
    assertInert(out);
    assert.equal(out.querySelector('a[href]'), null);
  });

  it('keeps ordinary markdown: emphasis, lists, code and http links', () => {
    const out = render('**Use** the port:\n\n- one\n- two\n\n`code` and [docs](https://example.com/x "The docs") and [here](#top)');
    assert.equal(out.querySelector('strong')?.textContent, 'Use');
    assert.equal(out.querySelectorAll('li').length, 2);
    assert.equal(out.querySelector('code')?.textContent, 'code');
    assert.ok(out.querySelector('a[href="#top"]'));
    const link = out.querySelector('a[href="https://example.com/x"]');
    assert.equal(link?.getAttribute('title'), 'The docs');
    assert.ok(link);
    assert.equal(link.getAttribute('rel'), 'noopener noreferrer');
  });

  it('leaves a mermaid block as the code block the webview draws or falls back to', () => {
    const out = render('```mermaid\ngraph TD\n  A["<img src=x onerror=alert(1)>"] --> B\n```');
    const code = out.querySelector('pre > code.language-mermaid');
    assert.ok(code);
    assert.match(code.textContent ?? '', /A\["<img src=x onerror=alert\(1\)>"\]/);
    assertInert(out);
  });
});

describe('mermaid SVG sanitising', () => {
  it('removes script, handlers, foreign HTML and javascript: links from a rendered diagram', () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="0 0 120 40" onload="window.pwned=1"><style>.node{fill:red}</style>' +
      '<g class="node" transform="translate(5, 5)"><rect width="10" height="10" onclick="x()"></rect><text x="2">Label A</text></g>' +
      '<foreignObject><div><img src="x" onerror="window.pwned=1"></div></foreignObject>' +
      '<script>window.pwned=1</script><a href="javascript:alert(1)"><text>B</text></a></svg>';
    const holder = document.createElement('div');
    holder.innerHTML = sanitizeSvg(purify, svg);
    assertInert(holder);
    const drawn = holder.querySelector('svg');
    assert.ok(drawn);
    // What makes a diagram visible survives: size, viewBox, geometry.
    assert.equal(drawn.getAttribute('viewBox'), '0 0 120 40');
    assert.equal(drawn.getAttribute('width'), '100%');
    assert.equal(holder.querySelector('rect')?.getAttribute('width'), '10');
    assert.equal(holder.querySelector('g')?.getAttribute('transform'), 'translate(5, 5)');
    assert.match(holder.textContent ?? '', /Label A/);
    assert.equal(holder.querySelector('img'), null);
  });
});

describe('citation links', () => {
  it('turns ADR ids into adr-link anchors with their id', () => {
    const out = render('This breaks ADR-011 (see also ADR-3).');
    const links = Array.from(out.querySelectorAll<HTMLAnchorElement>('a.adr-link'));
    assert.deepEqual(links.map((a) => a.dataset.adr), ['ADR-011', 'ADR-3']);
    assert.equal(out.textContent?.trim(), 'This breaks ADR-011 (see also ADR-3).');
  });

  it('turns file references into file-link anchors with path and line', () => {
    const out = render('Look at `src/pricing_service/domain/pricing_rules.py:8` and src/app/main.py, and pyproject.toml.');
    const links = Array.from(out.querySelectorAll<HTMLAnchorElement>('a.file-link'));
    assert.deepEqual(
      links.map((a) => [a.dataset.path, a.dataset.line]),
      [
        ['src/pricing_service/domain/pricing_rules.py', '8'],
        ['src/app/main.py', '1'],
        ['pyproject.toml', '1'],
      ],
    );
  });

  it('does not link inside code blocks, inside links, in URLs or in e-mail addresses', () => {
    const out = render('```python\n# ADR-011 src/a.py:3\n```\n\n[ADR-012](https://example.com/ADR-012) https://example.com/src/a.py me@host.py');
    assert.equal(out.querySelectorAll('a.adr-link, a.file-link').length, 0, out.innerHTML);
  });

  it('finds references in order without overlaps', () => {
    assert.deepEqual(
      references('ADR-011 then docs/adr.md:4').map((ref) => [ref.kind, ref.text]),
      [
        ['adr', 'ADR-011'],
        ['file', 'docs/adr.md:4'],
      ],
    );
  });
});
