import { spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import * as vm from "node:vm";
import { lineProfile, startLineProfile } from "../magics/engines/line/api";
import { runCell } from "../test/helpers/cells";

/**
 * %lprun's costs, side by side with Python's line_profiler on the same algorithms:
 * per line event on a tight loop (fibList(100000), target ≤ 45 ns), slowdown on countCommon over
 * two 4000-element arrays (target ≤ 1.15×), and switching one function on and off.
 */

const WORKLOAD = `function lcgB(seed) { let s = seed >>> 0; return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) % 10000; }
function makeDataB(n, seed) { const r = lcgB(seed); const a = []; for (let i = 0; i < n; i++) a.push(r()); return a; }
var benchData1 = makeDataB(4000, 1), benchData2 = makeDataB(4000, 2);
function benchCountCommon(data1, data2) {
  let matches = 0;
  for (const v of data1) {
    if (data2.includes(v)) {
      matches++;
    }
  }
  return matches;
}
function benchFibList(n) {
  const out = [0, 1];
  for (let i = 2; i < n; i++) {
    out.push((out[i - 1] + out[i - 2]) % 1000000007);
  }
  return out;
}`;

const PYTHON = `
import time
from line_profiler import LineProfiler
def lcg(seed):
    s = seed & 0xffffffff
    def r():
        nonlocal s
        s = (s * 1664525 + 1013904223) & 0xffffffff
        return s % 10000
    return r
def make_data(n, seed):
    r = lcg(seed)
    return [r() for _ in range(n)]
data1, data2 = make_data(4000, 1), make_data(4000, 2)
def count_common(data1, data2):
    matches = 0
    for v in data1:
        if v in data2:
            matches += 1
    return matches
def fib_list(n):
    out = [0, 1]
    for i in range(2, n):
        out.append((out[i - 1] + out[i - 2]) % 1000000007)
    return out
def best(f, args, reps):
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter(); f(*args); ts.append(time.perf_counter() - t0)
    return min(ts)
for f, args, reps in [(fib_list, (100000,), 10), (count_common, (data1, data2), 5)]:
    plain = best(f, args, reps)
    lp = LineProfiler()
    pf = lp(f)
    prof = best(pf, args, reps)
    events = sum(hits for _, hits, _ in list(lp.get_stats().timings.values())[0]) / reps
    print(f"{f.__name__} {plain*1e3:.3f} {prof*1e3:.3f} {events:.0f}")
`;

function best(fn: () => unknown, reps: number): number {
  let min = Infinity;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

function python(): Map<string, { plain: number; profiled: number; events: number }> | string {
  const run = spawnSync("/usr/bin/python3", ["-c", PYTHON], { encoding: "utf8", timeout: 120_000 });
  if (run.status !== 0) return (run.stderr || run.error?.message || "python3 failed").trim().split("\n").pop()!;
  const out = new Map<string, { plain: number; profiled: number; events: number }>();
  for (const line of run.stdout.trim().split("\n")) {
    const [name, plain, profiled, events] = line.split(" ");
    out.set(name, { plain: Number(plain), profiled: Number(profiled), events: Number(events) });
  }
  return out;
}

export async function run(): Promise<void> {
  runCell("bench-lprun", WORKLOAD);
  const fib = vm.runInThisContext("benchFibList") as (n: number) => number[];
  const count = vm.runInThisContext("benchCountCommon") as (a: number[], b: number[]) => number;
  const [d1, d2] = [vm.runInThisContext("benchData1"), vm.runInThisContext("benchData2")] as number[][];

  const fibPlain = best(() => fib(100000), 10);
  const fibProfiler = startLineProfile(fib);
  const fibProfiled = best(() => fib(100000), 10);
  const fibEvents = fibProfiler.stop().functions[0].lines.reduce((sum, l) => sum + l.hits, 0) / 10;
  const fibNs = ((fibProfiled - fibPlain) * 1e6) / fibEvents;

  const countPlain = best(() => count(d1, d2), 7);
  const countProfiler = startLineProfile(count);
  const countProfiled = best(() => count(d1, d2), 7);
  countProfiler.stop();

  const costs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const outcome = await lineProfile([count], () => 0);
    costs.push(outcome.switchMs + outcome.offMs);
  }
  const py = python();

  console.log("%lprun (line instrumentation behind a profiling switch) beside Python line_profiler");
  console.log(`  fibList(100000), per line event: ${fibNs.toFixed(1)} ns (target <= 45 ns; plain ${fibPlain.toFixed(2)} ms, profiled ${fibProfiled.toFixed(2)} ms, ${fibEvents} events)`);
  if (typeof py !== "string") {
    const f = py.get("fib_list")!;
    console.log(`  fib_list(100000), Python line_profiler: ${(((f.profiled - f.plain) * 1e6) / f.events).toFixed(1)} ns per event (plain ${f.plain.toFixed(2)} ms, profiled ${f.profiled.toFixed(2)} ms)`);
  }
  console.log(`  countCommon n=4000, slowdown: ${(countProfiled / countPlain).toFixed(3)}x (target <= 1.15x; plain ${countPlain.toFixed(2)} ms, profiled ${countProfiled.toFixed(2)} ms)`);
  if (typeof py !== "string") {
    const c = py.get("count_common")!;
    console.log(`  count_common n=4000, Python line_profiler: ${(c.profiled / c.plain).toFixed(3)}x (plain ${c.plain.toFixed(2)} ms, profiled ${c.profiled.toFixed(2)} ms)`);
  } else console.log(`  Python line_profiler not run: ${py}`);
  console.log(`  switch one function on and off: best ${Math.min(...costs).toFixed(2)} ms, median ${costs.sort((a, b) => a - b)[2].toFixed(2)} ms`);
}

if (require.main === module) void run();
