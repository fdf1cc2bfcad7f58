import * as fs from "node:fs";
import Module = require("node:module");
import * as path from "node:path";
import { Script } from "node:vm";
import { transpile } from "../transpile";
import { siteCount, sitesSince, type SiteInfo } from "./sites";
import { addProfileSwitches } from "./switches";

/**
 * `require` for local files (not under node_modules, not tsprof's own code): `.ts` is transpiled with
 * its lines kept, and `.ts` and CommonJS `.js` alike are compiled with profiling switches, so their
 * functions can be line-profiled wherever they are called from. A `.js` file that is not a
 * CommonJS script (an ES module) is left to Node's own loader.
 */
type Loader = (module: NodeJS.Module, fileName: string) => void;
type SitesListener = (sites: Array<{ id: number; info: SiteInfo }>) => void;

const listeners = new Set<SitesListener>();
const ownCode = path.resolve(__dirname, "..", "..", "..") + path.sep;
let installed = false;
/** Switches are added once something may line-profile (the kernel, tsprof lprof/mprof). */
let switching = false;

function isLocal(fileName: string): boolean {
  return !fileName.split(/[\\/]/).includes("node_modules") && !fileName.startsWith(ownCode);
}

/** Compiles a local file with switches; false when it is not a CommonJS script. */
function compileSwitched(module: NodeJS.Module, fileName: string, js: string): boolean {
  const before = siteCount();
  const switched = addProfileSwitches(js, fileName, { kind: "file" });
  if (switched === undefined || !compiles(switched)) return false;
  const added = sitesSince(before);
  if (added.length) for (const listener of listeners) listener(added);
  (module as unknown as { _compile(code: string, fileName: string): void })._compile(switched, fileName);
  return true;
}

/** V8 accepts it as a CommonJS module body (V8 only pre-parses function bodies, so this is quick). */
function compiles(body: string): boolean {
  try {
    new Script(`(function (exports, require, module, __filename, __dirname) {${body.replace(/^#!.*/, "")}\n})`);
    return true;
  } catch {
    return false;
  }
}

export function installLoader(options: { switches: boolean }): void {
  switching ||= options.switches;
  if (installed) return;
  installed = true;
  const extensions = (Module as unknown as { _extensions: Record<string, Loader> })._extensions;
  for (const ext of [".ts", ".mts", ".cts", ".tsx"]) {
    extensions[ext] = (module, fileName) => {
      const js = transpile(fs.readFileSync(fileName, "utf8"), fileName);
      if (!switching || !isLocal(fileName) || !compileSwitched(module, fileName, js)) {
        (module as unknown as { _compile(code: string, fileName: string): void })._compile(js, fileName);
      }
    };
  }
  const nodeJs = extensions[".js"];
  for (const ext of [".js", ".cjs"]) {
    extensions[ext] = (module, fileName) => {
      if (!switching || !isLocal(fileName) || !compileSwitched(module, fileName, fs.readFileSync(fileName, "utf8"))) nodeJs(module, fileName);
    };
  }
}

/** Called with the sites of each local file as it is compiled, before its top level runs. */
export function onSitesAdded(listener: SitesListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Loads a script file as node loads its entry point, so `require.main === module` holds in it. */
export function loadAsMain(file: string): void {
  (Module as unknown as { _load(request: string, parent: null, isMain: boolean): unknown })._load(file, null, true);
}
