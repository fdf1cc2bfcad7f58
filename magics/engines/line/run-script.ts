import * as path from "node:path";
import type { InstrumentedFunction } from "./patch";
import { loadAsMain } from "../../../kernel/ts-loader";
import { instrumentOnLoad } from "./loader";
import type { Recorder } from "./recorders";

/**
 * Runs a script with its chosen functions instrumented at load, for `tsprof lprof|mprof`. The
 * report comes once the script is done: when the event loop drains, on process.exit(), or after
 * an uncaught error (the report of what ran is printed before the error).
 */
export interface ScriptRun<R extends Recorder> {
  functions: InstrumentedFunction<R>[];
  unmatched: string[];
  failed: boolean;
  error?: unknown;
}

export async function runScript<R extends Recorder>(
  script: string,
  args: string[],
  names: string[],
  makeRecorder: (firstLine: number, lastLine: number) => R,
  report: (run: ScriptRun<R>) => void,
): Promise<number> {
  const file = path.resolve(script);
  const profile = instrumentOnLoad(names, makeRecorder);
  process.argv = [process.argv[0], file, ...args];
  let reported = false;
  const reportOnce = (failed: boolean, error?: unknown) => {
    if (reported) return;
    reported = true;
    report({ functions: profile.functions, unmatched: profile.unmatched(), failed, error });
  };
  const onExit = (code: number) => reportOnce(code !== 0);
  process.once("exit", onExit);
  try {
    const drained = new Promise<void>((resolve) => process.once("beforeExit", () => resolve()));
    loadAsMain(file);
    await drained;
  } catch (error) {
    process.removeListener("exit", onExit);
    reportOnce(true, error);
    process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
    return 1;
  }
  process.removeListener("exit", onExit);
  reportOnce(false);
  return 0;
}
