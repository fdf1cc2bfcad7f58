import { KeyboardInterrupt } from "../../magics/engines/interrupt";
import { sourceLines } from "../../magics/engines/sources";
import { mapStackTrace } from "../../magics/engines/line/positions";

/** Raised in a cell that was interrupted (SIGINT or interrupt_request). */
export { KeyboardInterrupt };

/** A magic used wrongly; shown as IPython shows it: `UsageError: ...` on stderr, no traceback. */
export { isUsageError, UsageError } from "../../magics/engines/usage-error";

export interface ErrorContent {
  ename: string;
  evalue: string;
  traceback: string[];
}

const KERNEL_FRAME = /\bnode:|<interruptible>|[\\/]dist[\\/](kernel|magics)[\\/]|[\\/]node_modules[\\/]sucrase[\\/]/;
const CELL_FRAME = /\((In\[\d+\]):(\d+):(\d+)\)$|at (In\[\d+\]):(\d+):(\d+)$/;

/**
 * ename/evalue/traceback of a thrown value, with the kernel's own frames cut away and each cell
 * frame followed by the cell's TypeScript line, so line numbers are the user's own.
 */
export function errorContent(error: unknown): ErrorContent {
  if (!(error instanceof Error)) {
    const text = `Uncaught ${typeof error === "string" ? JSON.stringify(error) : String(error)}`;
    return { ename: "Error", evalue: text, traceback: [text] };
  }
  const ename = error.name || error.constructor?.name || "Error";
  const evalue = error.message;
  const stack = typeof error.stack === "string" ? mapStackTrace(error.stack) : `${ename}: ${evalue}`;
  const lines = stack.split("\n");
  const firstFrame = lines.findIndex((line) => /^\s+at /.test(line));
  const head = firstFrame < 0 ? lines : lines.slice(0, firstFrame);
  const frames = firstFrame < 0 ? [] : lines.slice(firstFrame).filter((line) => !KERNEL_FRAME.test(line));
  const traceback = [...head];
  for (const frame of frames) {
    traceback.push(frame);
    const match = CELL_FRAME.exec(frame.trim());
    if (!match) continue;
    const [file, line] = match[1] ? [match[1], match[2]] : [match[4], match[5]];
    const text = sourceLines(file)?.[Number(line) - 1];
    if (text !== undefined) traceback.push(`        ${line} | ${text.trim()}`);
  }
  return { ename, evalue, traceback };
}
