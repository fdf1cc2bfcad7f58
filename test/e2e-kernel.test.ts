import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import path from "node:path";
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

describe("tsprof kernel through jupyter_client", { skip }, () => {
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

  async function ok(code: string, options = {}) {
    const answer = await kernel.execute(code, options);
    assert.equal(answer.reply.status, "ok", `${code}\n→ ${JSON.stringify(answer.reply)}\n${JSON.stringify(answer.outputs)}`);
    return answer;
  }

  async function failing(code: string) {
    const answer = await kernel.execute(code);
    assert.equal(answer.reply.status, "error", `${code} should fail: ${JSON.stringify(answer.outputs)}`);
    return answer;
  }

  test("kernel_info names TypeScript", async () => {
    const { reply } = await kernel.send("kernel_info");
    assert.equal(reply.status, "ok");
    assert.equal(reply.language_info.name, "typescript");
    assert.equal(reply.language_info.file_extension, ".ts");
    assert.match(reply.language_info.version, /^5\.9\./);
  });

  test("execute_result, execute_input and stdout/stderr streams", async () => {
    const answer = await ok("6*7");
    assert.equal(resultText(answer.outputs), "42");
    const input = outputsOf(answer.outputs, "execute_input")[0];
    assert.equal(input.content.code, "6*7");
    assert.equal(input.content.execution_count, answer.reply.execution_count);
    const streams = await ok('console.log("out");\nconsole.error("err");');
    assert.equal(streamText(streams.outputs, "stdout"), "out\n");
    assert.equal(streamText(streams.outputs, "stderr"), "err\n");
  });

  test("an error names ename, evalue and the cell's TypeScript line", async () => {
    const answer = await failing('const ok1: number = 1;\nthrow new RangeError("boom");');
    assert.equal(answer.reply.ename, "RangeError");
    assert.equal(answer.reply.evalue, "boom");
    const error = outputsOf(answer.outputs, "error")[0];
    assert.equal(error.content.ename, "RangeError");
    const count = answer.reply.execution_count;
    assert.ok(
      error.content.traceback.some((line: string) => line.includes(`In[${count}]:2`)),
      error.content.traceback.join("\n"),
    );
  });

  test("state across cells: let, const, function, class, enum, interface, type", async () => {
    await ok(`let counter = 1;
const base = 10;
function twice(x: number): number { return 2 * x; }
class Point { constructor(public x: number, public y: number) {} norm() { return Math.hypot(this.x, this.y); } }
enum Color { Red, Green }
interface Named { name: string }
type Pair = [number, number];`);
    const answer = await ok(`counter += 1;
const named: Named = { name: "n" };
const pair: Pair = [1, 2];
[counter, base, twice(3), new Point(3, 4).norm(), Color.Green, named.name, pair[1]].join(",")`);
    assert.equal(resultText(answer.outputs), "'2,10,6,5,1,n,2'");
  });

  test("re-running a cell that declares a const works", async () => {
    await ok("const data = [1]");
    await ok("const data = [1]");
    assert.equal(resultText((await ok("data.length")).outputs), "1");
  });

  test("an import binds names for later cells, as in IPython", async () => {
    await ok('import { basename, join as joinPath } from "node:path";\nimport fs from "node:fs";');
    assert.equal(resultText((await ok('[basename("/a/b"), joinPath("c", "d"), typeof fs.readFileSync].join(" ")')).outputs), "'b c/d function'");
  });

  test("top-level await", async () => {
    const answer = await ok("const waited = await new Promise((resolve) => setTimeout(() => resolve(5), 20));\nwaited");
    assert.equal(resultText(answer.outputs), "5");
  });

  test("console.log from a timer the cell started goes to that cell", async () => {
    const answer = await ok('setTimeout(() => console.log("later"), 100);');
    const late = await kernel.late(answer.msg_id, 1);
    assert.equal(streamText([...answer.outputs, ...late], "stdout"), "later\n");
  });

  test("display API: html, markdown, svg, png, json, latex, vegalite", async () => {
    const answer = await ok(`import { display } from "tsprof";
display.html("<b>h</b>");
display.markdown("**m**");
display.svg('<svg xmlns="http://www.w3.org/2000/svg"/>');
display.png(new Uint8Array([137, 80, 78, 71]));
display.json({ a: 1 });
display.latex("$x^2$");
display.vegalite({ mark: "bar", data: { values: [{ a: "x", b: 1 }, { a: "y", b: 2 }] },
  encoding: { x: { field: "a", type: "nominal" }, y: { field: "b", type: "quantitative" } } });`);
    const data = outputsOf(answer.outputs, "display_data").map((o) => o.content.data);
    assert.equal(data.length, 7);
    assert.equal(data[0]["text/html"], "<b>h</b>");
    assert.equal(data[1]["text/markdown"], "**m**");
    assert.match(data[2]["image/svg+xml"], /^<svg/);
    assert.equal(data[3]["image/png"], Buffer.from([137, 80, 78, 71]).toString("base64"));
    assert.deepEqual(data[4]["application/json"], { a: 1 });
    assert.equal(data[5]["text/latex"], "$x^2$");
    assert.ok(data[6]["application/vnd.vegalite.v5+json"]);
    assert.match(data[6]["image/svg+xml"], /<svg/);
  });

  test("display_id updates and clearOutput", async () => {
    const answer = await ok(`import { display, clearOutput } from "tsprof";
const shown = display.text("first", { displayId: "progress" });
shown!.update("second");
clearOutput({ wait: true });`);
    const first = outputsOf(answer.outputs, "display_data")[0];
    assert.equal(first.content.transient.display_id, "progress");
    const update = outputsOf(answer.outputs, "update_display_data")[0];
    assert.equal(update.content.transient.display_id, "progress");
    assert.match(update.content.data["text/plain"], /second/);
    assert.deepEqual(outputsOf(answer.outputs, "clear_output")[0].content, { wait: true });
  });

  test("an object with the mime-bundle hook renders as a rich execute_result", async () => {
    const answer = await ok(`({ [Symbol.for("tsprof.mimeBundle")]() { return { "text/plain": "rich", "text/html": "<i>rich</i>" }; } })`);
    const result = outputsOf(answer.outputs, "execute_result")[0];
    assert.equal(result.content.data["text/html"], "<i>rich</i>");
    assert.equal(result.content.data["text/plain"], "rich");
  });

  test("interrupt stops while (true) {}, keeps variables, next cell runs at once", async () => {
    await ok("const survivor = 123;");
    const id = await kernel.submit("while (true) {}");
    await new Promise((resolve) => setTimeout(resolve, 500));
    await kernel.send("interrupt");
    const answer = await kernel.collect(id);
    assert.equal(answer.reply.status, "error");
    assert.equal(answer.reply.ename, "KeyboardInterrupt");
    const next = await ok("survivor");
    assert.equal(resultText(next.outputs), "123");
  });

  test("stop_on_error aborts the requests queued behind a failure", async () => {
    const first = await kernel.submit("const t0 = Date.now(); while (Date.now() - t0 < 300) {}");
    const second = await kernel.submit('throw new Error("stop here")');
    const third = await kernel.submit('console.log("must not run")');
    assert.equal((await kernel.collect(first)).reply.status, "ok");
    assert.equal((await kernel.collect(second)).reply.status, "error");
    const aborted = await kernel.collect(third);
    assert.equal(aborted.reply.status, "aborted");
    assert.equal(streamText(aborted.outputs, "stdout"), "");
    assert.equal(resultText((await ok("1+1")).outputs), "2");
  });

  test("silent runs produce no outputs and keep execution_count", async () => {
    const before = (await ok("0")).reply.execution_count;
    const silent = await ok('console.log("hidden"); 5', { silent: true });
    assert.deepEqual(silent.outputs, []);
    const afterCount = (await ok("0")).reply.execution_count;
    assert.equal(afterCount, before + 1);
  });

  test("user_expressions are evaluated after the cell", async () => {
    const answer = await ok("const ue = 21;", { user_expressions: { doubled: "ue * 2", bad: "nope.x" } });
    const { doubled, bad } = answer.reply.user_expressions;
    assert.equal(doubled.status, "ok");
    assert.equal(doubled.data["text/plain"], "42");
    assert.equal(bad.status, "error");
    assert.equal(bad.ename, "ReferenceError");
  });

  test("is_complete: invalid, incomplete with indent, complete", async () => {
    assert.equal((await kernel.send("is_complete", { code: "const = 5" })).reply.status, "invalid");
    const incomplete = (await kernel.send("is_complete", { code: "function f() {" })).reply;
    assert.equal(incomplete.status, "incomplete");
    assert.equal(typeof incomplete.indent, "string");
    assert.equal((await kernel.send("is_complete", { code: "1+1" })).reply.status, "complete");
  });

  test("complete: Math.ma gives max; a variable from two cells earlier completes", async () => {
    const math = (await kernel.send("complete", { code: "Math.ma" })).reply;
    assert.equal(math.status, "ok");
    assert.ok(math.matches.includes("max"), math.matches.join(","));
    await ok("const veryDistinctiveName = 3;");
    await ok("1");
    const own = (await kernel.send("complete", { code: "veryDisti" })).reply;
    assert.ok(own.matches.includes("veryDistinctiveName"), own.matches.join(","));
  });

  test("inspect Math.max", async () => {
    const reply = (await kernel.send("inspect", { code: "Math.max" })).reply;
    assert.equal(reply.status, "ok");
    assert.equal(reply.found, true);
    assert.match(reply.data["text/plain"], /max/);
  });

  test("history: tail, range, search", async () => {
    const marker = (await ok("6*6 // history marker")).reply.execution_count;
    const tail = (await kernel.send("history", { hist_access_type: "tail", n: 3 })).reply.history;
    assert.ok(tail.some((entry: unknown[]) => entry[1] === marker && entry[2] === "6*6 // history marker"), JSON.stringify(tail));
    const range = (await kernel.send("history", { hist_access_type: "range", session: 0, start: marker, stop: marker + 1 })).reply.history;
    assert.deepEqual(range.map((entry: unknown[]) => entry[2]), ["6*6 // history marker"]);
    const search = (await kernel.send("history", { hist_access_type: "search", pattern: "6*6*", n: 5 })).reply.history;
    assert.ok(search.some((entry: unknown[]) => entry[2] === "6*6 // history marker"), JSON.stringify(search));
  });

  test("comm_info answers with no comms", async () => {
    const reply = (await kernel.send("comm_info")).reply;
    assert.equal(reply.status, "ok");
    assert.deepEqual(reply.comms, {});
  });

  test("prompt() asks the frontend through input_request", async () => {
    const answer = await ok('const answer = prompt("name? ");\n`hello ${answer}`', { allow_stdin: true, input: "Ada" });
    assert.equal(answer.input_requests[0].prompt, "name? ");
    assert.equal(resultText(answer.outputs), "'hello Ada'");
    assert.equal(streamText(answer.outputs, "stderr"), "", "prompt is declared to the type checker: no TS2304");
  });

  test("%typecheck strict blocks a cell with a type error; warn lets it run", async () => {
    await ok("%typecheck strict");
    const blocked = await failing('const typed: number = "text";\nconsole.log("ran");');
    assert.equal(streamText(blocked.outputs, "stdout"), "");
    await ok("%typecheck warn");
    const warned = await ok('const typed2: number = "text" as any as number;\nconsole.log("ran");');
    assert.equal(streamText(warned.outputs, "stdout"), "ran\n");
  });

  test("an uncaught exception in a timer callback is reported and the kernel survives", async () => {
    const answer = await ok('setTimeout(() => { throw new Error("stray boom"); }, 50);');
    const late = await kernel.late(answer.msg_id, 1);
    const text = [...answer.outputs, ...late].map((o) => JSON.stringify(o.content)).join("\n");
    assert.match(text, /stray boom/);
    assert.equal(resultText((await ok("2+2")).outputs), "4");
  });

  test("a message with a forged signature is never executed", async () => {
    const marker = path.join(install.cwd, "forged.txt");
    const code = `require("node:fs").writeFileSync(${JSON.stringify(marker)}, "x")`;
    const forged = await kernel.send("forged", { code, wait_ms: 1000 });
    assert.equal(forged.answered, false);
    assert.equal(existsSync(marker), false);
    assert.equal(resultText((await ok("3+3")).outputs), "6");
  });

  test("heartbeat echoes while a cell runs a synchronous loop", async () => {
    const id = await kernel.submit("const t = Date.now(); while (Date.now() - t < 3000) {}");
    await new Promise((resolve) => setTimeout(resolve, 500));
    const beat = await kernel.send("heartbeat", { timeout: 1 });
    assert.equal(beat.echoed, true);
    assert.equal((await kernel.collect(id)).reply.status, "ok");
  });

  test("a local .ts module written with %%file is imported, and re-imported after an overwrite", async () => {
    await ok('%%file helper.ts\nexport const version = 1;\nexport function greet(name: string): string { return `hi ${name}`; }');
    assert.equal(resultText((await ok('import { version, greet } from "./helper";\n`${version} ${greet("a")}`')).outputs), "'1 hi a'");
    await ok("%%file helper.ts\nexport const version = 2;\nexport function greet(name: string): string { return `bye ${name}`; }");
    assert.equal(resultText((await ok('import { version, greet } from "./helper";\n`${version} ${greet("a")}`')).outputs), "'2 bye a'");
  });

  describe("magic framework", () => {
    test("unknown magic: UsageError, kernel alive", async () => {
      const answer = await failing("%nope");
      assert.equal(answer.reply.ename, "UsageError");
      assert.match(streamText(answer.outputs, "stderr"), /UsageError: Line magic function `%nope` not found\./);
      assert.equal(resultText((await ok("1+2")).outputs), "3");
    });

    test("%%time with a statement on the magic line, empty %%writefile body: UsageError", async () => {
      assert.equal((await failing("%%time x\n1")).reply.ename, "UsageError");
      assert.equal((await failing("%%writefile empty.ts")).reply.ename, "UsageError");
      assert.equal(existsSync(path.join(install.cwd, "empty.ts")), false);
    });

    test("%load_ext: the built-in profilers are accepted silently, others fail", async () => {
      const accepted = await ok("%load_ext line_profiler");
      assert.deepEqual(accepted.outputs.filter((o) => o.msg_type !== "execute_input"), []);
      const refused = await failing("%load_ext foo");
      assert.equal(refused.reply.ename, "UsageError");
      assert.match(streamText(refused.outputs, "stderr"), /foo/);
    });

    test("%lsmagic lists, %file? shows help", async () => {
      const list = streamText((await ok("%lsmagic")).outputs, "stdout");
      assert.match(list, /Available line magics:/);
      assert.match(list, /%lsmagic/);
      assert.match(list, /%%file/);
      const help = await ok("%file?");
      const text = help.outputs.map((o) => o.content.text ?? o.content.data?.["text/plain"] ?? "").join("");
      assert.match(text, /file/);
      assert.match(text, /-a/);
    });
  });

  let exitCode: number | null = null;
  test("process.exit() ends the kernel and a restart works", async () => {
    await kernel.submit("process.exit(0)");
    const state = await kernel.send("wait_dead", { timeout: 10 });
    assert.equal(state.alive, false, "kernel still alive after process.exit()");
    exitCode = state.exit_code;
    await kernel.send("restart");
    assert.equal(resultText((await ok("40+2")).outputs), "42");
  });

  test("process.exit(0) exits with status 0", () => {
    assert.equal(exitCode, 0);
  });
});
