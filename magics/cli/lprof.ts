import * as fs from "node:fs";
import { parseOrReport } from "./parse-or-report";
import { runScript } from "../engines/line/run-script";
import { timedFunctions } from "../engines/line/profile";
import { TimeRecorder } from "../engines/line/recorders";
import { LineProfileResult } from "../render/line-report";
import { parseLineCliArgs } from "./line-args";

/** `tsprof lprof [-f name]... [-u unit] [-s] script.ts [args...]`: kernprof -l -v for TypeScript. */

const USAGE = `usage: tsprof lprof [-f NAME]... [-u UNIT] [-s] [-o FILE] script.ts [args...]

Runs the script (TypeScript or JavaScript, CommonJS) and prints line_profiler's report for the
chosen functions: hits, time, time per hit and % time of every line.
Choose functions by name, or mark them in the source with a comment on the line above:

    // @profile
    function countCommon(a: number[], b: number[]) { ... }

The marker is only a comment, so the script runs unchanged with node or ts-node.
  -f, --function NAME  a function, arrow (const f = ...), method (Class.method or method); repeatable
  -u, --unit UNIT      seconds per printed time unit (default 1e-9)
  -s, --strip          leave out functions that were never called
  -o, --json FILE      also write the report data as JSON
  -h, --help           this help`;

export async function main(args: string[]): Promise<number> {
  const options = parseOrReport("lprof", USAGE, () => parseLineCliArgs(args, USAGE, true));
  if (typeof options === "number") return options;
  const started = performance.now();
  return runScript(options.script, options.scriptArgs, options.names, (first, last) => new TimeRecorder(first, last), (run) => {
    const notes = run.unmatched.map((name) => `no function named '${name}' was found in the loaded files`);
    if (run.functions.length === 0 && run.unmatched.length === 0) notes.push("no function chosen: use -f NAME or a // @profile comment above a function");
    const data = { functions: timedFunctions(run.functions), wallTime: (performance.now() - started) / 1e3, notes };
    const result = new LineProfileResult(data, { unit: options.unit, strip: options.strip });
    process.stdout.write(`\n${result}\n`);
    if (options.json) fs.writeFileSync(options.json, JSON.stringify(result, null, 1));
  });
}
