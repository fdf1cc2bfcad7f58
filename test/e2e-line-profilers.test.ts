import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { installKernel, KernelBridge, missingJupyter, outputsOf, resultText, streamText, type KernelInstall, type Output } from "./helpers/kernel-bridge";

/**
 * %lprun and %mprun through a real Jupyter client, on what users profile: functions reached
 * through aliases and callbacks stored in earlier cells, closures, methods, async functions and
 * generators, a %%file module calling its own functions, and what cannot be line-profiled.
 */
const skip = missingJupyter();

function report(outputs: Output[]): string {
  const display = outputsOf(outputs, "display_data")[0];
  assert.ok(display, JSON.stringify(outputs));
  return display.content.data["text/plain"] as string;
}

/** Hits per line number, from line_profiler's text. */
function hits(text: string): Record<number, number> {
  const out: Record<number, number> = {};
  for (const match of text.matchAll(/^ +(\d+) +(\d+) +[\d.]+ +[\d.]+ +[\d.]+ /gm)) out[Number(match[1])] = Number(match[2]);
  return out;
}

/** Occurrences per line number, from memory_profiler's text. */
function occurrences(text: string): Record<number, number> {
  const out: Record<number, number> = {};
  for (const match of text.matchAll(/^ +(\d+) +[\d.]+ MiB +-?[\d.]+ MiB +[\d.]+ MiB +(\d+) /gm)) {
    if (Number(match[2]) > 0) out[Number(match[1])] = Number(match[2]);
  }
  return out;
}

describe("line profilers end to end", { skip }, () => {
  let install: KernelInstall;
  let kernel: KernelBridge;

  before(async () => {
    install = installKernel();
    kernel = await KernelBridge.start(install);
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

  test("%lprun -f f counts calls made through an alias and a callback stored in an earlier cell", async () => {
    await ok(`function scale(xs: number[], k: number): number[] {
  const out: number[] = [];
  for (const x of xs) {
    out.push(x * k);
  }
  return out;
}
const alias = scale;
const handlers = { onData: scale };
const queue = [() => alias([1, 2], 2)];`);
    const before = resultText((await ok("scale.toString()")).outputs);
    const answer = await ok("%lprun -f scale [alias([1, 2, 3], 2), handlers.onData([4], 3), queue[0]()]");
    const text = report(answer.outputs);
    assert.match(text, /Function: scale at line 1\n/);
    assert.deepEqual(hits(text), { 2: 3, 3: 9, 4: 6, 6: 3 });
    assert.equal(resultText((await ok("scale.toString()")).outputs), before, "the function is the same afterwards");
    assert.equal(resultText((await ok("alias([5], 2)")).outputs), "[ 10 ]");
  });

  test("a closure keeps its state, and methods, async functions and generators are profiled", async () => {
    await ok(`function makeCounter(step: number) {
  let total = 0;
  return () => {
    total += step;
    return total;
  };
}
const counter = makeCounter(5);
counter();
class Stack {
  items: number[] = [];
  push(x: number) {
    this.items.push(x);
    return this.items.length;
  }
}
const stack = new Stack();
async function fetchTwice(x: number) {
  const a = await Promise.resolve(x);
  const b = await Promise.resolve(x + 1);
  return a + b;
}
function* countdown(n: number) {
  while (n > 0) {
    yield n--;
  }
}`);
    const answer = await ok(
      "%lprun -f counter -f Stack.prototype.push -f fetchTwice -f countdown globalThis.seen = [counter(), stack.push(7), await fetchTwice(1), [...countdown(3)]]",
    );
    assert.equal(resultText((await ok("seen")).outputs), "[ 10, 1, 3, [ 3, 2, 1 ] ]");
    const text = report(answer.outputs);
    const blocks = text.split(/(?=Total time:)/);
    const of = (name: string) => hits(blocks.find((b) => b.includes(`Function: ${name} at`))!);
    assert.deepEqual(of("counter"), { 4: 1, 5: 1 });
    assert.deepEqual(of("Stack.push"), { 13: 1, 14: 1 });
    assert.deepEqual(of("fetchTwice"), { 19: 1, 20: 1, 21: 1 });
    assert.deepEqual(of("countdown"), { 24: 4, 25: 3 });
    assert.equal(resultText((await ok("counter()")).outputs), "15");
  });

  test("a %%file module: a function it calls itself, through %lprun and %mprun", async () => {
    await ok(`%%file geometry.ts
export function area(r: number): number {
  return Math.PI * r * r;
}
export function total(radii: number[]): number {
  let sum = 0;
  for (const r of radii) sum += area(r);
  return sum;
}`);
    await ok(`import * as geometry from "./geometry";`);
    const lp = report((await ok("%lprun -f geometry.area geometry.total([1, 2, 3])")).outputs);
    assert.match(lp, /File: geometry\.ts\nFunction: area at line 1\n/);
    assert.deepEqual(hits(lp), { 2: 3 });
    const mp = report((await ok("%mprun -f geometry.total geometry.total([1, 2])")).outputs);
    assert.match(mp, /^Filename: geometry\.ts\n/);
    assert.deepEqual(occurrences(mp), { 4: 1, 5: 1, 6: 3, 7: 1 }, "the first line stands for the call");
  });

  test("what cannot be line-profiled is a UsageError that names what can, and points to %prun", async () => {
    for (const [code, message] of [
      ["%lprun -f Math.max Math.max(1, 2)", /^'Math\.max' is a builtin, native or bound function .* for builtins use %prun$/],
      ["%lprun -f JSON JSON.stringify(1)", /^'JSON' is an object \(JSON\), not a function: profile plain functions/],
      ["%mprun -f scale.bind(null) 1", /^'scale\.bind\(null\)' is a builtin, native or bound function/],
    ] as const) {
      const answer = await kernel.execute(code);
      assert.equal(answer.reply.status, "error", code);
      assert.equal(answer.reply.ename, "UsageError", JSON.stringify(answer.reply));
      assert.match(answer.reply.evalue, message);
    }
    assert.equal(resultText((await ok("scale([1], 1)")).outputs), "[ 1 ]", "the kernel keeps its state");
  });

  test("an error in a profiled function: the report of what ran, then a traceback with the user's own line", async () => {
    await ok(`function risky(xs: number[]) {
  let sum = 0;
  for (const x of xs) {
    if (x < 0) throw new RangeError("negative: " + x);
    sum += x;
  }
  return sum;
}`);
    const answer = await kernel.execute("%lprun -f risky risky([1, -2])");
    assert.equal(answer.reply.status, "error");
    assert.equal(answer.reply.ename, "RangeError");
    assert.deepEqual(hits(report(answer.outputs)), { 2: 1, 3: 2, 4: 2, 5: 1 });
    const traceback = (answer.reply.traceback as string[]).join("\n");
    assert.match(traceback, /at risky \(In\[\d+\]:4:\d+\)\n {8}4 \| if \(x < 0\) throw new RangeError\("negative: " \+ x\);/);
    assert.doesNotMatch(traceback, /__tsprof/);
    assert.equal(streamText(answer.outputs, "stderr").includes("__tsprof"), false);
  });
});
