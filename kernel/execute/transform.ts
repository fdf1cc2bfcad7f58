import { parse } from "acorn";
import { LOOP_GUARD } from "./loop-guard";
import { freeNames } from "./free-names";
import { mayRunCode } from "./runs-code";
import { awaitsAtTopLevel, isFunctionNode, patternNames, referencedNames, walk, type AnyNode } from "./ast";

/**
 * Turns a cell's JavaScript (already transpiled, lines kept) into a script that keeps notebook
 * semantics at native speed, without moving any line:
 * - top-level `let`/`const`/`class` become script-scope `let`s declared up front on line 1 and
 *   assigned where they stood, so re-running `const data = ...` works and a cell that throws
 *   never leaves a name stuck in its temporal dead zone;
 * - a top-level loop runs inside an arrow function whose parameters shadow the top-level variables
 *   it uses, written back when it ends: V8 then keeps them in registers instead of boxing every
 *   double in the script context (6x slower), unless a function can see them meanwhile;
 * - a cell that awaits at top level runs as an async arrow, its declarations still global;
 * - `import` binds global names, as in IPython (`import { display } from "tsprof"` serves every
 *   later cell), through `require`; `export` is dropped (a cell is not a module others import);
 *   `import(x)` calls the kernel's loader.
 */
/** The global through which a cell's `import` loads modules: the notebook's require, whatever the cell names `require`. */
export const CELL_REQUIRE = "__tsprofRequire";
/** What a cell's `import(x)` calls (vm scripts have no loader of their own): see user-import.ts. */
export const CELL_IMPORT = "__tsprofImport";

export type NameKind = "let" | "class" | "var" | "function";

export interface Scope {
  /** Every top-level name the notebook has declared so far, and how. */
  readonly kinds: Map<string, NameKind>;
  /** Names some function of some cell refers to: never copied into a loop's locals. */
  readonly captured: Set<string>;
}

export interface PreparedCell {
  js: string;
  isAsync: boolean;
  /** The last statement is an expression: its value is the cell's result. */
  hasValue: boolean;
  /**
   * The code may run code (a call, a loop, a getter behind a property read…) for long, so it runs
   * interruptibly. Arming vm's SIGINT watchdog costs about a millisecond (a thread started and
   * joined), which code like `1+1`, `x` or `x = 5` is spared.
   */
  mayRunLong: boolean;
  /** A top-level loop was rewritten: it checks the interrupt flag itself and keeps its values when stopped. */
  checksStop: boolean;
  declares: Map<string, NameKind>;
  captures: Set<string>;
  /** Where the output's text came from in the JavaScript given (see positions.ts). */
  origin: EditedOrigin;
}

/** A stretch of the output from `outStart` on: copied from the input at `from`, or text the transform wrote there. */
export interface Piece {
  outStart: number;
  from: number;
  generated: boolean;
  /** Generated text standing for input it replaced (an import's assignment): positions map to its start. */
  replaces: boolean;
}

export interface EditedOrigin {
  before: string;
  pieces: Piece[];
}

/**
 * The first parameter of every function this transform writes: the profiling switches leave
 * functions whose first parameter starts with `__tsprof` alone (they are the kernel's, not the user's).
 */
const KERNEL_FUNCTION = "__tsprofKernel";

const LOOPS = /^(For|ForIn|ForOf|While|DoWhile)Statement$/;
const isLexical = (kind: NameKind | undefined) => kind === "let" || kind === "class";

interface Edit {
  at: number;
  end: number;
  text: string;
}

export function prepareCell(js: string, scope: Scope): PreparedCell {
  const program = parse(js, {
    ecmaVersion: "latest",
    sourceType: "module",
    allowAwaitOutsideFunction: true,
    allowHashBang: true,
  }) as unknown as AnyNode;
  const body = program.body as AnyNode[];
  const isAsync = awaitsAtTopLevel(program);
  const edits: Edit[] = [];
  const declares = new Map<string, NameKind>();
  const newLets: string[] = [];
  const newVars: string[] = [];
  const exportedFunctions: string[] = [];
  const kindOf = (name: string) => declares.get(name) ?? scope.kinds.get(name);

  const captures = new Set<string>();
  let usesEval = false;
  walk(program, (node) => {
    if (node.type === "Identifier" && node.name === "eval") usesEval = true;
    if (node.type === "ImportExpression") edits.push({ at: node.start, end: node.start + "import".length, text: CELL_IMPORT });
  });
  // A function or class body sees top-level variables only through the names it does not declare itself.
  walk(program, (node) => {
    if (!isFunctionNode(node) && node.type !== "ClassBody") return;
    for (const name of freeNames(node)) captures.add(name);
    return false;
  });

  const declare = (name: string, kind: NameKind) => {
    const known = kindOf(name);
    if (known === undefined) (isLexical(kind) ? newLets : newVars).push(name);
    declares.set(name, known ?? kind);
  };

  let firstStatement = 0;
  while (body[firstStatement]?.directive !== undefined) firstStatement++;
  // A cell of string literals only (`"a string"`) shows the last one, as node's REPL does.
  if (firstStatement === body.length && body.length > 0) firstStatement--;

  for (let i = firstStatement; i < body.length; i++) {
    let statement = body[i];
    if (statement.type === "ImportDeclaration") {
      const { text, names } = importToAssignment(statement);
      for (const name of names) declare(name, "let");
      edits.push({ at: statement.start, end: statement.end, text: keepLines(text, js.slice(statement.start, statement.end)) });
      continue;
    }
    if (statement.type === "ExportNamedDeclaration" || statement.type === "ExportDefaultDeclaration") {
      const declaration = statement.declaration as AnyNode | null;
      if (!declaration) {
        edits.push({ at: statement.start, end: statement.end, text: keepLines("", js.slice(statement.start, statement.end)) });
        continue;
      }
      const anonymous = statement.type === "ExportDefaultDeclaration" && !declaration.id;
      edits.push({ at: statement.start, end: declaration.start, text: anonymous ? ";void " : "" });
      if (anonymous) continue;
      statement = body[i] = declaration;
    } else if (statement.type === "ExportAllDeclaration") {
      edits.push({ at: statement.start, end: statement.end, text: keepLines("", js.slice(statement.start, statement.end)) });
      continue;
    }
    if (statement.type === "VariableDeclaration") {
      const declarators = statement.declarations as AnyNode[];
      const names = declarators.flatMap((d) => patternNames(d.id as AnyNode));
      const lexical = statement.kind !== "var";
      const staysDeclaration = !lexical && !isAsync && names.every((n) => !isLexical(kindOf(n)));
      if (staysDeclaration) {
        for (const name of names) declares.set(name, kindOf(name) ?? "var");
      } else {
        for (const name of names) declare(name, lexical ? "let" : "var");
        edits.push(...declarationToAssignment(statement, declarators, js));
      }
    } else if (statement.type === "ClassDeclaration") {
      const name = (statement.id as AnyNode).name as string;
      declare(name, "class");
      edits.push({ at: statement.start, end: statement.start, text: `;${name} = ` }, { at: statement.end, end: statement.end, text: ";" });
    } else if (statement.type === "FunctionDeclaration") {
      const name = (statement.id as AnyNode).name as string;
      if (isAsync) {
        exportedFunctions.push(name);
        declares.set(name, kindOf(name) ?? "function");
      } else if (isLexical(kindOf(name))) {
        edits.push({ at: statement.start, end: statement.start, text: `;${name} = ` }, { at: statement.end, end: statement.end, text: ";" });
      } else {
        declares.set(name, "function");
      }
    }
  }

  let checksStop = false;
  if (!usesEval) {
    const captured = (name: string) => captures.has(name) || scope.captured.has(name);
    for (let i = firstStatement; i < body.length; i++) {
      const statement = body[i];
      const loop = statement.type === "LabeledStatement" ? (statement.body as AnyNode) : statement;
      if (!LOOPS.test(loop.type)) continue;
      for (const name of loopVarDeclarations(statement)) declare(name, "var");
      const localized = [...referencedNames(statement)].filter((name) => {
        const kind = kindOf(name);
        return (kind === "let" || kind === "var") && !captured(name);
      });
      if (localized.length) {
        edits.push(...localizeLoop(statement, localized, assignedNames(statement)));
        checksStop = true;
      }
    }
  }

  const mayRunLong = mayRunCode(program, (name) => kindOf(name) !== undefined);
  const last = body[body.length - 1];
  const hasValue = body.length > firstStatement && last.type === "ExpressionStatement";
  if (isAsync && hasValue) {
    const expression = last.expression as AnyNode;
    edits.push({ at: expression.start, end: expression.start, text: "return (" }, { at: expression.end, end: expression.end, text: ")" });
  }

  const preludeAt = firstStatement > 0 ? body[firstStatement - 1].end : 0;
  let prelude = firstStatement > 0 ? ";" : '"use strict";';
  if (newLets.length) prelude += `let ${newLets.join(", ")};`;
  if (newVars.length) prelude += `var ${newVars.join(", ")};`;
  if (isAsync) {
    if (exportedFunctions.length) {
      const assignments = exportedFunctions.map((name) =>
        isLexical(scope.kinds.get(name)) ? `${name} = __tsprofFns.${name};` : `globalThis.${name} = __tsprofFns.${name};`,
      );
      prelude += `var __tsprofExportFunctions = (__tsprofFns) => { ${assignments.join(" ")} };`;
      prelude += `(async (${KERNEL_FUNCTION}) => { __tsprofExportFunctions({ ${exportedFunctions.join(", ")} });`;
    } else {
      prelude += `(async (${KERNEL_FUNCTION}) => {`;
    }
  }
  edits.unshift({ at: preludeAt, end: preludeAt, text: prelude });
  if (isAsync) edits.push({ at: js.length, end: js.length, text: "\n})()" });

  const { js: prepared, pieces } = applyEdits(js, edits);
  return { js: prepared, isAsync, hasValue, mayRunLong, checksStop, declares, captures, origin: { before: js, pieces } };
}

/**
 * `import d, { a, b as c } from "m"` → `;({ a, b: c } = __tsprofRequire("m"), d = __tsprofDefault(__tsprofRequire("m")));`
 * (`import * as ns` → the module itself, `import "m"` → `__tsprofRequire("m")`).
 */
function importToAssignment(statement: AnyNode): { text: string; names: string[] } {
  const source = JSON.stringify((statement.source as AnyNode).value);
  const module = `${CELL_REQUIRE}(${source})`;
  const names: string[] = [];
  const named: string[] = [];
  const parts: string[] = [];
  for (const specifier of statement.specifiers as AnyNode[]) {
    const local = (specifier.local as AnyNode).name as string;
    names.push(local);
    if (specifier.type === "ImportDefaultSpecifier") parts.push(`${local} = __tsprofDefault(${module})`);
    else if (specifier.type === "ImportNamespaceSpecifier") parts.push(`${local} = ${module}`);
    else {
      const imported = specifier.imported as AnyNode;
      const key = imported.type === "Literal" ? JSON.stringify(imported.value) : (imported.name as string);
      named.push(key === local ? local : `${key}: ${local}`);
    }
  }
  if (named.length) parts.unshift(`{ ${named.join(", ")} } = ${module}`);
  return { text: parts.length ? `;(${parts.join(", ")});` : `;${module};`, names };
}

/** `text` padded with the line breaks of the code it replaces, so later lines keep their numbers. */
function keepLines(text: string, replaced: string): string {
  return text + "\n".repeat(replaced.split("\n").length - 1);
}

/** `const a = 1, { b } = o;` → `;(a = 1, { b } = o);` on the same lines. */
function declarationToAssignment(statement: AnyNode, declarators: AnyNode[], js: string): Edit[] {
  const edits: Edit[] = [{ at: statement.start, end: declarators[0].start, text: ";(" }];
  for (const declarator of declarators) {
    if (!declarator.init) edits.push({ at: declarator.end, end: declarator.end, text: " = void 0" });
  }
  const lastEnd = declarators[declarators.length - 1].end;
  // The statement may end with a `;` on a later line (ASI does not apply before `;[…]`): keep its line breaks.
  edits.push({ at: lastEnd, end: statement.end, text: keepLines(");", js.slice(lastEnd, statement.end)) });
  return edits;
}

/** `var` declared inside a top-level loop is a top-level name too (not inside nested functions). */
function loopVarDeclarations(statement: AnyNode): string[] {
  const names: string[] = [];
  walk(statement, (node) => {
    if (isFunctionNode(node) || node.type === "ClassBody") return false;
    if (node.type === "VariableDeclaration" && node.kind === "var") {
      for (const declarator of node.declarations as AnyNode[]) patternNames(declarator.id as AnyNode, names);
    }
  });
  return names;
}

function assignedNames(statement: AnyNode): Set<string> {
  const names = new Set<string>();
  walk(statement, (node) => {
    if (node.type === "AssignmentExpression") patternNames(node.left as AnyNode).forEach((n) => names.add(n));
    else if (node.type === "UpdateExpression" && (node.argument as AnyNode).type === "Identifier") {
      names.add((node.argument as AnyNode).name as string);
    } else if ((node.type === "ForInStatement" || node.type === "ForOfStatement") && (node.left as AnyNode).type !== "VariableDeclaration") {
      patternNames(node.left as AnyNode).forEach((n) => names.add(n));
    } else if (node.type === "VariableDeclaration" && node.kind === "var") {
      for (const declarator of node.declarations as AnyNode[]) patternNames(declarator.id as AnyNode).forEach((n) => names.add(n));
    }
  });
  return names;
}

function localizeLoop(statement: AnyNode, names: string[], assigned: Set<string>): Edit[] {
  const written = names.filter((name) => assigned.has(name));
  const isAsync = awaitsAtTopLevel(statement);
  const params = ["__tsprofWriteBack", "__tsprofFlag", "__tsprofInterrupted", ...names].join(", ");
  const guard = `${LOOP_GUARD}.flag, ${LOOP_GUARD}.interrupted`;
  const writeBack = `(${[KERNEL_FUNCTION, ...written.map((_, i) => `__tsprofV${i}`)].join(", ")}) => { ${written.map((n, i) => `${n} = __tsprofV${i};`).join(" ")} }`;
  const open = `;${isAsync ? "await " : ""}((${isAsync ? "async " : ""}(${params}) => { try { __tsprofLoop: { `;
  const close = ` } } finally { __tsprofWriteBack(${["0", ...written].join(", ")}); } if (__tsprofFlag[0] !== 0) throw __tsprofInterrupted(); })(${writeBack}, ${guard}, ${names.join(", ")}));`;
  return [
    ...interruptChecks(statement),
    { at: statement.start, end: statement.start, text: open },
    { at: statement.end, end: statement.end, text: close },
  ];
}

/**
 * Every loop body of `statement` (outside nested functions) starts by checking the interrupt flag,
 * and leaves the loop with a `break` when it is set (the KeyboardInterrupt is thrown after the
 * write-back): a `throw` inside the loop makes V8 keep the loop's numbers boxed for the exception
 * path (3x slower). On Node 22 and later the check then costs nothing measurable; Node 20's
 * optimizer still makes the tightest loops about 2x slower with it.
 */
function interruptChecks(statement: AnyNode): Edit[] {
  const check = "{ if (__tsprofFlag[0] !== 0) break __tsprofLoop; ";
  const opens: Edit[] = [];
  const closes: Edit[] = [];
  walk(statement, (node) => {
    if (isFunctionNode(node) || node.type === "ClassBody") return false;
    if (!LOOPS.test(node.type)) return;
    const body = node.body as AnyNode;
    opens.push({ at: body.start, end: body.start, text: check });
    closes.unshift({ at: body.end, end: body.end, text: " }" });
  });
  return [...opens, ...closes];
}

/**
 * Applies edits front to back; at one position, insertions in the order given, then a replacement.
 * Also returns where each stretch of the output came from, for mapping error positions back.
 */
function applyEdits(source: string, edits: Edit[]): { js: string; pieces: Piece[] } {
  const ordered = edits
    .map((edit, index) => ({ ...edit, index }))
    .sort((a, b) => a.at - b.at || (a.end - a.at) - (b.end - b.at) || a.index - b.index);
  const pieces: Piece[] = [];
  let out = "";
  let cursor = 0;
  const copyTo = (end: number) => {
    if (end <= cursor) return;
    pieces.push({ outStart: out.length, from: cursor, generated: false, replaces: false });
    out += source.slice(cursor, end);
    cursor = end;
  };
  for (const edit of ordered) {
    copyTo(edit.at);
    pieces.push({ outStart: out.length, from: edit.at, generated: true, replaces: edit.end > edit.at });
    out += edit.text;
    cursor = Math.max(cursor, edit.end);
  }
  copyTo(source.length);
  return { js: out, pieces };
}
