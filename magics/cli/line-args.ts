import * as fs from "node:fs";
import { LineProfilerUsageError } from "../engines/line/targets";

/** Arguments shared by `tsprof lprof` and `tsprof mprof`. */
export interface LineCliArgs {
  names: string[];
  unit?: number;
  strip: boolean;
  json?: string;
  script: string;
  scriptArgs: string[];
}

export function parseLineCliArgs(args: string[], usage: string, timed: boolean): LineCliArgs | "help" {
  const options: LineCliArgs = { names: [], strip: false, script: "", scriptArgs: [] };
  let i = 0;
  const value = (flag: string): string => {
    const v = args[++i];
    if (v === undefined) throw new LineProfilerUsageError(`${flag} needs a value\n${usage}`);
    return v;
  };
  for (; i < args.length && args[i].startsWith("-"); i++) {
    const arg = args[i];
    if (arg === "-h" || arg === "--help") return "help";
    if (arg === "-f" || arg === "--function") options.names.push(value(arg));
    else if (arg === "-o" || arg === "--json") options.json = value(arg);
    else if (timed && (arg === "-u" || arg === "--unit")) {
      const text = value(arg);
      const unit = Number(text);
      if (text.trim() === "" || !(unit > 0)) throw new LineProfilerUsageError(`${arg} needs a positive number of seconds, e.g. 1e-6 (got '${text}')`);
      options.unit = unit;
    } else if (timed && (arg === "-s" || arg === "--strip")) options.strip = true;
    else if (arg === "--") {
      i++;
      break;
    } else throw new LineProfilerUsageError(`unknown option ${arg}\n${usage}`);
  }
  if (i >= args.length) throw new LineProfilerUsageError(`missing the script to run\n${usage}`);
  options.script = args[i];
  options.scriptArgs = args.slice(i + 1);
  if (!fs.existsSync(options.script)) throw new LineProfilerUsageError(`no such script: ${options.script}`);
  return options;
}
