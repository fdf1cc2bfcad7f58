import * as vm from "node:vm";
import { parse, type Node } from "acorn";
import { process } from "../../../kernel/intrinsics";

/**
 * Compiles a statement ONCE into a timed loop function of this realm, like IPython's `inner`:
 *
 *   (function (loops, now, ...params) { <setup>; t0 = now(); for (…loops…) { <stmt> } return now() - t0 })
 *
 * It is run in the main context (vm.runInThisContext), so the user's globals are plain global
 * lookups at native speed; the statement runs in the function's scope, so its declarations do
 * not leak (as in IPython). With `await` in the statement or setup, the function is async and
 * the clock stops after the last awaited iteration.
 */
export type Elapsed = bigint | number;
export type LoopFunction = (loops: number, now: () => Elapsed, ...params: unknown[]) => Elapsed | Promise<Elapsed>;

export interface CompileLoopOptions {
  /** Script name in stack traces, e.g. the cell's `In[3]`. Default `<timeit>`. */
  filename?: string;
  /** 1-based line of `filename` where the setup's first line stands (default 1). */
  setupLine?: number;
  /** 1-based line where the statement's first line stands (default: the line after the setup). */
  stmtLine?: number;
  /** Force the async variant; by default it is chosen when the code contains a top-level `await`. */
  async?: boolean;
  /** Names of extra parameters visible to setup and statement (e.g. `n` for the scaling magic). */
  params?: string[];
}

export interface CompiledLoop {
  readonly run: LoopFunction;
  readonly isAsync: boolean;
  /** Seconds spent compiling the loop function (IPython's `tc`). */
  readonly compileSeconds: number;
  readonly filename: string;
}

const LOOPS = "__tsprof_loops";
const NOW = "__tsprof_now";
const START = "__tsprof_t0";
const INDEX = "__tsprof_i";

export function compileLoop(stmtJs: string, setupJs = "", options: CompileLoopOptions = {}): CompiledLoop {
  const filename = options.filename ?? "<timeit>";
  const isAsync = options.async ?? (hasTopLevelAwait(stmtJs) || hasTopLevelAwait(setupJs));
  const params = [LOOPS, NOW, ...(options.params ?? [])].join(", ");
  const header = `(${isAsync ? "async " : ""}function (${params}) {`;
  const loop = `const ${START} = ${NOW}(); for (let ${INDEX} = 0; ${INDEX} < ${LOOPS}; ${INDEX}++) {`;
  const footer = `\n}\nreturn ${NOW}() - ${START};\n})`;
  let source: string;
  let firstLine: number;
  if (setupJs.trim() === "") {
    firstLine = options.stmtLine ?? 1;
    source = header + loop + stmtJs + footer;
  } else {
    firstLine = options.setupLine ?? 1;
    const loopLine = firstLine + setupJs.split("\n").length;
    const padding = "\n".repeat(Math.max(0, (options.stmtLine ?? loopLine) - loopLine));
    source = header + setupJs + "\n" + padding + loop + stmtJs + footer;
  }
  const started = process.hrtime.bigint();
  const run = vm.runInThisContext(source, { filename, lineOffset: firstLine - 1 }) as LoopFunction;
  const compileSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { run, isAsync, compileSeconds, filename };
}

const FUNCTION_NODES = new Set(["FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression"]);

/**
 * Whether JavaScript code awaits outside any function of its own (`await x`, `for await`).
 * Code acorn cannot parse counts as synchronous: V8 then reports the syntax error itself.
 */
export function hasTopLevelAwait(js: string): boolean {
  if (!/\bawait\b/.test(js)) return false;
  let program: Node;
  try {
    program = parse(js, {
      ecmaVersion: "latest",
      sourceType: "script",
      allowAwaitOutsideFunction: true,
      allowReturnOutsideFunction: true,
    });
  } catch {
    return false;
  }
  return containsAwait(program);
}

function containsAwait(node: Node): boolean {
  if (node.type === "AwaitExpression") return true;
  if (node.type === "ForOfStatement" && (node as Node & { await?: boolean }).await) return true;
  if (FUNCTION_NODES.has(node.type)) return false;
  for (const value of Object.values(node)) {
    const children: unknown[] = Array.isArray(value) ? value : [value];
    for (const child of children) {
      if (isNode(child) && containsAwait(child)) return true;
    }
  }
  return false;
}

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && typeof (value as Node).type === "string";
}
