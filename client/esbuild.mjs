// Bundles the extension (Node, CommonJS, `vscode` external), the chat webview (browser IIFE with
// markdown-it, DOMPurify and mermaid inside: no CDN, no remote resource) and, with --tests, the
// client unit tests (node --test). Run from the repository root: `npm run build`.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, 'out');
// Tests build outside out/, which is what the VSIX ships.
const testOut = join(here, 'out-test');
const watch = process.argv.includes('--watch');
const tests = process.argv.includes('--tests');
const production = !watch && !tests;

const extension = {
  entryPoints: [join(here, 'src', 'extension.ts')],
  outfile: join(out, 'extension.js'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  external: ['vscode'],
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // The start-up timeline's first mark: when the extension host began evaluating this bundle.
  banner: { js: '"use strict";var __pythonArchitectBundleStart = Date.now();' }, // first: still strict mode
};

// Page scripts: chat.js (the UI, markdown-it, DOMPurify), graph.js (the dependency graph view) and
// diagrams.js (mermaid, shared by both), so each page is interactive before the much larger
// mermaid bundle has been parsed.
const webview = {
  entryPoints: {
    chat: join(here, 'src', 'webview', 'chat.ts'),
    diagrams: join(here, 'src', 'webview', 'diagrams.ts'),
    graph: join(here, 'src', 'webview', 'graph.ts'),
  },
  outdir: join(out, 'webview'),
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
  sourcemap: false,
  minify: production,
  legalComments: 'none',
  logLevel: 'warning',
};

function copyCss() {
  mkdirSync(join(out, 'webview'), { recursive: true });
  for (const css of ['chat.css', 'graph.css']) {
    copyFileSync(join(here, 'src', 'webview', css), join(out, 'webview', css));
  }
}

if (tests) {
  const testDir = join(here, 'test');
  rmSync(testOut, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: readdirSync(testDir).filter((name) => name.endsWith('.test.ts')).map((name) => join(testDir, name)),
    outdir: testOut,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    // jsdom loads files relative to its own package: keep it (and vscode, never used) external.
    external: ['vscode', 'jsdom'],
    sourcemap: 'inline',
    logLevel: 'warning',
  });
} else if (watch) {
  copyCss();
  const contexts = await Promise.all([esbuild.context(extension), esbuild.context(webview)]);
  await Promise.all(contexts.map((context) => context.watch()));
  console.log('watching client/src');
} else {
  copyCss();
  await Promise.all([esbuild.build(extension), esbuild.build(webview)]);
}
