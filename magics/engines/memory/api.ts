import * as vm from "node:vm";
import { MemitResult } from "../../render/memit-report";
import { measureMemit, MemitUsageError, type MemitOptions } from "./memit";

/**
 * The library form of %memit: `await memit(() => work(), { repeat: 3 })` or `await memit("work()")`.
 * A string is compiled as a script of this realm (global scope) named `<memit>`.
 */
export async function memit(run: (() => unknown) | string, options: MemitOptions = {}): Promise<MemitResult> {
  let fn: () => unknown;
  if (typeof run === "string") {
    const script = new vm.Script(run, { filename: "<memit>" });
    fn = () => script.runInThisContext();
  } else if (typeof run === "function") {
    fn = run;
  } else {
    throw new MemitUsageError(`memit needs a function or a statement string (got ${run === null ? "null" : typeof run})`);
  }
  return new MemitResult(await measureMemit(fn, options));
}
