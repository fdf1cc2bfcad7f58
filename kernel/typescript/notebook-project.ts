import ts = require("typescript");
import * as path from "node:path";
import { cellShape, parseCell } from "./cell-shape";
import { CellSummary } from "./cell-summary";
import { importAliases } from "./import-aliases";
import { KERNEL_GLOBALS } from "./kernel-globals";
import { LanguageHost } from "./language-host";
import { ownDeclarations, ownTypeRoot, packageRoot } from "./package-paths";
import type { CommittedCell, Completion, CompletionType, Diagnostic, Inspection } from "./protocol";
import { decoratorSettings } from "../tsc-emit";
import { quickInfoText } from "./quick-info";

/**
 * The notebook as one TypeScript project: the cell being checked or edited is a module in the
 * notebook's directory (relative imports resolve from there; re-declaring an earlier cell's name
 * shadows it; top-level await is allowed), and every committed cell is a small global declaration
 * file, so a check only type-checks the new cell's own code.
 */
const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.Preserve,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ["lib.es2023.d.ts"],
  types: ["node"],
  strict: true,
  // Quick notebook functions often leave parameters untyped: that is style, not a bug worth a warning.
  noImplicitAny: false,
  esModuleInterop: true,
  resolveJsonModule: true,
  allowImportingTsExtensions: true,
  skipLibCheck: true,
  // Only to emit committed cells' declarations; diagnostics are read from the program, without
  // the declaration-emit errors the language service would add.
  declaration: true,
  emitDeclarationOnly: true,
};

const DETAILED_COMPLETIONS = 10;
const INITIAL_SUMMARY_SLOTS = 32;

interface Committed {
  name: string;
  file: string;
  summary: CellSummary;
}

export class NotebookProject {
  private readonly host: LanguageHost;
  private readonly service: ts.LanguageService;
  private readonly cellFile: string;
  /**
   * References a pool of summary files, empty until a commit fills one, so committing a cell
   * changes file contents, not the set of files: TypeScript then reuses the whole program
   * structure (no module resolution, no file walk). The pool doubles when full.
   */
  private readonly summariesFile: string;
  private summarySlots = 0;
  private readonly committed: Committed[] = [];

  constructor(private readonly cwd: string, history: CommittedCell[] = []) {
    const root = packageRoot();
    const options = { ...OPTIONS, ...decoratorSettings(cwd), typeRoots: [ownTypeRoot()] };
    this.host = new LanguageHost(cwd, options, new Map([["tsprof", ownDeclarations(root)]]));
    this.service = ts.createLanguageService(this.host, ts.createDocumentRegistry());
    this.cellFile = path.join(cwd, "__tsprof_cell__.ts");
    this.summariesFile = path.join(cwd, "__tsprof_commits__.d.ts");
    this.host.write(this.cellFile, "");
    this.host.write(this.summariesFile, "");
    const globalsFile = path.join(cwd, "__tsprof_globals__.d.ts");
    this.host.write(globalsFile, KERNEL_GLOBALS);
    this.host.roots = [this.cellFile, this.summariesFile, globalsFile];
    this.growSummarySlots();
    for (const cell of history) this.commit(cell.name, cell.source);
  }

  check(source: string): Omit<Diagnostic, "cell">[] {
    const file = this.setCell(source);
    const program = this.service.getProgram()!;
    const sourceFile = program.getSourceFile(this.cellFile)!;
    const lastLine = ts.getLineAndCharacterOfPosition(file, source.length).line;
    const syntactic = program.getSyntacticDiagnostics(sourceFile);
    // Semantic errors on the appended export line are about names the cell failed to declare.
    const semantic = program.getSemanticDiagnostics(sourceFile).filter((d) => (d.start ?? 0) <= source.length);
    const inOrder = [...syntactic, ...semantic].sort((a, b) => (a.start ?? 0) - (b.start ?? 0));
    return inOrder.map((d) => {
      const at = ts.getLineAndCharacterOfPosition(sourceFile, Math.min(d.start ?? 0, source.length));
      return {
        line: Math.min(at.line, lastLine) + 1,
        column: at.character + 1,
        code: d.code,
        message: ts.flattenDiagnosticMessageText(d.messageText, "\n"),
        category: categoryName(d.category),
      };
    });
  }

  /** The cell ran: its declarations become globals for later cells, replacing earlier ones of the same names. */
  commit(name: string, source: string): void {
    this.setCell(source);
    let declarations = "";
    const program = this.service.getProgram()!;
    const file = program.getSourceFile(this.cellFile)!;
    program.emit(file, (_, text) => (declarations = text), undefined, true);
    const shape = cellShape(file);
    const summary = CellSummary.of(declarations, shape.privateImports, importAliases(shape.imports, program.getTypeChecker()));
    if (this.committed.length === this.summarySlots) this.growSummarySlots();
    this.committed.push({ name, file: this.summarySlot(this.committed.length), summary });
    this.renderSummaries();
  }

  complete(source: string, cursor: number): Completion {
    this.setCell(source);
    const { start, end } = wordAround(source, cursor);
    const prefix = source.slice(start, cursor).toLowerCase();
    const info = this.service.getCompletionsAtPosition(this.cellFile, cursor, { includeCompletionsWithInsertText: true });
    const seen = new Set<string>();
    const entries = (info?.entries ?? [])
      .filter((e) => e.name.toLowerCase().startsWith(prefix) && !seen.has(e.name) && seen.add(e.name))
      .sort((a, b) => (a.sortText === b.sortText ? a.name.localeCompare(b.name) : a.sortText < b.sortText ? -1 : 1));
    const types = entries.map((entry, i): CompletionType => {
      const type: CompletionType = { text: entry.name, type: entry.kind, start, end };
      if (i < DETAILED_COMPLETIONS) {
        const details = this.service.getCompletionEntryDetails(this.cellFile, cursor, entry.name, {}, entry.source, {}, entry.data);
        if (details) type.signature = ts.displayPartsToString(details.displayParts);
      }
      return type;
    });
    return { matches: entries.map((e) => e.name), cursorStart: start, cursorEnd: end, types };
  }

  inspect(source: string, cursor: number, detailLevel: number): Inspection {
    this.setCell(source);
    for (const position of inspectPositions(source, cursor)) {
      const info = this.service.getQuickInfoAtPosition(this.cellFile, position);
      if (!info?.displayParts?.length) continue;
      const definedIn = detailLevel > 0 ? this.definitionPlace(position) : undefined;
      return { found: true, ...quickInfoText(info, definedIn) };
    }
    return { found: false, text: "" };
  }

  /** Builds the program and type-checks a small cell, so the first real request is warm. */
  warmUp(): void {
    this.check("const warmUp: number = Math.max(1, 2);\n");
    this.complete("Math.ma", 7);
  }

  private setCell(source: string): ts.SourceFile {
    const file = parseCell(this.cellFile, source);
    this.host.write(this.cellFile, `${source}\n${cellShape(file).exportLine}\n`);
    return file;
  }

  private renderSummaries(): void {
    const hidden = new Set<string>();
    for (let i = this.committed.length - 1; i >= 0; i--) {
      const { file, summary } = this.committed[i];
      this.host.write(file, summary.render(hidden));
      for (const name of summary.names) hidden.add(name);
    }
  }

  private summarySlot(index: number): string {
    return path.join(this.cwd, `__tsprof_commit_${index + 1}__.d.ts`);
  }

  private growSummarySlots(): void {
    const slots = Math.max(INITIAL_SUMMARY_SLOTS, this.summarySlots * 2);
    const references: string[] = [];
    for (let i = 0; i < slots; i++) {
      if (i >= this.summarySlots) this.host.write(this.summarySlot(i), CellSummary.EMPTY);
      references.push(`/// <reference path="${this.summarySlot(i)}" />\n`);
    }
    this.summarySlots = slots;
    this.host.write(this.summariesFile, references.join(""));
  }

  private definitionPlace(position: number): string | undefined {
    const definition = this.service.getDefinitionAtPosition(this.cellFile, position)?.[0];
    if (!definition) return undefined;
    if (definition.fileName === this.cellFile) return "this cell";
    const committed = this.committed.find((c) => c.file === definition.fileName);
    if (committed) return committed.name;
    const program = this.service.getProgram()!;
    const file = program.getSourceFile(definition.fileName);
    const line = file ? ts.getLineAndCharacterOfPosition(file, definition.textSpan.start).line + 1 : undefined;
    return line ? `${definition.fileName}:${line}` : definition.fileName;
  }
}

function categoryName(category: ts.DiagnosticCategory): Diagnostic["category"] {
  return ts.DiagnosticCategory[category].toLowerCase() as Diagnostic["category"];
}

const WORD_CHAR = /[\p{ID_Continue}$]/u;

/** The identifier the cursor is in or just after: completion replaces it whole. */
function wordAround(source: string, cursor: number): { start: number; end: number } {
  let start = cursor;
  while (start > 0 && WORD_CHAR.test(source[start - 1])) start--;
  let end = cursor;
  while (end < source.length && WORD_CHAR.test(source[end])) end++;
  return { start, end };
}

/** Where to ask for quick info: at the cursor, just before it (`Math.max|`), before an open call (`f(|`). */
function inspectPositions(source: string, cursor: number): number[] {
  const positions = [cursor, cursor - 1];
  const before = source.slice(0, cursor).replace(/\s+$/, "");
  if (before.endsWith("(")) positions.push(before.length - 2);
  return positions.filter((p) => p >= 0);
}
