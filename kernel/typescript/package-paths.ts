import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";

/**
 * Where tsprof's own files are, wherever the kernel runs from (the notebook's directory is usually
 * elsewhere): the package root, whose declarations answer `import ... from "tsprof"`, and the
 * `@types` folder tsprof depends on, so `console`, `process`, `require` and `Buffer` are typed even
 * in a notebook directory without `@types/node`.
 */
export function packageRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "tsprof") {
      return dir;
    }
    if (path.dirname(dir) === dir) throw new Error(`tsprof's package.json was not found above ${__dirname}`);
  }
}

/** The declarations of tsprof's library API: dist/index.d.ts once built, index.ts in a source checkout. */
export function ownDeclarations(root: string): string {
  const built = path.join(root, "dist", "index.d.ts");
  return existsSync(built) ? built : path.join(root, "index.ts");
}

/** The `@types` folder holding the `@types/node` tsprof depends on. */
export function ownTypeRoot(): string {
  return path.dirname(path.dirname(require.resolve("@types/node/package.json")));
}
