/**
 * Syntax highlighting of code blocks: highlight.js's core with only the languages answers use
 * (Python, TOML, YAML, JSON, shell, diff), bundled into chat.js, so no remote resource and no
 * CSP change. It returns escaped HTML (`<span class="hljs-…">`), which the sanitiser still
 * passes over like every other part of an answer.
 */

import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import diff from 'highlight.js/lib/languages/diff';
import ini from 'highlight.js/lib/languages/ini';
import json from 'highlight.js/lib/languages/json';
import python from 'highlight.js/lib/languages/python';
import yaml from 'highlight.js/lib/languages/yaml';

hljs.registerLanguage('python', python);
hljs.registerLanguage('ini', ini); // its aliases include toml
hljs.registerLanguage('yaml', yaml);
hljs.registerLanguage('json', json);
hljs.registerLanguage('bash', bash);
hljs.registerLanguage('diff', diff);
hljs.registerAliases(['shell', 'console', 'shellsession'], { languageName: 'bash' });
hljs.registerAliases(['py', 'python3', 'pyi'], { languageName: 'python' });

/** The language of a fence's info string (`python path=x.py` -> `python`), lower case. */
export function fenceLanguage(info: string): string {
  return (info.trim().split(/\s+/)[0] ?? '').toLowerCase();
}

/** Highlighted HTML for a block's text, or '' (markdown-it then escapes it as plain code). */
export function highlightCode(code: string, info: string): string {
  const language = fenceLanguage(info);
  if (!language || language === 'mermaid' || !hljs.getLanguage(language)) {
    return '';
  }
  try {
    return hljs.highlight(code, { language, ignoreIllegals: true }).value;
  } catch {
    return ''; // a grammar failure costs the colours, never the code
  }
}
