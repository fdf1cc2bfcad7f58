import { spawnSync } from "node:child_process";
import { memit } from "../magics/engines/memory/api";

/**
 * %memit on the case: a function that fills and drops a 10000×10000 Float64Array
 * (762.9 MiB) and returns a number. Target: 20 of 20 runs within 2% of 762.9 MiB. Beside it,
 * memory_profiler's memory_usage on the numpy equivalent when python3 has both.
 */

const EXPECTED_MIB = (10000 * 10000 * 8) / 2 ** 20;
const RUNS = 20;

function fillAndDrop(): number {
  const a = new Float64Array(10000 * 10000);
  a.fill(1);
  return a[12345];
}

const PYTHON = `
import sys
from memory_profiler import memory_usage
import numpy as np
def fill_and_drop():
    a = np.empty((10000, 10000))
    a.fill(1.0)
    return float(a[1, 2])
for _ in range(${RUNS}):
    baseline = memory_usage()[0]
    peak = memory_usage((fill_and_drop, (), {}), interval=0.1, max_usage=True, max_iterations=1)
    peak = peak[0] if isinstance(peak, list) else peak
    print(f"{peak - baseline:.2f}")
`;

function within(value: number): boolean {
  return Math.abs(value - EXPECTED_MIB) <= EXPECTED_MIB * 0.02;
}

export async function run(): Promise<void> {
  console.log(`%memit of fillAndDrop() (expected increment ${EXPECTED_MIB.toFixed(2)} MiB), ${RUNS} runs:`);
  const increments: number[] = [];
  let method = "";
  for (let i = 0; i < RUNS; i++) {
    const result = await memit(fillAndDrop);
    increments.push(result.increment);
    method = result.methodText();
  }
  console.log(`  tsprof (${method}): ${increments.map((v) => v.toFixed(2)).join(" ")}`);
  console.log(`  tsprof: ${increments.filter(within).length} of ${RUNS} within 2%`);

  const python = "/usr/bin/python3";
  const probe = spawnSync(python, ["-c", "import memory_profiler, numpy"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) {
    const why = probe.error ? `${python} not found` : (probe.stderr.trim().split("\n").pop() ?? "import failed");
    console.log(`  memory_profiler on numpy: skipped (${why})`);
    return;
  }
  const py = spawnSync(python, ["-c", PYTHON], { encoding: "utf8", timeout: 600_000 });
  const values = py.stdout.trim().split("\n").filter(Boolean).map(Number);
  console.log(`  memory_profiler 0.1 s sampling: ${values.map((v) => v.toFixed(2)).join(" ")}`);
  console.log(`  memory_profiler: ${values.filter(within).length} of ${values.length} within 2%`);
}

if (require.main === module) void run();
