import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  installKernel,
  KernelBridge,
  missingJupyter,
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
});
