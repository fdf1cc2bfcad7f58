import { SourceMap } from "node:module";
import type { EditedOrigin } from "./transform";

/**
 * Maps a position V8 reports in a compiled cell back to the user's TypeScript: through the cell
 * transform's edits (which insert text on a line, never move a line), then through sucrase's
 * source map (which drops types, so columns move). The source map is made only when an error
 * needs it. Positions inside code the transform wrote (a loop's wrapper) have no user position.
 */
interface CompiledPositions {
  readonly typescript: string;
  readonly javascript: string;
  readonly origin: EditedOrigin;
  readonly outLineStarts: number[];
  readonly jsLineStarts: number[];
  /** Lines with code in this compilation (a cell's segments, and magics' statements, compile apart). */
  readonly covered: Set<number>;
  sourceMap?: SourceMap | null;
}

export interface UserPosition {
  line: number;
  /** 1-based, as in stack traces. */
  column: number;
}

const compiled = new Map<string, CompiledPositions[]>();
const KEPT_PER_NAME = 20;

export function rememberPositions(fileName: string, typescript: string, javascript: string, origin: EditedOrigin, output: string): void {
  const covered = new Set<number>();
  typescript.split("\n").forEach((text, index) => text.trim() && covered.add(index + 1));
  const entry = { typescript, javascript, origin, outLineStarts: lineStarts(output), jsLineStarts: lineStarts(javascript), covered };
  const list = compiled.get(fileName) ?? [];
  list.push(entry);
  if (list.length > KEPT_PER_NAME) list.shift();
  compiled.set(fileName, list);
}

/** null: the position is in code the kernel wrote; undefined: not a position we compiled. */
export function userPosition(fileName: string, line: number, column: number): UserPosition | null | undefined {
  const list = compiled.get(fileName);
  const entry = list && [...list].reverse().find((candidate) => candidate.covered.has(line));
  if (!entry || line > entry.outLineStarts.length) return undefined;
  const outIndex = entry.outLineStarts[line - 1] + column - 1;
  const piece = lastAtOrBefore(entry.origin.pieces, outIndex);
  if (!piece) return undefined;
  if (piece.generated && !piece.replaces) return null;
  const jsIndex = piece.generated ? piece.from : piece.from + (outIndex - piece.outStart);
  const jsLine = lastStartAtOrBefore(entry.jsLineStarts, jsIndex);
  const jsColumn = jsIndex - entry.jsLineStarts[jsLine];
  return typescriptPosition(entry, jsLine, jsColumn);
}

/** 0-based line and column in sucrase's output → the TypeScript position. */
function typescriptPosition(entry: CompiledPositions, jsLine: number, jsColumn: number): UserPosition {
  entry.sourceMap ??= sucraseMap(entry);
  const found = entry.sourceMap?.findEntry(jsLine, jsColumn) as
    | { generatedLine?: number; generatedColumn?: number; originalLine?: number; originalColumn?: number }
    | undefined;
  if (found?.originalLine === undefined || found.generatedLine !== jsLine) return { line: jsLine + 1, column: jsColumn + 1 };
  return { line: found.originalLine + 1, column: found.originalColumn! + (jsColumn - found.generatedColumn!) + 1 };
}

/** The TypeScript position of an index into sucrase's output (where the kernel's parser stopped). */
export function positionOfJsIndex(typescript: string, javascript: string, jsIndex: number): UserPosition {
  const entry: CompiledPositions = {
    typescript,
    javascript,
    origin: { before: javascript, pieces: [] },
    outLineStarts: [],
    jsLineStarts: lineStarts(javascript),
    covered: new Set(),
  };
  const jsLine = lastStartAtOrBefore(entry.jsLineStarts, jsIndex);
  return typescriptPosition(entry, jsLine, jsIndex - entry.jsLineStarts[jsLine]);
}

/** The position of an index into a text. */
export function positionOfIndex(text: string, index: number): UserPosition {
  const starts = lineStarts(text);
  const line = lastStartAtOrBefore(starts, index);
  return { line: line + 1, column: index - starts[line] + 1 };
}

/** Sucrase again, as the cell was compiled, now with its source map; null if the code differs. */
function sucraseMap(entry: CompiledPositions): SourceMap | null {
  const { transform } = require("sucrase") as typeof import("sucrase");
  const result = transform(entry.typescript, {
    transforms: ["typescript"],
    disableESTransforms: true,
    keepUnusedImports: true,
    sourceMapOptions: { compiledFilename: "cell.js" },
    filePath: "cell.ts",
  });
  if (result.code !== entry.javascript || !result.sourceMap) return null;
  return new SourceMap(result.sourceMap as unknown as ConstructorParameters<typeof SourceMap>[0]);
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

function lastStartAtOrBefore(starts: number[], index: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle] <= index) low = middle;
    else high = middle - 1;
  }
  return low;
}

function lastAtOrBefore<T extends { outStart: number }>(pieces: T[], index: number): T | undefined {
  let found: T | undefined;
  for (const piece of pieces) {
    if (piece.outStart > index) break;
    found = piece;
  }
  return found;
}
