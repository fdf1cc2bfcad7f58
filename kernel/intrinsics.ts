/**
 * The globals the kernel's own code calls, captured when the kernel loads. Cells run in the
 * kernel's context, so a cell's `function process() {}` or `let performance = …` rebinds that
 * global name for every module; the kernel, its magics and engines read these instead.
 */
const original = globalThis;

export const process: NodeJS.Process = original.process;
export const console: Console = original.console;
export const performance: typeof original.performance = original.performance;
export const setTimeout: typeof original.setTimeout = original.setTimeout;
export const clearTimeout: typeof original.clearTimeout = original.clearTimeout;
export const setImmediate: typeof original.setImmediate = original.setImmediate;
export const queueMicrotask: typeof original.queueMicrotask = original.queueMicrotask;
export const Buffer: typeof original.Buffer = original.Buffer;
export type Buffer = globalThis.Buffer;
export const Symbol: SymbolConstructor = original.Symbol;
export const Promise: PromiseConstructor = original.Promise;
export type Promise<T> = globalThis.Promise<T>;
