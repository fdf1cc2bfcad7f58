import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { MagicContext } from "./types";

/** `-T file` / `-D file`: write a report next to the notebook and say so, as the Python magics do. */
export function saveReport(context: MagicContext, file: string, text: string, what: string): void {
  writeFileSync(resolve(context.cwd, file), text.endsWith("\n") ? text : `${text}\n`, "utf8");
  context.stdout(`\n*** ${what} '${file}'.\n`);
}
