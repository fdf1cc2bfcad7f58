import { test } from "node:test";
import * as assert from "node:assert/strict";
import { compileScaling, fitPowerLaw, measureScaling, parseSizes, type ScalingData } from "../magics/engines/timing/scaling";
import { TimingUsageError } from "../magics/engines/timing/errors";
import { scaling } from "../magics/engines/timing/api";
import { ScalingResult } from "../magics/render/scaling-report";
import { toMimeBundle } from "../magics/render/mime";

const globals = globalThis as Record<string, unknown>;

function synthetic(ns: number[], secondsAt: (n: number) => number): ScalingData {
  const points = ns.map((n) => ({ n, loops: 1, timings: [secondsAt(n)], seconds: secondsAt(n) }));
  return { points, repeat: 1, fit: fitPowerLaw(points.map((p) => [p.n, p.seconds])) };
}

/** Tags balance, attributes are quoted, `&` only starts an entity: enough to catch a broken SVG. */
function assertWellFormed(xml: string): void {
  assert.match(xml, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.doesNotMatch(xml.replace(/&(amp|lt|gt|quot|#\d+);/g, ""), /&/);
  const stack: string[] = [];
  for (const [tag] of xml.matchAll(/<[^>]*>/g)) {
    const name = /^<\/?([a-zA-Z][\w-]*)/.exec(tag)?.[1];
    assert.ok(name, `bad tag ${tag}`);
    assert.doesNotMatch(tag, /=\s*[^"\s>]/, `unquoted attribute in ${tag}`);
    if (tag.startsWith("</")) assert.equal(stack.pop(), name, `unbalanced ${tag}`);
    else if (!tag.endsWith("/>")) stack.push(name);
  }
  assert.deepEqual(stack, []);
  assert.equal(xml.replace(/<[^>]*>/g, "").includes("<"), false);
}

test("the exponent fit is exact on power laws", () => {
  const quadratic = fitPowerLaw([1000, 2000, 4000, 8000].map((n) => [n, 3e-9 * n ** 2]));
  assert.ok(Math.abs(quadratic.exponent - 2) < 1e-12);
  assert.ok(Math.abs(quadratic.coefficient - 3e-9) < 1e-21);
  assert.ok(Math.abs(quadratic.rSquared - 1) < 1e-12);
  const linear = fitPowerLaw([10, 100, 1000].map((n) => [n, 5e-7 * n]));
  assert.ok(Math.abs(linear.exponent - 1) < 1e-12);
  assert.ok(Number.isNaN(fitPowerLaw([[10, 0], [20, 1e-6]]).exponent));
});

test("the table shows each time, its ratio to the previous and the local exponent", () => {
  const result = new ScalingResult(synthetic([1000, 2000, 4000, 8000], (n) => 1e-9 * n ** 2));
  const rows = result.rows();
  assert.equal(rows[0].ratio, undefined);
  for (const row of rows.slice(1)) {
    assert.ok(Math.abs(row.ratio! - 4) < 1e-9);
    assert.ok(Math.abs(row.localExponent! - 2) < 1e-9);
  }
  assert.deepEqual(String(result).split("\n"), [
    "    n  time (best of 1)  × previous  exponent",
    "1,000              1 ms",
    "2,000              4 ms       ×4.00      2.00",
    "4,000             16 ms       ×4.00      2.00",
    "8,000             64 ms       ×4.00      2.00",
    "≈ O(n^2.0), quadratic (time ≈ 1e-09 s · n^2.000, R² = 1.0000, log-log least squares)",
  ]);
  const nLogN = new ScalingResult(synthetic([1000, 2000, 4000, 8000], (n) => 1e-8 * n * Math.log(n)));
  assert.match(nLogN.summary(), /^≈ O\(n\^1\.1\), like n log n \(time/);
});

test("the plot is well-formed SVG with a point per size and the fitted line; Vega-Lite beside it", () => {
  const result = new ScalingResult(synthetic([1000, 2000, 4000, 8000, 16000], (n) => 2e-9 * n ** 2));
  const bundle = result[toMimeBundle]();
  assert.deepEqual(Object.keys(bundle).sort(), ["application/vnd.vegalite.v5+json", "image/svg+xml", "text/html", "text/plain"]);
  const svg = bundle["image/svg+xml"] as string;
  assertWellFormed(svg);
  assert.equal(svg.match(/<circle /g)?.length, 5);
  assert.equal(svg.match(/<polyline /g)?.length, 1);
  assert.match(svg, /time ≈ 2e-09 s · n\^2\.00/);
  assert.match(svg, />1,000</);
  assertWellFormed(new ScalingResult(result, { logScale: false }).svg());
  assert.ok(String(bundle["text/html"]).includes(svg));
  const spec = bundle["application/vnd.vegalite.v5+json"] as { $schema: string; layer: Array<{ data: { values: unknown[] } }> };
  assert.equal(spec.$schema, "https://vega.github.io/schema/vega-lite/v5.json");
  assert.equal(spec.layer[1].data.values.length, 5);
  assert.ok(spec.layer[0].data.values.length > 2);
});

test("each size is measured after an untimed warm-up, setup excluded and run once per run", async () => {
  globals.__scalingSetups = [];
  globals.__scalingSink = 0;
  const compiled = compileScaling(
    "for (let i = 0; i < n; i++) __scalingSink += data[i & 7]",
    "const data = [1, 2, 3, 4, 5, 6, 7, 8]; __scalingSetups.push(n)",
  );
  const measured = await measureScaling(compiled, { ns: [4000, 1000, 2000], repeat: 3, minRunSeconds: 0.001 });
  assert.deepEqual(measured.points.map((p) => p.n), [1000, 2000, 4000]);
  assert.deepEqual(globals.__scalingSetups, [1000, 1000, 1000, 1000, 2000, 2000, 2000, 2000, 4000, 4000, 4000, 4000]);
  for (const point of measured.points) {
    assert.equal(point.timings.length, 3);
    assert.equal(point.seconds, Math.min(...point.timings));
    assert.ok(point.loops >= 1);
  }
  assert.ok(Number.isFinite(measured.fit.exponent));
});

test("library scaling takes functions: setupFor builds the input, runFor gets it", async () => {
  const built: number[] = [];
  const result = await scaling({
    ns: [100, 200],
    repeat: 2,
    minRunSeconds: 0.001,
    setupFor: (n) => {
      built.push(n);
      return new Array<number>(n).fill(1);
    },
    runFor: (n, input: number[]) => {
      assert.equal(input.length, n);
      return input.reduce((a, b) => a + b, 0);
    },
  });
  assert.deepEqual(built, [100, 100, 100, 200, 200, 200]);
  assert.equal(result.points.length, 2);
  await assert.rejects(scaling({ ns: [1, 2], runFor: () => 0, setupFor: "const a = 1" }), TimingUsageError);
});

test("sizes: lists, doubling ranges, and clear errors", async () => {
  assert.deepEqual(parseSizes("1000,2000, 4_000,8e3"), [1000, 2000, 4000, 8000]);
  assert.deepEqual(parseSizes("1000..16000"), [1000, 2000, 4000, 8000, 16000]);
  assert.deepEqual(parseSizes("3..20"), [3, 6, 12]);
  assert.throws(() => parseSizes("1000,abc"), /size "abc" is not a whole number ≥ 1 \(-n takes e\.g\. 1000,2000,4000 or 1000\.\.16000\)/);
  assert.throws(() => parseSizes("1000,"), /size "" is not a whole number/);
  assert.throws(() => parseSizes("2000..1000"), /the end must be above the start/);
  const compiled = compileScaling("n");
  await assert.rejects(measureScaling(compiled, { ns: [1000] }), /at least two different values/);
  await assert.rejects(measureScaling(compiled, { ns: [1000, 1000] }), /at least two different values/);
  await assert.rejects(measureScaling(compiled, { ns: [0, 10] }), /each size n \(-n\) must be a whole number ≥ 1 \(got 0\)/);
  await assert.rejects(measureScaling(compiled, { ns: [1, 2], repeat: 0 }), /repeat \(-r\) must be a whole number ≥ 1 \(got 0\)/);
});
