import { after, before, test } from "node:test";
import * as assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { formatDiagnostics, TypeScriptService, TypeScriptServiceError } from "../kernel/typescript/service";

// A notebook directory of its own: "tsprof", @types/node and relative imports must resolve from anywhere.
const notebookDir = mkdtempSync(path.join(tmpdir(), "tsprof-ts-"));
writeFileSync(
  path.join(notebookDir, "helper.ts"),
  "export function twice(x: number): number {\n  return 2 * x;\n}\nexport default class Box<T> {\n  constructor(readonly value: T) {}\n}\n",
);
const service = new TypeScriptService({ cwd: notebookDir });

/** Checks a cell and commits it, as the kernel does when it runs one. */
async function run(cellName: string, source: string) {
  const diagnostics = await service.check(cellName, source);
  await service.commit(cellName, source);
  return diagnostics;
}

before(() => service.warmUp());
after(async () => {
  await service.dispose();
  rmSync(notebookDir, { recursive: true, force: true });
});

test("isComplete tells complete, incomplete (with an indent) and invalid cells apart", () => {
  const status = (source: string) => service.isComplete(source).status;
  assert.equal(status("1+1"), "complete");
  assert.equal(status("const o = { a: 1 };"), "complete");
  assert.equal(status("function f(x: number) {\n  return x;\n}"), "complete");
  assert.equal(status("%time f()"), "complete");
  assert.deepEqual(service.isComplete("function f() {"), { status: "incomplete", indent: "  " });
  assert.equal(status("let x = (1 +"), "incomplete");
  assert.equal(status("const s = `a"), "incomplete");
  assert.equal(status("const f = (x: number) =>"), "incomplete");
  assert.equal(status("const = 5"), "invalid");
  assert.equal(status("}"), "invalid");
});

test("Math.ma completes to max, replacing the word being typed", async () => {
  const source = "Math.ma";
  const completion = await service.complete(source, source.length);
  assert.ok(completion.matches.includes("max"), completion.matches.join(", "));
  assert.ok(completion.matches.every((m) => m.toLowerCase().startsWith("ma")));
  assert.equal(completion.cursorStart, 5);
  assert.equal(completion.cursorEnd, 7);
  const max = completion.types!.find((t) => t.text === "max")!;
  assert.equal(max.signature, "(method) Math.max(...values: number[]): number");
});

test("Math.max| inspects to its signature and documentation", async () => {
  const source = "Math.max";
  const info = await service.inspect(source, source.length, 0);
  assert.equal(info.found, true);
  assert.match(info.text, /^\(method\) Math\.max\(\.\.\.values: number\[\]\): number\n\nReturns the larger/);
  assert.match(info.markdown!, /^```typescript\n\(method\) Math\.max/);
  assert.equal((await service.inspect("   ", 1, 0)).found, false);
});

test("a variable committed two cells earlier completes and inspects with its type", async () => {
  assert.deepEqual(await run("In[1]", "const data = [1, 2, 3];\n/** Adds one. */\nfunction inc(x: number) {\n  return x + 1;\n}"), []);
  assert.deepEqual(await run("In[2]", "const label = `n=${data.length}`;"), []);
  const completion = await service.complete("dat", 3);
  const data = completion.types!.find((t) => t.text === "data");
  assert.equal(data?.signature, "const data: number[]");
  const info = await service.inspect("data", 4, 1);
  assert.equal(info.text, "const data: number[]\n\nDefined in In[1]");
  assert.equal((await service.inspect("inc(", 4, 0)).text, "function inc(x: number): number\n\nAdds one.");
});

test("a type error is reported with the cell's own line and column", async () => {
  const diagnostics = await service.check("In[3]", "const ok = 1;\nconst bad: number = 'text';");
  assert.deepEqual(diagnostics, [
    { cell: "In[3]", line: 2, column: 7, code: 2322, message: "Type 'string' is not assignable to type 'number'.", category: "error" },
  ]);
  assert.equal(formatDiagnostics(diagnostics), "In[3] line 2: error TS2322: Type 'string' is not assignable to type 'number'.\n");
});

test("re-declaring a const of an earlier cell is no error, and the new type wins", async () => {
  assert.deepEqual(await run("In[4]", "const data = 'now text';"), []);
  assert.equal((await service.inspect("data", 4, 0)).text, 'const data: "now text"');
  const diagnostics = await service.check("In[5]", "const n: number = data.length;\nconst m: number = data;");
  assert.deepEqual(diagnostics.map((d) => [d.line, d.code]), [[2, 2322]]);
});

test("re-running a committed cell is no error", async () => {
  assert.deepEqual(await service.check("In[6]", "const label = `n=${data.length}`;"), []);
  assert.deepEqual(await run("In[7]", "const data = [4, 5];"), []);
  assert.deepEqual(await service.check("In[8]", "const data = [4, 5];"), []);
});

test("the globals the kernel provides are declared: prompt() returns a string", async () => {
  assert.deepEqual(await run("In[prompt]", 'const answer = prompt("name? ");\nconst upper: string = answer.toUpperCase();'), []);
  const misuse = await run("In[prompt2]", "const n: number = prompt();");
  assert.deepEqual(misuse.map((d) => d.code), [2322]);
});

test("top-level await, Node's globals and require need no setup", async () => {
  assert.deepEqual(await service.check("In[9]", "const v = await Promise.resolve(2);\nconst w: number = v;"), []);
  const node = "console.log(process.argv.length, Buffer.from('x').length);\nconst fs = require('node:fs');";
  assert.deepEqual(await service.check("In[10]", node), []);
});

test("imports from npm, node:, local files and tsprof are typed and seen by later cells", async () => {
  const imports = "import * as path from 'node:path';\nimport Box, { twice } from './helper';\nimport { version } from 'tsprof';";
  assert.deepEqual(await run("In[11]", imports), []);
  const later = [
    "const p: string = path.join('a', 'b');",
    "const t: number = twice(2);",
    "const v: string = version;",
    "const wrong: string = twice(1);",
    "const box: Box<number> = new Box(1);",
    "const wrongBox: Box<string> = new Box(1);",
  ].join("\n");
  assert.deepEqual((await service.check("In[12]", later)).map((d) => [d.line, d.code]), [[4, 2322], [6, 2322]]);
});

const tsprofTypes = path.join(__dirname, "..", "index.d.ts");
const exportsDisplay = existsSync(tsprofTypes) && /\bdisplay\b/.test(readFileSync(tsprofTypes, "utf8"));

test("import { display } from \"tsprof\" type-checks", { skip: !exportsDisplay && "index.ts does not export display yet" }, async () => {
  assert.deepEqual(await service.check("In[13]", 'import { display } from "tsprof";\ndisplay.text("hi");'), []);
});

test("the same cell against the same history answers from the cache", async () => {
  const source = "const cached: number = 'no';";
  const first = await service.check("In[14]", source);
  const sent = service.workerRequests;
  assert.equal(await service.check("In[14]", source), first);
  const rerun = await service.check("In[15]", source);
  assert.equal(service.workerRequests, sent);
  assert.deepEqual(rerun, first.map((d) => ({ ...d, cell: "In[15]" })));
  await service.commit("In[15]", source);
  assert.equal(await service.check("In[16]", source).then((d) => d.length), 1);
  assert.equal(service.workerRequests, sent + 1, "after committing the same text, a re-run still hits the cache");
});

test("bad arguments are refused with what is allowed", async () => {
  assert.throws(() => service.complete("Math.", 9), TypeScriptServiceError);
  assert.throws(() => service.check("", "1"), /cell name must be a non-empty string/);
  assert.throws(() => new TypeScriptService({ cwd: "" }), /needs \{ cwd: string \}/);
});
