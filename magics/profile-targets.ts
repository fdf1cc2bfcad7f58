import { UsageError } from "../kernel/execute/errors";
import { moduleTargets, resolveTargets, type LineTarget } from "./engines/line/targets";
import type { MagicContext } from "./types";

/**
 * The functions `-f expr` and `-m module` name, evaluated in the user's context. An expression
 * that cannot be evaluated or is not a plain function is a UsageError naming it and what is allowed.
 */
export async function profileTargets(functions: string[], modules: string[], context: MagicContext): Promise<LineTarget[]> {
  const inputs = [];
  for (const expression of functions) {
    let value: unknown;
    try {
      value = await context.evaluate(`(${expression})`);
    } catch (error) {
      const { name, message } = error as Error;
      throw new UsageError(`Could not find function ${expression}.\n${name}: ${message}`);
    }
    inputs.push({ expression, value });
  }
  const targets = resolveTargets(inputs);
  for (const name of modules) {
    const userRequire = (globalThis as { require?: NodeJS.Require }).require ?? require;
    let exports: unknown;
    try {
      exports = userRequire(name);
    } catch (error) {
      throw new UsageError(`Could not find module ${name}.\n${(error as Error).name}: ${(error as Error).message}`);
    }
    targets.push(...moduleTargets(exports, name));
  }
  return targets;
}
