import Module = require("node:module");
import { readFileSync } from "node:fs";
import { process } from "./intrinsics";
import { needsTsc, tscEmit } from "./tsc-emit";

/**
 * TypeScript → JavaScript with every line kept in place (sucrase), so stack traces, `fn.toString()`
 * and line profiler reports all speak of the user's own TypeScript lines. Files become CommonJS;
 * notebook cells keep their `import`/`export` statements (every import kept, used or not: later
 * cells use it), which the cell transform turns into globals.
 */
export function transpile(source: string, fileName: string, kind: "file" | "cell" = "file"): string {
  if (kind === "file" && needsTsc(source)) return tscEmit(source, fileName, "file", process.cwd());
  const { transform } = require("sucrase") as typeof import("sucrase");
  return transform(source, {
    transforms: kind === "file" ? ["typescript", "imports"] : ["typescript"],
    disableESTransforms: true,
    keepUnusedImports: kind === "cell",
    filePath: fileName,
  }).code;
}

let registered = false;

/** Lets `require` load `.ts` files (local modules, scripts run by the CLI). */
export function registerTsLoader(): void {
  if (registered) return;
  registered = true;
  const extensions = (Module as unknown as { _extensions: Record<string, (m: NodeJS.Module, f: string) => void> })
    ._extensions;
  const compileTs = (module: NodeJS.Module, fileName: string) => {
    const js = transpile(readFileSync(fileName, "utf8"), fileName);
    (module as unknown as { _compile(code: string, fileName: string): void })._compile(js, fileName);
  };
  for (const ext of [".ts", ".mts", ".cts", ".tsx"]) extensions[ext] = compileTs;
}

/** Loads a script file as node loads its entry point, so `require.main === module` holds in it. */
export function loadAsMain(file: string): void {
  (Module as unknown as { _load(request: string, parent: null, isMain: boolean): unknown })._load(file, null, true);
}
