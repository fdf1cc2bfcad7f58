import * as acorn from "acorn";
import * as fs from "node:fs";
import Module = require("node:module");
import { transpile } from "../../../kernel/ts-loader";
import { instrumentFunction } from "./instrument";
import type { InstrumentedFunction } from "./patch";
import { registerRecorder, type Recorder } from "./recorders";

/**
 * Instrumentation at load time, for the CLI: a script's functions are instrumented in its source
 * before it is compiled, so nothing needs patching while its top level runs. A function is
 * chosen by name (`-f countCommon`, `-f Box.total`, `-f total`) or by a marker comment
 * `// @profile` on the line just above it, which is only a comment when the script runs alone.
 */
export const PROFILE_MARKER = /^\s*\/\/\s*@profile\b/;

type AstNode = acorn.Node & Record<string, any>;

interface Candidate {
  names: string[];
  /** The text handed to the instrumenter: the function, or the whole method definition. */
  start: number;
  end: number;
  line: number;
  lastLine: number;
}

function isFunction(node: AstNode | null | undefined): boolean {
  return !!node && ["FunctionExpression", "ArrowFunctionExpression"].includes(node.type);
}

function keyName(key: AstNode): string | undefined {
  if (key.type === "Identifier" || key.type === "PrivateIdentifier") return key.type === "PrivateIdentifier" ? `#${key.name}` : key.name;
  if (key.type === "Literal") return String(key.value);
  return undefined;
}

function candidates(program: AstNode): Candidate[] {
  const found: Candidate[] = [];
  const add = (names: Array<string | undefined>, node: AstNode, span: AstNode = node) =>
    found.push({
      names: names.filter((n): n is string => !!n),
      start: span.start,
      end: span.end,
      line: span.loc!.start.line,
      lastLine: span.loc!.end.line,
    });
  const walk = (node: AstNode, className?: string): void => {
    switch (node.type) {
      case "FunctionDeclaration":
        add([node.id?.name], node);
        break;
      case "VariableDeclarator":
        if (node.id.type === "Identifier" && isFunction(node.init)) add([node.id.name], node.init);
        break;
      case "MethodDefinition": {
        const key = node.computed ? undefined : keyName(node.key);
        if (key && node.kind !== "constructor") add([key, className ? `${className}.${key}` : undefined], node.value, node);
        break;
      }
      case "Property":
        if (!node.computed && isFunction(node.value)) {
          const key = keyName(node.key);
          if (node.method || node.kind !== "init") add([key], node.value, node);
          else add([key], node.value);
        }
        break;
    }
    const name = node.type === "ClassDeclaration" || node.type === "ClassExpression" ? node.id?.name : className;
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) {
        for (const child of value) if (child && typeof child.type === "string") walk(child, name);
      } else if (value && typeof value === "object" && typeof (value as AstNode).type === "string") walk(value as AstNode, name);
    }
  };
  walk(program);
  return found;
}

export interface LoadTimeProfile<R extends Recorder> {
  functions: InstrumentedFunction<R>[];
  /** Names given with -f that matched nothing in the loaded files. */
  unmatched(): string[];
}

/**
 * Hooks `require` for local .js/.ts files (not node_modules): chosen functions come out
 * instrumented. TypeScript is transpiled with lines kept, so reports show the .ts lines.
 */
export function instrumentOnLoad<R extends Recorder>(
  names: string[],
  makeRecorder: (firstLine: number, lastLine: number) => R,
): LoadTimeProfile<R> {
  const functions: InstrumentedFunction<R>[] = [];
  const matched = new Set<string>();
  const extensions = (Module as unknown as { _extensions: Record<string, (m: NodeJS.Module, f: string) => void> })._extensions;

  const instrumentFile = (js: string, fileName: string, tsSource: string): string => {
    let program: AstNode;
    try {
      program = acorn.parse(js, { ecmaVersion: "latest", sourceType: "script", locations: true, allowHashBang: true, allowReturnOutsideFunction: true }) as AstNode;
    } catch {
      return js;
    }
    const sourceLines = tsSource.split(/\r?\n/);
    const chosen = candidates(program).filter((c) => {
      const byName = c.names.filter((n) => names.includes(n));
      byName.forEach((n) => matched.add(n));
      return byName.length > 0 || PROFILE_MARKER.test(sourceLines[c.line - 2] ?? "");
    });
    const outermost = chosen.filter((c) => !chosen.some((o) => o !== c && o.start <= c.start && c.end <= o.end));
    let out = js;
    for (const c of outermost.sort((a, b) => b.start - a.start)) {
      const recorder = makeRecorder(c.line, c.lastLine);
      const text = js.slice(c.start, c.end);
      const instrumented = instrumentFunction(text, { firstLine: c.line, recorderId: registerRecorder(recorder), liveEdit: false });
      out = out.slice(0, c.start) + instrumented.text + out.slice(c.end);
      const name = c.names.find((n) => n.includes(".")) ?? c.names[0] ?? "(anonymous)";
      functions.push({ name, label: name, recorder, url: fileName, firstLine: c.line, lastLine: c.lastLine, jsLines: text.split("\n"), method: "loader", timed: true });
    }
    return out;
  };

  const compile = (module: NodeJS.Module, fileName: string, js: string) =>
    (module as unknown as { _compile(code: string, fileName: string): void })._compile(js, fileName);
  const local = (fileName: string) => !fileName.split(/[\\/]/).includes("node_modules");
  for (const ext of [".ts", ".mts", ".cts", ".tsx"]) {
    extensions[ext] = (module, fileName) => {
      const ts = fs.readFileSync(fileName, "utf8");
      const js = transpile(ts, fileName);
      compile(module, fileName, local(fileName) ? instrumentFile(js, fileName, ts) : js);
    };
  }
  const loadJs = extensions[".js"];
  for (const ext of [".js", ".cjs"]) {
    extensions[ext] = (module, fileName) => {
      if (!local(fileName)) return loadJs(module, fileName);
      const js = fs.readFileSync(fileName, "utf8").replace(/^#!.*/, "");
      compile(module, fileName, instrumentFile(js, fileName, js));
    };
  }
  return { functions, unmatched: () => names.filter((n) => !matched.has(n)) };
}
