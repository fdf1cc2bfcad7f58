import * as fs from "node:fs";
import * as path from "node:path";
import { loadAsMain, registerTsLoader } from "../../kernel/ts-loader";

/**
 * `tsprof run script.ts [args...]`: run a TypeScript (or JavaScript) script as node would, with no
 * profiler attached, so the shell's `time` measures the script itself (the chapter's
 * `time python script.py`). CommonJS; ES modules are not supported.
 */

const USAGE = `usage: tsprof run script.ts [args...]

Runs a TypeScript or JavaScript (CommonJS) script at native speed, types stripped line for line.
  -h, --help  this help`;

export async function main(args: string[]): Promise<number> {
  const [script, ...scriptArgs] = args;
  if (script === "-h" || script === "--help") {
    process.stdout.write(USAGE + "\n");
    return 0;
  }
  if (!script) {
    process.stderr.write(`tsprof run: missing the script to run\n${USAGE}\n`);
    return 2;
  }
  const file = path.resolve(script);
  if (!fs.existsSync(file)) {
    process.stderr.write(`tsprof run: no such script: ${script}\n`);
    return 2;
  }
  if (/\.[mc]?tsx?$/.test(file)) registerTsLoader();
  process.argv = [process.argv[0], file, ...scriptArgs];
  loadAsMain(file);
  return 0;
}
