import ts = require("typescript");
import { statSync } from "node:fs";
import * as path from "node:path";

/**
 * The language service's view of the world: in-memory files (the cell being edited and the
 * summaries of committed cells) over the disk. Library files (TypeScript's lib, node_modules) are
 * read once and kept; the notebook's own files are re-read when their mtime changes, so a module
 * rewritten by `%%file` is seen at the next check.
 */
export class LanguageHost implements ts.LanguageServiceHost {
  private readonly memory = new Map<string, { text: string; version: number }>();
  private readonly disk = new Map<string, { version: string; snapshot: ts.IScriptSnapshot }>();
  private readonly resolutions: ts.ModuleResolutionCache;
  private readonly libraryDir = path.dirname(ts.getDefaultLibFilePath({}));

  constructor(
    private readonly cwd: string,
    private readonly options: ts.CompilerOptions,
    /** Bare module names answered by a fixed file, e.g. "tsprof" → its own declarations. */
    private readonly fixedModules: ReadonlyMap<string, string>,
  ) {
    this.resolutions = ts.createModuleResolutionCache(cwd, (f) => f, options);
  }

  /** Sets an in-memory file; returns whether its text changed. */
  write(fileName: string, text: string): boolean {
    const current = this.memory.get(fileName);
    if (current?.text === text) return false;
    this.memory.set(fileName, { text, version: (current?.version ?? 0) + 1 });
    return true;
  }

  textOf(fileName: string): string | undefined {
    return this.memory.get(fileName)?.text;
  }

  /** The program's roots; other in-memory files are reached through them. */
  roots: string[] = [];

  getScriptFileNames = () => this.roots;
  getCompilationSettings = () => this.options;
  getCurrentDirectory = () => this.cwd;
  getDefaultLibFileName = (options: ts.CompilerOptions) => ts.getDefaultLibFilePath(options);
  directoryExists = (dir: string) => ts.sys.directoryExists(dir);
  getDirectories = (dir: string) => ts.sys.getDirectories(dir);
  realpath = (file: string) => ts.sys.realpath?.(file) ?? file;
  useCaseSensitiveFileNames = () => ts.sys.useCaseSensitiveFileNames;

  fileExists = (file: string) => this.memory.has(file) || ts.sys.fileExists(file);

  readFile = (file: string) => this.memory.get(file)?.text ?? ts.sys.readFile(file);

  getScriptVersion = (file: string): string => {
    const inMemory = this.memory.get(file);
    if (inMemory) return String(inMemory.version);
    return this.diskFile(file)?.version ?? "";
  };

  getScriptSnapshot = (file: string): ts.IScriptSnapshot | undefined => {
    const inMemory = this.memory.get(file);
    if (inMemory) return ts.ScriptSnapshot.fromString(inMemory.text);
    return this.diskFile(file)?.snapshot;
  };

  /** Read by TypeScript (not in its public typings): its package.json cache then lives across programs. */
  getModuleResolutionCache = () => this.resolutions;

  resolveModuleNameLiterals = (
    literals: readonly ts.StringLiteralLike[],
    containingFile: string,
    redirectedReference: ts.ResolvedProjectReference | undefined,
    options: ts.CompilerOptions,
  ): ts.ResolvedModuleWithFailedLookupLocations[] => {
    // Imports of the notebook's own cells are resolved afresh (a package installed while the kernel
    // runs is found by the next check); those of files on disk go through the cache.
    const cache = this.memory.has(containingFile) ? undefined : this.resolutions;
    return literals.map((literal) => {
      const fixed = this.fixedModules.get(literal.text);
      if (fixed) {
        return { resolvedModule: { resolvedFileName: fixed, extension: extensionOf(fixed), isExternalLibraryImport: false } };
      }
      return ts.resolveModuleName(literal.text, containingFile, options, this, cache, redirectedReference);
    });
  };

  private diskFile(file: string): { version: string; snapshot: ts.IScriptSnapshot } | undefined {
    const cached = this.disk.get(file);
    const isLibrary = file.startsWith(this.libraryDir) || file.includes("/node_modules/");
    if (cached && isLibrary) return cached;
    let version: string;
    try {
      version = String(statSync(file).mtimeMs);
    } catch {
      return undefined;
    }
    if (cached?.version === version) return cached;
    const text = ts.sys.readFile(file);
    if (text === undefined) return undefined;
    const entry = { version, snapshot: ts.ScriptSnapshot.fromString(text) };
    this.disk.set(file, entry);
    return entry;
  }
}

function extensionOf(file: string): ts.Extension {
  if (file.endsWith(".d.ts")) return ts.Extension.Dts;
  return file.endsWith(".js") ? ts.Extension.Js : ts.Extension.Ts;
}
