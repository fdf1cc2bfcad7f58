import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { CellRunner } from "../kernel/execute/runner";
import { SharedState } from "../kernel/shared-state";
import { transpile } from "../kernel/ts-loader";
import { lineProfile, memoryProfile, startLineProfile } from "../magics/engines/line/api";
import { installLoader } from "../magics/engines/line/loader";
import { addProfileSwitches } from "../magics/engines/line/switches";
import { availableNodes } from "./nodes";

/**
 * The line profilers' costs on every Node at hand, in one run, beside Python's line_profiler and
 * memory_profiler: the cost of a line event under %lprun and %mprun, and what the profiling
 * switches cost when nothing is profiled: a CPU-bound function defined in a cell, and the same
 * function in a local module, against `node script.js`, before and after a profile of it.
 */

const CPU_CODE = `function work(): number {
  let primes = 0;
  const sieve = new Uint8Array(4_000_000);
  for (let i = 2; i < sieve.length; i++) {
    if (sieve[i]) continue;
    primes++;
    for (let j = i * 2; j < sieve.length; j += i) sieve[j] = 1;
  }
  let h = 0;
  for (let i = 0; i < 2e7; i++) h = (h * 31 + i) % 1000003;
  return primes + h;
}
function fibList(n: number): number[] {
  const out = [0, 1];
  for (let i = 2; i < n; i++) {
    out.push((out[i - 1] + out[i - 2]) % 1000000007);
  }
  return out;
}
`;

const MEDIAN_OF = 9;
const ROUNDS = 3;

function medianMs(fn: () => unknown): number {
  const times: number[] = [];
  for (let k = 0; k < MEDIAN_OF; k++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[MEDIAN_OF >> 1];
}

function bestMs(fn: () => unknown, reps: number): number {
  let min = Infinity;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

interface NodeFigures {
  version: string;
  lineEventNs: number;
  mprunEventUs: number;
  scriptMs: number;
  cell: { before: number; after: number };
  module: { before: number; after: number };
  compileMs: number;
  sizeRatio: number;
}

/** `node script.js`: the same code compiled by Node alone, in a process of its own. */
function scriptMs(dir: string): number {
  const script = path.join(dir, "cpu-bound.js");
  const timer = `const t = []; for (let k = 0; k < ${MEDIAN_OF}; k++) { const t0 = performance.now(); work(); t.push(performance.now() - t0); }`;
  fs.writeFileSync(script, `${transpile(CPU_CODE, script)}\n${timer}\nconsole.log(t.sort((a, b) => a - b)[${MEDIAN_OF >> 1}]);\n`);
  const run = spawnSync(process.execPath, [script], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`node ${script} failed: ${run.stderr}`);
  return Number(run.stdout.trim());
}

async function measureHere(): Promise<NodeFigures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsprof-line-nodes-"));
  const runner = new CellRunner(new SharedState());
  await runner.evaluate(CPU_CODE, "In[1]");
  const cellWork = (globalThis as unknown as { work: () => number }).work;
  const fib = (globalThis as unknown as { fibList: (n: number) => number[] }).fibList;

  installLoader({ switches: true });
  const moduleFile = path.join(dir, "cpu-module.ts");
  fs.writeFileSync(moduleFile, CPU_CODE.replace(/^function /gm, "export function "));
  const moduleWork = (require(moduleFile) as { work: () => number }).work;

  // Rounds interleave the three so that a busy moment of a shared machine hits all of them.
  const rounds = () => {
    const best = { script: Infinity, cell: Infinity, module: Infinity };
    for (let round = 0; round < ROUNDS; round++) {
      best.script = Math.min(best.script, scriptMs(dir));
      best.cell = Math.min(best.cell, medianMs(cellWork));
      best.module = Math.min(best.module, medianMs(moduleWork));
    }
    return best;
  };
  const before = rounds();
  await lineProfile([cellWork, moduleWork], () => [cellWork(), moduleWork()]);
  const after = rounds();

  const fibPlain = bestMs(() => fib(100000), 10);
  const profiler = startLineProfile(fib);
  const fibProfiled = bestMs(() => fib(100000), 10);
  const events = profiler.stop().functions[0].lines.reduce((sum, l) => sum + l.hits, 0) / 10;

  const mFib = () => fib(20000);
  const mPlain = bestMs(mFib, 5);
  const t0 = performance.now();
  const { result } = await memoryProfile([fib], mFib);
  const mProfiled = performance.now() - t0;
  const mEvents = result.functions[0].lines.reduce((sum, l) => sum + l.occurrences, 0);

  const js = transpile(CPU_CODE, "In[2]", "cell");
  const c0 = performance.now();
  let switched = "";
  for (let i = 0; i < 50; i++) switched = addProfileSwitches(js, "In[2]", { kind: "cell" })!;
  return {
    version: process.version,
    lineEventNs: ((fibProfiled - fibPlain) * 1e6) / events,
    mprunEventUs: ((mProfiled - mPlain) * 1e3) / mEvents,
    scriptMs: Math.min(before.script, after.script),
    cell: { before: before.cell, after: after.cell },
    module: { before: before.module, after: after.module },
    compileMs: (performance.now() - c0) / 50,
    sizeRatio: switched.length / js.length,
  };
}

const PYTHON = `
import sys, time
from line_profiler import LineProfiler
import memory_profiler
def fib_list(n):
    out = [0, 1]
    for i in range(2, n):
        out.append((out[i - 1] + out[i - 2]) % 1000000007)
    return out
def best(f, reps):
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter(); f(); ts.append(time.perf_counter() - t0)
    return min(ts)
plain = best(lambda: fib_list(100000), 10)
lp = LineProfiler(); pf = lp(fib_list)
prof = best(lambda: pf(100000), 10)
events = sum(h for _, h, _ in list(lp.get_stats().timings.values())[0]) / 10
mplain = best(lambda: fib_list(20000), 5)
mp = memory_profiler.LineProfiler(); mf = mp(fib_list)
t0 = time.perf_counter(); mf(20000); mprof = time.perf_counter() - t0
print(f"{(prof - plain) * 1e9 / events:.1f} {(mprof - mplain) * 1e6 / 39999:.2f}")
`;

/** line_profiler's ns and memory_profiler's µs per line event, or why they could not be measured. */
function pythonAnchors(): { lineNs: number; memoryUs: number } | string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsprof-line-py-"));
  const file = path.join(dir, "anchors.py");
  fs.writeFileSync(file, PYTHON);
  const run = spawnSync("/usr/bin/python3", [file], { encoding: "utf8", timeout: 300_000 });
  if (run.status !== 0) return (run.stderr || run.error?.message || "python3 failed").trim().split("\n").pop()!;
  const [lineNs, memoryUs] = run.stdout.trim().split(" ").map(Number);
  return { lineNs, memoryUs };
}

const ratio = (a: number, b: number) => `${(a / b).toFixed(3)}`;

export async function run(): Promise<void> {
  const py = pythonAnchors();
  const rows: string[] = [];
  for (const node of availableNodes()) {
    const child = spawnSync(node, [__filename, "--measure"], { encoding: "utf8", timeout: 600_000 });
    if (child.status !== 0) {
      rows.push(`${node}: failed: ${(child.stderr || "").trim().split("\n").slice(-3).join(" | ")}`);
      continue;
    }
    const f = JSON.parse(child.stdout.trim().split("\n").pop()!) as NodeFigures;
    const anchorNs = typeof py === "string" ? undefined : py.lineNs;
    const anchorUs = typeof py === "string" ? undefined : py.memoryUs;
    rows.push(
      [
        `Node ${f.version}`,
        `  %lprun line event: ${f.lineEventNs.toFixed(1)} ns` +
          (anchorNs ? `, line_profiler ${anchorNs.toFixed(1)} ns, ratio ${ratio(f.lineEventNs, anchorNs)} (target <= 0.25)` : ""),
        `  %mprun line event: ${f.mprunEventUs.toFixed(2)} µs` +
          (anchorUs ? `, memory_profiler ${anchorUs.toFixed(2)} µs, ratio ${ratio(f.mprunEventUs, anchorUs)}` : ""),
        `  CPU-bound function / node script.js (${f.scriptMs.toFixed(1)} ms), target <= 1.05:`,
        `    in a cell:   before a profile ${ratio(f.cell.before, f.scriptMs)} (${f.cell.before.toFixed(1)} ms), after ${ratio(f.cell.after, f.scriptMs)} (${f.cell.after.toFixed(1)} ms)`,
        `    in a module: before a profile ${ratio(f.module.before, f.scriptMs)} (${f.module.before.toFixed(1)} ms), after ${ratio(f.module.after, f.scriptMs)} (${f.module.after.toFixed(1)} ms)`,
        `  switches: ${f.compileMs.toFixed(2)} ms to compile the 2-function cell, ${f.sizeRatio.toFixed(2)}x its JavaScript`,
      ].join("\n"),
    );
  }
  console.log("Line profilers on every Node at hand (one run), beside Python's line_profiler 4 and memory_profiler");
  if (typeof py === "string") console.log(`  Python anchors not run: ${py}`);
  console.log(rows.join("\n"));
}

if (require.main === module) {
  if (process.argv[2] === "--measure") {
    measureHere().then(
      (figures) => {
        process.stdout.write(`${JSON.stringify(figures)}\n`);
        process.exit(0);
      },
      (error) => {
        process.stderr.write(`${error?.stack ?? error}\n`);
        process.exit(1);
      },
    );
  } else void run();
}
