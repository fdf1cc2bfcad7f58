/**
 * The start every profiler CLI shares: parse the arguments; `--help` prints the usage (exit 0), a bad
 * argument prints `tsprof NAME: why` (exit 2). Returns the options, or the exit code.
 */
export function parseOrReport<T>(command: string, usage: string, parse: () => T | "help"): T | number {
  try {
    const parsed = parse();
    if (parsed !== "help") return parsed;
    process.stdout.write(`${usage}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`tsprof ${command}: ${(error as Error).message}\n`);
    return 2;
  }
}
