import { performance } from "node:perf_hooks";
import { process } from "../../../kernel/intrinsics";

/**
 * The three clocks of %timeit. `now()` is what the timed loop calls before and after (so it must be
 * cheap: hrtime.bigint is ≈30 ns); `seconds()` converts a difference of two readings.
 */
export type ClockName = "perf" | "wall" | "cpu";

export interface Clock {
  readonly name: ClockName;
  readonly now: () => bigint | number;
  readonly seconds: (elapsed: bigint | number) => number;
}

/** Default, IPython's perf_counter: the monotonic high-resolution clock. */
const perfClock: Clock = {
  name: "perf",
  now: process.hrtime.bigint,
  seconds: (elapsed) => Number(elapsed) / 1e9,
};

/**
 * `-t`, IPython's time.time: wall time in ms from performance.now (monotonic, so a clock
 * adjustment during the run cannot distort it; an epoch-based reading would lose sub-µs digits).
 */
const wallClock: Clock = {
  name: "wall",
  now: () => performance.now(),
  seconds: (elapsed) => Number(elapsed) / 1e3,
};

/** `-c`, IPython's clock(): user + system CPU of the whole process, µs resolution. */
const cpuClock: Clock = {
  name: "cpu",
  now: () => {
    const usage = process.cpuUsage();
    return usage.user + usage.system;
  },
  seconds: (elapsed) => Number(elapsed) / 1e6,
};

const CLOCKS: Record<ClockName, Clock> = { perf: perfClock, wall: wallClock, cpu: cpuClock };

export function clockNamed(name: ClockName): Clock {
  return CLOCKS[name];
}

export function isClockName(name: unknown): name is ClockName {
  return typeof name === "string" && Object.prototype.hasOwnProperty.call(CLOCKS, name);
}
