import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as vm from "node:vm";
import { transpile, registerTsLoader } from "../kernel/ts-loader";
import { registerSource } from "../magics/engines/sources";
import { lineProfile, startLineProfile } from "../magics/engines/line/api";
import { LineProfilerUsageError, moduleTargets, resolveTargets } from "../magics/engines/line/targets";
import type { TimedFunction } from "../magics/engines/line/model";
import { toMimeBundle } from "../magics/render/mime";

/** Runs TypeScript the way the kernel runs a cell: transpiled, in this context, named `In[N]`. */
function cell(name: string, ts: string): void {
  registerSource(name, ts);
  vm.runInThisContext(transpile(ts, name), { filename: name });
}
const global = (expression: string) => vm.runInThisContext(expression) as any;

function hitsByLine(fn: TimedFunction): Record<number, number> {
  const out: Record<number, number> = {};
  for (const line of fn.lines) if (line.hits > 0) out[line.line] = line.hits;
  return out;
}

cell(
  "In[71]",
  `function lcg71(seed: number) { let s = seed >>> 0; return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) % 10000; }
function makeData71(n: number, seed: number): number[] { const r = lcg71(seed); const a: number[] = []; for (let i = 0; i < n; i++) a.push(r()); return a; }
var data71a = makeData71(4000, 1), data71b = makeData71(4000, 2);
function countCommon71(data1: number[], data2: number[]): number {
  let matches = 0;
  for (const v of data1) {
    if (data2.includes(v)) {
      matches++;
    }
  }
  return matches;
}
const alias71 = countCommon71;
const holder71 = { f: countCommon71 };`,
);

test("countCommon: exact hits on the user's TypeScript lines, line_profiler's report", async () => {
  const fn = global("countCommon71");
  const expected = (global("data71a") as number[]).filter((v) => (global("data71b") as number[]).includes(v)).length;
  const { result, value, failed } = await lineProfile([fn], () => fn(global("data71a"), global("data71b")));
  assert.equal(failed, false);
  assert.equal(value, expected);
  const [profile] = result.functions;
  assert.deepEqual(hitsByLine(profile), { 5: 1, 6: 4001, 7: 4000, 8: expected, 11: 1 });
  assert.equal(profile.calls, 1);
  assert.equal(profile.patch, "liveedit");
  assert.ok(profile.lines.find((l) => l.line === 7)!.time > profile.lines.find((l) => l.line === 5)!.time);
  const text = String(result);
  assert.match(text, /^Timer unit: 1e-09 s\n\nTotal time: [\d.e-]+ s\nFile: In\[71\]\nFunction: countCommon71 at line 4\n\n/);
  assert.ok(text.includes("Line #      Hits         Time  Per Hit   % Time  Line Contents\n" + "=".repeat(62)));
  assert.match(text, /\n {5}4 {43}function countCommon71\(data1: number\[\], data2: number\[\]\): number \{\n/);
  assert.match(text, /\n {5}6 {6}4001 +[\d.]+ +[\d.]+ +[\d.]+ {4}for \(const v of data1\) \{\n/);
  const bundle = result[toMimeBundle]();
  assert.match(String(bundle["text/html"]), /background:rgb\(255, \d+, \d+\)/);
  assert.equal((result.toJSON() as { unit: number }).unit, 1e-9);
});

test("the patch reaches aliases and object properties, and the original comes back exactly", async () => {
  const fn = global("countCommon71");
  const before = fn.toString();
  const { result } = await lineProfile([fn], () => [global("alias71")([1, 2], [2]), global("holder71").f([3], [3])]);
  assert.equal(result.functions[0].calls, 2);
  assert.deepEqual(hitsByLine(result.functions[0]), { 5: 2, 6: 5, 7: 3, 8: 2, 11: 2 });
  assert.equal(fn.toString(), before);
  const late = startLineProfile(fn);
  const report = late.stop();
  fn([1], [1]);
  assert.equal(report.functions[0].calls, 0, "no probe fires after the restore");
});

test("arrow functions, methods, closures and recursion", async () => {
  cell(
    "In[72]",
    `const sumTo72 = (n: number) => {
  let s = 0;
  for (let i = 0; i < n; i++) {
    s += i;
  }
  return s;
};
const double72 = (x: number) => x * 2;
function makeCounter72(step: number) {
  let total = 0;
  return function bump(times: number) {
    for (let i = 0; i < times; i++) total += step;
    return total;
  };
}
const counter72 = makeCounter72(5);
counter72(1);
class Acc72 {
  v = 0;
  add(xs: number[]) {
    for (const x of xs) this.v += x;
    return this.v;
  }
}
const obj72 = { scale(xs: number[]) { return xs.map((x) => x * 3); } };
function fact72(n: number): number {
  if (n <= 1) return 1;
  return n * fact72(n - 1);
}`,
  );
  const targets = resolveTargets(
    ["sumTo72", "double72", "counter72", "Acc72.prototype.add", "obj72.scale", "fact72"].map((expression) => ({
      expression,
      value: global(expression),
    })),
  );
  const acc = new (global("Acc72"))();
  const { result, value, failed } = await lineProfile(targets, () => [
    global("sumTo72")(10),
    [1, 2, 3].map(global("double72")),
    global("counter72")(2),
    acc.add([1, 2, 3]),
    global("obj72").scale([1, 2]),
    global("fact72")(5),
  ]);
  assert.equal(failed, false);
  assert.deepEqual(value, [45, [2, 4, 6], 15, 6, [3, 6], 120]);
  const byName = Object.fromEntries(result.functions.map((f) => [f.label, f]));
  assert.deepEqual(hitsByLine(byName["sumTo72"]), { 2: 1, 3: 11, 4: 10, 6: 1 });
  assert.deepEqual(hitsByLine(byName["double72"]), { 8: 3 });
  assert.equal(byName["double72"].timed, false);
  assert.deepEqual(hitsByLine(byName["counter72"]), { 12: 3, 13: 1 }, "closure state kept: 5 + 2*5 = 15");
  assert.deepEqual(hitsByLine(byName["Acc72.prototype.add"]), { 21: 4, 22: 1 });
  assert.deepEqual(hitsByLine(byName["obj72.scale"]), { 25: 1 });
  assert.deepEqual(hitsByLine(byName["fact72"]), { 27: 5, 28: 4 });
  assert.equal(byName["fact72"].calls, 5);
  for (const expression of ["sumTo72", "counter72", "Acc72.prototype.add", "fact72"]) {
    assert.doesNotMatch(global(expression).toString(), /__tsprof/, `${expression} restored`);
  }
});

test("async functions: lines after an await are counted, the awaiting line is charged the wait", async () => {
  cell(
    "In[73]",
    `async function slow73(ms: number) {
  const started = Date.now();
  await new Promise((resolve) => setTimeout(resolve, ms));
  return Date.now() - started;
}`,
  );
  const fn = global("slow73");
  const { result, value } = await lineProfile([fn], () => fn(20));
  assert.ok((value as number) >= 15);
  const [profile] = result.functions;
  assert.deepEqual(hitsByLine(profile), { 2: 1, 3: 1, 4: 1 });
  assert.ok(profile.lines.find((l) => l.line === 3)!.time >= 0.015);
  assert.doesNotMatch(fn.toString(), /__tsprof/);
});

test("an async function that ran between profiles can still be patched and restored", async () => {
  // V8 will not LiveEdit an async function that ran while the Debugger was on, so the Debugger
  // must be off whenever user code runs (including right after another profile).
  cell("In[74]", `function sync74() { return 1; }\nasync function tick74() {\n  await null;\n  return 2;\n}`);
  await lineProfile([global("sync74")], () => 0);
  const fn = global("tick74");
  assert.equal(await fn(), 2);
  const { result, value } = await lineProfile([fn], () => fn());
  assert.equal(value, 2);
  assert.equal(result.functions[0].patch, "liveedit");
  assert.deepEqual(hitsByLine(result.functions[0]), { 3: 1, 4: 1 });
  assert.doesNotMatch(fn.toString(), /__tsprof/);
});

test("a local .ts module loaded by require, and -m module", async () => {
  registerTsLoader();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsprof-line-"));
  const file = path.join(dir, "helpers.ts");
  fs.writeFileSync(
    file,
    `export function squares(n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    out.push(i * i);
  }
  return out;
}
export class Box {
  constructor(public items: number[]) {}
  total(): number {
    let t = 0;
    for (const x of this.items) t += x;
    return t;
  }
}
`,
  );
  const mod = require(file);
  const { result } = await lineProfile(moduleTargets(mod, "helpers"), () => new mod.Box(mod.squares(4)).total());
  const byLabel = Object.fromEntries(result.functions.map((f) => [f.label, f]));
  assert.deepEqual(Object.keys(byLabel).sort(), ["Box.prototype.total", "squares"]);
  assert.equal(byLabel["squares"].file, file);
  assert.deepEqual(hitsByLine(byLabel["squares"]), { 2: 1, 3: 5, 4: 4, 6: 1 });
  assert.equal(byLabel["squares"].lines[0].text, "export function squares(n: number): number[] {");
  assert.deepEqual(hitsByLine(byLabel["Box.prototype.total"]), { 11: 1, 12: 5, 13: 1 });
});

test("bad targets get an error naming what was wrong and what is allowed", () => {
  const bad = (expression: string, value: unknown, pattern: RegExp) =>
    assert.throws(() => resolveTargets([{ expression, value }]), (e: Error) => e instanceof LineProfilerUsageError && pattern.test(e.message));
  bad("data71a", global("data71a"), /'data71a' is an array, not a function: profile plain functions/);
  bad("42", 42, /is a number, not a function/);
  bad("Math.max", Math.max, /builtin or native function/);
  bad("Array.prototype.map", Array.prototype.map, /builtin or native function/);
  bad("f.bind(null)", global("countCommon71").bind(null), /builtin or native function/);
  cell("In[74]", "class Shape74 { area() { return 1; } }");
  bad("Shape74", global("Shape74"), /is a class: profile its methods instead \(-f Shape74\.prototype\.method/);
});

test("a statement that throws still yields the report of what ran", async () => {
  cell(
    "In[75]",
    `function risky75(xs: number[]) {
  let sum = 0;
  for (const x of xs) {
    if (x < 0) throw new RangeError("negative: " + x);
    sum += x;
  }
  return sum;
}`,
  );
  const fn = global("risky75");
  const before = fn.toString();
  const { result, failed, error } = await lineProfile([fn], () => fn([1, 2, -3, 4]));
  assert.equal(failed, true);
  assert.ok(error instanceof RangeError);
  assert.deepEqual(hitsByLine(result.functions[0]), { 2: 1, 3: 3, 4: 3, 5: 2 });
  assert.equal(fn.toString(), before);
});

test("-u unit and -s strip", async () => {
  cell("In[76]", "function never76() {\n  return 1;\n}\nfunction once76() {\n  return 2;\n}");
  const targets = [global("never76"), global("once76")];
  const { result } = await lineProfile(targets, () => global("once76")(), { unit: 1e-3, strip: true });
  const text = String(result);
  assert.match(text, /^Timer unit: 0\.001 s\n/);
  assert.doesNotMatch(text, /never76/);
  const full = await lineProfile(targets, () => 0);
  assert.match(String(full.result), /Total time: 0 s\nFile: In\[76\]\nFunction: never76 at line 1\n/);
});
