import * as acorn from "acorn";

/**
 * Source instrumentation for the line profilers (FINDINGS §1): a probe before every statement
 * reports a line event to the function's recorder, each call gets its own frame, and the body is
 * wrapped in try/finally so the last line of every call is closed, returns and throws alike.
 *
 * Line events follow line_profiler's rules, which the README copies:
 * - A line gets one event each time a statement starting on it runs; statements sharing a line with
 *   the previous sibling add no second event.
 * - Loop headers count like Python's: `for (;;)` and `while` fire on every test, `for…of` on every
 *   `next()` of the iterator, so a loop whose body runs n times shows n+1 on its header
 *   (`for…in`, `for await` and `do…while` fire once per iteration plus once on entry).
 * - Nested functions (callbacks, closures defined inside) are separate functions: their lines are
 *   not instrumented, their time is charged to the line that calls them.
 * - An expression-bodied arrow patched in place keeps its last token (V8 LiveEdit only relinks a
 *   function whose end is unchanged), so it gets an entry probe only: exact hits, no time.
 */

export const PROBE_REGISTRY = "__tsprofLine";
const RECORDER = "__tsprofL";
const FRAME = "__tsprofF";

export interface Instrumented {
  /** The instrumented function text: same line breaks as the original, so lines keep their numbers. */
  text: string;
  /** Lines (absolute, as given by firstLine) that can produce events. */
  probedLines: number[];
  /** False for an expression-bodied arrow instrumented for hits only. */
  timed: boolean;
}

export interface InstrumentOptions {
  /** Absolute line number of the first line of `source` in its script. */
  firstLine: number;
  /** Index of the recorder in the global probe registry. */
  recorderId: number;
  /**
   * Keep the function's closing line and last token as they are, so V8 LiveEdit relinks the
   * function (the closing-brace trap): the finally block goes at the end of the previous line.
   */
  liveEdit: boolean;
}

export class InstrumentError extends Error {
  override name = "InstrumentError";
}

type AstNode = acorn.Node & Record<string, any>;

const FUNCTION_TYPES = new Set(["FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression"]);
const PARSE_OPTIONS: acorn.Options = { ecmaVersion: "latest", locations: true, checkPrivateFields: false, allowHashBang: false };

/**
 * Parses the text of one function as `Function.prototype.toString` gives it: a declaration, an
 * expression, an arrow, or a method (shorthand, getter, async, generator, with private names).
 * Returns the function node and the wrapper text its offsets refer to.
 */
function parseFunctionText(source: string): { fn: AstNode; wrapped: string; prefix: number } {
  const attempts: Array<[string, string, (root: AstNode) => AstNode | undefined]> = [
    ["(", "\n);", (root) => root],
    ["(class{", "\n});", (root) => root.body?.body?.[0]?.value],
    ["(class{static ", "\n});", (root) => root.body?.body?.[0]?.value],
  ];
  for (const [open, close, pick] of attempts) {
    const wrapped = open + source + close;
    let program: AstNode;
    try {
      program = acorn.parse(wrapped, PARSE_OPTIONS) as AstNode;
    } catch {
      continue;
    }
    if (program.body.length !== 1 || program.body[0].type !== "ExpressionStatement") continue;
    const fn = pick(program.body[0].expression);
    if (fn && FUNCTION_TYPES.has(fn.type)) return { fn, wrapped, prefix: open.length };
  }
  throw new InstrumentError(`cannot parse the function's source for instrumentation:\n${source.slice(0, 200)}`);
}

export function instrumentFunction(source: string, options: InstrumentOptions): Instrumented {
  const { fn, wrapped, prefix } = parseFunctionText(source);
  const insertions: Array<{ at: number; order: number; text: string }> = [];
  const add = (at: number, text: string, order = 0) => insertions.push({ at, order, text });
  const probed = new Set<number>();
  const lineOf = (node: AstNode) => options.firstLine + node.loc!.start.line - 1;
  const probe = (line: number) => {
    probed.add(line);
    return `${RECORDER}.p(${FRAME},${line})`;
  };

  function visitList(list: AstNode[]): void {
    let previousEnd = -1;
    for (const statement of list) {
      visitStatement(statement, lineOf(statement) !== previousEnd);
      previousEnd = options.firstLine + statement.loc!.end.line - 1;
    }
  }

  /**
   * A statement in a single-statement position becomes a block so a probe can precede it; on the
   * line of its loop or `if` it adds no event of its own (one event per line, as in Python).
   */
  function asBlock(statement: AstNode, parentLine: number): void {
    if (statement.type === "BlockStatement") return visitStatement(statement, false);
    add(statement.start, "{", -1);
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
      add(s.start, probe(lineOf(s)) + ";");
    }
    switch (s.type) {
      case "BlockStatement":
        return visitList(s.body);
      case "IfStatement":
        asBlock(s.consequent, lineOf(s));
        if (s.alternate) asBlock(s.alternate, options.firstLine + s.consequent.loc.end.line - 1);
        return;
      case "ForStatement": {
        if (s.test) probeTest(s.test, lineOf(s));
        else {
          const secondSemicolon = wrapped.indexOf(";", s.init ? s.init.end : wrapped.indexOf("(", s.start) + 1);
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
          add(s.right.start, `${RECORDER}.it(${FRAME},${lineOf(s)},`, -1);
          add(s.right.end, ")", 1);
          return asBlock(s.body, lineOf(s));
        }
        if (s.body.type === "BlockStatement") {
          add(s.body.start + 1, probe(lineOf(s)) + ";");
          return visitList(s.body.body);
        }
        add(s.body.start, "{" + probe(lineOf(s)) + ";", -1);
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

  const enter = `const ${RECORDER}=${PROBE_REGISTRY}[${options.recorderId}],${FRAME}=${RECORDER}.e();`;
  const body = fn.body as AstNode;
  let timed = true;
  if (body.type === "BlockStatement") {
    // Directives ("use strict") must stay the body's first statements.
    const statements = body.body as AstNode[];
    let first = 0;
    while (first < statements.length && statements[first].directive !== undefined) first++;
    const openAt = first > 0 ? statements[first - 1].end : body.start + 1;
    add(openAt, `${enter}try{`);
    visitList(statements.slice(first));
    let closeAt = body.end - 1;
    if (options.liveEdit) {
      const newline = wrapped.lastIndexOf("\n", body.end - 1);
      if (newline > openAt && wrapped.slice(newline, body.end - 1).trim() === "") closeAt = newline;
    }
    add(closeAt, `}finally{${RECORDER}.x(${FRAME})}`);
  } else if (options.liveEdit) {
    // The conditional's last operand takes any expression unparenthesised, and the text still ends
    // with the body's own last token.
    timed = false;
    const line = lineOf(body);
    probed.add(line);
    add(body.start, `${PROBE_REGISTRY}[${options.recorderId}].hit(${line})?0:`, -1);
  } else {
    add(body.start, `{${enter}try{${probe(lineOf(body))};return (`, -1);
    add(body.end, `)}finally{${RECORDER}.x(${FRAME})}}`, 1);
  }

  insertions.sort((a, b) => b.at - a.at || b.order - a.order);
  let out = wrapped;
  for (const { at, text } of insertions) out = out.slice(0, at) + text + out.slice(at);
  const suffixLength = wrapped.length - prefix - source.length;
  return { text: out.slice(prefix, out.length - suffixLength), probedLines: [...probed].sort((a, b) => a - b), timed };
}
