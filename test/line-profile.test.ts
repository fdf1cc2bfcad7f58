import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as vm from "node:vm";
import { transpile } from "../kernel/ts-loader";
import * as os from "node:os";
import * as path from "node:path";
import { registerTsLoader } from "../kernel/ts-loader";
import { mapStackTrace } from "../magics/engines/line/positions";
import { global, runCell as cell } from "./helpers/cells";
import { lineProfile, startLineProfile } from "../magics/engines/line/api";
import { LineProfilerUsageError, moduleTargets, resolveTargets } from "../magics/engines/line/targets";
import type { TimedFunction } from "../magics/engines/line/model";
import { toMimeBundle } from "../magics/render/mime";


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

test("the switch reaches aliases and object properties stored before the profile, and the function is left as it was", async () => {
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
  assert.ok(byName["double72"].lines.find((l) => l.line === 8)!.time > 0, "an expression-bodied arrow is timed too");
  assert.deepEqual(hitsByLine(byName["counter72"]), { 12: 3, 13: 1 }, "closure state kept: 5 + 2*5 = 15");
  assert.deepEqual(hitsByLine(byName["Acc72.prototype.add"]), { 21: 4, 22: 1 });
  assert.deepEqual(hitsByLine(byName["obj72.scale"]), { 25: 1 });
  assert.deepEqual(hitsByLine(byName["fact72"]), { 27: 5, 28: 4 });
  assert.equal(byName["fact72"].calls, 5);
  assert.equal(global("counter72")(1), 20, "the closure kept its state through the profile");
  const after = await lineProfile([global("fact72")], () => 0);
  assert.equal(after.result.functions[0].calls, 0);
  assert.equal(global("fact72")(4), 24);
  assert.equal(after.result.functions[0].calls, 0, "nothing is recorded once the profile is over");
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
});

test("an async function that ran between profiles, or is suspended in an await, can be profiled", async () => {
  cell("In[74]", `function sync74() { return 1; }\nasync function tick74() {\n  await null;\n  return 2;\n}`);
  await lineProfile([global("sync74")], () => 0);
  const fn = global("tick74");
  assert.equal(await fn(), 2);
  const { result, value } = await lineProfile([fn], () => fn());
  assert.equal(value, 2);
  assert.deepEqual(hitsByLine(result.functions[0]), { 3: 1, 4: 1 });
  const pending = fn();
  const during = await lineProfile([fn], () => fn());
  assert.equal(await pending, 2);
  assert.deepEqual(hitsByLine(during.result.functions[0]), { 3: 1, 4: 1 }, "the call that began before the profile is not counted");
});

test("a local .ts module loaded by require, and -m module", async () => {
  registerTsLoader({ profilable: true });
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
  bad("Math.max", Math.max, /'Math\.max' is a builtin, native or bound function .*; for builtins use %prun$/);
  bad("Array.prototype.map", Array.prototype.map, /builtin, native or bound function/);
  bad("f.bind(null)", global("countCommon71").bind(null), /builtin, native or bound function/);
  cell("In[74]", "class Shape74 { area() { return 1; } }");
  bad("Shape74", global("Shape74"), /is a class without a constructor of its own: profile its methods instead \(-f Shape74\.prototype\.method/);
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

test("every kind of target: static methods, getters, setters, generators, constructors, super, calls from inside a module", async () => {
  cell(
    "In[77]",
    `class Base77 {
  constructor(public n: number) {
    this.n = n * 2;
  }
  static make(n: number) {
    return new Base77(n);
  }
  get twice() {
    return this.n * 2;
  }
  set value(v: number) {
    this.n = v;
  }
  describe() {
    return "n=" + this.n;
  }
}
class Derived77 extends Base77 {
  constructor(n: number) {
    super(n + 1);
  }
  describe() {
    return "derived " + super.describe();
  }
}
function* evens77(limit: number) {
  for (let i = 0; i < limit; i += 2) {
    yield i;
  }
}
async function* ticks77(count: number) {
  for (let i = 0; i < count; i++) {
    yield await Promise.resolve(i);
  }
}
const callbacks77 = [(x: number) => x + 1];
function usesArguments77(a: number, ...rest: number[]) {
  return arguments.length + a + rest.length;
}`,
  );
  const targets = resolveTargets(
    [
      "Base77",
      "Base77.make",
      "Object.getOwnPropertyDescriptor(Base77.prototype, 'twice').get",
      "Object.getOwnPropertyDescriptor(Base77.prototype, 'value').set",
      "Derived77",
      "Derived77.prototype.describe",
      "evens77",
      "ticks77",
      "callbacks77[0]",
      "usesArguments77",
    ].map((expression) => ({ expression, value: global(expression) })),
  );
  const { result, value, failed, error } = await lineProfile(targets, async () => {
      const b = global("Base77").make(3);
      b.value = 5;
      const d = new (global("Derived77"))(1);
      const ticks: number[] = [];
      for await (const t of global("ticks77")(3)) ticks.push(t);
      return [b.n, b.twice, d.n, d.describe(), [...global("evens77")(5)], ticks, global("callbacks77").map((f: Function) => f(1)), global("usesArguments77")(1, 2, 3)];
  });
  assert.equal(failed, false, String(error));
  assert.deepEqual(value, [5, 10, 4, "derived n=4", [0, 2, 4], [0, 1, 2], [2], 6]);
  const byLabel = Object.fromEntries(result.functions.map((f) => [f.label, f]));
  assert.deepEqual(hitsByLine(byLabel["Base77"]), { 3: 2 }, "the constructor, run by make() and through super()");
  assert.deepEqual(hitsByLine(byLabel["Derived77"]), { 20: 1 });
  assert.deepEqual(hitsByLine(byLabel["Base77.make"]), { 6: 1 });
  assert.deepEqual(hitsByLine(byLabel["Object.getOwnPropertyDescriptor(Base77.prototype, 'twice').get"]), { 9: 1 });
  assert.deepEqual(hitsByLine(byLabel["Object.getOwnPropertyDescriptor(Base77.prototype, 'value').set"]), { 12: 1 });
  assert.deepEqual(hitsByLine(byLabel["Derived77.prototype.describe"]), { 23: 1 });
  assert.deepEqual(hitsByLine(byLabel["evens77"]), { 27: 4, 28: 3 });
  assert.deepEqual(hitsByLine(byLabel["ticks77"]), { 32: 4, 33: 3 });
  assert.deepEqual(hitsByLine(byLabel["callbacks77[0]"]), { 36: 1 });
  assert.deepEqual(hitsByLine(byLabel["usesArguments77"]), { 38: 1 });
});

test("functions tsprof did not compile get a message that names what can be profiled and points to %prun", async () => {
  const { parse } = require("acorn");
  await assert.rejects(
    lineProfile([parse], () => 0),
    (e: Error) =>
      e instanceof LineProfilerUsageError &&
      /^cannot line-profile 'parse': tsprof line-profiles the functions it compiled itself: those defined in notebook cells, in local \.ts\/\.js modules .* use %prun$/.test(e.message),
  );
});

test("a module's function is profiled when the module calls it itself", async () => {
  registerTsLoader({ profilable: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsprof-line-"));
  const file = path.join(dir, "inner.ts");
  fs.writeFileSync(file, `export function inner(x: number) {\n  return x * 3;\n}\nexport function outer(n: number) {\n  let s = 0;\n  for (let i = 0; i < n; i++) s += inner(i);\n  return s;\n}\n`);
  const mod = require(file);
  const { result, value } = await lineProfile([mod.inner], () => mod.outer(4));
  assert.equal(value, 18);
  assert.deepEqual(hitsByLine(result.functions[0]), { 2: 4 });
  assert.equal(result.functions[0].calls, 4);
});

test("an error inside a profiled function, or after a switch on a one-line function, points to the line and column as written", async () => {
  const source = `function failing78(xs: number[]) {\n  let n = 0;\n  for (const x of xs) n += x;\n  return (null as any).missing + n;\n}\nconst oneLiner78 = (o: any) => o.a.b;`;
  const positionOf = (name: string, run: () => unknown) => {
    try {
      run();
    } catch (error) {
      return new RegExp(`at (?:Object\\.)?${name} \\((In\\[78\\]|unswitched):(\\d+:\\d+)\\)`).exec(mapStackTrace((error as Error).stack!))?.[2];
    }
    assert.fail("expected a throw");
  };
  const unswitched = vm.runInThisContext(`(() => {\n${transpile(source, "unswitched")}\nreturn { failing78, oneLiner78 }; })()`, { filename: "unswitched", lineOffset: -1 });
  cell("In[78]", source);
  const asWritten = positionOf("failing78", () => unswitched.failing78([1]));
  assert.equal(asWritten?.split(":")[0], "4");
  assert.equal(positionOf("failing78", () => global("failing78")([1])), asWritten);
  const { result, error } = await lineProfile([global("failing78")], () => global("failing78")([1, 2]));
  assert.match(mapStackTrace((error as Error).stack!), new RegExp(`at failing78 \\(In\\[78\\]:${asWritten}\\)`), "thrown in the twin");
  assert.deepEqual(hitsByLine(result.functions[0]), { 2: 1, 3: 3, 4: 1 });
  assert.equal(positionOf("oneLiner78", () => global("oneLiner78")({})), positionOf("oneLiner78", () => unswitched.oneLiner78({})));
});
