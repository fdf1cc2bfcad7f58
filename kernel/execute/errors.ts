import { KeyboardInterrupt } from "../../magics/engines/interrupt";
import { inspect } from "node:util";
import { sourceLines } from "../../magics/engines/sources";
import { mapStackTrace } from "../../magics/engines/line/positions";
import { userPosition } from "./positions";

/** Raised in a cell that was interrupted (SIGINT or interrupt_request). */
export { KeyboardInterrupt };

/** A magic used wrongly; shown as IPython shows it: `UsageError: ...` on stderr, no traceback. */
export { isUsageError, UsageError } from "../../magics/engines/usage-error";

export interface ErrorContent {
  ename: string;
  evalue: string;
  traceback: string[];
}

const KERNEL_FRAME = /\bnode:|<interruptible>|[\\/]dist[\\/](kernel|magics)[\\/]|[\\/]node_modules[\\/](sucrase|acorn)[\\/]/;
const STACK_FRAME = /^\s+at /;
const CELL_POSITION = /(In\[\d+\]):(\d+):(\d+)(\)?)$/;

/** A stack trace's text (or an inspected value holding one) as errorContent shows frames, without source lines. */
export function withUserFrames(text: string): string {
  return mapStackTrace(text)
    .split("\n")
    .flatMap((line) => {
      if (!STACK_FRAME.test(line)) return [line];
      if (KERNEL_FRAME.test(line)) return [];
      const frame = userFrame(line);
      return frame ? [frame.text] : [];
    })
    .join("\n");
}

/** A frame at the user's position; undefined for code the kernel wrote. */
function userFrame(frame: string): { text: string; file?: string; line?: number } | undefined {
  const match = CELL_POSITION.exec(frame);
  if (!match) return { text: frame };
  const [whole, file, line, column, paren] = match;
  const at = userPosition(file, Number(line), Number(column));
  if (at === null) return undefined;
  if (at === undefined) return { text: frame, file, line: Number(line) };
  return { text: frame.slice(0, frame.length - whole.length) + `${file}:${at.line}:${at.column}${paren}`, file, line: at.line };
}

/**
 * ename/evalue/traceback of a thrown value, with the kernel's own frames cut away, each cell
 * frame at the user's own line and column (and gone when it is code the kernel wrote around the
 * user's, such as a loop's wrapper), followed by that TypeScript line.
 */
export function errorContent(error: unknown): ErrorContent {
  if (!(error instanceof Error)) {
    const text = `Uncaught ${inspect(error, { depth: 4, breakLength: 100 })}`;
    return { ename: "Error", evalue: text, traceback: [text] };
  }
  const ename = error.name || error.constructor?.name || "Error";
  const evalue = error.message;
  const stack = typeof error.stack === "string" ? mapStackTrace(error.stack) : `${ename}: ${evalue}`;
  const lines = stack.split("\n");
  const firstFrame = lines.findIndex((line) => STACK_FRAME.test(line));
  const head = firstFrame < 0 ? lines : lines.slice(0, firstFrame);
  const frames = firstFrame < 0 ? [] : lines.slice(firstFrame).filter((line) => !KERNEL_FRAME.test(line));
  const traceback = [...head];
  let previous = "";
  for (const original of frames) {
    const frame = userFrame(original);
    if (!frame || frame.text === previous) continue;
    previous = frame.text;
    traceback.push(frame.text);
    if (frame.file === undefined) continue;
    const text = sourceLines(frame.file)?.[frame.line! - 1];
    if (text !== undefined) traceback.push(`        ${frame.line} | ${text.trim()}`);
  }
  return { ename, evalue, traceback };
}
