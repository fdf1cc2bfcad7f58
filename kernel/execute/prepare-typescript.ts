import { process } from "../intrinsics";
import { needsTsc, tscEmit } from "../tsc-emit";
import { transpile } from "../ts-loader";
import { positionOfIndex, positionOfJsIndex, rememberPositions, type UserPosition } from "./positions";
import { prepareCell, type PreparedCell, type Scope } from "./transform";

/**
 * A cell's TypeScript → the JavaScript it runs as (sucrase, or TypeScript's emitter for what sucrase
 * does not do, see tsc-emit.ts; then the cell transform), positions
 * remembered for tracebacks. A syntax error found on the way is a SyntaxError at the user's line
 * and column, with no frame of the parsers.
 */
export function prepareTypeScript(source: string, fileName: string, scope: Scope): PreparedCell {
  const useTsc = needsTsc(source);
  let js: string;
  try {
    js = useTsc ? tscEmit(source, fileName, "cell", process.cwd()) : transpile(source, fileName, "cell");
  } catch (error) {
    const pos = (error as { pos?: unknown }).pos;
    if (typeof pos !== "number") throw error;
    throw cellSyntaxError((error as Error).message.replace(`Error transforming ${fileName}: `, ""), fileName, positionOfIndex(source, pos));
  }
  let prepared: PreparedCell;
  try {
    prepared = prepareCell(js, scope);
  } catch (error) {
    const pos = (error as { pos?: unknown }).pos;
    if (!(error instanceof SyntaxError) || typeof pos !== "number") throw error;
    // Something sucrase passed through untouched (a construct it does not know): TypeScript's emitter lowers it.
    if (!useTsc) {
      try {
        const lowered = tscEmit(source, fileName, "cell", process.cwd());
        prepared = prepareCell(lowered, scope);
        rememberPositions(fileName, source, lowered, prepared.origin, prepared.js);
        return prepared;
      } catch {
        // Not TypeScript either: the first parser's error is the one to show.
      }
    }
    throw cellSyntaxError(error.message, fileName, positionOfJsIndex(source, js, pos));
  }
  rememberPositions(fileName, source, js, prepared.origin, prepared.js);
  return prepared;
}

const compileErrors = new WeakSet<object>();

/** Did the cell fail before any of it ran (a syntax error)? */
export function isCompileError(error: unknown): boolean {
  return typeof error === "object" && error !== null && compileErrors.has(error);
}

function cellSyntaxError(message: string, fileName: string, at: UserPosition): SyntaxError {
  const text = message.replace(/ \(\d+:\d+\)$/, "");
  const error = new SyntaxError(text);
  error.stack = `SyntaxError: ${text}\n    at ${fileName}:${at.line}:${at.column}`;
  compileErrors.add(error);
  return error;
}
