import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as vm from "node:vm";
import { runCell } from "./helpers/cells";
import { fullGc } from "../magics/engines/memory/process-memory";
import { memoryProfile } from "../magics/engines/line/api";
import { toMimeBundle } from "../magics/render/mime";

// One collection can leave a dropped ArrayBuffer's pages mapped; a second returns them.
(globalThis as Record<string, unknown>).collect81 = () => {
  fullGc();
  fullGc();
};
const source = `function temp81(mib: number): number {
  const a = new Float64Array(mib * 131072).fill(1);
  return a.length;
}
function alloc81() {
  const kept = new Float64Array(32 * 131072).fill(1);
  const n = temp81(64); collect81();
  return kept.length + n;
}`;
runCell("In[81]", source);

test("mprun: a kept typed array is an increment, a dropped one only a peak", { skip: process.platform !== "linux" }, async () => {
  const alloc = vm.runInThisContext("alloc81") as () => number;
  const { result, value, failed } = await memoryProfile([alloc], () => alloc());
  assert.equal(failed, false);
  assert.equal(value, (32 + 64) * 131072);
  assert.equal(result.data.method.startsWith("rss+"), true);
  const [fn] = result.functions;
  const line = (n: number) => fn.lines.find((l) => l.line === n)!;
  assert.deepEqual(
    fn.lines.map((l) => l.occurrences),
    [1, 1, 1, 1, 0],
  );
  assert.ok(Math.abs(line(6).increment - 32) < 2, `kept 32 MiB: increment ${line(6).increment}`);
  assert.ok(line(7).peak - line(6).usage > 62, `temporary 64 MiB: peak ${line(7).peak} over ${line(6).usage}`);
  assert.ok(line(7).increment < 2, `temporary dropped in the line: increment ${line(7).increment}`);
  assert.ok(line(7).usage < line(7).peak - 60);
  const text = String(result);
  assert.match(text, /^Filename: In\[81\]\n\nLine # {4}Mem usage {4}Increment {9}Peak  Occurrences   Line Contents\n={74}\n/);
  assert.match(text, /\n {5}6 +[\d.]+ MiB +3[12]\.\d MiB +[\d.]+ MiB +1 {3}  const kept = new Float64Array/);
  assert.match(String(result[toMimeBundle]()["text/html"]), /<th style="text-align:right">Peak<\/th>/);
});

test("mprun: functions never called are named, not shown", async () => {
  const temp = vm.runInThisContext("temp81") as () => number;
  const { result } = await memoryProfile([temp], () => 1);
  assert.equal(String(result), "Note: never called: temp81");
});
