import { escapeHtml } from "./html";
import { formatG } from "./format";

/** A small self-contained SVG chart (lines, points or bars), for reports and for Vega-Lite fallbacks. */
export interface ChartSeries {
  label?: string;
  points: Array<[number, number]>;
  mark: "line" | "point" | "bar";
  color?: string;
  dashed?: boolean;
}

export interface ChartOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  logX?: boolean;
  logY?: boolean;
  width?: number;
  height?: number;
}

const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"];

export function svgChart(series: ChartSeries[], options: ChartOptions = {}): string {
  const width = options.width ?? 480;
  const height = options.height ?? 300;
  const margin = { left: 64, right: 16, top: options.title ? 28 : 12, bottom: 44 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const tx = (v: number) => (options.logX ? Math.log10(v) : v);
  const ty = (v: number) => (options.logY ? Math.log10(v) : v);
  const usable = series.map((s) => ({
    ...s,
    points: s.points.filter(([x, y]) => Number.isFinite(tx(x)) && Number.isFinite(ty(y))),
  }));
  const xs = usable.flatMap((s) => s.points.map(([x]) => tx(x)));
  const ys = usable.flatMap((s) => s.points.map(([, y]) => ty(y)));
  if (usable.some((s) => s.mark === "bar") && !options.logY) ys.push(0);
  const [x0, x1] = extent(xs);
  const [y0, y1] = extent(ys);
  const px = (v: number) => margin.left + ((tx(v) - x0) / (x1 - x0)) * plotW;
  const py = (v: number) => margin.top + plotH - ((ty(v) - y0) / (y1 - y0)) * plotH;
  const parts: string[] = [];
  parts.push(`<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#888"/>`);
  for (const [value, at] of ticks(x0, x1, options.logX).map((t) => [t, margin.left + ((t - x0) / (x1 - x0)) * plotW] as const)) {
    parts.push(`<line x1="${at}" y1="${margin.top + plotH}" x2="${at}" y2="${margin.top + plotH + 4}" stroke="#888"/>`);
    parts.push(`<text x="${at}" y="${margin.top + plotH + 16}" font-size="11" text-anchor="middle">${tickLabel(value, options.logX)}</text>`);
  }
  for (const [value, at] of ticks(y0, y1, options.logY).map((t) => [t, margin.top + plotH - ((t - y0) / (y1 - y0)) * plotH] as const)) {
    parts.push(`<line x1="${margin.left - 4}" y1="${at}" x2="${margin.left}" y2="${at}" stroke="#888"/>`);
    parts.push(`<text x="${margin.left - 6}" y="${at + 4}" font-size="11" text-anchor="end">${tickLabel(value, options.logY)}</text>`);
  }
  usable.forEach((s, index) => {
    const color = s.color ?? PALETTE[index % PALETTE.length];
    if (s.mark === "line" && s.points.length) {
      const path = s.points.map(([x, y], i) => `${i ? "L" : "M"}${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(" ");
      parts.push(`<path d="${path}" fill="none" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="4 3"' : ""}/>`);
    } else if (s.mark === "point") {
      for (const [x, y] of s.points) parts.push(`<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="3.5" fill="${color}"/>`);
    } else if (s.mark === "bar") {
      const barW = Math.max(2, (plotW / Math.max(1, s.points.length)) * 0.7);
      for (const [x, y] of s.points) {
        const top = py(y);
        const base = py(options.logY ? 10 ** y0 : 0);
        parts.push(`<rect x="${(px(x) - barW / 2).toFixed(1)}" y="${Math.min(top, base).toFixed(1)}" width="${barW.toFixed(1)}" height="${Math.abs(base - top).toFixed(1)}" fill="${color}"/>`);
      }
    }
  });
  const labelled = usable.filter((s) => s.label);
  labelled.forEach((s, i) => {
    const color = s.color ?? PALETTE[usable.indexOf(s) % PALETTE.length];
    const y = margin.top + 14 + i * 16;
    parts.push(`<line x1="${margin.left + 8}" y1="${y - 4}" x2="${margin.left + 24}" y2="${y - 4}" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="4 3"' : ""}/>`);
    parts.push(`<text x="${margin.left + 28}" y="${y}" font-size="11">${escapeHtml(s.label!)}</text>`);
  });
  if (options.title) parts.push(`<text x="${width / 2}" y="18" font-size="13" text-anchor="middle">${escapeHtml(options.title)}</text>`);
  if (options.xLabel) parts.push(`<text x="${margin.left + plotW / 2}" y="${height - 8}" font-size="12" text-anchor="middle">${escapeHtml(options.xLabel)}</text>`);
  if (options.yLabel) {
    parts.push(`<text x="14" y="${margin.top + plotH / 2}" font-size="12" text-anchor="middle" transform="rotate(-90 14 ${margin.top + plotH / 2})">${escapeHtml(options.yLabel)}</text>`);
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">${parts.join("")}</svg>`;
}

function extent(values: number[]): [number, number] {
  if (!values.length) return [0, 1];
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return lo === hi ? [lo - 1, hi + 1] : [lo, hi];
}

/** About five round tick positions in transformed units (whole decades on a log axis). */
function ticks(lo: number, hi: number, log?: boolean): number[] {
  if (log) {
    const out: number[] = [];
    for (let d = Math.ceil(lo); d <= Math.floor(hi); d++) out.push(d);
    return out.length ? out : [lo, hi];
  }
  const raw = (hi - lo) / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(t);
  return out;
}

function tickLabel(value: number, log?: boolean): string {
  return log ? formatG(10 ** value, 3) : formatG(Number(value.toPrecision(6)), 4);
}
