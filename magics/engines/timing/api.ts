import { ScalingResult } from "../../render/scaling-report";
import { TimeitResult, TimeResult } from "../../render/timing-report";
import { runnable } from "../statement";
import { compileLoop, type CompiledLoop } from "./compile-loop";
import { describe, TimingUsageError } from "./errors";
import { compileScaling, measureScaling, scalingFunctions, type ScalingOptions } from "./scaling";
import { measureTimeit, type TimeitOptions } from "./timeit";
import { timeRun } from "./time-run";

export interface LibraryTimeitOptions extends TimeitOptions {
  /** For a code string: JavaScript run once before each run's loop (IPython's setup). */
  setup?: string;
  /** Await each call/statement. Default: on for async functions and for code containing `await`. */
  async?: boolean;
}

/**
 * The library form of %timeit: `await timeit(() => work())` or `await timeit("work()", { setup })`.
 * A code string is JavaScript compiled once in this realm's global scope (it sees globals, not a
 * module's locals). A function is called in a loop compiled afresh, so V8 can inline it.
 */
export async function timeit(
  fnOrCode: (() => unknown) | string,
  options: LibraryTimeitOptions = {},
): Promise<TimeitResult> {
  const compiled = compileTarget(fnOrCode, options);
  return new TimeitResult(await measureTimeit(compiled, options));
}

/** The library form of %time: times one call (or statement string); rethrows what the code threw. */
export async function time(fnOrCode: (() => unknown) | string): Promise<TimeResult> {
  const data = await timeRun(runnable("time", fnOrCode, "<timed exec>", TimingUsageError));
  if ("error" in data) throw data.error;
  return new TimeResult(data);
}

function compileTarget(fnOrCode: (() => unknown) | string, options: LibraryTimeitOptions): CompiledLoop {
  if (typeof fnOrCode === "string") {
    return compileLoop(fnOrCode, options.setup ?? "", { filename: "<timeit>", async: options.async });
  }
  if (typeof fnOrCode !== "function") {
    throw new TimingUsageError(`timeit needs a function or a statement string (got ${describe(fnOrCode)})`);
  }
  if (options.setup !== undefined) {
    throw new TimingUsageError("setup is for code strings; with a function, prepare its data in a closure");
  }
  const isAsync = options.async ?? fnOrCode.constructor.name === "AsyncFunction";
  const call = "__tsprof_fn";
  const inner = compileLoop(isAsync ? `await ${call}();` : `${call}();`, "", {
    filename: "<timeit>",
    async: isAsync,
    params: [call],
  });
  return { ...inner, run: (loops, now) => inner.run(loops, now, fnOrCode) };
}

export interface LibraryScalingOptions<S> extends ScalingOptions {
  /** The timed work at size n: a function `(n, input) => …` or JavaScript code using `n`. */
  runFor: ((n: number, input: S) => unknown) | string;
  /** Builds the input for size n, untimed: a function `(n) => input` or JavaScript code using `n`. */
  setupFor?: ((n: number) => S) | string;
  /** Log-log plot axes (default true). */
  logScale?: boolean;
}

/**
 * The library form of the scaling magic: `await scaling({ ns: [1000, 2000, 4000], setupFor: (n) =>
 * randomArray(n), runFor: (n, a) => sortCopy(a) })` → table, fitted exponent, SVG and Vega-Lite plot.
 */
export async function scaling<S>(options: LibraryScalingOptions<S>): Promise<ScalingResult> {
  const { runFor, setupFor } = options;
  let compiled: CompiledLoop;
  if (typeof runFor === "string") {
    if (setupFor !== undefined && typeof setupFor !== "string") {
      throw new TimingUsageError("with runFor as code, setupFor must be code too (or absent)");
    }
    compiled = compileScaling(runFor, setupFor ?? "");
  } else {
    if (typeof setupFor === "string") throw new TimingUsageError("with runFor as a function, setupFor must be a function too (or absent)");
    compiled = scalingFunctions(runFor, setupFor);
  }
  return new ScalingResult(await measureScaling(compiled, options), { logScale: options.logScale });
}
