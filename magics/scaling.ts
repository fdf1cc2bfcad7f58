import { UsageError } from "../kernel/execute/errors";
import { interruptibleLoop, statementOrBody } from "./statement";
import { SCALING_HELP } from "./engines/timing/scaling-help";
import type { MagicDefinition } from "./types";

export const scalingMagic: MagicDefinition = {
  name: "scaling",
  line: true,
  cell: true,
  cellLine: "any",
  summary: "time a statement at growing n and fit its complexity (≈ O(n^k)) with a plot",
  usage: "%scaling -n SIZES [-s SETUP] [-r R] [-l] [-o] [-q] statement using n   or   %%scaling ... + cell",
  help: SCALING_HELP,
  needsStatement: true,
  options: [
    { flag: "n", name: "sizes", type: "string", metavar: "SIZES", help: "sizes: 1000,2000,4000 or a doubling range 1000..16000 (required)" },
    { flag: "s", name: "setup", type: "string", metavar: "SETUP", help: "setup code using n (untimed), quoted" },
    { flag: "r", name: "repeat", type: "int", min: 1, metavar: "R", help: "timed runs per size (default 5)" },
    { flag: "l", name: "linear", type: "flag", help: "linear plot axes (default log-log)" },
    { flag: "o", name: "output", type: "flag", help: "return the result object" },
    { flag: "q", name: "quiet", type: "flag", help: "show nothing" },
  ],
  async run(invocation, context) {
    const { compileScaling, measureScaling, parseSizes } = require("./engines/timing/scaling") as typeof import("./engines/timing/scaling");
    const { ScalingResult } = require("./render/scaling-report") as typeof import("./render/scaling-report");
    const { options } = invocation;
    if (options.sizes === undefined) throw new UsageError("%scaling needs -n SIZES, e.g. -n 1000,2000,4000,8000 or -n 1000..16000");
    const { code: statement, at } = statementOrBody(invocation);
    const setup = invocation.mode === "cell" ? invocation.rest : ((options.setup as string | undefined) ?? "");
    const ns = parseSizes(options.sizes as string);
    const compiled = compileScaling(context.toJavaScript(statement), setup.trim() ? context.toJavaScript(setup) : "", {
      filename: context.cellName,
      stmtLine: at.line,
      setupLine: invocation.restAt.line,
    });
    const loop = interruptibleLoop(compiled, context);
    const data = await measureScaling(loop, { ns, repeat: options.repeat as number | undefined, signal: context.signal });
    const result = new ScalingResult(data, { logScale: !options.linear });
    if (!options.quiet) context.display(result);
    return options.output ? result : undefined;
  },
};
