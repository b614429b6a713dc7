// Parses Mermaid documents with the `mermaid` package's own parser. Reads a JSON array of texts
// on stdin (one Node start for many documents: loading mermaid takes seconds) and prints a JSON
// array with, per text, {"ok": true, "type": ...} or {"ok": false, "error": ...}.
// jsdom provides the DOM that mermaid's sanitiser expects.
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");

let input = "";
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const text of JSON.parse(input)) {
  try {
    const parsed = await mermaid.parse(text);
    results.push({ ok: true, type: parsed.diagramType });
  } catch (error) {
    results.push({ ok: false, error: String(error && error.message ? error.message : error) });
  }
}
process.stdout.write(JSON.stringify(results) + "\n");
