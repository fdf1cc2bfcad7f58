import * as vm from "node:vm";

/**
 * What the library forms of the profilers accept: a function, or a JavaScript statement compiled
 * once as a script of this realm (so it sees globals) under `fileName`. Anything else is an error
 * of the caller's kind naming what was given.
 */
export function runnable(
  api: string,
  run: unknown,
  fileName: string,
  UsageError: new (message: string) => Error,
): () => unknown {
  if (typeof run === "string") {
    const script = new vm.Script(run, { filename: fileName });
    return () => script.runInThisContext();
  }
  if (typeof run === "function") return run as () => unknown;
  throw new UsageError(`${api} needs a function or a statement string (got ${run === null ? "null" : typeof run})`);
}
