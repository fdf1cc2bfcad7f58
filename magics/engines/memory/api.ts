import { MemitResult } from "../../render/memit-report";
import { runnable } from "../statement";
import { measureMemit, MemitUsageError, type MemitOptions } from "./memit";

/**
 * The library form of %memit: `await memit(() => work(), { repeat: 3 })` or `await memit("work()")`.
 * A string is compiled as a script of this realm (global scope) named `<memit>`.
 */
export async function memit(run: (() => unknown) | string, options: MemitOptions = {}): Promise<MemitResult> {
  return new MemitResult(await measureMemit(runnable("memit", run, "<memit>", MemitUsageError), options));
}
