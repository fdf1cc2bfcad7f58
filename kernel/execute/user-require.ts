import Module = require("node:module");
import { statSync } from "node:fs";
import { join, resolve, sep } from "node:path";
import { registerTsLoader } from "../ts-loader";

const packageRoot = resolve(__dirname, "..", "..", "..");
const ownIndex = join(packageRoot, "dist", "index.js");

/**
 * `require` for cells: npm packages and local files resolve from the notebook's directory, "tsprof"
 * is this kernel itself (so display() talks to it), and a local module changed on disk since it was
 * loaded (say rewritten by %%file) is loaded afresh by the next import.
 */
export function createUserRequire(directory: string): NodeJS.Require {
  registerTsLoader({ profilable: true });
  const base = Module.createRequire(join(directory, "[notebook]"));
  const loadedAt = new Map<string, number>();
  const userRequire = ((id: string) => {
    if (id === "tsprof") return require(ownIndex);
    const file = base.resolve(id);
    if (isLocal(file)) {
      const mtime = modifiedAt(file);
      if (loadedAt.get(file) !== mtime) {
        delete require.cache[file];
        loadedAt.set(file, mtime);
      }
    }
    return base(id);
  }) as NodeJS.Require;
  return Object.assign(userRequire, {
    resolve: base.resolve,
    cache: base.cache,
    main: base.main,
    extensions: base.extensions,
  });
}

function isLocal(file: string): boolean {
  return file.includes(sep) && !file.includes(`${sep}node_modules${sep}`);
}

function modifiedAt(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}
