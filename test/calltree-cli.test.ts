import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const PROGRAM = `
function spin(n: number): number { let x = 0; for (let i = 0; i < n; i++) x = (x * 31 + i) % 1000003; return x; }
function heavy(): number { return spin(1.2e7); }
function light(): number { return spin(1.2e6); }
async function main(): Promise<void> {
  await new Promise((r) => setTimeout(r, 1));
  console.log("total", heavy() + light(), process.argv.slice(2).join(","));
}
main();
`;

/** Runs `tsprof prof` in a child node, as the package's CLI would. */
function prof(args: string[]) {
  const cli = path.resolve(__dirname, "../magics/cli/prof.js");
  const code = `require(${JSON.stringify(cli)}).main(process.argv.slice(1)).then((c) => { process.exitCode = c; })`;
  return spawnSync(process.execPath, ["-e", code, "--", ...args], { encoding: "utf8" });
}

test("tsprof prof prints the script's tree and writes the HTML and .cpuprofile files", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsprof-prof-"));
  const script = path.join(dir, "prog.ts");
  fs.writeFileSync(script, PROGRAM);
  const html = path.join(dir, "out.html");
  const cpuprofile = path.join(dir, "out.cpuprofile");
  const run = prof(["-i", "0.0002", "--html", html, "--cpuprofile", cpuprofile, script, "a", "b"]);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^total \d+ a,b\n/);
  assert.match(run.stdout, /\nProgram: .*prog\.ts a b\n/);
  assert.match(run.stdout, /\n\d+\.\d{3} 100\.0% {2}<module> {2}\S*prog\.ts:1\n/);
  assert.match(run.stdout, /main {2}\S*prog\.ts:5.*\n.*├─ \d+\.\d{3} +\d+\.\d% {2}heavy {2}\S*prog\.ts:3/);
  assert.match(fs.readFileSync(html, "utf8"), /^<!DOCTYPE html>.*<details open/s);
  const profile = JSON.parse(fs.readFileSync(cpuprofile, "utf8"));
  assert.ok(profile.nodes.length > 0 && profile.samples.length === profile.timeDeltas.length);
});

test("a script whose work all runs from the event loop is still rooted at <module>", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsprof-prof-"));
  const script = path.join(dir, "timer.ts");
  fs.writeFileSync(script, PROGRAM.replace("main();", "setTimeout(main, 1);"));
  const run = prof(["-i", "0.0002", script]);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /\n\d+\.\d{3} 100\.0% {2}<module> {2}\S*timer\.ts:1\n(├|└)─ \d+\.\d{3} +\d+\.\d% {2}main {2}\S*timer\.ts:5.*\n.*├─ \d+\.\d{3} +\d+\.\d% {2}heavy {2}\S*timer\.ts:3/);
});

test("tsprof prof -s prints the flat table; bad usage names the problem", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsprof-prof-"));
  const script = path.join(dir, "prog.ts");
  fs.writeFileSync(script, PROGRAM);
  const flat = prof(["-s", "cumulative", script]);
  assert.equal(flat.status, 0, flat.stderr);
  assert.match(flat.stdout, /Ordered by: cumulative time\n\n {3}ncalls {2}tottime/);
  const missing = prof(["-i", "0.001"]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /^tsprof prof: missing the script to run\nusage: tsprof prof/);
  const badKey = prof(["-s", "speed", script]);
  assert.match(badKey.stderr, /unknown sort key 'speed'/);
  const noFile = prof([path.join(dir, "nope.ts")]);
  assert.match(noFile.stderr, /no such script: .*nope\.ts/);
});

test("a script that throws still gets its tree, then the error", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsprof-prof-"));
  const script = path.join(dir, "bad.ts");
  fs.writeFileSync(script, PROGRAM.replace("main();", "heavy();\nthrow new RangeError('out of range');"));
  const run = prof([script]);
  assert.equal(run.status, 1);
  assert.match(run.stdout, /stopped by an error: partial/);
  assert.match(run.stdout, /heavy {2}\S*bad\.ts:3/);
  assert.match(run.stderr, /RangeError: out of range/);
});
