import { clockNamed, isClockName, type ClockName } from "./clocks";
import type { CompiledLoop, Elapsed } from "./compile-loop";
import { checkInteger, describe, throwIfAborted, TimingUsageError, yieldToEventLoop } from "./errors";

/** %timeit's options (IPython's `-n -r -p -t/-c`), plus what a kernel or script adds. */
export interface TimeitOptions {
  /** Loops per run (`-n`); 0 or absent = autorange: 1, 2, 5, 10, 20, 50, … until one run takes ≥ 0.2 s. */
  number?: number;
  /** Runs (`-r`), default 7. */
  repeat?: number;
  /** Significant digits of the result line (`-p`), default 3. */
  precision?: number;
  /** `perf` (default, monotonic hrtime), `wall` (`-t`), `cpu` (`-c`, process user+sys). */
  timer?: ClockName;
  /**
   * With a fixed `number`, one untimed run of `number` loops before the timed ones, so JIT
   * warm-up (lazy compilation, inline caches, on-stack replacement) is not in the statistics.
   * Autorange needs none: its calibration runs warm up. Default true.
   */
  warmup?: boolean;
  /** Checked between runs: once aborted, the measurement stops with a KeyboardInterrupt. */
  signal?: AbortSignal;
}

/** The raw measurement: IPython's TimeitResult fields before any statistics. */
export interface TimeitData {
  loops: number;
  repeat: number;
  /** Total seconds of each timed run (`loops` iterations each). */
  all_runs: number[];
  compile_time: number;
  precision: number;
  timer: ClockName;
  /** Untimed runs made before the timed ones: autorange's steps or the warm-up run. */
  untimed_runs: Array<{ loops: number; seconds: number }>;
}

const AUTORANGE_SECONDS = 0.2;
const AUTORANGE_MAX_LOOPS = 5e9;

/** IPython's autorange steps: 1, 2, 5, 10, 20, 50, … so a chosen run takes at most 2.5× the 0.2 s aimed at. */
function* autorangeLoops(): Generator<number> {
  for (let power = 1; power <= AUTORANGE_MAX_LOOPS; power *= 10) {
    for (const factor of [1, 2, 5]) if (factor * power <= AUTORANGE_MAX_LOOPS) yield factor * power;
  }
}

export async function measureTimeit(compiled: CompiledLoop, options: TimeitOptions = {}): Promise<TimeitData> {
  const number = checkInteger("number of loops (-n)", options.number ?? 0, 0);
  const repeat = checkInteger("number of runs (-r)", options.repeat ?? 7, 1);
  const precision = checkInteger("precision (-p)", options.precision ?? 3, 1, 20);
  const timer = options.timer ?? "perf";
  if (!isClockName(timer)) {
    throw new TimingUsageError(`timer must be "perf", "wall" (-t) or "cpu" (-c) (got ${describe(timer)})`);
  }
  const clock = clockNamed(timer);
  const signal = options.signal;

  const runOnce = async (loops: number): Promise<number> => {
    throwIfAborted(signal);
    const elapsed = compiled.run(loops, clock.now);
    const seconds = clock.seconds(compiled.isAsync ? await elapsed : (elapsed as Elapsed));
    await yieldToEventLoop();
    return seconds;
  };

  const untimed: TimeitData["untimed_runs"] = [];
  let loops = number;
  if (number === 0) {
    for (loops of autorangeLoops()) {
      const seconds = await runOnce(loops);
      untimed.push({ loops, seconds });
      if (seconds >= AUTORANGE_SECONDS) break;
    }
  } else if (options.warmup ?? true) {
    untimed.push({ loops, seconds: await runOnce(loops) });
  }

  const allRuns: number[] = [];
  for (let run = 0; run < repeat; run++) allRuns.push(await runOnce(loops));
  throwIfAborted(signal);
  return {
    loops,
    repeat,
    all_runs: allRuns,
    compile_time: compiled.compileSeconds,
    precision,
    timer,
    untimed_runs: untimed,
  };
}
