import type { LineProfileData, TimedFunction } from "../engines/line/model";
import { shownPath } from "./paths";
import { formatG } from "./format";
import { escapeHtml, heatColor } from "./html";
import { toMimeBundle, type MimeBundle, type RichRepr } from "./mime";
import { process } from "../../kernel/intrinsics";

/** %lprun's report: line_profiler 4.0.2's text byte for byte, plus an HTML table with % Time heat-coloured. */

export interface LineReportOptions {
  /** Seconds per printed time unit (`-u`); default 1e-9, line_profiler's native unit on Linux. */
  unit?: number;
  /** `-s`: leave out functions that were never called. */
  strip?: boolean;
}

export const DEFAULT_TIMER_UNIT = 1e-9;

const ROW = (line: string, hits: string, time: string, perHit: string, pct: string, text: string) =>
  `${line.padStart(6)} ${hits.padStart(9)} ${time.padStart(12)} ${perHit.padStart(8)} ${pct.padStart(8)}  ${text}`;
const HEADER = ROW("Line #", "Hits", "Time", "Per Hit", "% Time", "Line Contents");

/** Python's '%5.1f'. */
const fixed1 = (value: number) => value.toFixed(1).padStart(5);

interface Cells {
  hits: string;
  time: string;
  perHit: string;
  pct: string;
  share: number;
}

function cells(fn: TimedFunction, hits: number, time: number, unit: number): Cells {
  if (hits === 0) return { hits: "", time: "", perHit: "", pct: "", share: 0 };
  if (!fn.timed) return { hits: String(hits), time: "", perHit: "", pct: "", share: 0 };
  const share = fn.totalTime > 0 ? time / fn.totalTime : 0;
  return {
    hits: String(hits),
    time: fixed1(time / unit),
    perHit: fixed1(time / unit / hits),
    pct: fn.totalTime > 0 ? fixed1(100 * share) : "",
    share,
  };
}

function functionNote(fn: TimedFunction): string | undefined {
  if (!fn.timed) return "Time not measured: an expression-bodied arrow patched in place records hits only (write its body as { return ... } to time it).";
  return undefined;
}

export class LineProfileResult implements RichRepr {
  readonly unit: number;
  readonly strip: boolean;

  constructor(
    readonly data: LineProfileData,
    options: LineReportOptions = {},
  ) {
    this.unit = options.unit ?? DEFAULT_TIMER_UNIT;
    this.strip = options.strip ?? false;
  }

  /** Per-function, per-line data: `.functions[i].lines[j].hits / .time` (seconds). */
  get functions(): TimedFunction[] {
    return this.data.functions;
  }

  /** The blocks shown, in line_profiler's order (file name, then first line, then name). */
  private shown(): TimedFunction[] {
    const list = this.data.functions.filter((fn) => !this.strip || fn.calls > 0);
    return list.sort((a, b) =>
      a.file < b.file ? -1 : a.file > b.file ? 1 : a.firstLine - b.firstLine || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    );
  }

  toString(): string {
    const out: string[] = [`Timer unit: ${formatG(this.unit)} s`, ""];
    for (const fn of this.shown()) {
      out.push(`Total time: ${formatG(fn.totalTime)} s`, `File: ${shownPath(fn.file)}`, `Function: ${fn.name} at line ${fn.firstLine}`);
      const note = functionNote(fn);
      if (note) out.push(note);
      out.push("", HEADER, "=".repeat(HEADER.length));
      for (const line of fn.lines) {
        const c = cells(fn, line.hits, line.time, this.unit);
        out.push(ROW(String(line.line), c.hits, c.time, c.perHit, c.pct, line.text));
      }
      out.push("");
    }
    for (const note of this.data.notes) out.push(`Note: ${note}`);
    return out.join("\n").trimEnd();
  }

  show(): void {
    process.stdout.write(this.toString() + "\n");
  }

  toHtml(): string {
    const parts = [`<div class="tsprof-lprun"><p>Timer unit: ${escapeHtml(formatG(this.unit))} s</p>`];
    const th = (text: string, align = "right") => `<th style="text-align:${align}">${text}</th>`;
    const td = (text: string, style = "") => `<td style="text-align:right;${style}">${escapeHtml(text)}</td>`;
    for (const fn of this.shown()) {
      parts.push(
        `<p><b>${escapeHtml(fn.name)}</b> at line ${fn.firstLine} of <code>${escapeHtml(shownPath(fn.file))}</code>: ` +
          `total time ${escapeHtml(formatG(fn.totalTime))} s, ${fn.calls} call${fn.calls === 1 ? "" : "s"}</p>`,
      );
      const note = functionNote(fn);
      if (note) parts.push(`<p><i>${escapeHtml(note)}</i></p>`);
      parts.push(
        `<table style="border-collapse:collapse;font-family:monospace"><thead><tr>${th("Line #")}${th("Hits")}` +
          `${th("Time")}${th("Per Hit")}${th("% Time")}${th("Line Contents", "left")}</tr></thead><tbody>`,
      );
      for (const line of fn.lines) {
        const c = cells(fn, line.hits, line.time, this.unit);
        const heat = c.pct ? `background:${heatColor(c.share)}` : "";
        parts.push(
          `<tr>${td(String(line.line))}${td(c.hits)}${td(c.time.trim())}${td(c.perHit.trim())}${td(c.pct.trim(), heat)}` +
            `<td style="text-align:left;white-space:pre">${escapeHtml(line.text)}</td></tr>`,
        );
      }
      parts.push("</tbody></table>");
    }
    for (const note of this.data.notes) parts.push(`<p><i>Note: ${escapeHtml(note)}</i></p>`);
    parts.push("</div>");
    return parts.join("\n");
  }

  [toMimeBundle](): MimeBundle {
    return { "text/plain": this.toString(), "text/html": this.toHtml() };
  }

  /** For `-D file`: the data plus the unit it was shown in. */
  toJSON(): object {
    return { kind: "tsprof.lprun", unit: this.unit, ...this.data };
  }
}
