import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import Table = require("cli-table3");
import { installKernel, KernelBridge, missingJupyter, resultText, type KernelInstall } from "../test/helpers/kernel-bridge";

/**
 * Top-level loops in a cell beside the same loop in a function and under `node script.js`, in
 * one run: under a fresh name, and under names that a parameter or local of some function in the
 * notebook also uses (`s`, `sum`, `total`, `i`, `result`), which must not send the loop to the
 * slow path. Each figure is the median of REPS runs, in ms.
 */
const REPS = 7;

/** Declares parameters and locals named like the loops' variables, in a cell of its own. */
const COLLIDING_FUNCTIONS = `function uses(s: number, sum: number, total: number) { let i = 0, result = 0; for (; i < 3; i++) result += s + sum + total; return result }
function more(result: number[]) { const x = result.length; return x }`;

interface LoopCase {
  label: string;
  /** The loop; it leaves its result in `name`. */
  loop: (name: string, outer: string, inner: string) => string;
  fresh: [string, string, string];
  colliding: [string, string, string];
}

const CASES: LoopCase[] = [
  {
    label: "s += Math.sqrt(i), 2e7",
    loop: (name, i) => `let ${name} = 0\nfor (let ${i} = 0; ${i} < 2e7; ${i}++) ${name} += Math.sqrt(${i})`,
    fresh: ["acc9", "k9", ""],
    colliding: ["s", "i", ""],
  },
  {
    label: "nested XOR sum, 4000²",
    loop: (name, i, j) => `let ${name} = 0\nfor (let ${i} = 0; ${i} < 4000; ${i}++) for (let ${j} = 0; ${j} < 4000; ${j}++) ${name} ^= ${i} * ${j}`,
    fresh: ["xor9", "p9", "q9"],
    colliding: ["result", "i", "total"],
  },
];

const timedCell = (body: string, name: string) => `const t0Bench = performance.now()\n${body}\nconst msBench = performance.now() - t0Bench\n;[msBench, ${name}]`;
const inFunction = (body: string, name: string) => `function benchFn() {\n${body}\nreturn ${name}\n}\nconst t0Bench = performance.now()\nconst valueBench = benchFn()\n;[performance.now() - t0Bench, valueBench]`;

async function kernelMedian(kernel: KernelBridge, code: string): Promise<number> {
  const times: number[] = [];
  for (let rep = 0; rep < REPS; rep++) {
    const answer = await kernel.execute(code, { timeout: 120 });
    if (answer.reply.status !== "ok") throw new Error(`cell failed: ${JSON.stringify(answer.reply)}\n${code}`);
    times.push(Number(/^\[ ([\d.e+-]+),/.exec(resultText(answer.outputs) ?? "")?.[1]));
  }
  return median(times);
}

function nodeMedian(install: KernelInstall, body: string, name: string): Promise<number> {
  const script = path.join(install.cwd, "toplevel-loop.js");
  const once = `{\nconst t0 = performance.now()\n${body.replace(/^let /, "var ")}\ntimes.push(performance.now() - t0)\n}`;
  writeFileSync(script, `const times = []\n${Array(REPS).fill(once).join("\n")}\ntimes.sort((a, b) => a - b)\nconsole.log(times[${REPS >> 1}])\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("exit", (code) => (code === 0 ? resolve(Number(out.trim())) : reject(new Error(`node ${script} exited with ${code}`))));
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

export async function run(): Promise<void> {
  const missing = missingJupyter();
  if (missing) {
    process.stdout.write(`top-level loop benchmark skipped: ${missing}\n`);
    return;
  }
  const install = installKernel();
  const kernel = await KernelBridge.start(install);
  try {
    process.stdout.write(`top-level loops: median of ${REPS} runs each, ms (about a minute)\n`);
    await kernel.execute(COLLIDING_FUNCTIONS);
    const table = new Table({
      head: ["loop", "top level, fresh names", "top level, colliding names", "in a function", "node script.js", "colliding / fresh", "colliding / function", "colliding / node"],
      style: { head: [], border: [] },
    });
    for (const loopCase of CASES) {
      const [name, i, j] = loopCase.fresh;
      const [cname, ci, cj] = loopCase.colliding;
      const fresh = await kernelMedian(kernel, timedCell(loopCase.loop(name, i, j), name));
      const colliding = await kernelMedian(kernel, timedCell(loopCase.loop(cname, ci, cj), cname));
      const fn = await kernelMedian(kernel, inFunction(loopCase.loop(name, i, j), name));
      const node = await nodeMedian(install, loopCase.loop(name, i, j), name);
      table.push([loopCase.label, fresh.toFixed(1), colliding.toFixed(1), fn.toFixed(1), node.toFixed(1), (colliding / fresh).toFixed(2), (colliding / fn).toFixed(2), (colliding / node).toFixed(2)]);
    }
    process.stdout.write(`${table.toString()}\n`);
  } finally {
    await kernel.close();
    install.remove();
  }
}
