import { compileLoop, type CompiledLoop, type CompileLoopOptions, type Elapsed } from "./compile-loop";
import { clockNamed } from "./clocks";
import { checkInteger, describe, throwIfAborted, TimingUsageError, yieldToEventLoop } from "./errors";

/**
 * The scaling magic's engine: times one statement at several input sizes n (setup excluded),
 * then fits time ≈ c·n^k by least squares on log-log, the chapter's "double n, time ×4: O(n²)".
 */
export interface ScalingOptions {
  /** Input sizes, at least two different whole numbers ≥ 1; measured in increasing order. */
  ns: number[];
  /** Timed runs per size (default 5); the reported time is the best (fastest) per loop. */
  repeat?: number;
  /** Loops per run are chosen so that a run lasts at least this long (default 0.02 s). */
  minRunSeconds?: number;
  signal?: AbortSignal;
}

export interface ScalingPoint {
  n: number;
  loops: number;
  /** Seconds per loop of each timed run. */
  timings: number[];
  /** The fastest per-loop time: noise only ever adds time, so the minimum is the steadiest. */
  seconds: number;
}

export interface ScalingFit {
  /** k in time ≈ c·n^k. */
  exponent: number;
  /** c in time ≈ c·n^k, seconds. */
  coefficient: number;
  /** Goodness of the log-log line, 1 = perfect. */
  rSquared: number;
}

export interface ScalingData {
  points: ScalingPoint[];
  repeat: number;
  fit: ScalingFit;
}

/** Setup and statement JavaScript sharing the parameter `n`, compiled once into a timed loop. */
export function compileScaling(stmtJs: string, setupJs = "", options: CompileLoopOptions = {}): CompiledLoop {
  return compileLoop(stmtJs, setupJs, { filename: "<scaling>", ...options, params: ["n"] });
}

/** The same from functions: `setupFor(n)` builds the input (untimed), `runFor(n, input)` is timed. */
export function scalingFunctions<S>(runFor: (n: number, input: S) => unknown, setupFor?: (n: number) => S): CompiledLoop {
  if (typeof runFor !== "function") throw new TimingUsageError(`runFor must be a function (got ${describe(runFor)})`);
  if (setupFor !== undefined && typeof setupFor !== "function") {
    throw new TimingUsageError(`setupFor must be a function or absent (got ${describe(setupFor)})`);
  }
  const isAsync = runFor.constructor.name === "AsyncFunction";
  const inner = compileLoop(
    `${isAsync ? "await " : ""}__tsprof_run(n, __tsprof_input);`,
    "const __tsprof_input = __tsprof_setup === undefined ? undefined : __tsprof_setup(n);",
    { filename: "<scaling>", async: isAsync, params: ["n", "__tsprof_setup", "__tsprof_run"] },
  );
  return { ...inner, run: (loops, now, n) => inner.run(loops, now, n, setupFor, runFor) };
}

export async function measureScaling(compiled: CompiledLoop, options: ScalingOptions): Promise<ScalingData> {
  const ns = checkSizes(options.ns);
  const repeat = checkInteger("repeat (-r)", options.repeat ?? 5, 1);
  const minRun = options.minRunSeconds ?? 0.02;
  if (typeof minRun !== "number" || !(minRun > 0 && minRun <= 60)) {
    throw new TimingUsageError(`minRunSeconds must be a number of seconds in (0, 60] (got ${describe(minRun)})`);
  }
  const clock = clockNamed("perf");
  const runOnce = async (n: number, loops: number): Promise<number> => {
    throwIfAborted(options.signal);
    const elapsed = compiled.run(loops, clock.now, n);
    const seconds = clock.seconds(compiled.isAsync ? await elapsed : (elapsed as Elapsed));
    await yieldToEventLoop();
    return seconds;
  };

  const points: ScalingPoint[] = [];
  for (const n of ns) {
    const single = await runOnce(n, 1);
    const loops = single >= minRun ? 1 : roundUpToNice(minRun / Math.max(single, 1e-9));
    const timings: number[] = [];
    for (let run = 0; run < repeat; run++) timings.push((await runOnce(n, loops)) / loops);
    points.push({ n, loops, timings, seconds: Math.min(...timings) });
  }
  throwIfAborted(options.signal);
  return { points, repeat, fit: fitPowerLaw(points.map((p) => [p.n, p.seconds])) };
}

/** Least squares of ln(time) on ln(n): the slope is the exponent. NaN when a time is not > 0. */
export function fitPowerLaw(points: Array<[number, number]>): ScalingFit {
  const usable = points.every(([n, t]) => n > 0 && t > 0);
  if (!usable || points.length < 2) return { exponent: NaN, coefficient: NaN, rSquared: NaN };
  const xs = points.map(([n]) => Math.log(n));
  const ys = points.map(([, t]) => Math.log(t));
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  const exponent = sxy / sxx;
  const rSquared = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { exponent, coefficient: Math.exp(my - exponent * mx), rSquared };
}

/** Smallest of 1, 2, 5, 10, 20, 50, … that is ≥ x (at most 1e9). */
function roundUpToNice(x: number): number {
  for (let power = 1; power <= 1e9; power *= 10) {
    for (const step of [1, 2, 5]) if (step * power >= x) return step * power;
  }
  return 1e9;
}

function checkSizes(ns: unknown): number[] {
  if (!Array.isArray(ns)) throw new TimingUsageError(`sizes (-n) must be a list of whole numbers (got ${describe(ns)})`);
  for (const n of ns) {
    if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 1) {
      throw new TimingUsageError(`each size n (-n) must be a whole number ≥ 1 (got ${describe(n)})`);
    }
  }
  const sorted = [...new Set(ns as number[])].sort((a, b) => a - b);
  if (sorted.length < 2) {
    throw new TimingUsageError(`sizes (-n) need at least two different values to fit an exponent (got ${ns.join(", ") || "none"})`);
  }
  return sorted;
}

/**
 * The sizes of `-n`: a comma list (`1000,2000,4000`, `1e3`, `10_000` allowed) or a doubling range
 * `1000..16000` (1000, 2000, 4000, 8000, 16000).
 */
export function parseSizes(text: string): number[] {
  const range = /^\s*([\d_.e+]+)\s*\.\.\s*([\d_.e+]+)\s*$/i.exec(text);
  if (range) {
    const [start, end] = [parseSize(range[1]), parseSize(range[2])];
    if (end <= start) throw new TimingUsageError(`in the range ${text.trim()} the end must be above the start`);
    const sizes: number[] = [];
    for (let n = start; n <= end; n *= 2) sizes.push(n);
    return sizes;
  }
  return text.split(",").map((part) => parseSize(part));
}

function parseSize(text: string): number {
  const cleaned = text.trim().replace(/_/g, "");
  const n = cleaned === "" ? NaN : Number(cleaned);
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new TimingUsageError(
      `size ${JSON.stringify(text.trim())} is not a whole number ≥ 1 (-n takes e.g. 1000,2000,4000 or 1000..16000)`,
    );
  }
  return n;
}
