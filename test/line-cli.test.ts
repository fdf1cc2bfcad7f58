import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** The CLIs run in a child node, as `tsprof lprof|mprof` would, on a script written to a temp dir. */
function runCli(command: "lprof" | "mprof", args: string[]) {
  const entry = path.join(__dirname, "..", "magics", "cli", `${command}.js`);
  const code = `require(${JSON.stringify(entry)}).main(${JSON.stringify(args)}).then((c) => { process.exitCode = c; })`;
  return spawnSync(process.execPath, ["-e", code], { encoding: "utf8" });
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsprof-lprof-"));
const script = path.join(dir, "work.ts");
fs.writeFileSync(
  script,
  `const n = Number(process.argv[2]);
// @profile
function squares(count: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    out.push(i * i);
  }
  return out;
}
const half = (xs: number[]) => xs.filter((x) => x % 2 === 0);
console.log("sum", half(squares(n)).length);
`,
);

test("tsprof lprof: marked and named functions, script argv, TypeScript lines", () => {
  const run = runCli("lprof", ["-f", "half", script, "10"]);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^sum 5\n/);
  assert.match(run.stdout, new RegExp(`File: ${script.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\nFunction: squares at line 3\n`));
  assert.match(run.stdout, /\n {5}5 {8}11 +[\d.]+ +[\d.]+ +[\d.]+ {4}for \(let i = 0; i < count; i\+\+\) \{\n/);
  assert.match(run.stdout, /\n {5}6 {8}10 .* {6}out\.push\(i \* i\);\n/);
  assert.match(run.stdout, /Function: half at line 10\n/);
});

test("tsprof mprof and bad arguments", () => {
  const run = runCli("mprof", [script, "5"]);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /Filename: .*work\.ts\n\nLine # {4}Mem usage {4}Increment {9}Peak  Occurrences   Line Contents\n/);
  assert.match(run.stdout, /\n {5}6 +[\d.]+ MiB +-?[\d.]+ MiB +[\d.]+ MiB +5 {3}    out\.push/);
  const missing = runCli("lprof", ["-u", "fast", script]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /-u needs a positive number of seconds, e\.g\. 1e-6 \(got 'fast'\)/);
  const unknown = runCli("lprof", ["-f", "nothere", script, "1"]);
  assert.match(unknown.stdout, /Note: no function named 'nothere' was found in the loaded files/);
});
