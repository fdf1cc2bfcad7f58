/**
 * A profiler, magic or library call used wrongly: the message says what was wrong and what is
 * allowed. The kernel shows every one the same way (IPython's `UsageError: …` on stderr, no
 * traceback), so neither a magic nor an engine translates errors for it. Engines whose error class
 * does not extend this one follow the naming rule instead: a class named `…UsageError`.
 */
export class UsageError extends Error {
  override name = "UsageError";
}

export function isUsageError(error: unknown): error is Error {
  return error instanceof UsageError || (error instanceof Error && /UsageError$/.test(error.name));
}
