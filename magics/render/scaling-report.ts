import type { ScalingData, ScalingFit, ScalingPoint } from "../engines/timing/scaling";
import { formatTime } from "../engines/timing/format-time";
import { formatG, groupThousands } from "./format";
import { escapeHtml } from "./html";
import { toMimeBundle, type MimeBundle } from "./mime";
import { scalingSvg, scalingVegaLite, type PlotOptions } from "./scaling-plot";

export interface ScalingRow {
  n: number;
  /** Best seconds per loop at this n. */
  seconds: number;
  /** seconds / previous row's seconds (undefined on the first row). */
  ratio?: number;
  /** log(ratio) / log(n / previous n): the exponent between this size and the previous one. */
  localExponent?: number;
}

const COMPLEXITY_NAMES = ["constant", "linear", "quadratic", "cubic"];

/** A plain name when k is close to a textbook case; n·log n fits as k ≈ 1.1–1.2 over usual sizes. */
function complexityName(exponent: number): string | undefined {
  const nearest = Math.round(exponent);
  if (Math.abs(exponent - nearest) <= 0.1) return COMPLEXITY_NAMES[nearest];
  if (exponent > 1.1 && exponent < 1.3) return "like n log n";
  return undefined;
}

/** The scaling magic's result: a table of n, time and ratios, the fitted exponent, and a plot. */
export class ScalingResult implements ScalingData {
  readonly points: ScalingPoint[];
  readonly repeat: number;
  readonly fit: ScalingFit;
  readonly plot: PlotOptions;

  constructor(data: ScalingData, plot: PlotOptions = {}) {
    this.points = data.points;
    this.repeat = data.repeat;
    this.fit = data.fit;
    this.plot = plot;
  }

  get exponent(): number {
    return this.fit.exponent;
  }

  rows(): ScalingRow[] {
    return this.points.map((point, i) => {
      if (i === 0) return { n: point.n, seconds: point.seconds };
      const previous = this.points[i - 1];
      const ratio = point.seconds / previous.seconds;
      return { n: point.n, seconds: point.seconds, ratio, localExponent: Math.log(ratio) / Math.log(point.n / previous.n) };
    });
  }

  /** `≈ O(n^2.0), quadratic (time ≈ 1.02e-09 s · n^2.003, R² = 0.9998, log-log least squares)`. */
  summary(): string {
    const { exponent, coefficient, rSquared } = this.fit;
    if (!Number.isFinite(exponent)) return "no exponent: a measured time was 0 (use larger n)";
    const name = complexityName(exponent);
    return (
      `≈ O(n^${exponent.toFixed(1)})${name ? `, ${name}` : ""} ` +
      `(time ≈ ${formatG(coefficient, 3)} s · n^${exponent.toFixed(3)}, R² = ${rSquared.toFixed(4)}, log-log least squares)`
    );
  }

  private headers(): string[] {
    return ["n", `time (best of ${this.repeat})`, "× previous", "exponent"];
  }

  private cells(row: ScalingRow): string[] {
    return [
      groupThousands(row.n),
      formatTime(row.seconds),
      row.ratio === undefined ? "" : `×${row.ratio.toFixed(2)}`,
      row.localExponent === undefined ? "" : row.localExponent.toFixed(2),
    ];
  }

  toString(): string {
    const table = [this.headers(), ...this.rows().map((row) => this.cells(row))];
    const widths = table[0].map((_, column) => Math.max(...table.map((cells) => cells[column].length)));
    const lines = table.map((cells) => cells.map((cell, column) => cell.padStart(widths[column])).join("  ").trimEnd());
    return [...lines, this.summary()].join("\n");
  }

  toHtml(): string {
    const th = (text: string) => `<th style="text-align:right">${escapeHtml(text)}</th>`;
    const td = (text: string) => `<td style="text-align:right;font-family:monospace">${escapeHtml(text)}</td>`;
    const rows = this.rows()
      .map((row) => `<tr>${this.cells(row).map(td).join("")}</tr>`)
      .join("");
    return (
      `<div class="tsprof-scaling" style="display:flex;flex-wrap:wrap;gap:1.5em;align-items:flex-start">` +
      `<div><table><thead><tr>${this.headers().map(th).join("")}</tr></thead><tbody>${rows}</tbody></table>` +
      `<p><b>${escapeHtml(this.summary())}</b></p></div>` +
      scalingSvg(this, this.plot) +
      `</div>`
    );
  }

  svg(): string {
    return scalingSvg(this, this.plot);
  }

  vegaLite(): Record<string, unknown> {
    return scalingVegaLite(this, this.plot);
  }

  [toMimeBundle](): MimeBundle {
    return {
      "text/plain": this.toString(),
      "text/html": this.toHtml(),
      "image/svg+xml": this.svg(),
      "application/vnd.vegalite.v5+json": this.vegaLite(),
    };
  }
}
