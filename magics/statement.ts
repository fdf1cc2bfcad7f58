import type { CompiledLoop } from "./engines/timing/compile-loop";
import type { MagicContext, MagicInvocation } from "./types";

/** Code a magic runs, and where it stands in the cell (for error lines). */
export interface PlacedCode {
  code: string;
  at: { line: number; column: number };
}

/** A line magic's statement, or a cell magic's body (`%%time`, `%%timeit`, `%%memit`). */
export function statementOrBody(invocation: MagicInvocation): PlacedCode {
  return invocation.mode === "cell"
    ? { code: invocation.body ?? "", at: { line: invocation.bodyLine ?? 2, column: 0 } }
    : { code: invocation.rest, at: invocation.restAt };
}

/** The statement on the magic line followed by the cell's body (`%%prun stmt`, `%%mprun stmt`). */
export function statementThenBody(invocation: MagicInvocation): PlacedCode {
  const body = invocation.mode === "cell" ? invocation.body ?? "" : "";
  if (!invocation.rest.trim()) return { code: body, at: { line: invocation.bodyLine ?? 2, column: 0 } };
  return { code: body.trim() ? `${invocation.rest}\n${body}` : invocation.rest, at: invocation.restAt };
}

/** A compiled timing loop whose every run an interrupt can stop, however long one run takes. */
export function interruptibleLoop(compiled: CompiledLoop, context: MagicContext): CompiledLoop {
  return { ...compiled, run: (...args) => context.interruptibly(() => compiled.run(...args)) };
}
