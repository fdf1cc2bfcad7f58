import { svgChart, type ChartSeries } from "../magics/render/svg-chart";

/**
 * An SVG drawing of a simple Vega-Lite spec (inline `data.values`, a point/line/bar mark, x and y
 * fields, optional color field), so classic Notebook, which has no Vega renderer, still shows it.
 * Anything richer returns undefined and only the Vega-Lite output is sent.
 */
type Spec = Record<string, unknown>;

export function vegaLiteFallbackSvg(spec: Spec): string | undefined {
  const values = (spec.data as { values?: unknown } | undefined)?.values;
  const encoding = spec.encoding as Record<string, { field?: string; title?: string; scale?: { type?: string } }> | undefined;
  const markSpec = spec.mark as string | { type?: string } | undefined;
  const mark = typeof markSpec === "string" ? markSpec : markSpec?.type;
  const xField = encoding?.x?.field;
  const yField = encoding?.y?.field;
  if (!Array.isArray(values) || !xField || !yField || !mark) return undefined;
  const kind: ChartSeries["mark"] | undefined =
    mark === "line" ? "line" : mark === "bar" ? "bar" : mark === "point" || mark === "circle" ? "point" : undefined;
  if (!kind) return undefined;
  const colorField = encoding?.color?.field;
  const groups = new Map<string, Array<[number, number]>>();
  for (const row of values as Array<Record<string, unknown>>) {
    const x = Number(row[xField]);
    const y = Number(row[yField]);
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    const key = colorField ? String(row[colorField]) : "";
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push([x, y]);
  }
  const series: ChartSeries[] = [...groups].map(([label, points]) => ({
    label: label || undefined,
    mark: kind,
    points: kind === "line" ? points.sort((a, b) => a[0] - b[0]) : points,
  }));
  return svgChart(series, {
    title: typeof spec.title === "string" ? spec.title : undefined,
    xLabel: encoding?.x?.title ?? xField,
    yLabel: encoding?.y?.title ?? yField,
    logX: encoding?.x?.scale?.type === "log",
    logY: encoding?.y?.scale?.type === "log",
    width: typeof spec.width === "number" ? spec.width : undefined,
    height: typeof spec.height === "number" ? spec.height : undefined,
  });
}
