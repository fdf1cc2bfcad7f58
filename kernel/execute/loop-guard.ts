import { KeyboardInterrupt } from "./errors";
import type { SharedState } from "../shared-state";

/**
 * What a top-level loop rewritten by the cell transform checks on every iteration: an interrupt
 * then throws a KeyboardInterrupt inside the loop, so the loop's `finally` writes its variables
 * back (vm's SIGINT termination runs no `finally`, and the values reached would be lost). The
 * check is a plain read of a shared int (an `Atomics.load` made loops 6-8x slower); V8 does not
 * hoist it out of the loop, and were it ever to, the socket thread's SIGINT after 200 ms still
 * stops the loop.
 */
export const LOOP_GUARD = "__tsprofLoopGuard";

export interface LoopGuard {
  flag: Int32Array;
  interrupted: () => Error;
}

export function installLoopGuard(shared: SharedState): void {
  const interrupted = () => {
    shared.stopRequested = false;
    return new KeyboardInterrupt();
  };
  const guard: LoopGuard = { flag: shared.stopFlag, interrupted };
  Object.defineProperty(globalThis, LOOP_GUARD, { value: guard });
}
