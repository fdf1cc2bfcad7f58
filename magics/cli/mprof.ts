import * as fs from "node:fs";
import { parseOrReport } from "./parse-or-report";
import { runScript } from "../engines/line/run-script";
import { memoryFunctions } from "../engines/line/profile";
import { MemoryRecorder, MemoryTracker } from "../engines/line/recorders";
import { openMemoryReader } from "../engines/line/memory-reader";
import { fullGc, MiB } from "../engines/memory/process-memory";
import { MemoryProfileResult } from "../render/memory-report";
import { parseLineCliArgs } from "./line-args";

/** `tsprof mprof [-f name]... script.ts [args...]`: memory_profiler's line report, with a Peak column. */

const USAGE = `usage: tsprof mprof [-f NAME]... [-o FILE] script.ts [args...]

Runs the script (TypeScript or JavaScript, CommonJS) and prints memory_profiler's report for the
chosen functions: memory after each line, its increment, occurrences, and the Peak reached while
the line ran (temporaries freed within the line included).
Choose functions by name, or mark them in the source with a comment on the line above:

    // @profile
    function outerProduct(n: number) { ... }

The marker is only a comment, so the script runs unchanged with node or ts-node.
  -f, --function NAME  a function, arrow (const f = ...), method (Class.method or method); repeatable
  -o, --json FILE      also write the report data as JSON
  -h, --help           this help`;

export async function main(args: string[]): Promise<number> {
  const options = parseOrReport("mprof", USAGE, () => parseLineCliArgs(args, USAGE, false));
  if (typeof options === "number") return options;
  const reader = openMemoryReader();
  fullGc();
  const baseline = reader.rss();
  reader.reset();
  const tracker = new MemoryTracker(reader, baseline);
  return runScript(options.script, options.scriptArgs, options.names, (first, last) => new MemoryRecorder(first, last, tracker), (run) => {
    const notes = run.unmatched.map((name) => `no function named '${name}' was found in the loaded files`);
    if (run.functions.length === 0 && run.unmatched.length === 0) notes.push("no function chosen: use -f NAME or a // @profile comment above a function");
    const data = { functions: memoryFunctions(run.functions), method: reader.method, baseline: baseline / MiB, notes };
    const result = new MemoryProfileResult(data);
    process.stdout.write(`\n${result}\n`);
    if (options.json) fs.writeFileSync(options.json, JSON.stringify(result, null, 1));
  });
}
