import { writeFileSync } from "node:fs";
import { statementThenBody } from "./statement";
import { resolve } from "node:path";
import { UsageError } from "../kernel/execute/errors";
import { saveReport } from "./report-files";
import type { MagicDefinition } from "./types";
import { Symbol } from "../kernel/intrinsics";

export const prunMagic: MagicDefinition = {
  name: "prun",
  line: true,
  cell: true,
  cellLine: "any",
  summary: "call-tree profile of a statement (sampling, like pyinstrument)",
  usage: "%prun [-s KEY] [-i SECONDS] [-o FILE.cpuprofile] [-T FILE] [-q] [-r] statement   or   %%prun [options] + cell",
  help: `Samples the call stack while the statement runs (every 0.5 ms by default, a few % overhead) and
shows where the time went as a tree from your code down: each function's total and self time and
share, small branches folded; as text and as a collapsible HTML tree. -s KEY shows cProfile's flat
table instead, sorted by KEY (tottime/time, cumtime/cumulative, name, ...). Samples cannot count
calls, so ncalls is not shown. Time inside V8 builtins (sort, includes, JSON) goes to the function
that called them; when that function was inlined into its caller, to the caller.`,
  needsStatement: true,
  options: [
    { flag: "s", name: "sort", type: "string", repeat: true, metavar: "KEY", help: "flat table sorted by KEY instead of the tree" },
    { flag: "i", name: "interval", type: "float", metavar: "SECONDS", help: "sampling interval (default 0.0005)" },
    { flag: "o", name: "cpuprofile", type: "string", metavar: "FILE", help: "write a .cpuprofile (Chrome DevTools, speedscope)" },
    { flag: "D", name: "dumpFile", type: "string", metavar: "FILE", help: "same as -o" },
    { flag: "T", name: "textFile", type: "string", metavar: "FILE", help: "also write the text report to FILE" },
    { flag: "q", name: "quiet", type: "flag", help: "show nothing" },
    { flag: "r", name: "returnResult", type: "flag", help: "return the profile object" },
  ],
  async run(invocation, context) {
    const { profileRun } = require("./engines/calltree/profile") as typeof import("./engines/calltree/profile");
    const { resolveSortKey } = require("./engines/calltree/flat") as typeof import("./engines/calltree/flat");
    const { CallTreeResult } = require("./render/calltree-report") as typeof import("./render/calltree-report");
    const { options } = invocation;
    const sortKeys = options.sort as string[];
    try {
      sortKeys.forEach((key) => resolveSortKey(key));
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const { code, at } = statementThenBody(invocation);
    const statement = context.compile(code, at);
    let result: InstanceType<typeof CallTreeResult>;
    try {
      result = new CallTreeResult(
        await profileRun(statement, { interval: options.interval as number | undefined, rootScript: context.cellName }),
      );
    } catch (error) {
      // The call-tree engine's "a profile is already running" is a usage error without the naming rule.
      if (error instanceof Error && error.name === "ProfilerBusyError") throw new UsageError(error.message);
      throw error;
    }
    const text = sortKeys.length ? result.flat(sortKeys) : result.toString();
    if (!options.quiet) {
      const html = sortKeys.length ? result.flatHtml(sortKeys) : result.toHtml();
      context.display({ [Symbol.for("tsprof.mimeBundle")]: () => ({ "text/plain": text, "text/html": html }) });
    }
    const profileFile = (options.cpuprofile ?? options.dumpFile) as string | undefined;
    if (profileFile) {
      writeFileSync(resolve(context.cwd, profileFile), result.cpuProfileJson());
      context.stdout(`\n*** Profile written to '${profileFile}' (open it in Chrome DevTools or speedscope).\n`);
    }
    if (options.textFile) saveReport(context, options.textFile as string, text, "Profile printout saved to text file");
    if (result.failed) throw result.error;
    return options.returnResult ? result : undefined;
  },
};
