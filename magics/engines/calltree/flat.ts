import type { CallNode, CallTree } from "./tree";

/**
 * cProfile's flat view of a call tree: one row per function with its own time (tottime) and its
 * time including callees (cumtime, counted once per stack so recursion does not double it).
 * Samples cannot count calls, so `ncalls` is unknown (undefined) in every row.
 */

export interface FlatRow {
  name: string;
  url: string;
  line: number;
  kind: CallNode["kind"];
  ncalls: number | undefined;
  tottime: number;
  cumtime: number;
  samples: number;
}

export class SortKeyError extends Error {
  override name = "SortKeyError";
}

type Compare = (a: FlatRow, b: FlatRow) => number;

const byNumberDesc = (pick: (r: FlatRow) => number): Compare => (a, b) => pick(b) - pick(a);
const byText = (pick: (r: FlatRow) => string): Compare => (a, b) => (pick(a) < pick(b) ? -1 : pick(a) > pick(b) ? 1 : 0);
const byFile = byText((r) => baseName(r.url));
const byName = byText((r) => r.name);
const byLine: Compare = (a, b) => a.line - b.line;
const byCalls = byNumberDesc((r) => r.ncalls ?? r.samples);

/** pstats' sort keys, with its descriptions ("Ordered by: ..."). */
const SORT_KEYS: Record<string, { compare: Compare; description: string }> = {
  calls: { compare: byCalls, description: "call count" },
  ncalls: { compare: byCalls, description: "call count" },
  pcalls: { compare: byCalls, description: "primitive call count" },
  cumulative: { compare: byNumberDesc((r) => r.cumtime), description: "cumulative time" },
  cumtime: { compare: byNumberDesc((r) => r.cumtime), description: "cumulative time" },
  time: { compare: byNumberDesc((r) => r.tottime), description: "internal time" },
  tottime: { compare: byNumberDesc((r) => r.tottime), description: "internal time" },
  filename: { compare: byFile, description: "file name" },
  file: { compare: byFile, description: "file name" },
  module: { compare: byFile, description: "file name" },
  line: { compare: byLine, description: "line number" },
  name: { compare: byName, description: "function name" },
  nfl: { compare: (a, b) => byName(a, b) || byFile(a, b) || byLine(a, b), description: "name/file/line" },
  stdname: { compare: byText((r) => `${r.url}:${r.line}(${r.name})`), description: "standard name" },
};

export function baseName(url: string): string {
  const file = url.startsWith("file://") ? decodeURIComponent(new URL(url).pathname) : url;
  return file.slice(file.lastIndexOf("/") + 1);
}

/** A pstats key or an unambiguous prefix of one ("cumu" → cumulative; "n" is ambiguous). */
export function resolveSortKey(key: string): string {
  if (key in SORT_KEYS) return key;
  const matches = Object.keys(SORT_KEYS).filter((k) => k.startsWith(key));
  const descriptions = new Set(matches.map((k) => SORT_KEYS[k].description));
  if (key !== "" && descriptions.size === 1) return matches[0];
  const allowed = Object.keys(SORT_KEYS).join(", ");
  throw new SortKeyError(
    matches.length > 1
      ? `sort key '${key}' is ambiguous (${matches.join(", ")}); allowed: ${allowed}`
      : `unknown sort key '${key}'; allowed: ${allowed} (or an unambiguous prefix)`,
  );
}

export function sortDescription(keys: string[]): string {
  return keys.map((k) => SORT_KEYS[resolveSortKey(k)].description).join(", ");
}

/**
 * Rows the keys rank equal (0.000 s of self time is common) follow cumulative time, then internal
 * time, then the standard name: the same profile always gives the same table, whatever order
 * V8 listed its nodes in.
 */
const TIE_BREAKS = ["cumulative", "time", "stdname"];

export function flatRows(tree: CallTree, sortKeys: string[] = ["time"]): FlatRow[] {
  const compares = [...sortKeys, ...TIE_BREAKS].map((k) => SORT_KEYS[resolveSortKey(k)].compare);
  const rows = new Map<string, FlatRow>();
  const onStack = new Map<string, number>();
  const visit = (node: CallNode): void => {
    const key = `${node.url}\0${node.line}\0${node.column}\0${node.name}`;
    let row = rows.get(key);
    if (!row) {
      row = { name: node.name, url: node.url, line: node.line, kind: node.kind, ncalls: undefined, tottime: 0, cumtime: 0, samples: 0 };
      rows.set(key, row);
    }
    row.tottime += node.self;
    row.samples += node.selfSamples;
    const depth = onStack.get(key) ?? 0;
    if (depth === 0) row.cumtime += node.total;
    onStack.set(key, depth + 1);
    for (const child of node.children) visit(child);
    onStack.set(key, depth);
  };
  visit(tree.root);
  return [...rows.values()].sort((a, b) => {
    for (const compare of compares) {
      const order = compare(a, b);
      if (order !== 0) return order;
    }
    return 0;
  });
}
