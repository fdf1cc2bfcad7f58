import { helpText, parseOptions } from "../../magics/options";
import { linesOnly, placeAt, splitCell, type Assignment, type Segment } from "../../magics/parse";
import { findMagic, lookupMagic } from "../../magics/registry";
import type { MagicContext, MagicDefinition, MagicInvocation } from "../../magics/types";
import { UsageError } from "./errors";
import type { CellRunner } from "./runner";

/** What a cell (or a magic inside it) needs from the kernel besides running code. */
export interface CellOutput {
  stdout(text: string): void;
  stderr(text: string): void;
  display(value: unknown): void;
}

export interface CellResult {
  value: unknown;
  hasValue: boolean;
}

const MAGIC_VALUE = "__tsprofMagicValue";

/** Runs a cell segment by segment: TypeScript through the runner, magics through the registry. */
export class CellExecutor {
  constructor(private readonly runner: CellRunner, readonly cwd: string) {}

  async execute(source: string, cellName: string, output: CellOutput, signal: AbortSignal): Promise<CellResult> {
    const context = this.context(cellName, output, signal);
    let result: CellResult = { value: undefined, hasValue: false };
    for (const segment of splitCell(source, (name) => this.runner.scope.kinds.has(name) || name in globalThis)) {
      result = await this.segment(segment, source, context);
    }
    return result;
  }

  private async segment(segment: Segment, source: string, context: MagicContext): Promise<CellResult> {
    switch (segment.kind) {
      case "code": {
        const compiled = this.runner.compile(linesOnly(source, segment.firstLine, segment.lastLine), context.cellName);
        const value = await this.runner.run(compiled);
        return { value, hasValue: compiled.prepared.hasValue };
      }
      case "shell": {
        const value = await this.invoke(findMagic("system", "line"), "line", segment.command, { line: segment.line, column: source.split("\n")[segment.line - 1].indexOf("!") + 1 }, context);
        return { value, hasValue: value !== undefined };
      }
      case "line-magic": {
        if (segment.name.endsWith("?")) return this.help(segment.name.slice(0, -1), context);
        const magic = findMagic(segment.name, "line");
        const value = await this.invoke(magic, "line", segment.args, { line: segment.line, column: segment.argsColumn }, context);
        if (segment.assign) {
          await this.assign(segment.assign, value, segment.line, context);
          return { value: undefined, hasValue: false };
        }
        return { value, hasValue: value !== undefined };
      }
      case "cell-magic": {
        if (segment.name.endsWith("?")) return this.help(segment.name.slice(0, -1), context);
        const magic = findMagic(segment.name, "cell");
        if (!segment.body.trim()) {
          const hint = magic.line ? ` Did you mean the line magic %${magic.name} (single %)?` : "";
          throw new UsageError(`%%${segment.name} is a cell magic, but the cell body is empty.${hint}`);
        }
        if (magic.cellLine === "none" && segment.args.trim()) {
          throw new UsageError(`Can't use statement directly after '%%${segment.name}'!`);
        }
        const value = await this.invoke(magic, "cell", segment.args, { line: 1, column: segment.argsColumn }, context, segment);
        return { value, hasValue: value !== undefined };
      }
    }
  }

  private async invoke(
    magic: MagicDefinition,
    mode: "line" | "cell",
    args: string,
    at: { line: number; column: number },
    context: MagicContext,
    cell?: { body: string; bodyLine: number },
  ): Promise<unknown> {
    const parsed = parseOptions(magic, args);
    if (magic.needsStatement && mode === "line" && !parsed.rest.trim()) {
      throw new UsageError(`%${magic.name} needs a statement to run.\nUsage: ${magic.usage}`);
    }
    const invocation: MagicInvocation = {
      mode,
      options: parsed.options,
      rest: parsed.rest,
      restAt: { line: at.line, column: at.column + parsed.restOffset },
      body: cell?.body,
      bodyLine: cell?.bodyLine,
    };
    return magic.run(invocation, context);
  }

  /** `const r = %timeit -o f()`: the magic's value bound as cell code would bind it. */
  private async assign(assignment: Assignment, value: unknown, line: number, context: MagicContext): Promise<void> {
    (globalThis as Record<string, unknown>)[MAGIC_VALUE] = value;
    try {
      const statement = `${assignment.keyword} ${assignment.target} = (globalThis as any).${MAGIC_VALUE};`;
      await context.evaluate(statement, { line, column: 0 });
    } finally {
      delete (globalThis as Record<string, unknown>)[MAGIC_VALUE];
    }
  }

  private help(name: string, context: MagicContext): CellResult {
    const magic = lookupMagic(name);
    if (!magic) throw new UsageError(`Magic \`%${name}\` not found.`);
    context.stdout(helpText(magic));
    return { value: undefined, hasValue: false };
  }

  private context(cellName: string, output: CellOutput, signal: AbortSignal): MagicContext {
    const runner = this.runner;
    return {
      cellName,
      cwd: this.cwd,
      signal,
      compile: (source, at = { line: 1, column: 0 }) => {
        const compiled = runner.compile(placeAt(source, at), cellName);
        return () => runner.run(compiled);
      },
      evaluate: (source, at = { line: 1, column: 0 }) => runner.evaluate(placeAt(source, at), cellName),
      toJavaScript: (source) => runner.toJavaScript(source, cellName),
      interruptibly: (work) => runner.interruptibly(work),
      stdout: output.stdout,
      stderr: output.stderr,
      display: output.display,
    };
  }
}
