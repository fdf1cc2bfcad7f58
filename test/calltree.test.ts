import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as vm from "node:vm";
import { profile } from "../magics/engines/calltree/api";
import { ProfileUsageError } from "../magics/engines/calltree/profile";
import { flatRows, SortKeyError } from "../magics/engines/calltree/flat";
import type { CallNode } from "../magics/engines/calltree/tree";
import { toMimeBundle } from "../magics/render/mime";

// A program with a known shape, compiled like a notebook cell: main → heavy (10×) and light.
vm.runInThisContext(
  [
    "function spin(n) { let x = 0; for (let i = 0; i < n; i++) x = (x * 31 + i) % 1000003; return x; }",
    "function heavy() { return spin(1.2e7); }",
    "function light() { return spin(1.2e6); }",
    "function main() { return heavy() + light(); }",
    "async function later() { await new Promise((r) => setTimeout(r, 5)); return heavy(); }",
    "function fails() { light(); throw new TypeError('bad value'); }",
  ].join("\n"),
  { filename: "In[7]" },
);
// A loop compiled (on-stack replacement) by a run before any profile.
vm.runInThisContext(
  [
    "function warmLoop(n) { let x = 0; for (let i = 0; i < n; i++) x = (x * 31 + i) % 1000003; return x; }",
    "function warmCaller() { return warmLoop(1.2e7); }",
  ].join("\n"),
  { filename: "In[8]" },
);
const cell = globalThis as unknown as Record<string, () => unknown>;

function child(node: CallNode, name: string): CallNode {
  const found = node.children.find((c) => c.name === name);
  assert.ok(found, `${name} under ${node.name}: ${node.children.map((c) => c.name).join(", ")}`);
  return found;
}

test("the heavy function is on top with most of the time", async () => {
  const result = await profile(() => cell.main(), { interval: 0.0002 });
  const main = child(result.root, "main");
  assert.equal(main.url, "In[7]");
  assert.equal(main.line, 4);
  const heavy = main.children[0];
  assert.equal(heavy.name, "heavy");
  assert.equal(heavy.line, 2);
  assert.ok(heavy.total / result.root.total > 0.7, `heavy share ${heavy.total / result.root.total}`);
  assert.equal(child(heavy, "spin").line, 1);
  const text = String(result);
  assert.match(text, /^Duration: \d+\.\d{3} s {3}Samples: \d+ in the tree of \d+ {3}Interval: 200 µs\n\n/);
  assert.match(text, /\n\d+\.\d{3} 100\.0% {2}\S+ {2}\S+calltree\.test\.js:\d+\n└─ \d+\.\d{3} +\d+\.\d% {2}main {2}In\[7\]:4( {2}\[self \d+\.\d{3}\])?\n {3}├─ \d+\.\d{3} +\d+\.\d% {2}heavy {2}In\[7\]:2( {2}\[self \d+\.\d{3}\])?\n/);
});

test("a statement string is rooted at its own script, named <module>", async () => {
  const result = await profile("main()", { interval: 0.0002 });
  assert.equal(result.root.name, "<module>");
  assert.equal(result.root.url, "<prun>");
  assert.equal(child(result.root, "main").children[0].name, "heavy");
});

test("a statement string whose work runs from the event loop is still rooted at <module>", async () => {
  const result = await profile("new Promise((r) => setTimeout(r, 5)).then(() => heavy())", { interval: 0.0002 });
  assert.equal(result.root.name, "<module>");
  assert.equal(result.root.url, "<prun>");
  assert.equal(result.root.line, 1);
  const callback = child(result.root, "(anonymous)");
  assert.equal(callback.url, "<prun>");
  assert.equal(child(callback, "heavy").children[0].name, "spin");
  assert.match(String(result), /\n\d+\.\d{3} 100\.0% {2}<module> {2}<prun>:1( {2}\[self \d+\.\d{3}\])?\n(├|└)─ \d+\.\d{3} +\d+\.\d% {2}\(anonymous\) {2}<prun>:1\n/);
});

test("a loop compiled before the profile started is still its own function's time", async () => {
  cell.warmCaller();
  const result = await profile(() => cell.warmCaller(), { interval: 0.0002 });
  const caller = child(result.root, "warmCaller");
  const loop = child(caller, "warmLoop");
  assert.ok(loop.total / caller.total > 0.7, `warmLoop's share of warmCaller ${loop.total / caller.total}`);
  assert.equal(flatRows(result.tree, ["time"])[0].name, "warmLoop");
});

test("the .cpuprofile is V8's profile as JSON", async () => {
  const result = await profile(() => cell.light(), { interval: 0.0002 });
  const parsed = JSON.parse(result.cpuProfileJson());
  assert.ok(Array.isArray(parsed.nodes) && parsed.nodes.length > 0);
  assert.ok(Array.isArray(parsed.samples) && Array.isArray(parsed.timeDeltas));
  assert.equal(parsed.samples.length, parsed.timeDeltas.length);
  assert.ok(parsed.endTime > parsed.startTime);
  assert.ok(parsed.nodes.some((n: { callFrame: { url: string } }) => n.callFrame.url === "In[7]"));
});

test("the flat table sorts like pstats", async () => {
  const result = await profile(() => cell.main(), { interval: 0.0002 });
  const rowsOf = (text: string) =>
    text.split("\n").slice(5).map((line) => ({ tottime: Number(line.slice(10, 18)), cumtime: Number(line.slice(28, 36)), label: line.slice(46) }));
  const byTime = rowsOf(result.flat(["time"]));
  assert.equal(byTime[0].label, "In[7]:1(spin)");
  for (let i = 1; i < byTime.length; i++) assert.ok(byTime[i - 1].tottime >= byTime[i].tottime);
  const cumulative = result.flat(["cumu"]);
  assert.match(cumulative, /^ {9}\d+ samples in \d+\.\d{3} seconds .*ncalls is \?\)\n\n {3}Ordered by: cumulative time\n\n {3}ncalls {2}tottime {2}percall {2}cumtime {2}percall filename:lineno\(function\)\n {8}\? /);
  const byCum = rowsOf(cumulative);
  for (let i = 1; i < byCum.length; i++) assert.ok(byCum[i - 1].cumtime >= byCum[i].cumtime);
  const rows = flatRows(result.tree, ["time"]);
  for (let i = 1; i < rows.length; i++) {
    const [a, b] = [rows[i - 1], rows[i]];
    if (a.tottime !== b.tottime) continue;
    assert.ok(a.cumtime >= b.cumtime, `equal tottime, then cumulative: ${a.name} before ${b.name}`);
    if (a.cumtime === b.cumtime) assert.ok(`${a.url}:${a.line}(${a.name})` < `${b.url}:${b.line}(${b.name})`, `then standard name: ${a.name} before ${b.name}`);
  }
  const byName = rowsOf(result.flat(["name"])).map((r) => r.label.replace(/^.*\((.*)\)$/, "$1"));
  assert.deepEqual(byName, [...byName].sort());
  assert.throws(() => result.flat(["n"]), (e) => e instanceof SortKeyError && /'n' is ambiguous \(ncalls, name, nfl\)/.test(e.message));
  assert.throws(() => result.flat(["speed"]), /unknown sort key 'speed'; allowed: calls, ncalls/);
});

test("a throwing statement still yields the tree of what ran, and the error", async () => {
  const result = await profile(() => cell.fails(), { interval: 0.0002 });
  assert.equal(result.failed, true);
  assert.ok(result.error instanceof TypeError && result.error.message === "bad value");
  assert.equal(child(child(result.root, "fails"), "light").name, "light");
  assert.match(String(result), /stopped by an error: partial/);
});

test("an async function resumed after await is placed under its first call", async () => {
  const result = await profile(() => cell.later(), { interval: 0.0002 });
  const later = result.root.name === "later" ? result.root : child(result.root, "later");
  assert.ok(child(later, "heavy").total > 0);
});

test("bad input names what was wrong and what is allowed", async () => {
  await assert.rejects(profile(() => 1, { interval: 0 }), (e) => e instanceof ProfileUsageError && /from 0\.00001 \(10 µs\) to 1 \(got 0\)/.test(e.message));
  await assert.rejects(profile(7 as unknown as string), /profile needs a function or a statement string \(got number\)/);
  const nested = await profile(() => profile(() => 1), { interval: 0.001 });
  assert.match(String((nested.error as Error).message), /a profile is already running/);
});

test("the result renders as a collapsible HTML tree", async () => {
  const result = await profile(() => cell.main(), { interval: 0.0002 });
  const bundle = result[toMimeBundle]();
  assert.equal(bundle["text/plain"], String(result));
  assert.match(String(bundle["text/html"]), /<details open[^>]*><summary>.*<b>main<\/b>/);
});
