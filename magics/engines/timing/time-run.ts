import { KeyboardInterrupt } from "./errors";
import { Promise, process } from "../../../kernel/intrinsics";

/** One timed execution, %time's measurement. CPU is process-wide (GC and other threads count). */
export interface TimeRunData {
  /** What the run returned (a promise's resolved value); undefined when it threw. */
  value: unknown;
  wallSeconds: number;
  userSeconds: number;
  systemSeconds: number;
  /** Present when the run threw or its promise rejected: the timing is still valid up to that point. */
  error?: unknown;
}

export interface TimeRunOptions {
  /** While a returned promise is awaited: once aborted, stop waiting (error = KeyboardInterrupt). */
  signal?: AbortSignal;
}

/**
 * Times `run` with the wall clock (hrtime) and process CPU (cpuUsage). A returned thenable is
 * awaited before the clock stops. Never throws: a failure comes back as `error` beside the
 * timings, so %time can print both (IPython swallows the error and prints no timing).
 */
export async function timeRun(run: () => unknown, options: TimeRunOptions = {}): Promise<TimeRunData> {
  const cpu0 = process.cpuUsage();
  const wall0 = process.hrtime.bigint();
  let value: unknown;
  let error: unknown;
  let failed = false;
  try {
    value = run();
    if (isThenable(value)) value = await untilAborted(value, options.signal);
  } catch (caught) {
    failed = true;
    error = caught;
    value = undefined;
  }
  const wall = Number(process.hrtime.bigint() - wall0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const data: TimeRunData = { value, wallSeconds: wall, userSeconds: cpu.user / 1e6, systemSeconds: cpu.system / 1e6 };
  if (failed) data.error = error;
  return data;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === "object" || typeof value === "function") &&
    typeof (value as PromiseLike<unknown>).then === "function"
  );
}

function untilAborted<T>(thenable: PromiseLike<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return Promise.resolve(thenable);
  if (signal.aborted) return Promise.reject(new KeyboardInterrupt());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new KeyboardInterrupt());
    signal.addEventListener("abort", onAbort, { once: true });
    Promise.resolve(thenable).then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
