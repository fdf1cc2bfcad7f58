import { parseOptions } from "../magics/options";
import { splitCell, type NameLookup } from "../magics/parse";
import { lookupMagic } from "../magics/registry";
import { Promise, process } from "./intrinsics";

/**
 * complete / inspect / is_complete and type checking, backed by the TypeScript 5.9 language service,
 * which lives in its own worker thread and is started on first use, so kernel start-up stays light.
 * `%typecheck strict|warn|off` picks whether type errors block a cell, warn, or are not checked.
 */
export type TypeCheckMode = "strict" | "warn" | "off";

interface Diagnostic {
  line: number;
  column: number;
  code: number;
  message: string;
  category: string;
}

interface TypeScriptService {
  check(cellName: string, source: string): Promise<Diagnostic[]>;
  commit(cellName: string, source: string): void | Promise<void>;
  complete(source: string, cursor: number): Promise<{ matches: string[]; cursorStart: number; cursorEnd: number; types?: unknown[] }>;
  inspect(source: string, cursor: number, detailLevel: number): Promise<{ found: boolean; text: string; markdown?: string }>;
  isComplete(source: string): { status: "complete" | "incomplete" | "invalid"; indent?: string } | Promise<{ status: "complete" | "incomplete" | "invalid"; indent?: string }>;
  warmUp?(): void;
  dispose(): void | Promise<void>;
}

interface ServiceModule {
  TypeScriptService: new (options: { cwd: string }) => TypeScriptService;
  formatDiagnostics(diagnostics: Diagnostic[]): string;
}

const DECLARES =
  /^\s*(export\s+)?(declare\s+)?(let|const|var|function|async\s+function|class|abstract\s+class|enum|interface|type|namespace|module|import)\b/m;

export class TypeCheckFailed extends Error {
  override name = "TypeError";
}

export class LanguageFeatures {
  mode: TypeCheckMode = "warn";
  /** Which names the notebook defines, so `!name…` lines split here as they do when the cell runs. */
  isDefined: NameLookup = (name) => name in globalThis;
  private service: TypeScriptService | undefined;
  private module: ServiceModule | undefined;

  constructor(private readonly cwd: string) {}

  private get ts(): { service: TypeScriptService; module: ServiceModule } {
    if (!this.service) {
      this.module = require("./typescript/service") as ServiceModule;
      this.service = new this.module.TypeScriptService({ cwd: this.cwd });
    }
    return { service: this.service, module: this.module! };
  }

  /** The type check of a cell about to run: `blocking` rejects the run in strict mode. */
  checkBeforeRun(cellName: string, source: string): { blocking: Promise<Error | undefined>; warning: Promise<string | undefined> } {
    const code = typeScriptOf(source, this.isDefined);
    const unchecked = { blocking: Promise.resolve(undefined), warning: Promise.resolve(undefined) };
    if (this.mode === "off" || code === undefined) return unchecked;
    let ts: { service: TypeScriptService; module: ServiceModule };
    try {
      ts = this.ts;
    } catch (error) {
      // The cell still runs: a broken type checker must not take the kernel down with it.
      process.stderr.write(`tsprof: type checking unavailable: ${(error as Error).message}\n`);
      this.mode = "off";
      return unchecked;
    }
    const { service, module } = ts;
    const report = service.check(cellName, code).then(
      (diagnostics) => (diagnostics.length ? module.formatDiagnostics(diagnostics) : undefined),
      () => undefined,
    );
    if (this.mode === "strict") {
      return { blocking: report.then((text) => (text ? new TypeCheckFailed(text.trimEnd()) : undefined)), warning: Promise.resolve(undefined) };
    }
    return { blocking: Promise.resolve(undefined), warning: report };
  }

  /**
   * A cell that ran becomes context for later checks, if it can change that context: a cell with
   * no declaration and no import (`1+1`, `f(x)`) is left out, so re-running such cells keeps
   * answering from the check cache.
   */
  commit(cellName: string, source: string): void {
    const code = typeScriptOf(source, this.isDefined);
    if (code === undefined || this.mode === "off" || !DECLARES.test(code)) return;
    void this.ts.service.commit(cellName, code);
  }

  async complete(content: Record<string, unknown>) {
    const code = String(content.code ?? "");
    const cursor = Number(content.cursor_pos ?? code.length);
    const result = await this.ts.service.complete(typeScriptOf(code, this.isDefined) ?? code, cursor);
    return {
      status: "ok",
      matches: result.matches,
      cursor_start: result.cursorStart,
      cursor_end: result.cursorEnd,
      metadata: result.types ? { _jupyter_types_experimental: result.types } : {},
    };
  }

  async inspect(content: Record<string, unknown>) {
    const code = String(content.code ?? "");
    const result = await this.ts.service.inspect(typeScriptOf(code, this.isDefined) ?? code, Number(content.cursor_pos ?? code.length), Number(content.detail_level ?? 0));
    const data: Record<string, string> = result.found ? { "text/plain": result.text } : {};
    if (result.found && result.markdown) data["text/markdown"] = result.markdown;
    return { status: "ok", found: result.found, data, metadata: {} };
  }

  async isComplete(content: Record<string, unknown>) {
    const code = String(content.code ?? "");
    if (/^\s*%/.test(code) || /^\s*!/.test(code)) return { status: "complete" };
    const result = await this.ts.service.isComplete(code);
    return result.status === "incomplete" ? { status: "incomplete", indent: result.indent ?? "" } : { status: result.status };
  }
}

/**
 * Magics whose code runs as the cell's own code (its declarations stay, as `%time const x = f()`
 * leaves `x`): where that code is. `%timeit` and `%scaling` run theirs in a function of their own.
 */
const RUNS_CELL_CODE: Record<string, "statement" | "statement-then-body"> = {
  time: "statement",
  memit: "statement",
  lprun: "statement",
  prun: "statement-then-body",
  mprun: "statement-then-body",
};

/**
 * The TypeScript a cell runs, as the type checker should see it: magic lines blanked by spaces
 * (so offsets stay put; a magic's assignment keeps its declaration, typed `any`), except the code
 * a magic runs as cell code (`%memit const big = …`, the body of `%%time`), which stays in place.
 * Undefined for a cell magic whose body is not the cell's code (`%%timeit`, `%%file`, `%%bash`)
 * or a cell whose magic lines stand where they may not.
 */
export function typeScriptOf(source: string, isDefined?: NameLookup): string | undefined {
  let segments;
  try {
    segments = splitCell(source, isDefined);
  } catch {
    return undefined;
  }
  const lines = source.split("\n");
  for (const segment of segments) {
    if (segment.kind === "cell-magic") {
      const runs = RUNS_CELL_CODE[lookupMagic(segment.name)?.name ?? ""];
      if (!runs) return undefined;
      lines[0] = runs === "statement-then-body" ? magicCodeInPlace(lines[0], segment.name, segment.args, segment.argsColumn) : "";
    } else if (segment.kind === "line-magic") {
      const text = lines[segment.line - 1];
      if (segment.assign) lines[segment.line - 1] = `${segment.assign.keyword} ${segment.assign.target}: any = undefined!;`;
      else if (RUNS_CELL_CODE[lookupMagic(segment.name)?.name ?? ""]) lines[segment.line - 1] = magicCodeInPlace(text, segment.name, segment.args, segment.argsColumn);
      else lines[segment.line - 1] = " ".repeat(text.length);
    } else if (segment.kind === "shell") {
      lines[segment.line - 1] = " ".repeat(lines[segment.line - 1].length);
    }
  }
  return lines.join("\n");
}

/** The magic's line with everything before its code (the magic's name, its options) turned to spaces. */
function magicCodeInPlace(text: string, name: string, args: string, argsColumn: number): string {
  const magic = lookupMagic(name);
  let offset: number;
  try {
    offset = magic ? parseOptions(magic, args).restOffset : text.length;
  } catch {
    offset = text.length;
  }
  const start = Math.min(text.length, argsColumn + offset);
  return " ".repeat(start) + text.slice(start);
}
