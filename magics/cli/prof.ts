import * as fs from "node:fs";
import * as path from "node:path";
import { loadAsMain, registerTsLoader } from "../../kernel/ts-loader";
import { callThroughRoot, checkInterval, DEFAULT_INTERVAL, ProfileUsageError } from "../engines/calltree/profile";
import { startSampling, type Sampling } from "../engines/calltree/sampler";
import { buildCallTree } from "../engines/calltree/tree";
import { resolveSortKey } from "../engines/calltree/flat";
import { parseOrReport } from "./parse-or-report";
import { CallTreeResult } from "../render/calltree-report";

/**
 * `tsprof prof [options] script.ts [args...]`: run a script under the sampling profiler and print
 * its call tree, like `pyinstrument script.py`. The profile covers the script's whole life: its
 * top level, then everything the event loop runs for it, until node would exit (also when the
 * script calls process.exit or dies of an uncaught error). CommonJS and TypeScript scripts;
 * ES modules (.mjs, "type": "module") are not supported.
 */

const USAGE = `usage: tsprof prof [-i SECONDS] [-s KEY]... [--html FILE] [--cpuprofile FILE] script.ts [args...]

Runs the script under V8's sampling profiler and prints a call tree (pyinstrument-style).
  -i, --interval SECONDS  sampling interval (default ${DEFAULT_INTERVAL})
  -s, --sort KEY          print cProfile's flat table sorted by KEY instead (time, cumulative, calls, name, ...)
  --html FILE             also write the tree as a self-contained HTML page
  --cpuprofile FILE       also write V8's profile (opens in Chrome DevTools and speedscope)
  -h, --help              this help`;

interface ProfArgs {
  interval: number;
  sortKeys: string[];
  html?: string;
  cpuprofile?: string;
  script: string;
  scriptArgs: string[];
}

function parseArgs(args: string[]): ProfArgs | "help" {
  let interval: number | undefined;
  const sortKeys: string[] = [];
  let html: string | undefined;
  let cpuprofile: string | undefined;
  let i = 0;
  const value = (flag: string): string => {
    const v = args[++i];
    if (v === undefined) throw new ProfileUsageError(`${flag} needs a value\n${USAGE}`);
    return v;
  };
  for (; i < args.length && args[i].startsWith("-"); i++) {
    const arg = args[i];
    if (arg === "-h" || arg === "--help") return "help";
    else if (arg === "-i" || arg === "--interval") {
      const text = value(arg);
      interval = Number(text);
      if (text.trim() === "" || Number.isNaN(interval)) throw new ProfileUsageError(`${arg} needs a number of seconds (got '${text}')`);
    } else if (arg === "-s" || arg === "--sort") sortKeys.push(resolveSortKey(value(arg)));
    else if (arg === "--html") html = value(arg);
    else if (arg === "--cpuprofile") cpuprofile = value(arg);
    else if (arg === "--") {
      i++;
      break;
    } else throw new ProfileUsageError(`unknown option ${arg}\n${USAGE}`);
  }
  if (i >= args.length) throw new ProfileUsageError(`missing the script to run\n${USAGE}`);
  return { interval: checkInterval(interval), sortKeys, html, cpuprofile, script: args[i], scriptArgs: args.slice(i + 1) };
}

function report(options: ProfArgs, sampling: Sampling, failed: boolean, error?: unknown): void {
  const profile = sampling.stop();
  const tree = buildCallTree(profile, { rootScript: options.script });
  const result = new CallTreeResult({ profile, tree, interval: options.interval, failed, error });
  const program = [path.relative(process.cwd(), options.script), ...options.scriptArgs].join(" ");
  const body = options.sortKeys.length > 0 ? result.flat(options.sortKeys) : String(result);
  process.stdout.write(`\nProgram: ${program}\n\n${body}\n`);
  if (options.html) {
    const page = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>tsprof: ${program}</title></head><body>${result.toHtml()}</body></html>\n`;
    fs.writeFileSync(options.html, page);
    process.stdout.write(`\nHTML tree written to ${options.html}\n`);
  }
  if (options.cpuprofile) {
    fs.writeFileSync(options.cpuprofile, result.cpuProfileJson());
    process.stdout.write(`V8 profile written to ${options.cpuprofile} (Chrome DevTools, speedscope)\n`);
  }
}

export async function main(args: string[]): Promise<number> {
  const options = parseOrReport("prof", USAGE, () => parseArgs(args));
  if (typeof options === "number") return options;
  const script = path.resolve(options.script);
  if (!fs.existsSync(script)) {
    process.stderr.write(`tsprof prof: no such script: ${options.script}\n`);
    return 2;
  }
  options.script = script;
  if (/\.[mc]?tsx?$/.test(script)) registerTsLoader();
  process.argv = [process.argv[0], script, ...options.scriptArgs];

  const sampling = startSampling(Math.round(options.interval * 1e6));
  let reported = false;
  const reportOnce = (failed: boolean, error?: unknown) => {
    if (reported) return;
    reported = true;
    report(options, sampling, failed, error);
  };
  // process.exit() and uncaught errors skip the event loop's end: report synchronously then.
  const onExit = (code: number) => reportOnce(code !== 0);
  process.once("exit", onExit);
  try {
    const drained = new Promise<void>((resolve) => process.once("beforeExit", () => resolve()));
    callThroughRoot(() => loadAsMain(script));
    await drained;
  } catch (error) {
    reportOnce(true, error);
    process.removeListener("exit", onExit);
    process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
    return 1;
  }
  process.removeListener("exit", onExit);
  reportOnce(false);
  return 0;
}
