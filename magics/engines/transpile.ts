import { process } from "../../kernel/intrinsics";
import { needsTsc, tscEmit } from "../../kernel/tsc-emit";

/**
 * TypeScript → JavaScript with every line kept in place (sucrase), so stack traces and line
 * profiler reports speak of the user's own TypeScript lines. Files become CommonJS; notebook cells
 * keep their `import`/`export` statements (every import kept, used or not: later cells use it),
 * which the cell transform turns into globals.
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
