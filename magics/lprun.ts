import { UsageError } from "../kernel/execute/errors";
import { saveReport } from "./report-files";
import type { MagicDefinition } from "./types";

export const lprunMagic: MagicDefinition = {
  name: "lprun",
  line: true,
  cell: false,
  summary: "line-by-line time profile of chosen functions (line_profiler)",
  usage: "%lprun -f function [-f ...] [-m module] [-u unit] [-s] [-T file] [-D file] [-r] statement",
  help: `Runs the statement with the named functions switched to their instrumented twins (every reference
to them follows: aliases, callbacks, methods) and shows line_profiler's report for each: Hits, Time,
Per Hit, % Time per line of your TypeScript, as text and as HTML with the hot line coloured. The
functions themselves never change. If the statement throws or is interrupted, the report of what ran is shown
and then the error.
Loop headers count like Python's: a loop whose body runs n times shows n+1 on its header. An await
is charged to the line that awaits, for the wall time until the function resumes.`,
  needsStatement: true,
  options: [
    { flag: "f", name: "functions", type: "string", repeat: true, metavar: "EXPR", help: "a function to profile (name, obj.method, Class.prototype.method)" },
    { flag: "m", name: "modules", type: "string", repeat: true, metavar: "MODULE", help: "profile every function of a local module" },
    { flag: "u", name: "unit", type: "float", metavar: "UNIT", help: "timer unit in seconds for the Time columns (default 1e-09)" },
    { flag: "s", name: "strip", type: "flag", help: "leave out functions that were never called" },
    { flag: "T", name: "textFile", type: "string", metavar: "FILE", help: "also write the text report to FILE" },
    { flag: "D", name: "dumpFile", type: "string", metavar: "FILE", help: "write the per-line data as JSON to FILE" },
    { flag: "r", name: "returnResult", type: "flag", help: "return the result object (per-line data, .show())" },
  ],
  async run(invocation, context) {
    const { lineProfile } = require("./engines/line/api") as typeof import("./engines/line/api");
    const { profileTargets } = require("./profile-targets") as typeof import("./profile-targets");
    const { options } = invocation;
    if (options.unit !== undefined && !((options.unit as number) > 0)) {
      throw new UsageError(`option -u expects a positive number of seconds, got '${options.unit}'`);
    }
    const targets = await profileTargets(options.functions as string[], options.modules as string[], context);
    const statement = context.compile(invocation.rest, invocation.restAt);
    const outcome = await lineProfile(targets, statement, { unit: options.unit as number | undefined, strip: Boolean(options.strip) });
    context.display(outcome.result);
    if (options.textFile) saveReport(context, options.textFile as string, outcome.result.toString(), "Profile printout saved to text file");
    if (options.dumpFile) saveReport(context, options.dumpFile as string, JSON.stringify(outcome.result, null, 1), "Profile stats dumped as JSON to file");
    if (outcome.failed) throw outcome.error;
    return options.returnResult ? outcome.result : undefined;
  },
};
