import type * as acorn from "acorn";

/**
 * Line probes for one function's own statements (not those of functions nested in it), as text
 * insertions at offsets of the file the function was parsed from. A probe before every statement
 * reports a line event to the function's recorder, each call gets its own frame, and the body is
 * wrapped in try/finally so the last line of every call is closed, returns and throws alike.
 *
 * Line events follow line_profiler's rules, which the README copies:
 * - A line gets one event each time a statement starting on it runs; statements sharing a line with
 *   the previous sibling add no second event.
 * - Loop headers count like Python's: `for (;;)` and `while` fire on every test, `for…of` on every
 *   `next()` of the iterator, so a loop whose body runs n times shows n+1 on its header
 *   (`for…in`, `for await` and `do…while` fire once per iteration plus once on entry).
 * - Nested functions are separate functions: their time is charged to the line that calls them.
 *
 * The instrumented text is later put on one line (one-line.ts), so every statement also gets a `;`
 * after it: automatic semicolon insertion no longer has line breaks to go by (class fields get theirs
 * from one-line.ts).
 */

export const RECORDER = "__tsprofR";
export const FRAME = "__tsprofF";

export type AstNode = acorn.Node & Record<string, any>;

export interface Insertion {
  at: number;
  /**
   * Among insertions at one offset: closing text (positive) before opening text (negative), each
   * in ascending order, so the end of one statement comes before the start of the next.
   */
  order: number;
  text: string;
}

export const FUNCTION_TYPES = new Set(["FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression"]);

/**
 * Insertions that instrument `fn`'s body, and the body's replacement for an expression-bodied arrow
 * (`x => x * 2` gets a block with a return): `bodyOpen`/`bodyClose` go around the expression text.
 */
export interface BodyInstrumentation {
  insertions: Insertion[];
  /** For an expression body: text before and after the expression, which becomes `return (expr)`. */
  expression?: { open: string; close: string };
}

export function instrumentBody(fn: AstNode, source: string, recorders: string, site: number): BodyInstrumentation {
  const insertions: Insertion[] = [];
  const add = (at: number, text: string, order = 0) => insertions.push({ at, order, text });
  const lineOf = (node: AstNode) => node.loc!.start.line as number;
  const probe = (line: number) => `${RECORDER}.p(${FRAME},${line})`;

  function visitList(list: AstNode[]): void {
    let previousEnd = -1;
    for (const statement of list) {
      visitStatement(statement, lineOf(statement) !== previousEnd);
      add(statement.end, ";", 1);
      previousEnd = statement.loc!.end.line;
    }
  }

  /**
   * A statement in a single-statement position becomes a block so a probe can precede it; on the
   * line of its loop or `if` it adds no event of its own (one event per line, as in Python).
   */
  function asBlock(statement: AstNode, parentLine: number): void {
    if (statement.type === "BlockStatement") return visitStatement(statement, false);
    add(statement.start, "{", -3);
    visitStatement(statement, lineOf(statement) !== parentLine);
    add(statement.end, "}", 1);
  }

  function probeTest(test: AstNode, line: number): void {
    add(test.start, `(${probe(line)},`, -1);
    add(test.end, ")", 1);
  }

  function visitStatement(s: AstNode, withProbe: boolean): void {
    const headerProbed =
      s.type === "ForStatement" || s.type === "WhileStatement" || (s.type === "ForOfStatement" && !s.await);
    if (withProbe && !headerProbed && s.type !== "BlockStatement" && s.type !== "EmptyStatement") {
      add(s.start, probe(lineOf(s)) + ";", -1);
    }
    switch (s.type) {
      case "BlockStatement":
        return visitList(s.body);
      case "IfStatement":
        asBlock(s.consequent, lineOf(s));
        if (s.alternate) asBlock(s.alternate, s.consequent.loc.end.line);
        return;
      case "ForStatement": {
        if (s.test) probeTest(s.test, lineOf(s));
        else {
          const secondSemicolon = source.indexOf(";", s.init ? s.init.end : source.indexOf("(", s.start) + 1);
          add(secondSemicolon + 1, `(${probe(lineOf(s))},true)`);
        }
        return asBlock(s.body, lineOf(s));
      }
      case "WhileStatement":
      case "DoWhileStatement":
        probeTest(s.test, lineOf(s));
        return asBlock(s.body, lineOf(s));
      case "ForOfStatement":
      case "ForInStatement": {
        if (s.type === "ForOfStatement" && !s.await) {
          add(s.right.start, ` ${RECORDER}.it(${FRAME},${lineOf(s)},`, -1);
          add(s.right.end, ")", 1);
          return asBlock(s.body, lineOf(s));
        }
        if (s.body.type === "BlockStatement") {
          add(s.body.start + 1, probe(lineOf(s)) + ";");
          return visitList(s.body.body);
        }
        add(s.body.start, "{" + probe(lineOf(s)) + ";", -3);
        visitStatement(s.body, lineOf(s.body) !== lineOf(s));
        add(s.body.end, "}", 1);
        return;
      }
      case "LabeledStatement":
        return visitStatement(s.body, false);
      case "TryStatement":
        visitStatement(s.block, false);
        if (s.handler) visitStatement(s.handler.body, false);
        if (s.finalizer) visitStatement(s.finalizer, false);
        return;
      case "SwitchStatement":
        for (const c of s.cases) visitList(c.consequent);
        return;
      case "WithStatement":
        return asBlock(s.body, lineOf(s));
      default:
        return;
    }
  }

  const enter = `const ${RECORDER}=${recorders}[${site}],${FRAME}=${RECORDER}.e();`;
  const exit = `}finally{${RECORDER}.x(${FRAME})}`;
  const body = fn.body as AstNode;
  if (body.type !== "BlockStatement") {
    return {
      insertions,
      expression: { open: `{${enter}try{${probe(lineOf(body))};return (`, close: `)${exit}}` },
    };
  }
  // Directives ("use strict") must stay the body's first statements.
  const statements = body.body as AstNode[];
  let first = 0;
  while (first < statements.length && statements[first].directive !== undefined) first++;
  const openAt = first > 0 ? statements[first - 1].end : body.start + 1;
  // Before everything at its offset, the exit too when the body is empty.
  add(openAt, `;${enter}try{`, -2000);
  visitList(statements.slice(first));
  add(body.end - 1, exit, 2);
  return { insertions };
}
