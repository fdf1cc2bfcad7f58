import { spawnSync } from "node:child_process";
import { compileLoop } from "../magics/engines/timing/compile-loop";
import { formatTime } from "../magics/engines/timing/format-time";
import { measureTimeit } from "../magics/engines/timing/timeit";
import { TimeitResult } from "../magics/render/timing-report";

/**
 * %timeit's loop overhead: an empty statement timed like `%timeit` (autorange, 7 runs), per loop,
 * beside Python's `pass` timed the same way (IPython's powers-of-ten autorange on timeit.Timer,
 * which is %timeit's inner loop) and, when IPython is installed, `%timeit pass` itself.
 * Target: ≤ 1 ns per loop.
 */

const PYTHON_TIMER = `
import timeit, statistics
timer = timeit.Timer("pass")
for k in range(10):
    number = 10 ** k
    if timer.timeit(number) >= 0.2:
        break
per_loop = [t / number for t in timer.repeat(7, number)]
print(number, statistics.fmean(per_loop), statistics.pstdev(per_loop), min(per_loop))
`;

export async function run(): Promise<void> {
  console.log("%timeit loop overhead, empty statement (mean ± std. dev. of 7 runs, best):");
  for (const [label, statement] of [
    ["tsprof %timeit ''", ""],
    ["tsprof %timeit 'x + 1' (global x)", "x + 1"],
  ] as const) {
    (globalThis as Record<string, unknown>).x = 3;
    const result = new TimeitResult(await measureTimeit(compileLoop(statement)));
    console.log(`  ${label.padEnd(38)} ${String(result)}; best ${formatTime(result.best)}`);
  }

  const python = "/usr/bin/python3";
  const py = spawnSync(python, ["-c", PYTHON_TIMER], { encoding: "utf8", timeout: 120_000 });
  if (py.error || py.status !== 0) {
    console.log(`  python timeit 'pass': skipped (${py.error ? `${python} not found` : py.stderr.trim().split("\n").pop()})`);
    return;
  }
  const [number, mean, std, best] = py.stdout.trim().split(/\s+/).map(Number);
  console.log(
    `  ${"python3 timeit.Timer('pass')".padEnd(38)} ${formatTime(mean)} ± ${formatTime(std)} per loop ` +
      `(7 runs, ${number.toLocaleString("en-US")} loops each); best ${formatTime(best)}`,
  );
  const ipython = spawnSync(python, ["-m", "IPython", "--quick", "--no-banner", "--no-term-title", "-c", "%timeit pass"], {
    encoding: "utf8",
    timeout: 120_000,
  });
  if (ipython.status === 0 && ipython.stdout.trim()) {
    console.log(`  ${"IPython %timeit pass".padEnd(38)} ${stripTerminalCodes(ipython.stdout).trim().split("\n").pop()}`);
  } else {
    console.log("  IPython %timeit pass: skipped (IPython not installed for /usr/bin/python3)");
  }
}

function stripTerminalCodes(text: string): string {
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07/g, "");
}
