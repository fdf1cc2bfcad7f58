import { pathToFileURL } from "node:url";
import { types } from "node:util";
import { Promise, Symbol } from "../intrinsics";

/**
 * `import()` for cells. vm scripts have no module loader of their own, so a cell's `import(x)` is
 * rewritten to call this: the module comes from the notebook's `require` (npm packages and local
 * `.ts` files from the notebook's folder, a rewritten local file afresh) and is handed back as a
 * namespace: its exports, and `default` as an ES module's default export or the CommonJS module
 * itself. A package that only offers an ES module is imported natively.
 */
export function createUserImport(userRequire: NodeJS.Require): (specifier: unknown) => Promise<unknown> {
  return (specifier) =>
    new Promise((resolve) => {
      const id = String(specifier);
      let exports: unknown;
      try {
        exports = userRequire(id);
      } catch (error) {
        if ((error as { code?: string }).code !== "ERR_REQUIRE_ESM") throw error;
        resolve(import(pathToFileURL(userRequire.resolve(id)).href));
        return;
      }
      resolve(namespaceOf(exports));
    });
}

function namespaceOf(exports: unknown): unknown {
  // Node 22 and later `require` an ES module as its namespace.
  if (types.isModuleNamespaceObject(exports)) return exports;
  const namespace: Record<string | symbol, unknown> = Object.create(null);
  if ((typeof exports === "object" && exports !== null) || typeof exports === "function") {
    for (const key of Object.keys(exports)) namespace[key] = (exports as Record<string, unknown>)[key];
  }
  const isEsModule = (exports as { __esModule?: boolean } | null)?.__esModule === true;
  namespace.default = isEsModule ? (exports as { default?: unknown }).default : exports;
  Object.defineProperty(namespace, Symbol.toStringTag, { value: "Module" });
  return Object.freeze(namespace);
}
