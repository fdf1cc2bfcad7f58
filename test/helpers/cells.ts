import * as vm from "node:vm";
import { transpile } from "../../kernel/ts-loader";
import { addProfileSwitches } from "../../magics/engines/line/switches";
import { registerSource } from "../../magics/engines/sources";

/** Runs TypeScript as the kernel compiles code: transpiled, switched for profiling, in this context, named `name`. */
export function runCell(name: string, ts: string): unknown {
  registerSource(name, ts);
  return vm.runInThisContext(addProfileSwitches(transpile(ts, name), name, { kind: "file" })!, { filename: name });
}

/** The value of an expression in this context (where the cells' globals live). */
export const global = (expression: string) => vm.runInThisContext(expression) as any;
