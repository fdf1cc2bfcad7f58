import * as path from "node:path";
import { installLoader, loadAsMain, onSitesAdded } from "./loader";
import { mapStackTrace } from "./positions";
import type { Recorder } from "./recorders";
import { switchOn } from "./sites";
import type { ProfiledFunction } from "./switch-on";

/**
 * Runs a script for `tsprof lprof|mprof`, with the functions chosen by name (`-f countCommon`,
 * `-f Box.total`, `-f total`) or by a `// @profile` comment on the line above them switched on as
 * each file is compiled, before its top level runs. The report comes once the script is done:
 * when the event loop drains, on process.exit(), or after an uncaught error (the report of what
 * ran is printed before the error).
 */
export interface ScriptRun<R extends Recorder> {
  functions: ProfiledFunction<R>[];
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
  const functions: ProfiledFunction<R>[] = [];
  const matched = new Set<string>();
  installLoader({ switches: true });
  const stopListening = onSitesAdded((sites) => {
    for (const { id, info } of sites) {
      const byName = info.names.filter((n) => names.includes(n));
      byName.forEach((n) => matched.add(n));
      if (byName.length === 0 && !info.marked) continue;
      const recorder = makeRecorder(info.firstLine, info.lastLine);
      switchOn(id, recorder);
      const { name, file, firstLine, lastLine } = info;
      functions.push({ name, label: name, recorder, file, firstLine, lastLine, site: id });
    }
  });
  process.argv = [process.argv[0], file, ...args];
  let reported = false;
  const reportOnce = (failed: boolean, error?: unknown) => {
    if (reported) return;
    reported = true;
    stopListening();
    report({ functions, unmatched: names.filter((n) => !matched.has(n)), failed, error });
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
    const stack = (error as Error)?.stack;
    process.stderr.write(`${typeof stack === "string" ? mapStackTrace(stack) : String(error)}\n`);
    return 1;
  }
  process.removeListener("exit", onExit);
  reportOnce(false);
  return 0;
}
