/**
 * What the kernel itself puts on globalThis for cells, declared to the type checker, so using it
 * draws no "Cannot find name" warning. Keep in step with kernel/execute/stdio.ts (installPrompt);
 * require, module, exports, __filename and __dirname are declared by @types/node.
 */
export const KERNEL_GLOBALS = `declare global {
  /** Asks the frontend for a line of input (an input_request) and waits for the answer, like Python's input(). */
  function prompt(message?: unknown, password?: boolean): string;
}
export {};
`;
