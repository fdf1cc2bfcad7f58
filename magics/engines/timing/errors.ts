import { KeyboardInterrupt } from "../interrupt";
import { UsageError } from "../usage-error";
import { Promise, setImmediate } from "../../../kernel/intrinsics";

export { KeyboardInterrupt };

/** A timing magic or library call given a value it cannot use; the message says what is allowed. */
export class TimingUsageError extends UsageError {
  override name = "TimingUsageError";
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new KeyboardInterrupt();
}

/** Lets the event loop run (an interrupt message, the abort of `signal`) between two timed runs. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** `value` as a whole number in [min, max], or a TimingUsageError naming the option and the range. */
export function checkInteger(option: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `a whole number ≥ ${min}` : `a whole number from ${min} to ${max}`;
    throw new TimingUsageError(`${option} must be ${range} (got ${describe(value)})`);
  }
  return value;
}

export function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value == null) return String(value);
  return typeof value;
}
