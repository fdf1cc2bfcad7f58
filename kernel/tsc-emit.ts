import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CellScanner } from "../magics/cell-scanner";

/**
 * TypeScript → JavaScript by TypeScript's own emitter, for what sucrase does not do: namespaces
 * (sucrase drops them), decorators (standard ones, or legacy ones when the notebook folder's
 * tsconfig.json sets experimentalDecorators), auto-accessors, `import x = require()`. tsc's output
 * is then laid back on the source's lines with its source map: each output line moves down to the
 * line it came from, and lines tsc added (its helpers, a class's lowering) are joined onto the
 * line before, so tracebacks and `fn.toString()` still speak of the user's lines.
 */
const NEEDS_TSC = /(^|[\s(,;{}])@[A-Za-z_$]|\b(namespace|module)\s+[A-Za-z_$][\w$.]*\s*\{|\baccessor\s+[A-Za-z_$#[]|\bimport\s+[A-Za-z_$][\w$]*\s*=\s*(require\s*\(|[A-Za-z_$])|\bexport\s*=/;

/** Comments, so that `// @profile` or a commented-out decorator does not count. */
const COMMENTS = /\/\*[\s\S]*?\*\/|\/\/[^\n]*/g;

export function needsTsc(source: string): boolean {
  return NEEDS_TSC.test(source.replace(COMMENTS, ""));
}

export interface DecoratorSettings {
  experimentalDecorators?: boolean;
  emitDecoratorMetadata?: boolean;
}

/** Decorator settings of the tsconfig.json in `directory`, if any. */
export function decoratorSettings(directory: string): DecoratorSettings {
  const file = join(directory, "tsconfig.json");
  if (!existsSync(file)) return {};
  const ts = require("typescript") as typeof import("typescript");
  const { config } = ts.parseConfigFileTextToJson(file, readFileSync(file, "utf8"));
  const options = (config?.compilerOptions ?? {}) as Record<string, unknown>;
  return {
    experimentalDecorators: options.experimentalDecorators === true,
    emitDecoratorMetadata: options.emitDecoratorMetadata === true,
  };
}

export function tscEmit(source: string, fileName: string, kind: "file" | "cell", directory: string): string {
  const ts = require("typescript") as typeof import("typescript");
  const output = ts.transpileModule(source, {
    fileName: fileName.endsWith(".tsx") ? "input.tsx" : "input.ts",
    reportDiagnostics: true,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: kind === "file" ? ts.ModuleKind.CommonJS : ts.ModuleKind.ESNext,
      esModuleInterop: kind === "file",
      verbatimModuleSyntax: kind === "cell",
      removeComments: true,
      sourceMap: true,
      ...decoratorSettings(directory),
    },
  });
  const error = output.diagnostics?.find((d) => d.category === ts.DiagnosticCategory.Error);
  if (error && error.start !== undefined) {
    throw Object.assign(new SyntaxError(ts.flattenDiagnosticMessageText(error.messageText, "\n")), { pos: error.start });
  }
  const code = output.outputText.replace(/\n\/\/# sourceMappingURL=.*\s*$/, "\n");
  return onSourceLines(code, originalLines(JSON.parse(output.sourceMapText!).mappings as string));
}

/** For each output line (0-based), the source line (0-based) its first mapping comes from. */
function originalLines(mappings: string): Array<number | undefined> {
  const lines: Array<number | undefined> = [];
  let sourceLine = 0;
  for (const group of mappings.split(";")) {
    let first: number | undefined;
    for (const segment of group.split(",")) {
      if (!segment) continue;
      const fields = decodeVlq(segment);
      if (fields.length >= 4) {
        sourceLine += fields[2];
        first ??= sourceLine;
      }
    }
    lines.push(first);
  }
  return lines;
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

function decodeVlq(segment: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = BASE64.indexOf(char);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    values.push(value & 1 ? -(value >>> 1) : value >>> 1);
    value = 0;
    shift = 0;
  }
  return values;
}

/** Lays output lines on their source lines: down with blank lines, or joined onto the line before. */
function onSourceLines(code: string, sources: Array<number | undefined>): string {
  const lines = code.split("\n");
  const scanner = new CellScanner();
  let out = "";
  let line = 0;
  lines.forEach((text, index) => {
    const target = sources[index];
    if (index === 0) {
      out = "\n".repeat(target ?? 0) + text;
      line = target ?? 0;
    } else if (target !== undefined && target > line) {
      out += "\n".repeat(target - line) + text;
      line = target;
    } else if (scanner.inText()) {
      out += "\n" + text;
      line++;
    } else {
      out += " " + text.trimStart();
    }
    scanner.feed(text);
  });
  return out;
}
