import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import * as vm from "node:vm";
import { memoryProfile } from "../magics/engines/line/api";
import { runCell } from "../test/helpers/cells";

/**
 * %mprun's costs beside memory_profiler's: the cost per line event (target ≤ 2 µs) on a tight
 * loop, and the Peak column of a line that fills and drops a 10000×10000 Float64Array
 * (762.9 MiB): 20 of 20 runs within 2%.
 */

const EXPECTED_MIB = (10000 * 10000 * 8) / 2 ** 20;
const RUNS = 20;
const WORKLOAD = `function mbenchFib(n) {
  const out = [0, 1];
  for (let i = 2; i < n; i++) {
    out.push((out[i - 1] + out[i - 2]) % 1000000007);
  }
  return out;
}
function mbenchFillAndDrop() {
  const x = new Float64Array(10000 * 10000).fill(1)[12345];
  return x;
}`;

const PYTHON = `
import time
from memory_profiler import LineProfiler
def fib_list(n):
    out = [0, 1]
    for i in range(2, n):
        out.append((out[i - 1] + out[i - 2]) % 1000000007)
    return out
t0 = time.perf_counter(); fib_list(20000); plain = time.perf_counter() - t0
lp = LineProfiler()
pf = lp(fib_list)
t0 = time.perf_counter(); pf(20000); prof = time.perf_counter() - t0
print(f"{(prof - plain) / 39999 * 1e6:.2f} {plain*1e3:.2f} {prof*1e3:.1f}")
`;

export async function run(): Promise<void> {
  runCell("bench-mprun", WORKLOAD);
  const fib = vm.runInThisContext("mbenchFib") as (n: number) => number[];
  const fillAndDrop = vm.runInThisContext("mbenchFillAndDrop") as () => number;

  let plain = Infinity;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    fib(100000);
    plain = Math.min(plain, performance.now() - t0);
  }
  const t0 = performance.now();
  const { result } = await memoryProfile([fib], () => fib(100000));
  const profiled = performance.now() - t0;
  const events = result.functions[0].lines.reduce((sum, l) => sum + l.occurrences, 0);
  const perEventUs = ((profiled - plain) * 1e3) / events;

  const peaks: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const outcome = await memoryProfile([fillAndDrop], () => fillAndDrop());
    const [def, line] = outcome.result.functions[0].lines;
    peaks.push(line.peak - def.usage);
  }
  const good = peaks.filter((p) => Math.abs(p - EXPECTED_MIB) <= EXPECTED_MIB * 0.02).length;

  // memory_profiler reads the function's source file, so the anchor runs from a file.
  const pyFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "tsprof-mprun-")), "fib_mprof.py");
  fs.writeFileSync(pyFile, PYTHON);
  const py = spawnSync("/usr/bin/python3", [pyFile], { encoding: "utf8", timeout: 120_000 });
  console.log(`%mprun (instrumented line events, ${result.data.method}) beside memory_profiler`);
  console.log(`  fibList(100000), per line event: ${perEventUs.toFixed(2)} µs (target <= 2 µs; plain ${plain.toFixed(2)} ms, profiled ${profiled.toFixed(0)} ms, ${events} events)`);
  if (py.status === 0) {
    const [us, pyPlain, pyProf] = py.stdout.trim().split(" ");
    console.log(`  fib_list(20000), memory_profiler: ${us} µs per event (plain ${pyPlain} ms, profiled ${pyProf} ms)`);
  } else console.log(`  memory_profiler not run: ${(py.stderr || "python3 failed").trim().split("\n").pop()}`);
  console.log(`  Peak of the fill-and-drop line (expected ${EXPECTED_MIB.toFixed(1)} MiB above the call): ${good} of ${RUNS} within 2%`);
  console.log(`    ${peaks.map((p) => p.toFixed(1)).join(" ")}`);
}

if (require.main === module) void run();
