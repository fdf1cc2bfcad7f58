import { spawn } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import Table = require("cli-table3");
import { installKernel, KernelBridge, kernelbenchDir, missingJupyter, python, resultText, type KernelInstall } from "../test/helpers/kernel-bridge";

/**
 * The kernel's numbers from issue 2, tsprof beside Debian's ipykernel in one run: kernelbench's
 * bench.py (cold start, `1+1` round trip, top-level vs in-function loop, RSS, interrupt), and a
 * CPU-bound function timed inside the kernel against the same code run by `node script.js`.
 */

const ANCHOR = "python3";

/** Times `work()` 9 times in the running process and evaluates to the median in ms. */
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
function medianMs(): number {
  const times: number[] = [];
  for (let k = 0; k < 9; k++) {
    const t0 = performance.now();
    work();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[4];
}
`;

interface BenchResult {
  kernel: string;
  error?: string;
  cold_start_s?: { median: number };
  trivial_done_s?: { median: number };
  cpu_toplevel_s?: { median: number };
  cpu_function_s?: { median: number };
  rss_after_start?: { kernel_mib: number; tree_mib: number };
  interrupt?: { seconds?: number; ename?: string; note?: string };
}

function runBenchPy(install: KernelInstall, kernels: string[]): Promise<BenchResult[]> {
  const args = [path.join(kernelbenchDir, "bench.py"), ...kernels, "--cwd", install.cwd, "--starts", "5", "--reps", "50"];
  return new Promise((resolve, reject) => {
    const child = spawn(python, args, { env: install.env, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("exit", (code) => {
      if (code !== 0) reject(new Error(`bench.py exited with ${code}`));
      else resolve((JSON.parse(out) as { results: BenchResult[] }).results);
    });
  });
}

/** Two medians each: the first call (the cell's own run, type check beside it in the kernel) and a second call. */
interface CpuFigures {
  kernel: number[];
  node: number[];
}

async function nodeScriptMs(install: KernelInstall): Promise<number[]> {
  const script = path.join(install.cwd, "cpu-bound.js");
  const { transpile } = await import("../kernel/ts-loader");
  writeFileSync(script, `${transpile(CPU_CODE, script)}\nconsole.log(medianMs());\nconsole.log(medianMs());\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("exit", (code) => (code === 0 ? resolve(out.trim().split("\n").map(Number)) : reject(new Error(`node ${script} exited with ${code}`))));
  });
}

async function kernelMs(install: KernelInstall): Promise<number[]> {
  const kernel = await KernelBridge.start(install);
  try {
    const medians: number[] = [];
    for (const code of [`${CPU_CODE}medianMs()`, "medianMs()"]) {
      const answer = await kernel.execute(code, { timeout: 120 });
      if (answer.reply.status !== "ok") throw new Error(`kernel run failed: ${JSON.stringify(answer.reply)}`);
      medians.push(Number(resultText(answer.outputs)));
    }
    return medians;
  } finally {
    await kernel.close();
  }
}

const fixed = (digits: number) => (value: number | undefined) => (value === undefined ? "-" : value.toFixed(digits));

function table(results: BenchResult[], cpu: CpuFigures): string {
  const columns = results.map((r) => r.kernel);
  const out = new Table({ head: ["metric", "target (tsprof)", ...columns], style: { head: [], border: [] } });
  const row = (label: string, target: string, cell: (r: BenchResult) => string) =>
    out.push([label, target, ...results.map((r) => (r.error ? `error: ${r.error}` : cell(r)))]);
  row("cold start → kernel_info_reply, median (s)", "≤ 0.15", (r) => fixed(3)(r.cold_start_s?.median));
  row("`1+1` until idle, median (ms)", "≤ 2", (r) => fixed(2)(r.trivial_done_s && r.trivial_done_s.median * 1000));
  row("1e7 loop at top level (s)", "", (r) => fixed(3)(r.cpu_toplevel_s?.median));
  row("1e7 loop in a function (s)", "", (r) => fixed(3)(r.cpu_function_s?.median));
  row("top level / in function", "≤ 1.5", (r) =>
    r.cpu_toplevel_s && r.cpu_function_s ? fixed(2)(r.cpu_toplevel_s.median / r.cpu_function_s.median) : "-");
  row("RSS after start, kernel / tree (MiB)", "≤ 90", (r) => (r.rss_after_start ? `${r.rss_after_start.kernel_mib} / ${r.rss_after_start.tree_mib}` : "-"));
  row("interrupt → reply (s)", "≤ 0.1", (r) =>
    r.interrupt?.seconds !== undefined ? `${r.interrupt.seconds} (${r.interrupt.ename})` : `failed: ${r.interrupt?.note ?? "-"}`);
  const cpuRow = (label: string, index: number) =>
    out.push([
      label,
      "≤ 1.10",
      ...results.map((r) =>
        r.kernel === "tsprof" ? `${(cpu.kernel[index] / cpu.node[index]).toFixed(2)} (${cpu.kernel[index].toFixed(1)} / ${cpu.node[index].toFixed(1)} ms)` : "-"),
    ]);
  cpuRow("CPU-bound fn, kernel / `node script.js`, first run", 0);
  cpuRow("CPU-bound fn, kernel / `node script.js`, second run", 1);
  return out.toString();
}

export async function run(): Promise<void> {
  const missing = missingJupyter() ?? (existsSync(kernelbenchDir) ? undefined : `kernelbench not found at ${kernelbenchDir}`);
  if (missing) {
    process.stdout.write(`kernel benchmark skipped: ${missing}\n`);
    return;
  }
  const install = installKernel();
  try {
    const anchor = existsSync(`/usr/share/jupyter/kernels/${ANCHOR}/kernel.json`) ? [ANCHOR] : [];
    process.stdout.write(`kernel benchmark: kernelbench bench.py for tsprof${anchor.length ? " beside ipykernel" : ""} (about a minute)\n`);
    const results = await runBenchPy(install, ["tsprof", ...anchor]);
    const cpu = { node: await nodeScriptMs(install), kernel: await kernelMs(install) };
    process.stdout.write(`${table(results, cpu)}\n`);
  } finally {
    install.remove();
  }
}
