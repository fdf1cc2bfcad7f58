import { test } from "node:test";
import * as assert from "node:assert/strict";
import { memit } from "../magics/engines/memory/api";
import { MemitUsageError } from "../magics/engines/memory/memit";
import { toMimeBundle } from "../magics/render/mime";

const MiB = 1024 * 1024;

/** A filled (so really resident) temporary of exactly `mib` MiB, dropped before returning a number. */
function filledTemporary(mib: number): number {
  const a = new Float64Array((mib * MiB) / 8);
  a.fill(1);
  return a[12345];
}

test("a filled 128 MiB temporary shows in full, as ArrayBuffer memory", async () => {
  const result = await memit(() => filledTemporary(128));
  assert.equal(result.method, process.platform === "linux" ? "hwm" : "sampler");
  assert.ok(result.increment > 127 && result.increment < 140, `increment ${result.increment}`);
  assert.ok(Math.abs(result.externalPeak - 128) < 1, `external ${result.externalPeak}`);
  assert.ok(result.heapPeak < 16, `heap ${result.heapPeak}`);
  assert.match(String(result).split("\n")[0], /^peak memory: \d+\.\d\d MiB, increment: \d+\.\d\d MiB$/);
});

test("the sampler thread catches a temporary that lives tens of milliseconds", async () => {
  const result = await memit(() => filledTemporary(128), { method: "sampler" });
  assert.equal(result.method, "sampler");
  assert.ok(result.runs[0].samples > 0);
  assert.ok(result.increment > 120, `increment ${result.increment}`);
  assert.match(String(result), /sampled every 1 ms/);
});

test("a JS array shows as V8 heap", async () => {
  const result = await memit(() => {
    const a: number[] = [];
    for (let i = 0; i < 4e6; i++) a.push(i + 0.5);
    return a.length;
  });
  assert.ok(result.heapPeak > 30, `heap ${result.heapPeak}`);
  assert.ok(result.increment > 30, `increment ${result.increment}`);
});

test("an async statement is awaited before the peak is read", async () => {
  const result = await memit(async () => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    const kept = Buffer.alloc(64 * MiB, 1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    return kept.length;
  });
  assert.ok(result.increment > 63, `increment ${result.increment}`);
});

test("repeat keeps every run's peak and reports the largest", async () => {
  let size = 16;
  const result = await memit(() => filledTemporary((size += 16)), { repeat: 3 });
  assert.equal(result.memUsage.length, 3);
  assert.equal(result.peak, Math.max(...result.memUsage));
  assert.ok(result.increments[2] > result.increments[0] + 20, `increments ${result.increments}`);
  assert.match(String(result), /3 runs/);
});

test("a statement string runs in the global scope", async () => {
  (globalThis as Record<string, unknown>).memitTestTemporary = filledTemporary;
  const result = await memit("memitTestTemporary(32)");
  assert.ok(result.increment > 31, `increment ${result.increment}`);
});

test("an error in the statement is rethrown as is", async () => {
  const boom = new RangeError("boom");
  await assert.rejects(
    memit(() => {
      throw boom;
    }),
    (error) => error === boom,
  );
  await assert.rejects(memit(async () => Promise.reject(boom)), (error) => error === boom);
});

test("bad options name what was wrong and what is allowed", async () => {
  await assert.rejects(memit(() => 1, { repeat: 0 }), (e) => e instanceof MemitUsageError && /repeat must be .*1 or more \(got 0\)/.test(e.message));
  await assert.rejects(memit(() => 1, { interval: -1 }), /interval must be a positive number of seconds \(got -1\)/);
  await assert.rejects(memit(() => 1, { method: "x" as "hwm" }), /method must be "auto", "hwm" or "sampler" \(got x\)/);
  await assert.rejects(memit(42 as unknown as string), /memit needs a function or a statement string \(got number\)/);
});

test("the result renders as text and HTML", async () => {
  const result = await memit(() => filledTemporary(8), { repeat: 2 });
  const bundle = result[toMimeBundle]();
  assert.equal(bundle["text/plain"], String(result));
  assert.match(String(bundle["text/html"]), /<table>.*peak memory.*increment per run/);
});
