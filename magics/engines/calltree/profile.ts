import * as vm from "node:vm";
import { startSamplingFresh, type CpuProfile } from "./sampler";
import { buildCallTree, WRAPPER_SCRIPT, type CallTree, type TreeOptions } from "./tree";

/**
 * %prun's engine: sample `run` with V8's CPU profiler and build the call tree of the user's code.
 * The profile is stopped however `run` ends (return, throw, interrupt, rejected promise), and the
 * tree of what ran is returned with the error beside it, for the caller to show both.
 */

/**
 * Default sampling interval, seconds. The research measured 1.01x at 1 ms and 1.05x at 100 µs
 * (effective intervals 1.09 ms and 180 µs); 500 µs keeps the slowdown near 2% (bench/prun.ts) and
 * gives a 50 ms statement 100 samples.
 */
export const DEFAULT_INTERVAL = 0.0005;
const MIN_INTERVAL = 0.00001;
const MAX_INTERVAL = 1;

export interface ProfileOptions extends TreeOptions {
  /** Sampling interval in seconds (pyinstrument's `--interval`); default 0.0005. */
  interval?: number;
}

export interface ProfileData {
  /** V8's profile as recorded: Chrome DevTools and speedscope open it as a .cpuprofile. */
  profile: CpuProfile;
  tree: CallTree;
  /** Requested interval, seconds. */
  interval: number;
  /** What `run` returned (awaited). */
  value?: unknown;
  /** Set when `run` threw or rejected: the tree is of what ran until then. */
  error?: unknown;
  failed: boolean;
}

export class ProfileUsageError extends Error {
  override name = "ProfileUsageError";
}

let wrapper: ((run: () => unknown) => unknown) | undefined;

/** The frame that marks where the user's code starts (see tree.ts). */
export function callThroughRoot(run: () => unknown): unknown {
  wrapper ??= vm.runInThisContext("(function tsprofProfileRoot(run) { return run(); })", {
    filename: WRAPPER_SCRIPT,
  }) as (run: () => unknown) => unknown;
  return wrapper(run);
}

export function checkInterval(interval: number | undefined): number {
  const value = interval ?? DEFAULT_INTERVAL;
  if (typeof value !== "number" || !(value >= MIN_INTERVAL && value <= MAX_INTERVAL)) {
    throw new ProfileUsageError(
      `sampling interval must be a number of seconds from ${MIN_INTERVAL} (10 µs) to ${MAX_INTERVAL} (got ${String(interval)})`,
    );
  }
  return value;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === "object" || typeof value === "function") &&
    typeof (value as { then?: unknown }).then === "function"
  );
}

export async function profileRun(run: () => unknown, options: ProfileOptions = {}): Promise<ProfileData> {
  if (typeof run !== "function") {
    throw new ProfileUsageError(`profile needs a function to run (got ${run === null ? "null" : typeof run})`);
  }
  const interval = checkInterval(options.interval);
  const sampling = await startSamplingFresh(Math.round(interval * 1e6));
  let value: unknown;
  let error: unknown;
  let failed = false;
  try {
    value = callThroughRoot(run);
    if (isPromiseLike(value)) value = await value;
  } catch (caught) {
    error = caught;
    failed = true;
  }
  const profile = sampling.stop();
  return { profile, tree: buildCallTree(profile, options), interval, value, error, failed };
}
