import { shownPath } from "./paths";
import type { ProfileData } from "../engines/calltree/profile";
import type { CallNode, CallTree } from "../engines/calltree/tree";
import type { CpuProfile } from "../engines/calltree/sampler";
import { flatHtml, flatText } from "./calltree-flat";
import { escapeHtml, heatColor } from "./html";
import { toMimeBundle, type MimeBundle } from "./mime";

/**
 * %prun's result: the call tree as pyinstrument prints it (indented, heaviest callee first, so the
 * hot path is always the first branch), as a collapsible HTML tree with the hot path open, and as
 * cProfile's flat table (`flat(keys)`). `profile` is V8's raw profile for `.cpuprofile` files.
 */

/** Nodes under this share of the root are folded into one "N more" line. */
export const DEFAULT_FOLD_SHARE = 0.01;

export interface TreeRenderOptions {
  foldShare?: number;
}

export class CallTreeResult implements ProfileData {
  readonly profile: CpuProfile;
  readonly tree: CallTree;
  readonly interval: number;
  readonly value?: unknown;
  readonly error?: unknown;
  readonly failed: boolean;

  constructor(data: ProfileData) {
    this.profile = data.profile;
    this.tree = data.tree;
    this.interval = data.interval;
    this.value = data.value;
    this.error = data.error;
    this.failed = data.failed;
  }

  get root(): CallNode {
    return this.tree.root;
  }

  /** The profile as Chrome DevTools / speedscope read it (a `.cpuprofile` file's content). */
  cpuProfileJson(): string {
    return JSON.stringify(this.profile);
  }

  header(): string {
    const t = this.tree;
    const partial = this.failed ? "   (stopped by an error: partial)" : "";
    return (
      `Duration: ${t.duration.toFixed(3)} s   Samples: ${t.treeSampleCount} in the tree of ${t.sampleCount}` +
      `   Interval: ${formatInterval(this.interval)}${partial}`
    );
  }

  toString(options: TreeRenderOptions = {}): string {
    const lines = [this.header(), ""];
    if (this.tree.root.samples === 0) {
      lines.push("No samples in the user's code: the statement ran for less than one interval (try a smaller -i).");
      return lines.join("\n");
    }
    const rootTotal = this.tree.root.total;
    const fold = (options.foldShare ?? DEFAULT_FOLD_SHARE) * rootTotal;
    const walk = (node: CallNode, lead: string, childLead: string): void => {
      lines.push(`${lead}${nodeLine(node, rootTotal)}`);
      const { shown, folded } = splitFolded(node.children, fold);
      const entries: Array<CallNode | Folded> = folded.count > 0 ? [...shown, folded] : shown;
      entries.forEach((entry, i) => {
        const last = i === entries.length - 1;
        const branch = childLead + (last ? "└─ " : "├─ ");
        const next = childLead + (last ? "   " : "│  ");
        if ("count" in entry) lines.push(`${branch}${foldedLine(entry, rootTotal, options.foldShare ?? DEFAULT_FOLD_SHARE)}`);
        else walk(entry, branch, next);
      });
    };
    walk(this.tree.root, "", "");
    return lines.join("\n");
  }

  toHtml(options: TreeRenderOptions = {}): string {
    const rootTotal = this.tree.root.total;
    const foldShare = options.foldShare ?? DEFAULT_FOLD_SHARE;
    const fold = foldShare * rootTotal;
    const render = (node: CallNode, hot: boolean): string => {
      const share = rootTotal > 0 ? node.total / rootTotal : 0;
      const label =
        `<span style="display:inline-block;min-width:5.5em;text-align:right;background:${heatColor(share)}">` +
        `${node.total.toFixed(3)} s</span> <span style="display:inline-block;min-width:3.5em;text-align:right">` +
        `${(share * 100).toFixed(1)}%</span> <b>${escapeHtml(node.name)}</b> ` +
        `<span style="color:#666">${escapeHtml(location(node))}${selfText(node, rootTotal)}</span>`;
      const { shown, folded } = splitFolded(node.children, fold);
      if (shown.length === 0 && folded.count === 0) return `<div style="margin-left:1.2em">${label}</div>`;
      const inner = shown.map((child, i) => render(child, hot && i === 0)).join("");
      const more =
        folded.count > 0
          ? `<div style="margin-left:1.2em;color:#666">${escapeHtml(foldedLine(folded, rootTotal, foldShare))}</div>`
          : "";
      return `<details${hot || share >= 0.25 ? " open" : ""} style="margin-left:1.2em"><summary>${label}</summary>${inner}${more}</details>`;
    };
    const body =
      this.tree.root.samples === 0
        ? "<div>No samples in the user's code: the statement ran for less than one interval.</div>"
        : render(this.tree.root, true);
    return (
      `<div class="tsprof-prun" style="font-family:monospace;white-space:nowrap">` +
      `<div style="color:#666">${escapeHtml(this.header())}</div>${body}</div>`
    );
  }

  /** cProfile's table sorted by pstats keys ("time", "cumulative", ...). */
  flat(sortKeys: string[] = ["time"]): string {
    return flatText(this.tree, this.interval, sortKeys);
  }

  flatHtml(sortKeys: string[] = ["time"]): string {
    return flatHtml(this.tree, this.interval, sortKeys);
  }

  [toMimeBundle](): MimeBundle {
    return { "text/plain": this.toString(), "text/html": this.toHtml() };
  }
}

interface Folded {
  count: number;
  total: number;
}

function splitFolded(children: CallNode[], fold: number): { shown: CallNode[]; folded: Folded } {
  const shown = children.filter((c) => c.total >= fold && c.samples > 0);
  const hidden = children.filter((c) => !(c.total >= fold && c.samples > 0));
  return { shown, folded: { count: hidden.length, total: hidden.reduce((t, c) => t + c.total, 0) } };
}

function share(seconds: number, rootTotal: number): string {
  return `${(rootTotal > 0 ? (seconds / rootTotal) * 100 : 0).toFixed(1).padStart(5)}%`;
}

function nodeLine(node: CallNode, rootTotal: number): string {
  const where = location(node);
  return `${node.total.toFixed(3)} ${share(node.total, rootTotal)}  ${node.name}${where ? "  " + where : ""}${selfText(node, rootTotal)}`;
}

function selfText(node: CallNode, rootTotal: number): string {
  if (node.children.length === 0 || node.self <= 0 || node.self < rootTotal * 0.01) return "";
  return `  [self ${node.self.toFixed(3)}]`;
}

function foldedLine(folded: Folded, rootTotal: number, foldShare: number): string {
  const what = folded.count === 1 ? "1 more call" : `${folded.count} more calls`;
  return `${folded.total.toFixed(3)} ${share(folded.total, rootTotal)}  [${what}, each under ${+(foldShare * 100).toFixed(2)}%]`;
}

/** `file:line`, relative to the working directory when the file is under it; `[native]` for builtins. */
export function location(node: CallNode): string {
  if (node.kind === "special") return "";
  if (node.kind === "native") return "[native]";
  const file = shownPath(node.url);
  return node.line > 0 ? `${file}:${node.line}` : file;
}

export function formatInterval(seconds: number): string {
  return seconds < 0.001 ? `${+(seconds * 1e6).toFixed(1)} µs` : seconds < 1 ? `${+(seconds * 1e3).toFixed(3)} ms` : `${seconds} s`;
}
