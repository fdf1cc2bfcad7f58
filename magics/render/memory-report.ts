import { describeMemoryMethod } from "../engines/line/memory-reader";
import { shownPath } from "./paths";
import type { MemoryFunction, MemoryLine, MemoryProfileData } from "../engines/line/model";
import { escapeHtml, heatColor } from "./html";
import { toMimeBundle, type MimeBundle, type RichRepr } from "./mime";
import { process } from "../../kernel/intrinsics";

/**
 * %mprun's report: memory_profiler 0.61's layout with a Peak column after Increment (the highest
 * memory reached while the line ran, so a temporary created and freed inside one line shows).
 */

const ROW = (line: string, usage: string, increment: string, peak: string, occurrences: string, text: string) =>
  `${line.padStart(6)} ${usage.padStart(12)} ${increment.padStart(12)} ${peak.padStart(12)}  ${occurrences.padStart(10)}   ${text}`;
const HEADER = ROW("Line #", "Mem usage", "Increment", "Peak", "Occurrences", "Line Contents");

/** memory_profiler's '{:5.1f} MiB'. */
const mib = (value: number) => `${value.toFixed(1).padStart(5)} MiB`;

function cells(line: MemoryLine) {
  if (line.occurrences === 0) return { usage: "", increment: "", peak: "", occurrences: "" };
  return { usage: mib(line.usage), increment: mib(line.increment), peak: mib(line.peak), occurrences: String(line.occurrences) };
}

export class MemoryProfileResult implements RichRepr {
  constructor(readonly data: MemoryProfileData) {}

  /** Per-function, per-line data: `.functions[i].lines[j].increment / .peak / .usage` (MiB). */
  get functions(): MemoryFunction[] {
    return this.data.functions;
  }

  /** Functions that ran; like memory_profiler, the others get no block (a note names them). */
  private called(): MemoryFunction[] {
    return this.data.functions.filter((fn) => fn.calls > 0);
  }

  private notes(): string[] {
    const uncalled = this.data.functions.filter((fn) => fn.calls === 0).map((fn) => fn.label);
    const notes = [...this.data.notes];
    if (uncalled.length > 0) notes.push(`never called: ${uncalled.join(", ")}`);
    if (this.data.method === "v8-heap") notes.push(describeMemoryMethod(this.data.method));
    return notes;
  }

  toString(): string {
    const out: string[] = [];
    for (const fn of this.called()) {
      out.push(`Filename: ${shownPath(fn.file)}`, "", HEADER, "=".repeat(HEADER.length));
      for (const line of fn.lines) {
        const c = cells(line);
        out.push(ROW(String(line.line), c.usage, c.increment, c.peak, c.occurrences, line.text));
      }
      out.push("", "");
    }
    for (const note of this.notes()) out.push(`Note: ${note}`);
    return out.join("\n").trimEnd();
  }

  show(): void {
    process.stdout.write(this.toString() + "\n");
  }

  toHtml(): string {
    const parts = ['<div class="tsprof-mprun">'];
    const th = (text: string, align = "right") => `<th style="text-align:${align}">${text}</th>`;
    const td = (text: string, style = "") => `<td style="text-align:right;${style}">${escapeHtml(text)}</td>`;
    for (const fn of this.called()) {
      const largest = Math.max(1e-9, ...fn.lines.map((l) => Math.abs(l.increment)), ...fn.lines.map((l) => l.peak - l.usage));
      parts.push(
        `<p><b>${escapeHtml(fn.name)}</b> at line ${fn.firstLine} of <code>${escapeHtml(shownPath(fn.file))}</code></p>`,
        `<table style="border-collapse:collapse;font-family:monospace"><thead><tr>${th("Line #")}${th("Mem usage")}` +
          `${th("Increment")}${th("Peak")}${th("Occurrences")}${th("Line Contents", "left")}</tr></thead><tbody>`,
      );
      for (const line of fn.lines) {
        const c = cells(line);
        const heat = c.increment ? `background:${heatColor(Math.max(0, line.increment) / largest)}` : "";
        const peakHeat = c.peak ? `background:${heatColor(Math.max(0, line.peak - line.usage) / largest)}` : "";
        parts.push(
          `<tr>${td(String(line.line))}${td(c.usage)}${td(c.increment, heat)}${td(c.peak, peakHeat)}${td(c.occurrences)}` +
            `<td style="text-align:left;white-space:pre">${escapeHtml(line.text)}</td></tr>`,
        );
      }
      parts.push("</tbody></table>");
    }
    for (const note of this.notes()) parts.push(`<p><i>Note: ${escapeHtml(note)}</i></p>`);
    parts.push("</div>");
    return parts.join("\n");
  }

  [toMimeBundle](): MimeBundle {
    return { "text/plain": this.toString(), "text/html": this.toHtml() };
  }

  toJSON(): object {
    return { kind: "tsprof.mprun", ...this.data };
  }
}
