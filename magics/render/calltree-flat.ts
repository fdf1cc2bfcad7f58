import { baseName, flatRows, sortDescription, type FlatRow } from "../engines/calltree/flat";
import type { CallTree } from "../engines/calltree/tree";
import { formatFixed } from "./format";
import { escapeHtml } from "./html";

/**
 * cProfile's `print_stats` layout for a sampled profile. Sampling cannot count calls, so `ncalls`
 * shows "?" and the per-call columns stay blank, as cProfile leaves them when the divisor is 0.
 */

function functionLabel(row: FlatRow): string {
  if (row.kind === "special") return `{${row.name}}`;
  if (row.kind === "native") return `{built-in method ${row.name}}`;
  return `${baseName(row.url)}:${row.line}(${row.name})`;
}

function perCall(total: number, calls: number | undefined): string {
  return calls ? formatFixed(total / calls, 8, 3) : " ".repeat(8);
}

function intervalText(seconds: number): string {
  return seconds < 0.001 ? `${+(seconds * 1e6).toFixed(1)} µs` : `${+(seconds * 1e3).toFixed(3)} ms`;
}

export function flatText(tree: CallTree, interval: number, sortKeys: string[]): string {
  const rows = flatRows(tree, sortKeys);
  const lines = [
    `         ${tree.treeSampleCount} samples in ${tree.root.total.toFixed(3)} seconds ` +
      `(one every ${intervalText(interval)}; sampling does not count calls: ncalls is ?)`,
    "",
    `   Ordered by: ${sortDescription(sortKeys)}`,
    "",
    "   ncalls  tottime  percall  cumtime  percall filename:lineno(function)",
  ];
  for (const row of rows) {
    const calls = row.ncalls === undefined ? "?" : String(row.ncalls);
    lines.push(
      `${calls.padStart(9)} ${formatFixed(row.tottime, 8, 3)} ${perCall(row.tottime, row.ncalls)} ` +
        `${formatFixed(row.cumtime, 8, 3)} ${perCall(row.cumtime, row.ncalls)} ${functionLabel(row)}`,
    );
  }
  return lines.join("\n");
}

export function flatHtml(tree: CallTree, interval: number, sortKeys: string[]): string {
  const rows = flatRows(tree, sortKeys);
  const cell = (text: string, align = "right") => `<td style="text-align:${align}">${escapeHtml(text)}</td>`;
  const head = ["ncalls", "tottime", "percall", "cumtime", "percall", "filename:lineno(function)"]
    .map((h) => `<th>${h}</th>`)
    .join("");
  const body = rows
    .map((row) => {
      const calls = row.ncalls === undefined ? "?" : String(row.ncalls);
      return (
        `<tr>${cell(calls)}${cell(row.tottime.toFixed(3))}${cell(perCall(row.tottime, row.ncalls).trim())}` +
        `${cell(row.cumtime.toFixed(3))}${cell(perCall(row.cumtime, row.ncalls).trim())}${cell(functionLabel(row), "left")}</tr>`
      );
    })
    .join("");
  return (
    `<div class="tsprof-prun-flat"><div style="color:#666">${tree.treeSampleCount} samples in ` +
    `${tree.root.total.toFixed(3)} s, one every ${escapeHtml(intervalText(interval))}; ordered by ` +
    `${escapeHtml(sortDescription(sortKeys))}; sampling does not count calls</div>` +
    `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`
  );
}
