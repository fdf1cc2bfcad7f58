import type { MagicDefinition } from "./types";
import { statementOrBody } from "./statement";

export const memitMagic: MagicDefinition = {
  name: "memit",
  line: true,
  cell: true,
  cellLine: "any",
  summary: "peak memory of a statement, exactly (memory_profiler's %memit)",
  usage: "%memit [-r R] [-t T] [-i I] [-c] [-o] [-q] statement   or   %%memit [options] [setup] + cell",
  help: `Collects garbage, takes the baseline, resets the kernel's high-water mark, runs the statement and
reads the peak: the exact highest RSS, temporaries included (memory_profiler samples every 0.1 s and
misses short peaks). Prints memory_profiler's line
  peak memory: X MiB, increment: Y MiB
and a second line saying how much was V8 heap and how much ArrayBuffer/external memory, and the
method (exact on Linux; a 1 ms sampler elsewhere). In the cell form the rest of the %%memit line is
setup, run once and not measured. Assignments persist, as with memory_profiler.`,
  needsStatement: true,
  options: [
    { flag: "r", name: "repeat", type: "int", min: 1, metavar: "R", help: "runs; the peak is the highest of them (default 1)" },
    { flag: "t", name: "timeout", type: "float", min: 0, metavar: "T", help: "stop repeating after T seconds" },
    { flag: "i", name: "interval", type: "float", min: 0, metavar: "I", help: "sampling interval in seconds, for the sampler (off Linux)" },
    { flag: "c", name: "children", type: "flag", help: "add the memory of child processes" },
    { flag: "o", name: "output", type: "flag", help: "return the result object" },
    { flag: "q", name: "quiet", type: "flag", help: "print nothing" },
  ],
  async run(invocation, context) {
    const { memit } = require("./engines/memory/api") as typeof import("./engines/memory/api");
    const { options } = invocation;
    if (invocation.mode === "cell" && invocation.rest.trim()) await context.evaluate(invocation.rest, invocation.restAt);
    const { code, at } = statementOrBody(invocation);
    const statement = context.compile(code, at);
    const result = await memit(statement, {
      repeat: options.repeat as number | undefined,
      timeout: (options.timeout as number | undefined) || undefined,
      interval: options.interval as number | undefined,
      includeChildren: Boolean(options.children),
    });
    if (!options.quiet) context.stdout(`${result.toString()}\n`);
    return options.output ? result : undefined;
  },
};
