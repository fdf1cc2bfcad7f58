import type { ClockName } from "../engines/timing/clocks";
import { formatTime } from "../engines/timing/format-time";
import type { TimeitData } from "../engines/timing/timeit";
import type { TimeRunData } from "../engines/timing/time-run";
import { groupThousands } from "./format";
import { escapeHtml } from "./html";
import { toMimeBundle, type MimeBundle } from "./mime";

/** Below this per-loop time a statement is as fast as an empty loop: V8 likely removed it. */
const OPTIMIZED_AWAY_SECONDS = 1e-9;

/** %timeit's result: IPython's TimeitResult attributes, its line, its warnings, a text and HTML view. */
export class TimeitResult {
  readonly loops: number;
  readonly repeat: number;
  /** Seconds per loop of the fastest and the slowest run. */
  readonly best: number;
  readonly worst: number;
  /** Total seconds of each run. */
  readonly all_runs: number[];
  /** Seconds per loop of each run. */
  readonly timings: number[];
  readonly compile_time: number;
  readonly precision: number;
  readonly timer: ClockName;
  readonly untimed_runs: TimeitData["untimed_runs"];

  constructor(data: TimeitData) {
    if (data.all_runs.length === 0) throw new RangeError("a TimeitResult needs at least one run");
    this.loops = data.loops;
    this.repeat = data.repeat;
    this.all_runs = [...data.all_runs];
    this.timings = this.all_runs.map((seconds) => seconds / data.loops);
    this.best = Math.min(...this.all_runs) / data.loops;
    this.worst = Math.max(...this.all_runs) / data.loops;
    this.compile_time = data.compile_time;
    this.precision = data.precision;
    this.timer = data.timer;
    this.untimed_runs = data.untimed_runs;
  }

  /** Mean seconds per loop over the runs. */
  get average(): number {
    return exactSum(this.timings) / this.timings.length;
  }

  /** Population standard deviation of the per-loop times across runs (as IPython). */
  get stdev(): number {
    const mean = this.average;
    return Math.sqrt(exactSum(this.timings.map((t) => (t - mean) ** 2)) / this.timings.length);
  }

  /** IPython's result line: `30.2 ms ± 25.4 µs per loop (mean ± std. dev. of 7 runs, 10 loops each)`. */
  toString(): string {
    const runs = `${this.repeat} run${this.repeat === 1 ? "" : "s"}`;
    const loops = `${groupThousands(this.loops)} loop${this.loops === 1 ? "" : "s"}`;
    return (
      `${formatTime(this.average, this.precision)} ± ${formatTime(this.stdev, this.precision)} per loop ` +
      `(mean ± std. dev. of ${runs}, ${loops} each)`
    );
  }

  /** Warnings printed before the line: IPython's caching one, then the JavaScript-specific one. */
  warnings(): string[] {
    const warnings: string[] = [];
    if (this.worst > 4 * this.best && this.best > 0 && this.worst > 1e-6) {
      warnings.push(
        `The slowest run took ${(this.worst / this.best).toFixed(2)} times longer than the fastest. ` +
          "This could mean that an intermediate result is being cached.",
      );
    }
    if (this.best < OPTIMIZED_AWAY_SECONDS && this.timer !== "cpu") {
      warnings.push(
        `The fastest run took ${formatTime(this.best, this.precision)} per loop, as fast as an empty loop: ` +
          "the JIT may have optimized the statement away (a constant or an unused result). " +
          "Time work whose inputs vary and whose result is used.",
      );
    }
    return warnings;
  }

  /** All that %timeit prints: warnings, the line, and `Compiler time` when compiling took > 0.1 s. */
  report(): string {
    const lines = [...this.warnings(), this.toString()];
    if (this.compile_time > 0.1) lines.push(`Compiler time: ${this.compile_time.toFixed(2)} s`);
    return lines.map((line) => `${line}\n`).join("");
  }

  toHtml(): string {
    const warnings = this.warnings()
      .map((w) => `<div style="color:#a15c00">${escapeHtml(w)}</div>`)
      .join("");
    const cell = (text: string) => `<td style="text-align:right;padding:0 0.6em">${escapeHtml(text)}</td>`;
    const head = (text: string) => `<th style="text-align:right;padding:0 0.6em">${escapeHtml(text)}</th>`;
    const stats: Array<[string, string]> = [
      ["mean", formatTime(this.average, this.precision)],
      ["std. dev.", formatTime(this.stdev, this.precision)],
      ["best", formatTime(this.best, this.precision)],
      ["worst", formatTime(this.worst, this.precision)],
      ["runs", String(this.repeat)],
      ["loops per run", groupThousands(this.loops)],
    ];
    return (
      `<div class="tsprof-timeit">${warnings}` +
      `<div style="font-family:monospace">${escapeHtml(this.toString())}</div>` +
      `<div style="display:flex;align-items:flex-end;gap:1em;margin-top:0.3em">` +
      `<table style="font-size:90%"><tr>${stats.map(([name]) => head(name)).join("")}</tr>` +
      `<tr>${stats.map(([, value]) => cell(value)).join("")}</tr></table>` +
      runsSparkline(this.timings, this.precision) +
      `</div></div>`
    );
  }

  [toMimeBundle](): MimeBundle {
    return { "text/plain": `<TimeitResult : ${this.toString()}>`, "text/html": this.toHtml() };
  }
}

/** One bar per run (height = seconds per loop), the fastest in green; each bar's title gives its time. */
function runsSparkline(timings: number[], precision: number): string {
  const barWidth = 8;
  const gap = 2;
  const height = 32;
  const max = Math.max(...timings);
  const min = Math.min(...timings);
  const bars = timings.map((t, i) => {
    const h = max > 0 ? Math.max(1, (t / max) * height) : 1;
    const color = t === min ? "#2ca02c" : "#1f77b4";
    return (
      `<rect x="${i * (barWidth + gap)}" y="${(height - h).toFixed(1)}" width="${barWidth}" height="${h.toFixed(1)}" fill="${color}">` +
      `<title>run ${i + 1}: ${escapeHtml(formatTime(t, precision))} per loop</title></rect>`
    );
  });
  const width = timings.length * (barWidth + gap) - gap;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `role="img" aria-label="time per loop of each run">${bars.join("")}</svg>`
  );
}

/** Python's math.fsum closely enough: Neumaier-compensated summation. */
function exactSum(values: number[]): number {
  let sum = 0;
  let compensation = 0;
  for (const value of values) {
    const t = sum + value;
    compensation += Math.abs(sum) >= Math.abs(value) ? sum - t + value : value - t + sum;
    sum = t;
  }
  return sum + compensation;
}

/** %time's measurement with its IPython text; `value` is what the timed code returned. */
export class TimeResult implements TimeRunData {
  readonly value: unknown;
  readonly wallSeconds: number;
  readonly userSeconds: number;
  readonly systemSeconds: number;
  readonly error?: unknown;
  /** Seconds spent compiling the timed code, printed as `Compiler : …` when over 0.1 s (as IPython). */
  readonly compileSeconds: number;

  constructor(data: TimeRunData, compileSeconds = 0) {
    this.value = data.value;
    this.wallSeconds = data.wallSeconds;
    this.userSeconds = data.userSeconds;
    this.systemSeconds = data.systemSeconds;
    if ("error" in data) this.error = data.error;
    this.compileSeconds = compileSeconds;
  }

  get totalSeconds(): number {
    return this.userSeconds + this.systemSeconds;
  }

  /** `CPU times: user …, sys: …, total: …\nWall time: …\n` (+ `Compiler : …`), as %time prints. */
  report(): string {
    let text =
      `CPU times: user ${formatTime(this.userSeconds)}, sys: ${formatTime(this.systemSeconds)}, ` +
      `total: ${formatTime(this.totalSeconds)}\nWall time: ${formatTime(this.wallSeconds)}\n`;
    if (this.compileSeconds > 0.1) text += `Compiler : ${formatTime(this.compileSeconds)}\n`;
    return text;
  }

  toString(): string {
    return this.report().trimEnd();
  }

  [toMimeBundle](): MimeBundle {
    const rows: Array<[string, number]> = [
      ["user", this.userSeconds],
      ["sys", this.systemSeconds],
      ["CPU total", this.totalSeconds],
      ["wall", this.wallSeconds],
    ];
    const html =
      `<table class="tsprof-time">` +
      rows
        .map(([name, seconds]) => `<tr><th style="text-align:left">${name}</th><td style="text-align:right">${escapeHtml(formatTime(seconds))}</td></tr>`)
        .join("") +
      `</table>`;
    return { "text/plain": this.toString(), "text/html": html };
  }
}
