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
} from "./helpers/kernel-bridge";

const skip = missingJupyter();

/** TypeScript as people write it, through jupyter_client: each cell here once failed. */
describe("TypeScript as people write it", { skip }, () => {
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
    const answer = await kernel.execute(code);
    assert.equal(answer.reply.status, "ok", `${code}\n→ ${JSON.stringify(answer.reply)}\n${JSON.stringify(answer.outputs)}`);
    return answer;
  }

  async function failing(code: string) {
    const answer = await kernel.execute(code);
    assert.equal(answer.reply.status, "error", `${code} should fail: ${JSON.stringify(answer.outputs)}`);
    return answer;
  }

  async function value(code: string): Promise<string | undefined> {
    return resultText((await ok(code)).outputs);
  }

  test("a line starting with ! inside an expression is code", async () => {
    assert.equal(await value("const items3 = [1, 2, 3]\nconst noneZero =\n  !items3.includes(0) &&\n  items3.length > 0\nnoneZero"), "true");
  });

  test("!name… is code when the notebook or JavaScript defines name, a shell command otherwise", async () => {
    const answer = await ok('import * as fsx from "node:fs"\n!fsx.existsSync("outdir") && fsx.mkdirSync("outdir")\n!ls -d outdir\nfsx.existsSync("outdir")');
    assert.equal(streamText(answer.outputs, "stdout"), "outdir\n");
    assert.equal(resultText(answer.outputs), "true");
    assert.equal(await value("!Array.isArray(1)"), "true");
    assert.equal(streamText((await ok("! echo spaced")).outputs, "stdout"), "spaced\n");
  });

  test("! and % lines inside a template literal, string or comment are text", async () => {
    const answer = await ok("const t = `first\n!not a command\n%time not a magic\n${[1, 2].length}`\n/*\n!ls\n*/\nt");
    assert.equal(resultText(answer.outputs), "'first\\n!not a command\\n%time not a magic\\n2'");
    assert.equal(streamText(answer.outputs, "stdout"), "");
  });

  test("a magic line inside a block is a UsageError naming the line", async () => {
    const answer = await failing("const sizes = [1, 2]\nfor (const n of sizes) {\n  %timeit -n 100 n * 2\n}");
    assert.match(streamText(answer.outputs, "stderr"), /^UsageError: %timeit on line 3 stands inside a block: a magic line must start a statement at the cell's top level/);
    assert.equal(await value("typeof sizes"), "'undefined'");
  });

  test("a cell that is only a string literal shows it, also after a shell line", async () => {
    assert.equal(await value('"a string"'), "'a string'");
    const answer = await ok('!echo before\n"after"');
    assert.equal(streamText(answer.outputs, "stdout"), "before\n");
    assert.equal(resultText(answer.outputs), "'after'");
  });
  test("await import() of an npm package, an ES-module-only package, a local .ts module and a builtin", async () => {
    await ok(`import { mkdirSync, writeFileSync } from "node:fs"
mkdirSync("node_modules/greeter", { recursive: true })
writeFileSync("node_modules/greeter/index.js", "exports.hello = (n) => 'hi ' + n")
mkdirSync("node_modules/esm-only", { recursive: true })
writeFileSync("node_modules/esm-only/package.json", JSON.stringify({ type: "module", main: "index.js" }))
writeFileSync("node_modules/esm-only/index.js", "export const answer = 42; export default 'esm default'")
writeFileSync("util.ts", "export function twice(x: number): number { return 2 * x }\\nexport default 'util default'")`);
    const answer = await ok(`const greeter = await import("greeter")
const util = await import("./util")
const esm = await import("esm-only")
;[greeter.hello("you"), greeter.default.hello("again"), util.twice(21), util.default, esm.answer, esm.default, typeof (await import("node:path")).join]`);
    assert.equal(resultText(answer.outputs), "[ 'hi you', 'hi again', 42, 'util default', 42, 'esm default', 'function' ]");
  });

  test("a busy getter behind a property read is interruptible", async () => {
    await ok("const trap = { get x() { const t0 = Date.now(); while (Date.now() - t0 < 15000) {} return 1 } }");
    const id = await kernel.submit("trap.x");
    await new Promise((resolve) => setTimeout(resolve, 500));
    await kernel.send("interrupt");
    const answer = await kernel.collect(id);
    assert.equal(answer.reply.status, "error");
    assert.equal(answer.reply.ename, "KeyboardInterrupt");
    assert.equal(await value("typeof trap"), "'object'");
  });

  test("interrupting a top-level loop keeps the values it reached", async () => {
    const id = await kernel.submit("let progress = 0\nwhile (true) { progress++ }");
    await new Promise((resolve) => setTimeout(resolve, 500));
    await kernel.send("interrupt");
    const answer = await kernel.collect(id);
    assert.equal(answer.reply.ename, "KeyboardInterrupt");
    assert.ok(Number(await value("progress")) > 1000, "progress kept");
    const nested = await kernel.submit("let rows = 0, cells = 0\nfor (;;) { rows++; for (let j = 0; j < 1000; j++) cells++ }");
    await new Promise((resolve) => setTimeout(resolve, 500));
    await kernel.send("interrupt");
    assert.equal((await kernel.collect(nested)).reply.ename, "KeyboardInterrupt");
    const [rows, cells] = JSON.parse((await value("JSON.stringify([rows, cells])"))!.slice(1, -1)) as number[];
    assert.ok(rows > 10 && cells >= (rows - 1) * 1000 && cells <= rows * 1000, `${rows} rows, ${cells} cells`);
  });

  test("a top-level loop busy inside a call is still interrupted", async () => {
    await ok("function spin() { while (true) {} }");
    const id = await kernel.submit("let calls = 0\nfor (;;) { calls++; spin() }");
    await new Promise((resolve) => setTimeout(resolve, 500));
    await kernel.send("interrupt");
    assert.equal((await kernel.collect(id)).reply.ename, "KeyboardInterrupt");
    assert.equal(await value("1 + 1"), "2");
  });

  test("%timeit autorange steps 1, 2, 5, 10, 20: a 15 ms statement gets 20 loops, not 100", async () => {
    await ok("function wait15() { const t0 = performance.now(); while (performance.now() - t0 < 15) {} }");
    const answer = await ok("%timeit -r 1 wait15()");
    assert.match(streamText(answer.outputs, "stdout"), /^\d+(\.\d+)? ms ± 0 ns per loop \(mean ± std\. dev\. of 1 run, 20 loops each\)\n$/);
  });

  test("syntax errors the kernel's parsers find: the user's line and column, no parser frames", async () => {
    const cases: Array<[string, string[]]> = [
      ["return 42", ["SyntaxError: 'return' outside of function", "1:1", "1 | return 42"]],
      ["let a9 = 1\nlet a9 = 2", ["SyntaxError: Identifier 'a9' has already been declared", "2:5", "2 | let a9 = 2"]],
      ["const o9 = {\n  a: 1,\n  b: 2,,\n}", ["SyntaxError: Unexpected token", "3:8", "3 | b: 2,,"]],
      ["const x9: number = (", ["SyntaxError: Unexpected token", "1:21", "1 | const x9: number = ("]],
    ];
    for (const [code, [head, position, source]] of cases) {
      const answer = await failing(code);
      const count = answer.reply.execution_count;
      assert.deepEqual(answer.reply.traceback, [head, `    at In[${count}]:${position}`, `        ${source}`], code);
    }
  });

  test("runtime errors: columns as node gives them, no kernel frames, no frame of the loop's wrapper", async () => {
    const undeclared = await failing("undeclaredX = 3");
    assert.deepEqual(undeclared.reply.traceback, ["ReferenceError: undeclaredX is not defined", `    at In[${undeclared.reply.execution_count}]:1:13`, "        1 | undeclaredX = 3"]);
    const inLoop = await failing('let total9 = 0\nfor (let i = 0; i < 3; i++) { total9 += i; if (i === 2) throw new Error("in loop") }');
    assert.deepEqual(inLoop.reply.traceback, [
      "Error: in loop",
      `    at In[${inLoop.reply.execution_count}]:2:63`,
      '        2 | for (let i = 0; i < 3; i++) { total9 += i; if (i === 2) throw new Error("in loop") }',
    ]);
    const typed = await failing('function typed(a: number, b: Map<string, number>): never { throw new TypeError("deep") }\ntyped(1, new Map())');
    const count = typed.reply.execution_count;
    assert.deepEqual(typed.reply.traceback.filter((line: string) => line.startsWith("    at")), [`    at typed (In[${count}]:1:66)`, `    at In[${count}]:2:1`]);
  });

  test("an Error as a value shows the user's frames only; a thrown non-Error shows its content", async () => {
    const answer = await ok('new Error("x")');
    assert.equal(resultText(answer.outputs), `Error: x\n    at In[${answer.reply.execution_count}]:1:1`);
    const thrown = await failing('throw { code: 1, msg: "x" }');
    assert.deepEqual(thrown.reply.traceback, ["Uncaught { code: 1, msg: 'x' }"]);
  });

  test("tsprof run on a script that throws prints where, the error and its stack, exit status 1", async () => {
    await ok('%%file thrower.ts\nfunction check(n: number): void {\n  if (n > 2) throw new RangeError("too big: " + n)\n}\nfor (let i = 0; i < 5; i++) check(i)');
    const answer = await ok("!tsprof run thrower.ts");
    const stderr = streamText(answer.outputs, "stderr");
    const file = `${install.cwd}/thrower.ts`;
    assert.ok(
      stderr.startsWith(`${file}:2\n  if (n > 2) throw new RangeError("too big: " + n)\n                   ^\n\nRangeError: too big: 3\n    at check (${file}:2:20)\n    at Object.<anonymous> (${file}:4:29)\n`),
      stderr,
    );
    assert.doesNotMatch(stderr, /dist[\\/](kernel|magics)/);
    assert.match(stderr, /\[exit status 1\]\n$/);
  });

  test("a rewritten local module reaches the modules that import it, from %%file or another writer", async () => {
    await ok("%%file dep.ts\nexport const depValue = 1");
    await ok('%%file top.ts\nimport { depValue } from "./dep"\nexport const seen = depValue * 10');
    assert.equal(await value('import { seen } from "./top"\nseen'), "10");
    await ok("%%file dep.ts\nexport const depValue = 2");
    assert.equal(await value('import { seen } from "./top"\nseen'), "20");
    await ok('import { writeFileSync as write9 } from "node:fs"\nwrite9("dep.ts", "export const depValue = 3")');
    assert.equal(await value('import { seen } from "./top"\nseen'), "30");
  });

  test("the type checker sees names from a cell that threw and from %memit, %%time and %%memit cells", async () => {
    await ok("%memit const bigArr = new Array(2e6).fill(0)");
    await ok("%%time\nconst timedArr = [1, 2, 3]");
    await ok("%%memit\nconst memArr = [1, 2]");
    await failing('const thrownBefore = 5\nthrow new Error("after the declaration")');
    const answer = await ok("[bigArr.length, timedArr.length, memArr.length, thrownBefore]");
    assert.equal(streamText(answer.outputs, "stderr"), "");
    assert.equal(resultText(answer.outputs), "[ 2000000, 3, 2, 5 ]");
    await ok("%typecheck strict");
    try {
      assert.equal(await value("bigArr.length + thrownBefore"), "2000005");
    } finally {
      await ok("%typecheck warn");
    }
  });

  test("namespaces run, in cells and in local modules", async () => {
    await ok("namespace Geo {\n  export const PI2 = Math.PI * 2\n  export function circ(r: number) { return PI2 * r }\n}");
    assert.equal(await value("Geo.circ(1)"), "6.283185307179586");
    await ok("%%file geo.ts\nexport namespace Shapes {\n  export function square(x: number): number { return x * x }\n}");
    assert.equal(await value('import { Shapes } from "./geo"\nShapes.square(7)'), "49");
  });

  test("standard decorators run, with the user's line numbers", async () => {
    await ok(`const decorated: string[] = []
function logged(value: any, context: ClassMethodDecoratorContext) {
  return function (this: any, ...args: any[]) { decorated.push(String(context.name)); return value.apply(this, args) }
}`);
    assert.equal(await value("class Calc {\n  @logged add(a: number, b: number) { return a + b }\n}\nnew Calc().add(2, 3)"), "5");
    assert.equal(await value("decorated"), "[ 'add' ]");
    const answer = await failing('class Thrower {\n  @logged\n  boom(): never {\n    throw new Error("from line 4")\n  }\n}\n\nnew Thrower().boom()');
    const count = answer.reply.execution_count;
    const frames = answer.reply.traceback.filter((line: string) => line.includes(`In[${count}]`)).map((line: string) => /In\[\d+\]:(\d+)/.exec(line)![1]);
    assert.deepEqual([frames[0], frames[frames.length - 1]], ["4", "8"], answer.reply.traceback.join("\n"));
  });

  test("legacy decorators when the notebook folder's tsconfig.json sets experimentalDecorators", async () => {
    await ok('import { writeFileSync as write8, rmSync as rm8 } from "node:fs"\nwrite8("tsconfig.json", JSON.stringify({ compilerOptions: { experimentalDecorators: true } }))');
    try {
      const answer = await ok(`function sealed(constructor: Function) { Object.seal(constructor); Object.seal(constructor.prototype) }
function enumerable(on: boolean) { return (target: any, key: string, descriptor: PropertyDescriptor) => { descriptor.enumerable = on } }
@sealed
class Greeter { @enumerable(true) greet() { return "hi" } }
;[Object.isSealed(Greeter), Object.keys(Greeter.prototype), new Greeter().greet()]`);
      assert.equal(resultText(answer.outputs), "[ true, [ 'greet' ], 'hi' ]");
    } finally {
      await ok('rm8("tsconfig.json")');
    }
  });

  test("top-level loops over names a function also uses give the right values; closures see live values", async () => {
    await ok("function uses(s: number, sum: number, total: number) { let i = 0, result = 0; for (; i < 3; i++) result += s + sum + total; return result }");
    assert.equal(await value("let s = 0, result = 0\nfor (let i = 0; i < 1000; i++) { s += i; result ^= i }\n[s, result, uses(1, 2, 3)]"), "[ 499500, 0, 18 ]");
    assert.equal(await value("let live = 0, seen = -1\nfunction peek() { return live }\nfor (let k = 0; k < 10; k++) { live++; if (live === 5) seen = peek() }\n[live, seen]"), "[ 10, 5 ]");
  });

  // Last in this file: it rebinds globals for the rest of the kernel's life.
  test("cells that rebind process, console, Promise, performance, setTimeout, require, Symbol leave every magic working", async () => {
    await ok("function process(items: number[]) { return items.map((x) => x * 2) }");
    assert.equal(await value("process([1, 2])"), "[ 2, 4 ]");
    assert.match(streamText((await ok("%time 1 + 1")).outputs, "stdout"), /^CPU times: user .*\nWall time: /);
    assert.match(streamText((await ok("%memit new Array(1000).fill(0)")).outputs, "stdout"), /^peak memory: [\d.]+ MiB, increment: /);
    const profiled = await ok("function work() { let s = 0; for (let i = 0; i < 1e6; i++) s += i; return s }\n%prun work()");
    assert.match(outputsOf(profiled.outputs, "display_data")[0].content.data["text/plain"], /work/);
    await ok("let performance = 1; let setTimeout = 2; let Promise = 3; let Symbol = 4; let require = 5; let Buffer = 6");
    assert.match(streamText((await ok("%timeit -n 10 -r 2 1 + 1")).outputs, "stdout"), /per loop \(mean ± std\. dev\. of 2 runs, 10 loops each\)/);
    assert.equal(streamText((await ok("!echo shell still works")).outputs, "stdout"), "shell still works\n");
    assert.equal(await value('import { sep } from "node:path"\nsep'), "'/'");
    const error = await failing('throw new RangeError("still reported")');
    assert.equal(error.reply.ename, "RangeError");
    await ok("let console = { log() {} }");
    assert.match(streamText((await ok("%time 2 + 2")).outputs, "stdout"), /^CPU times: /);
  });
});
