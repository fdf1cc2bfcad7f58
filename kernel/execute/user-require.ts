import Module = require("node:module");
import { statSync } from "node:fs";
import { join, resolve, sep } from "node:path";
import { registerTsLoader } from "../ts-loader";

const packageRoot = resolve(__dirname, "..", "..", "..");
const ownIndex = join(packageRoot, "dist", "index.js");

/**
 * `require` for cells: npm packages and local files resolve from the notebook's directory, "tsprof"
 * is this kernel itself (so display() talks to it), and a local module changed on disk since it was
 * loaded (say rewritten by %%file or an editor) is loaded afresh by the next import, with every
 * local module that depends on it.
 */
export function createUserRequire(directory: string): NodeJS.Require {
  registerTsLoader({ profilable: true });
  const base = Module.createRequire(join(directory, "[notebook]"));
  const loadedAt = new Map<string, number>();
  const userRequire = ((id: string) => {
    if (id === "tsprof") return require(ownIndex);
    if (isLocal(base.resolve(id))) forgetChangedLocalModules(loadedAt);
    const exports = base(id);
    for (const file of Object.keys(require.cache)) {
      if (isLocal(file) && !loadedAt.has(file)) loadedAt.set(file, modifiedAt(file));
    }
    return exports;
  }) as NodeJS.Require;
  return Object.assign(userRequire, {
    resolve: base.resolve,
    cache: base.cache,
    main: base.main,
    extensions: base.extensions,
  });
}

/**
 * Local modules changed on disk since they were loaded are dropped from the cache, and so is every
 * local module that imports one of them, however indirectly: the next import loads them all afresh.
 */
function forgetChangedLocalModules(loadedAt: Map<string, number>): void {
  const stale = new Set([...loadedAt].filter(([file, mtime]) => modifiedAt(file) !== mtime).map(([file]) => file));
  if (stale.size === 0) return;
  const local = Object.values(require.cache).filter((module): module is NodeJS.Module => !!module && isLocal(module.id));
  for (let grew = true; grew; ) {
    grew = false;
    for (const module of local) {
      if (!stale.has(module.id) && module.children.some((child) => stale.has(child.id))) {
        stale.add(module.id);
        grew = true;
      }
    }
  }
  for (const file of stale) {
    delete require.cache[file];
    loadedAt.delete(file);
  }
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
