import * as acorn from "acorn";
import { FUNCTION_TYPES, instrumentBody, type AstNode, type Insertion } from "./instrument";
import { oneLine } from "./one-line";
import { newSite, RECORDERS, SWITCHES, type SiteInfo } from "./sites";

/**
 * Compiles every function of a cell or local module with a profiling switch, so the line profilers
 * never have to patch running code (V8 no longer has LiveEdit). Each function starts with
 *
 *     if (__tsprofOn[7]) return (function (a, b) { …instrumented body… }).call(this, a, b);
 *
 * and otherwise runs exactly as written. The instrumented twin is nested in the function itself,
 * so it sees the same closure, `this`, parameters and module scope; it declares its own copy of
 * every local, so V8 keeps the function's locals in registers as before (a twin that shared them
 * would force them into a heap context). The switch is one byte load and a branch, and V8 treats
 * the never-taken branch as dead code in optimized code. The twin is written on the function's
 * first line, so no line moves: tracebacks and reports keep the user's own line numbers.
 *
 * Functions nested in a twin are emitted instrumented too (reporting to their own site, which
 * records nothing unless it is being profiled), so that twins nest without doubling at each level.
 */
export interface SwitchOptions {
  /** A cell (ES module syntax, top-level await) or a CommonJS file. */
  kind: "cell" | "file";
}

interface FunctionSite {
  node: AstNode;
  children: FunctionSite[];
  id?: number;
  usesArguments: boolean;
  /** `super` or `new.target` inside: only an arrow twin can see them. */
  needsArrowTwin: boolean;
}

const PARSE_BASE: acorn.Options = { ecmaVersion: "latest", locations: true, allowHashBang: true };

function parse(js: string, kind: SwitchOptions["kind"]): AstNode {
  return acorn.parse(
    js,
    kind === "cell"
      ? { ...PARSE_BASE, sourceType: "module", allowAwaitOutsideFunction: true }
      : { ...PARSE_BASE, sourceType: "script", allowReturnOutsideFunction: true },
  ) as AstNode;
}

function childNodes(node: AstNode): AstNode[] {
  const out: AstNode[] = [];
  for (const key of Object.keys(node)) {
    if (key === "loc") continue;
    const value = node[key];
    if (Array.isArray(value)) {
      for (const item of value) if (item && typeof item.type === "string") out.push(item);
    } else if (value && typeof value === "object" && typeof value.type === "string") out.push(value);
  }
  return out;
}

function keyName(key: AstNode, computed: boolean): string | undefined {
  if (computed) return undefined;
  if (key.type === "Identifier") return key.name;
  if (key.type === "PrivateIdentifier") return `#${key.name}`;
  if (key.type === "Literal") return String(key.value);
  return undefined;
}

/** How a user names the function, and the lines of its whole definition. */
function describe(fn: AstNode, parent: AstNode | undefined, className: string | undefined, file: string, lines: string[]): SiteInfo {
  const names: string[] = [];
  let span: AstNode = fn;
  if (fn.id?.name) names.push(fn.id.name);
  if (parent) {
    if (parent.type === "VariableDeclarator" && parent.id.type === "Identifier") names.push(parent.id.name);
    else if (parent.type === "AssignmentExpression") {
      const left = parent.left as AstNode;
      const name = left.type === "Identifier" ? left.name : left.type === "MemberExpression" ? keyName(left.property, left.computed) : undefined;
      if (name) names.push(name);
    } else if (parent.type === "MethodDefinition" || parent.type === "PropertyDefinition" || parent.type === "Property") {
      const key = keyName(parent.key, parent.computed);
      if (key) {
        names.push(key);
        if (className && parent.type !== "Property") names.push(`${className}.${key}`);
      }
      if (parent.type !== "PropertyDefinition" && (parent.type === "MethodDefinition" || parent.method || parent.kind !== "init")) span = parent;
    }
  }
  const unique = [...new Set(names)];
  const firstLine = span.loc!.start.line;
  return {
    name: unique.find((n) => n.includes(".")) ?? unique[0] ?? "(anonymous)",
    names: unique,
    file,
    firstLine,
    lastLine: span.loc!.end.line,
    marked: /^\s*\/\/\s*@profile\b/.test(lines[firstLine - 2] ?? ""),
  };
}

/** What the function's own code (arrows included, other functions not) uses of its caller's frame. */
function frameUse(fn: AstNode): { usesArguments: boolean; needsArrowTwin: boolean } {
  let usesArguments = false;
  let needsArrowTwin = false;
  const visit = (node: AstNode) => {
    for (const child of childNodes(node)) {
      if (child.type === "FunctionDeclaration" || child.type === "FunctionExpression") continue;
      if (child.type === "Identifier" && child.name === "arguments") usesArguments = true;
      else if (child.type === "Super") needsArrowTwin = true;
      else if (child.type === "MetaProperty" && child.meta.name === "new") needsArrowTwin = true;
      visit(child);
    }
  };
  for (const part of [...fn.params, fn.body]) visit({ type: "Wrapper", part } as unknown as AstNode);
  return { usesArguments, needsArrowTwin };
}

/** Functions in source order, each with the functions nested directly in it. */
function collectSites(program: AstNode, file: string, js: string): FunctionSite[] {
  const lines = js.split("\n");
  const roots: FunctionSite[] = [];
  const visit = (node: AstNode, parent: AstNode | undefined, into: FunctionSite[], className: string | undefined) => {
    let children = into;
    let name = className;
    if (node.type === "ClassDeclaration" || node.type === "ClassExpression") name = node.id?.name ?? className;
    if (FUNCTION_TYPES.has(node.type)) {
      const site: FunctionSite = { node, children: [], ...frameUse(node) };
      const generatorNeedingArrow = site.needsArrowTwin && node.generator;
      if (!generatorNeedingArrow) site.id = newSite(describe(node, parent, className, file, lines));
      into.push(site);
      children = site.children;
    }
    for (const child of childNodes(node)) visit(child, node, children, name);
  };
  visit(program, undefined, roots, undefined);
  return roots;
}

/** The source of [start, end) with insertions made and nested functions replaced. */
function render(
  js: string,
  start: number,
  end: number,
  insertions: Insertion[],
  children: FunctionSite[],
  childText: (site: FunctionSite) => string,
): string {
  type Event = { at: number; order: number; text?: string; child?: FunctionSite };
  const events: Event[] = [
    ...insertions.filter((i) => i.at >= start && i.at <= end),
    ...children.filter((c) => c.node.start >= start && c.node.end <= end).map((child) => ({ at: child.node.start, order: 0.5, child })),
  ].sort((a, b) => a.at - b.at || a.order - b.order);
  let out = "";
  let at = start;
  for (const event of events) {
    if (event.at < at) continue;
    out += js.slice(at, event.at);
    at = event.at;
    if (event.child) {
      out += childText(event.child);
      at = event.child.node.end;
    } else out += event.text;
  }
  return out + js.slice(at, end);
}

/** Where an arrow's body text starts: just after its `=>`. */
function arrowBodyStart(js: string, fn: AstNode): number {
  return js.lastIndexOf("=>", fn.body.start) + 2;
}

/** Parameter names, for a twin that takes the values the function has already bound. */
function boundNames(pattern: AstNode, into: string[] = []): string[] {
  switch (pattern.type) {
    case "Identifier":
      into.push(pattern.name);
      break;
    case "ObjectPattern":
      for (const p of pattern.properties) boundNames(p.type === "RestElement" ? p.argument : p.value, into);
      break;
    case "ArrayPattern":
      for (const e of pattern.elements) if (e) boundNames(e, into);
      break;
    case "RestElement":
      boundNames(pattern.argument, into);
      break;
    case "AssignmentPattern":
      boundNames(pattern.left, into);
      break;
  }
  return into;
}

class SwitchWriter {
  constructor(private readonly js: string) {}

  /** The function instrumented throughout (its nested functions too): the form it takes inside a twin. */
  instrumented(site: FunctionSite): string {
    const fn = site.node;
    const { insertions, expression } = instrumentBody(fn, this.js, RECORDERS, site.id ?? 0);
    if (site.id === undefined) return render(this.js, fn.start, fn.end, [], site.children, (c) => this.instrumented(c));
    if (!expression) return render(this.js, fn.start, fn.end, insertions, site.children, (c) => this.instrumented(c));
    const bodyAt = arrowBodyStart(this.js, fn);
    return (
      render(this.js, fn.start, bodyAt, [], site.children, (c) => this.instrumented(c)) +
      expression.open +
      render(this.js, bodyAt, fn.end, [], site.children, (c) => this.instrumented(c)) +
      expression.close
    );
  }

  /** The twin's body: the function's body instrumented, as a block. */
  private twinBody(site: FunctionSite): string {
    const fn = site.node;
    const { insertions, expression } = instrumentBody(fn, this.js, RECORDERS, site.id!);
    const inner = (c: FunctionSite) => this.instrumented(c);
    if (!expression) return render(this.js, fn.body.start, fn.body.end, insertions, site.children, inner);
    const bodyAt = arrowBodyStart(this.js, fn);
    return expression.open + render(this.js, bodyAt, fn.end, [], site.children, inner) + expression.close;
  }

  /** The expression that runs the twin with the function's own `this`, arguments and scope. */
  private twinCall(site: FunctionSite): string {
    const fn = site.node;
    const body = this.twinBody(site);
    const names = fn.params.flatMap((p: AstNode) => boundNames(p)).join(",");
    const async = fn.async ? "async " : "";
    if (fn.type === "ArrowFunctionExpression" || site.needsArrowTwin) return oneLine(`(${async}(${names})=>${body})(${names})`);
    const star = fn.generator ? "*" : "";
    if (!site.usesArguments) return oneLine(`(${async}function${star}(${names})${body}).call(this${names ? "," + names : ""})`);
    const params = fn.params.length
      ? render(this.js, fn.params[0].start, fn.params[fn.params.length - 1].end, [], site.children, (c) => this.instrumented(c))
      : "";
    return oneLine(`(${async}function${star}(${params})${body}).apply(this,arguments)`);
  }

  /** The function as written, with its switch (and its nested functions with theirs). */
  switched(site: FunctionSite): string {
    const fn = site.node;
    const nested = (c: FunctionSite) => this.switched(c);
    if (site.id === undefined) return render(this.js, fn.start, fn.end, [], site.children, nested);
    const test = `${SWITCHES}[${site.id}]`;
    if (fn.body.type !== "BlockStatement") {
      const bodyAt = arrowBodyStart(this.js, fn);
      const opening = { at: bodyAt, order: -1, text: `${test}?${this.twinCall(site)}:(` };
      return render(this.js, fn.start, fn.end, [opening, { at: fn.end, order: 1, text: ")" }], site.children, nested);
    }
    const statements = fn.body.body as AstNode[];
    let first = 0;
    while (first < statements.length && statements[first].directive !== undefined) first++;
    const at = first > 0 ? statements[first - 1].end : fn.body.start + 1;
    const run = fn.generator ? "yield* " : "";
    const dispatch = `;if(${test})return ${run}${this.twinCall(site)};`;
    return render(this.js, fn.start, fn.end, [{ at, order: -1, text: dispatch }], site.children, nested);
  }
}

/**
 * `js` with every function switched (see above), its lines unchanged; sites are registered under
 * `file`. Undefined when `js` does not parse (running it as it is reports the syntax error).
 */
export function addProfileSwitches(js: string, file: string, options: SwitchOptions): string | undefined {
  let program: AstNode;
  try {
    program = parse(js, options.kind);
  } catch {
    return undefined;
  }
  const roots = collectSites(program, file, js);
  if (roots.length === 0) return js;
  const writer = new SwitchWriter(js);
  const out = render(js, 0, js.length, [], roots, (site) => writer.switched(site));
  try {
    parse(out, options.kind);
  } catch (error) {
    throw new Error(`tsprof could not prepare ${file} for line profiling (${(error as Error).message}); please report this with the code`);
  }
  return out;
}
