import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  installKernel,
  KernelBridge,
  missingJupyter,
  outputsOf,
  resultText,
  streamText,
  type KernelInstall,
  type Output,
} from "./helpers/kernel-bridge";

const skip = missingJupyter();

/** IPython's time units (outputs.md): 3 significant digits and ns, µs, ms or s. */
const T = String.raw`[\d.]+ (?:ns|µs|ms|s)`;

/** The text a user sees: streams and the text/plain of rich outputs, in order. */
function visibleText(outputs: Output[]): string {
  return outputs.map((o) => (o.msg_type === "stream" ? o.content.text : o.content.data?.["text/plain"] ?? "")).join("");
}

describe("profiling magics end to end", { skip }, () => {
  let install: KernelInstall;
  let kernel: KernelBridge;

  before(async () => {
    install = installKernel();
    kernel = await KernelBridge.start(install);
    await ok(`function fib(n: number): number { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
function tiny(): number { let s = 0; for (let i = 0; i < 100; i++) s += i; return s; }`);
  });

  after(async () => {
    await kernel?.close();
    install?.remove();
  });

  async function ok(code: string) {
    const answer = await kernel.execute(code, { timeout: 120 });
    assert.equal(answer.reply.status, "ok", `${code}\n→ ${JSON.stringify(answer.reply)}\n${JSON.stringify(answer.outputs)}`);
    return answer;
  }

  async function usageError(code: string, mentions: RegExp) {
    const answer = await kernel.execute(code);
    assert.equal(answer.reply.status, "error", `${code} should fail`);
    assert.equal(answer.reply.ename, "UsageError", JSON.stringify(answer.reply));
    assert.match(streamText(answer.outputs, "stderr"), /^UsageError: /);
    assert.match(answer.reply.evalue, mentions);
  }

  test("%time prints CPU and wall time and returns the value", async () => {
    const answer = await ok("%time fib(20)");
    assert.match(streamText(answer.outputs, "stdout"), new RegExp(`^CPU times: user ${T}, sys: ${T}, total: ${T}\nWall time: ${T}\n$`));
    assert.equal(resultText(answer.outputs), "6765");
  });

  test("%timeit -n 10 -r 2 prints IPython's line", async () => {
    const text = streamText((await ok("%timeit -n 10 -r 2 fib(15)")).outputs, "stdout");
    assert.match(text, new RegExp(`^${T} ± ${T} per loop \\(mean ± std\\. dev\\. of 2 runs, 10 loops each\\)$`, "m"));
  });

  test("%timeit bad numbers are UsageErrors naming the option", async () => {
    await usageError("%timeit -n -5 tiny()", /-n/);
    await usageError("%timeit -r 0 tiny()", /-r/);
    await usageError("%timeit -n abc tiny()", /-n|abc/);
    assert.equal(resultText((await ok("1+1")).outputs), "2");
  });

  test("a magic line without a statement is a UsageError showing the magic's usage", async () => {
    for (const [line, name] of [
      ["%timeit", "timeit"],
      ["%time", "time"],
      ["%lprun", "lprun"],
      ["%lprun -f fib", "lprun"],
      ["%memit", "memit"],
      ["%prun", "prun"],
      ["%mprun -f fib", "mprun"],
      ["%timeit -n 5", "timeit"],
      ["%timeit --", "timeit"],
      ["%scaling -n 10..40", "scaling"],
    ]) {
      const answer = await kernel.execute(line);
      assert.equal(answer.reply.status, "error", `${line} should fail: ${JSON.stringify(answer.outputs)}`);
      assert.equal(answer.reply.ename, "UsageError", line);
      assert.deepEqual(answer.reply.traceback, [], line);
      const usage = answer.reply.evalue.split("\n");
      assert.equal(usage[0], `%${name} needs a statement to run.`, line);
      assert.match(usage[1], new RegExp(`^Usage: %${name} `), line);
      assert.equal(streamText(answer.outputs, "stderr"), `UsageError: ${answer.reply.evalue}\n`, line);
      assert.deepEqual(outputsOf(answer.outputs, "error"), [], line);
    }
    assert.equal(resultText((await ok("fib(10)")).outputs), "55");
  });

  test("an engine's range check is a UsageError too, with no stack trace: %timeit -p 25, %memit -i 0", async () => {
    const precision = await kernel.execute("%timeit -p 25 tiny()");
    assert.equal(precision.reply.ename, "UsageError");
    assert.equal(streamText(precision.outputs, "stderr"), "UsageError: precision (-p) must be a whole number from 1 to 20 (got 25)\n");
    assert.deepEqual(outputsOf(precision.outputs, "error"), []);
    const interval = await kernel.execute("%memit -i 0 tiny()");
    assert.equal(interval.reply.ename, "UsageError");
    assert.equal(streamText(interval.outputs, "stderr"), "UsageError: interval must be a positive number of seconds (got 0)\n");
    assert.deepEqual(outputsOf(interval.outputs, "error"), []);
  });

  test("const r = %timeit -o binds the result", async () => {
    await ok("const r = %timeit -o -n 5 -r 3 tiny()");
    const answer = await ok("[r.loops, r.repeat, r.all_runs.length].join(',')");
    assert.equal(resultText(answer.outputs), "'5,3,3'");
  });

  test("%timeit? shows its help", async () => {
    const text = visibleText((await ok("%timeit?")).outputs);
    assert.match(text, /timeit/);
    assert.match(text, /-n/);
    assert.match(text, /-r/);
  });

  test("%lprun: exact hits on a seeded countCommon, text and HTML", async () => {
    await ok(`function lcg(seed: number) { let s = seed >>> 0; return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) % 10000; }
function makeData(n: number, seed: number): number[] { const r = lcg(seed); const a: number[] = []; for (let i = 0; i < n; i++) a.push(r()); return a; }
const data1 = makeData(4000, 1), data2 = makeData(4000, 2);
function countCommon(data1: number[], data2: number[]): number {
  let matches = 0;
  for (const v of data1) {
    if (data2.includes(v)) {
      matches++;
    }
  }
  return matches;
}`);
    const expected = Number(resultText((await ok("data1.filter((v) => data2.includes(v)).length")).outputs));
    const answer = await ok("%lprun -f countCommon countCommon(data1, data2)");
    const report = outputsOf(answer.outputs, "display_data")[0];
    assert.ok(report, JSON.stringify(answer.outputs));
    const text: string = report.content.data["text/plain"];
    assert.match(report.content.data["text/html"], /<table/);
    assert.match(text, /^Timer unit: 1e-09 s\n\nTotal time: [\d.e-]+ s\nFile: In\[\d+\]\nFunction: countCommon at line 4\n/);
    const hits = (line: number) => new RegExp(`^ +${line} +(\\d+) `, "m").exec(text)?.[1];
    assert.deepEqual([5, 6, 7, 8, 11].map(hits), ["1", "4001", "4000", String(expected), "1"], text);
  });

  test("%mprun report has a Peak column", async () => {
    await ok(`function allocate(): number {
  const big = new Float64Array(2_000_000);
  big.fill(1);
  return big.length;
}`);
    const text = visibleText((await ok("%mprun -f allocate allocate()")).outputs);
    assert.match(text, /^Line # +Mem usage +Increment +.*Peak/m, text);
    assert.match(text, /const big = new Float64Array/);
  });

  test("%memit prints peak memory and increment", async () => {
    const text = streamText((await ok("%memit new Float64Array(4_000_000).fill(1).length")).outputs, "stdout");
    assert.match(text, /^peak memory: [\d.]+ MiB, increment: -?[\d.]+ MiB$/m);
  });

  test("%prun tree names the heavy function", async () => {
    await ok(`function heavyWork(): number { let s = 0; for (let i = 0; i < 3e7; i++) s += i % 7; return s; }`);
    const text = visibleText((await ok("%prun heavyWork()")).outputs);
    assert.match(text, /heavyWork/);
  });

  test("!echo hi streams the shell's output", async () => {
    assert.equal(streamText((await ok("!echo hi")).outputs, "stdout"), "hi\n");
  });
});
