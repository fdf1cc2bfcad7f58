import type { MagicDefinition } from "./types";
import { statementOrBody } from "./statement";
import { process } from "../kernel/intrinsics";

export const timeMagic: MagicDefinition = {
  name: "time",
  line: true,
  cell: true,
  cellLine: "none",
  summary: "time one run of a statement (CPU user/sys and wall)",
  usage: "%time statement   or   %%time + cell",
  help: `Runs the statement (or the cell) once and prints IPython's lines:
  CPU times: user …, sys: …, total: …
  Wall time: …
The value of an expression is returned (Out); a returned promise is awaited before the clock stops.
CPU time is the whole process's (GC and other threads count), as with IPython. If the code throws,
the timing of what ran is printed and then the error (IPython shows only the error).`,
  needsStatement: true,
  options: [],
  async run(invocation, context) {
    const { timeRun } = require("./engines/timing/time-run") as typeof import("./engines/timing/time-run");
    const { TimeResult } = require("./render/timing-report") as typeof import("./render/timing-report");
    const { code, at } = statementOrBody(invocation);
    const started = process.hrtime.bigint();
    const run = context.compile(code, at);
    const compileSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const data = await timeRun(run, { signal: context.signal });
    const result = new TimeResult(data, compileSeconds);
    context.stdout(result.report());
    if ("error" in data) throw data.error;
    return data.value;
  },
};
