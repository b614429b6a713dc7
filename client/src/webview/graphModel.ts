/**
 * The dependency-graph view's pure parts (no DOM, no VS Code): the messages between the graph
 * webview and the extension host, the request options, and how violations read as text.
 * Imported by both sides and unit-tested in `client/test/graph.test.ts`.
 */

export const DEFAULT_DEPTH = 2;
export const MAX_DEPTH = 20;

export interface GraphOptions {
  depth: number;
  layers: boolean;
}

export interface GraphViolation {
  source: string;
  target: string;
  kind: 'layer' | 'cycle' | string;
  imports: number;
  /** The edge's first import line (0-based), which a click on the listed violation opens. */
  uri?: string;
  line?: number;
}

/** `pythonArchitect/graph`'s answer. */
export interface GraphResult {
  folderUri: string | null;
  mermaid: string;
  nodes: number;
  edges: number;
  violations: GraphViolation[];
  /** Each node's file: `modules[i]` is mermaid node `n<i>`; a click on the node opens it. */
  modules?: (string | null)[];
  /** Each edge's first import line: `edge` [i, j] is the drawn link `n<i> --> n<j>`. */
  links?: { edge: [number, number]; uri: string; line: number }[];
  message?: string;
}

export type GraphToWebview =
  | { type: 'loading'; options: GraphOptions }
  | { type: 'graph'; options: GraphOptions; result: GraphResult }
  | { type: 'error'; options: GraphOptions; message: string };

/**
 * `open`: the node `n<node>`, the violation at `violation` (its index in the server's list) or the
 * edge `n<edge[0]> --> n<edge[1]>`.
 */
export type GraphToHost =
  | { type: 'ready' }
  | { type: 'refresh'; options: GraphOptions }
  | { type: 'open'; node?: number; violation?: number; edge?: [number, number] };

/**
 * The nodes a drawn edge joins, source first, from its path's or label's id or `data-id`
 * (`L_n3_n7_0`; `U_n3_n7_0` for an import up the layers, drawn from its target; also prefixed by
 * the diagram's id), else undefined.
 */
export function edgeNodes(...ids: (string | null | undefined)[]): [number, number] | undefined {
  for (const id of ids) {
    const match = /(?:^|[-_])[LU][-_]n(\d+)[-_]n(\d+)[-_]\d+$/.exec(id ?? '');
    if (match) return [Number(match[1]), Number(match[2])];
  }
  return undefined;
}

/** The place to open for a clicked edge, from the server's answer (undefined: none known). */
export function edgePlace(result: GraphResult | undefined, edge: unknown): { uri: string; line: number } | undefined {
  if (!Array.isArray(edge) || edge.length !== 2) return undefined;
  const link = result?.links?.find(({ edge: [from, to] }) => from === edge[0] && to === edge[1]);
  return link ? { uri: link.uri, line: link.line } : undefined;
}

/**
 * Mermaid's settings for the graph, as a directive in front of the source: labels never wrap (a
 * module name has no spaces, so mermaid would cut it mid-word at its 200 px wrapping width; the
 * server breaks long names after dots itself), and tighter spacing than mermaid's 50 px between
 * nodes and ranks, so more of the graph reads beside an editor.
 */
export const GRAPH_DIRECTIVE = '%%{init: {"flowchart": {"wrappingWidth": 100000, "nodeSpacing": 20, "rankSpacing": 30}}}%%\n';

/**
 * The number of a drawn node from its `data-id` (`n12`) or element id (`flowchart-n12-3`,
 * `mermaid-1-flowchart-n12-3`), else undefined (clusters, edges, anything else).
 */
export function nodeNumber(...ids: (string | null | undefined)[]): number | undefined {
  for (const id of ids) {
    const match = /(?:^|-)n(\d+)(?:-\d+)?$/.exec(id ?? '');
    if (match) return Number(match[1]);
  }
  return undefined;
}

/** Options from anything (saved webview state, a message): a whole depth in 0..MAX_DEPTH. */
export function normalizeOptions(value: unknown): GraphOptions {
  const raw = (value && typeof value === 'object' ? value : {}) as { depth?: unknown; layers?: unknown };
  const depth = typeof raw.depth === 'number' && Number.isInteger(raw.depth) ? Math.min(Math.max(raw.depth, 0), MAX_DEPTH) : DEFAULT_DEPTH;
  return { depth, layers: raw.layers === true };
}

const KIND_TEXT: Record<string, string> = {
  layer: 'layer violation (ARC102)',
  cycle: 'import cycle (ARC103)',
};

/** The violations in list order (layer violations first), each with its index in the answer. */
export function orderedViolations(violations: readonly GraphViolation[]): { index: number; text: string }[] {
  const rank = (kind: string) => (kind === 'layer' ? 0 : kind === 'cycle' ? 1 : 2);
  return violations
    .map((violation, index) => ({ violation, index }))
    .sort(({ violation: a }, { violation: b }) =>
      rank(a.kind) - rank(b.kind) || a.source.localeCompare(b.source) || a.target.localeCompare(b.target))
    .map(({ violation: v, index }) => ({
      index,
      text: `${v.source} → ${v.target}: ${KIND_TEXT[v.kind] ?? v.kind}, ${v.imports} import${v.imports === 1 ? '' : 's'}`,
    }));
}

/** One line per violating edge, layer violations first, for the list under the picture. */
export function violationLines(violations: readonly GraphViolation[]): string[] {
  return orderedViolations(violations).map(({ text }) => text);
}

/** The line above the picture: size, violations and what the server said. */
export function summaryLine(result: GraphResult): string {
  const parts = [`${result.nodes} node${result.nodes === 1 ? '' : 's'}`, `${result.edges} edge${result.edges === 1 ? '' : 's'}`];
  const count = result.violations.length;
  parts.push(count === 0 ? 'no violations' : `${count} violating edge${count === 1 ? '' : 's'}`);
  return result.message ? `${parts.join(', ')}. ${result.message}` : parts.join(', ');
}
