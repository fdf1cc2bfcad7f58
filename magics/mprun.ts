import { saveReport } from "./report-files";
import { statementThenBody } from "./statement";
import type { MagicDefinition } from "./types";

export const mprunMagic: MagicDefinition = {
  name: "mprun",
  line: true,
  cell: true,
  cellLine: "any",
  summary: "line-by-line memory profile of chosen functions, with each line's peak (memory_profiler)",
  usage: "%mprun -f function [-f ...] [-T file] [-r] [-c] statement   or   %%mprun [options] + cell",
  help: `Runs the statement with the named functions instrumented and shows memory_profiler's report for
each: Mem usage (process RSS after the line), Increment, Occurrences, and a Peak column that
memory_profiler lacks: the highest memory reached *during* the line, so a temporary created and
freed inside one line shows. Works on functions defined in cells, in local modules, methods and
closures. If the statement throws, the report of what ran is shown, then the error.`,
  needsStatement: true,
  options: [
    { flag: "f", name: "functions", type: "string", repeat: true, metavar: "EXPR", help: "a function to profile" },
    { flag: "T", name: "textFile", type: "string", metavar: "FILE", help: "also write the text report to FILE" },
    { flag: "r", name: "returnResult", type: "flag", help: "return the result object" },
    { flag: "c", name: "children", type: "flag", help: "accepted for memory_profiler compatibility (child processes are not followed per line)" },
  ],
  async run(invocation, context) {
    const { memoryProfile } = require("./engines/line/api") as typeof import("./engines/line/api");
    const { profileTargets } = require("./profile-targets") as typeof import("./profile-targets");
    const { options } = invocation;
    const targets = await profileTargets(options.functions as string[], [], context);
    const { code, at } = statementThenBody(invocation);
    const statement = context.compile(code, at);
    const outcome = await memoryProfile(targets, statement);
    context.display(outcome.result);
    if (options.textFile) saveReport(context, options.textFile as string, outcome.result.toString(), "Profile printout saved to text file");
    if (outcome.failed) throw outcome.error;
    return options.returnResult ? outcome.result : undefined;
  },
};
