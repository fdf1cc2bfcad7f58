import type { MemitData, MemitRun } from "../engines/memory/memit";
import { escapeHtml } from "./html";
import { toMimeBundle, type MimeBundle } from "./mime";
import { Symbol } from "../../kernel/intrinsics";

/** %memit's result: memory_profiler's `MemitResult` fields, its text line, and what V8 saw beside it. */
export class MemitResult implements MemitData {
  readonly memUsage: number[];
  readonly baseline: number;
  readonly repeat: number;
  readonly timeout: number | undefined;
  readonly interval: number;
  readonly includeChildren: boolean;
  readonly method: MemitData["method"];
  readonly runs: MemitRun[];

  constructor(data: MemitData) {
    this.memUsage = data.memUsage;
    this.baseline = data.baseline;
    this.repeat = data.repeat;
    this.timeout = data.timeout;
    this.interval = data.interval;
    this.includeChildren = data.includeChildren;
    this.method = data.method;
    this.runs = data.runs;
  }

  /** Largest peak over the runs, MiB. */
  get peak(): number {
    return Math.max(...this.memUsage);
  }

  get increment(): number {
    return this.peak - this.baseline;
  }

  /** Each run's peak minus the baseline, MiB. */
  get increments(): number[] {
    return this.memUsage.map((peak) => peak - this.baseline);
  }

  get heapPeak(): number {
    return Math.max(...this.runs.map((r) => r.heapPeak));
  }

  get externalPeak(): number {
    return Math.max(...this.runs.map((r) => r.externalPeak));
  }

  /** memory_profiler's line, byte for byte. */
  summaryLine(): string {
    return `peak memory: ${this.peak.toFixed(2)} MiB, increment: ${this.increment.toFixed(2)} MiB`;
  }

  methodText(): string {
    const runs = `${this.runs.length} run${this.runs.length === 1 ? "" : "s"}`;
    const every = `every ${formatInterval(this.interval)}`;
    const how =
      this.method === "hwm"
        ? "exact peak (VmHWM reset)"
        : `sampled ${every} (no VmHWM reset here), ${this.runs.reduce((n, r) => n + r.samples, 0)} samples`;
    const children = this.includeChildren
      ? `, children +${Math.max(...this.runs.map((r) => r.childrenPeak)).toFixed(2)} MiB (sampled ${every})`
      : "";
    return `${how}${children}, ${runs}`;
  }

  v8Text(): string {
    return `V8 heap ${signed(this.heapPeak)} MiB, ArrayBuffer/external ${signed(this.externalPeak)} MiB (largest seen)`;
  }

  toString(): string {
    return `${this.summaryLine()}\n${this.v8Text()} · ${this.methodText()}`;
  }

  toHtml(): string {
    const row = (label: string, value: string) =>
      `<tr><th style="text-align:left">${escapeHtml(label)}</th><td style="text-align:right">${escapeHtml(value)}</td></tr>`;
    const rows = [
      row("peak memory", `${this.peak.toFixed(2)} MiB`),
      row("increment", `${this.increment.toFixed(2)} MiB`),
      row("baseline", `${this.baseline.toFixed(2)} MiB`),
      row("V8 heap (largest seen)", `${signed(this.heapPeak)} MiB`),
      row("ArrayBuffer/external (largest seen)", `${signed(this.externalPeak)} MiB`),
    ];
    if (this.runs.length > 1) {
      rows.push(row("increment per run", this.increments.map((v) => v.toFixed(2)).join(", ") + " MiB"));
    }
    return (
      `<div class="tsprof-memit"><table>${rows.join("")}</table>` +
      `<div style="color:#666;font-size:smaller">${escapeHtml(this.methodText())}</div></div>`
    );
  }

  [toMimeBundle](): MimeBundle {
    return { "text/plain": this.toString(), "text/html": this.toHtml() };
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `<MemitResult : ${this.summaryLine()}>`;
  }
}

function signed(mib: number): string {
  return `${mib < 0 ? "-" : "+"}${Math.abs(mib).toFixed(2)}`;
}

function formatInterval(seconds: number): string {
  return seconds < 1 ? `${+(seconds * 1000).toFixed(3)} ms` : `${+seconds.toFixed(3)} s`;
}
