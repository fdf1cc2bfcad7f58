import type { MagicDefinition } from "./types";
import { interruptibleLoop, statementOrBody } from "./statement";

export const timeitMagic: MagicDefinition = {
  name: "timeit",
  line: true,
  cell: true,
  cellLine: "any",
  summary: "time a statement over many loops and runs (mean ± std. dev.)",
  usage: "%timeit [-n N] [-r R] [-p P] [-t|-c] [-q] [-o] statement   or   %%timeit [options] [setup] + cell",
  help: `Times the statement in a loop compiled once (N loops per run, R runs) and prints
  mean ± std. dev. per loop (mean ± std. dev. of R runs, N loops each)
Without -n, N is the first of 1, 2, 5, 10, 20, 50, … for which one run takes at least 0.2 s, as IPython does;
those calibration runs also warm the JIT up. With -n, one untimed run of N loops comes first, so JIT
warm-up is not in the statistics. In the cell form, the rest of the %%timeit line is setup code, run
before each run (not timed). Statements with \`await\` are awaited in every loop. Warns when the
slowest run is 4x the fastest (caching) and when a loop costs what an empty loop costs (the JIT may
have removed the statement). Assignments stay inside the timed code, as in IPython.`,
  needsStatement: true,
  options: [
    { flag: "n", name: "number", type: "int", min: 0, metavar: "N", help: "loops per run (0 = choose automatically)" },
    { flag: "r", name: "repeat", type: "int", min: 1, metavar: "R", help: "runs (default 7)" },
    { flag: "p", name: "precision", type: "int", min: 1, metavar: "P", help: "significant digits (default 3)" },
    { flag: "t", name: "wall", type: "flag", help: "time with the wall clock" },
    { flag: "c", name: "cpu", type: "flag", help: "time with the process's CPU time" },
    { flag: "q", name: "quiet", type: "flag", help: "print nothing" },
    { flag: "o", name: "output", type: "flag", help: "return the result object (loops, repeat, best, worst, all_runs, timings, average, stdev)" },
  ],
  async run(invocation, context) {
    const { compileLoop } = require("./engines/timing/compile-loop") as typeof import("./engines/timing/compile-loop");
    const { measureTimeit } = require("./engines/timing/timeit") as typeof import("./engines/timing/timeit");
    const { TimeitResult } = require("./render/timing-report") as typeof import("./render/timing-report");
    const { code: statement, at } = statementOrBody(invocation);
    const setup = invocation.mode === "cell" ? invocation.rest : "";
    const compiled = compileLoop(context.toJavaScript(statement), setup.trim() ? context.toJavaScript(setup) : "", {
      filename: context.cellName,
      setupLine: invocation.restAt.line,
      stmtLine: at.line,
    });
    const loop = interruptibleLoop(compiled, context);
    const { options } = invocation;
    const data = await measureTimeit(loop, {
      number: options.number as number | undefined,
      repeat: options.repeat as number | undefined,
      precision: options.precision as number | undefined,
      timer: options.cpu ? "cpu" : options.wall ? "wall" : "perf",
      signal: context.signal,
    });
    const result = new TimeitResult(data);
    if (!options.quiet) context.stdout(result.report());
    return options.output ? result : undefined;
  },
};
