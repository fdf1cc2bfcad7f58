import * as fs from "node:fs";
import * as path from "node:path";
import { inspect } from "node:util";
import { loadAsMain, registerTsLoader } from "../../kernel/ts-loader";
import { sourceLines } from "../engines/sources";

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
  try {
    loadAsMain(file);
  } catch (error) {
    process.stderr.write(uncaughtReport(error));
    return 1;
  }
  return 0;
}

const TSPROF_FRAME = /[\\/]dist[\\/](kernel|magics)[\\/]|[\\/]node_modules[\\/]sucrase[\\/]/;
const FRAME_POSITION = /\(?((?:\/|[A-Za-z]:\\)[^()]*?):(\d+):(\d+)\)?$/;

/**
 * What node prints for an exception its script throws: where it was thrown (file:line, the line,
 * a caret), then the stack, here without tsprof's own frames; a thrown non-Error is shown inspected.
 */
export function uncaughtReport(error: unknown): string {
  if (!(error instanceof Error) || typeof error.stack !== "string") return `Uncaught ${inspect(error)}\n`;
  const lines = error.stack.split("\n").filter((line) => !(/^\s+at /.test(line) && TSPROF_FRAME.test(line)));
  const where = lines.map((line) => (/^\s+at /.test(line) ? FRAME_POSITION.exec(line) : null)).find((match) => match);
  let header = "";
  if (where) {
    const [, file, line, column] = where;
    const text = sourceLines(file)?.[Number(line) - 1];
    if (text !== undefined) header = `${file}:${line}\n${text}\n${" ".repeat(Math.max(0, Number(column) - 1))}^\n\n`;
  }
  return `${header}${lines.join("\n")}\n`;
}
