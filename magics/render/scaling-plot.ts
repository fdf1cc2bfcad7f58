import type { ScalingData } from "../engines/timing/scaling";
import { formatTime } from "../engines/timing/format-time";
import { formatG, groupThousands } from "./format";
import { escapeHtml } from "./html";

/** The scaling magic's chart: measured times against n, and the fitted c·n^k, as SVG or Vega-Lite. */
export interface PlotOptions {
  /** Log-log axes (default), where a power law is a straight line of slope k; false = linear axes. */
  logScale?: boolean;
}

const WIDTH = 480;
const HEIGHT = 300;
const MARGIN = { left: 72, right: 16, top: 30, bottom: 46 };
const POINT_COLOR = "#1f77b4";
const FIT_COLOR = "#d62728";
const FIT_SAMPLES = 48;

interface Axis {
  lo: number;
  hi: number;
  log: boolean;
  ticks: number[];
}

export function scalingSvg(data: ScalingData, options: PlotOptions = {}): string {
  const log = options.logScale ?? true;
  const measured = data.points.map((p): [number, number] => [p.n, p.seconds]);
  const fitted = fitCurve(data);
  const x = axis(measured.map(([n]) => n), log);
  // On log axes the measured sizes themselves are the clearest ticks (1,000 2,000 4,000 …).
  if (log && measured.length <= 12) x.ticks = measured.map(([n]) => n);
  const y = axis([...measured, ...fitted].map(([, t]) => t), log);
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const px = (v: number) => MARGIN.left + position(v, x) * plotW;
  const py = (v: number) => MARGIN.top + (1 - position(v, y)) * plotH;
  const f = (v: number) => v.toFixed(1);

  const parts: string[] = [];
  parts.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="white" stroke="#888"/>`);
  for (const tick of x.ticks) {
    parts.push(`<line x1="${f(px(tick))}" y1="${MARGIN.top}" x2="${f(px(tick))}" y2="${MARGIN.top + plotH}" stroke="#eee"/>`);
    parts.push(
      `<text x="${f(px(tick))}" y="${MARGIN.top + plotH + 16}" text-anchor="middle">${escapeHtml(sizeLabel(tick))}</text>`,
    );
  }
  for (const tick of y.ticks) {
    parts.push(`<line x1="${MARGIN.left}" y1="${f(py(tick))}" x2="${MARGIN.left + plotW}" y2="${f(py(tick))}" stroke="#eee"/>`);
    parts.push(
      `<text x="${MARGIN.left - 6}" y="${f(py(tick) + 4)}" text-anchor="end">${escapeHtml(formatTime(tick))}</text>`,
    );
  }
  if (fitted.length > 0) {
    const path = fitted.map(([n, t]) => `${f(px(n))},${f(py(t))}`).join(" ");
    parts.push(`<polyline points="${path}" fill="none" stroke="${FIT_COLOR}" stroke-width="1.5" stroke-dasharray="5,3"/>`);
  }
  for (const [n, t] of measured) {
    parts.push(
      `<circle cx="${f(px(n))}" cy="${f(py(t))}" r="4" fill="${POINT_COLOR}">` +
        `<title>n = ${escapeHtml(groupThousands(n))}: ${escapeHtml(formatTime(t))}</title></circle>`,
    );
  }
  parts.push(
    `<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 8}" text-anchor="middle">n${log ? " (log scale)" : ""}</text>`,
    `<text transform="translate(14 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">time per loop${log ? " (log scale)" : ""}</text>`,
    `<text x="${MARGIN.left}" y="18">${escapeHtml(title(data))}</text>`,
  );
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" ` +
    `font-family="sans-serif" font-size="11" role="img" aria-label="time against n">${parts.join("")}</svg>`
  );
}

export function scalingVegaLite(data: ScalingData, options: PlotOptions = {}): Record<string, unknown> {
  const scale = { type: options.logScale ?? true ? "log" : "linear" };
  const x = { field: "n", type: "quantitative", scale, title: "n" };
  const y = { field: "seconds", type: "quantitative", scale, title: "time per loop (s)" };
  const fitted = fitCurve(data).map(([n, seconds]) => ({ n, seconds }));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: title(data),
    width: WIDTH - MARGIN.left - MARGIN.right,
    height: HEIGHT - MARGIN.top - MARGIN.bottom,
    layer: [
      {
        data: { values: fitted },
        mark: { type: "line", color: FIT_COLOR, strokeDash: [5, 3] },
        encoding: { x, y },
      },
      {
        data: { values: data.points.map((p) => ({ n: p.n, seconds: p.seconds, time: formatTime(p.seconds), loops: p.loops })) },
        mark: { type: "point", filled: true, size: 60, color: POINT_COLOR },
        encoding: { x, y, tooltip: [{ field: "n" }, { field: "time" }, { field: "loops" }] },
      },
    ],
  };
}

function title(data: ScalingData): string {
  const { exponent, coefficient } = data.fit;
  if (!Number.isFinite(exponent)) return "time per loop against n";
  return `time ≈ ${formatG(coefficient, 3)} s · n^${exponent.toFixed(2)}`;
}

/** The fitted c·n^k sampled evenly (in log space) between the smallest and largest n. */
function fitCurve(data: ScalingData): Array<[number, number]> {
  const { exponent, coefficient } = data.fit;
  if (!Number.isFinite(exponent) || data.points.length < 2) return [];
  const lo = Math.log(data.points[0].n);
  const hi = Math.log(data.points[data.points.length - 1].n);
  return Array.from({ length: FIT_SAMPLES + 1 }, (_, i) => {
    const n = Math.exp(lo + ((hi - lo) * i) / FIT_SAMPLES);
    return [n, coefficient * n ** exponent];
  });
}

function axis(values: number[], log: boolean): Axis {
  const positive = values.filter((v) => v > 0 && Number.isFinite(v));
  let lo = Math.min(...positive);
  let hi = Math.max(...positive);
  if (log) {
    const pad = Math.max(0.05, (Math.log10(hi) - Math.log10(lo)) * 0.06);
    lo = 10 ** (Math.log10(lo) - pad);
    hi = 10 ** (Math.log10(hi) + pad);
    return { lo, hi, log, ticks: logTicks(lo, hi) };
  }
  lo = 0;
  hi = hi * 1.06;
  const ticks = linearTicks(hi);
  return { lo, hi, log, ticks };
}

/** 1·10^k ticks, with 2 and 5 between them when the axis spans few decades. */
function logTicks(lo: number, hi: number): number[] {
  const decades = Math.log10(hi) - Math.log10(lo);
  const steps = decades > 4 ? [1] : decades > 1.5 ? [1, 3] : [1, 2, 5];
  const ticks: number[] = [];
  for (let power = Math.floor(Math.log10(lo)); power <= Math.ceil(Math.log10(hi)); power++) {
    for (const step of steps) {
      const tick = step * 10 ** power;
      if (tick >= lo && tick <= hi) ticks.push(tick);
    }
  }
  return ticks;
}

function linearTicks(hi: number): number[] {
  const rough = hi / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((s) => s * power).find((s) => s >= rough) ?? rough;
  const ticks: number[] = [];
  for (let i = 0; i * step <= hi; i++) ticks.push(i * step);
  return ticks;
}

function position(value: number, axis: Axis): number {
  if (axis.log) return (Math.log10(value) - Math.log10(axis.lo)) / (Math.log10(axis.hi) - Math.log10(axis.lo));
  return (value - axis.lo) / (axis.hi - axis.lo);
}

function sizeLabel(n: number): string {
  if (n >= 1 && Number.isInteger(n)) return n >= 1e7 ? formatG(n, 3) : groupThousands(n);
  return formatG(n, 3);
}
