import * as acorn from "acorn";
import { FUNCTION_TYPES, instrumentBody, type AstNode, type Insertion } from "./instrument";
import { OneLine } from "./one-line";
import { registerPositions, type Chunk } from "./positions";
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
  /** A cell as the cell transform leaves it, or a CommonJS file (both scripts). */
  kind: "cell" | "file";
}

/** Functions the kernel generates around cell code (loop and async wrappers) take a first parameter so named. */
const KERNEL_PARAMETER = "__tsprof";

interface FunctionSite {
  node: AstNode;
  children: FunctionSite[];
  id?: number;
  info: SiteInfo;
  usesArguments: boolean;
  /** `super` or `new.target` inside: only an arrow twin can see them. */
  needsArrowTwin: boolean;
}

const PARSE_BASE: acorn.Options = { ecmaVersion: "latest", locations: true, allowHashBang: true };

function parse(js: string, kind: SwitchOptions["kind"], onComment: acorn.Options["onComment"]): AstNode {
  return acorn.parse(js, { ...PARSE_BASE, sourceType: "script", allowReturnOutsideFunction: kind === "file", onComment }) as AstNode;
}

const isKernelFunction = (fn: AstNode) => fn.params[0]?.type === "Identifier" && fn.params[0].name.startsWith(KERNEL_PARAMETER);

function childNodes(node: AstNode): AstNode[] {
  const out: AstNode[] = [];
  for (const key in node) {
    if (key === "loc" || key === "type" || key === "start" || key === "end") continue;
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

/**
 * Functions in source order, each with the functions nested directly in it, and what each uses of
 * its caller's frame: `arguments`, `super` and `new.target` in an arrow belong to the function the
 * arrow is in, so they mark every enclosing arrow up to that function.
 */
function collectSites(program: AstNode, file: string, js: string, flat: OneLine): FunctionSite[] {
  const lines = js.split("\n");
  const roots: FunctionSite[] = [];
  const enclosing: FunctionSite[] = [];
  const mark = (use: "usesArguments" | "needsArrowTwin") => {
    for (let i = enclosing.length - 1; i >= 0; i--) {
      enclosing[i][use] = true;
      if (enclosing[i].node.type !== "ArrowFunctionExpression") break;
    }
  };
  const visit = (node: AstNode, parent: AstNode | undefined, into: FunctionSite[], className: string | undefined) => {
    let children = into;
    let name = className;
    let site: FunctionSite | undefined;
    switch (node.type) {
      case "ClassDeclaration":
      case "ClassExpression":
        name = node.id?.name ?? className;
        break;
      case "Literal":
      case "TemplateElement":
        flat.noteLiteral(node);
        return;
      case "PropertyDefinition":
        flat.noteFieldEnd(node.end);
        break;
      case "Identifier":
        if (node.name === "arguments") mark("usesArguments");
        return;
      case "Super":
        mark("needsArrowTwin");
        return;
      case "MetaProperty":
        if (node.meta.name === "new") mark("needsArrowTwin");
        return;
    }
    if (FUNCTION_TYPES.has(node.type) && !isKernelFunction(node)) {
      site = { node, children: [], usesArguments: false, needsArrowTwin: false, info: describe(node, parent, className, file, lines) };
      into.push(site);
      children = site.children;
      enclosing.push(site);
    }
    for (const child of childNodes(node)) visit(child, node, children, name);
    if (site) {
      enclosing.pop();
      // A generator's twin must be a generator, and only an arrow sees the caller's super/new.target.
      if (!(site.needsArrowTwin && node.generator)) site.id = newSite(site.info);
    }
  };
  visit(program, undefined, roots, undefined);
  return roots;
}

/**
 * Text assembled from pieces of the source and generated code, with where each source piece came
 * from. A piece appended to another keeps its own chunks (offsets relative to itself) until
 * `allChunks()`, so nesting costs no copying.
 */
class Assembled {
  text = "";
  private readonly chunks: Chunk[] = [];
  private readonly parts: Array<{ offset: number; part: Assembled }> = [];

  source(js: string, start: number, end: number, flat?: OneLine): void {
    if (end <= start) return;
    const base = this.text.length;
    if (flat) this.text += flat.slice(start, end, (out, source, length) => this.chunks.push({ out: base + out, source, length }));
    else {
      this.chunks.push({ out: base, source: start, length: end - start });
      this.text += js.slice(start, end);
    }
  }

  /** Generated text; `callOf`, the source offset of the function whose twin this text calls. */
  generated(text: string, callOf?: number): void {
    if (callOf !== undefined) this.chunks.push({ out: this.text.length, source: callOf, length: 0, twinCall: true });
    this.text += text;
  }

  append(other: Assembled): void {
    this.parts.push({ offset: this.text.length, part: other });
    this.text += other.text;
  }

  /** Every chunk, at its offset in `text`, in order. */
  allChunks(base = 0, into: Chunk[] = []): Chunk[] {
    let next = 0;
    for (const chunk of this.chunks) {
      while (next < this.parts.length && this.parts[next].offset <= chunk.out) {
        this.parts[next].part.allChunks(base + this.parts[next].offset, into);
        next++;
      }
      into.push(base === 0 ? chunk : { ...chunk, out: chunk.out + base });
    }
    for (; next < this.parts.length; next++) this.parts[next].part.allChunks(base + this.parts[next].offset, into);
    return into;
  }
}

const CHILD = Infinity;

/**
 * At one offset, what closes the code before it comes first (negative orders as written), then
 * what opens the code after it, then a nested function that starts there.
 */
const rank = (order: number) => (order === CHILD ? order : order > 0 ? order - 1000 : order);

/**
 * The source of [start, end) with insertions made and nested functions replaced; on one line when
 * `flat` is given.
 */
function render(
  js: string,
  start: number,
  end: number,
  insertions: Array<Insertion | { at: number; order: number; piece: Assembled }>,
  children: FunctionSite[],
  childText: (site: FunctionSite) => Assembled,
  flat?: OneLine,
): Assembled {
  type Event = { at: number; order: number; text?: string; piece?: Assembled; child?: FunctionSite };
  const events: Event[] = [
    ...insertions.filter((i) => i.at >= start && i.at <= end),
    ...children.filter((c) => c.node.start >= start && c.node.end <= end).map((child) => ({ at: child.node.start, order: CHILD, child })),
  ].sort((a, b) => a.at - b.at || rank(a.order) - rank(b.order));
  const out = new Assembled();
  let at = start;
  for (const event of events) {
    if (event.at < at) continue;
    out.source(js, at, event.at, flat);
    at = event.at;
    if (event.child) {
      out.append(childText(event.child));
      at = event.child.node.end;
    } else if (event.piece) out.append(event.piece);
    else out.generated(event.text!);
  }
  out.source(js, at, end, flat);
  return out;
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

/** Generated text with assembled pieces in between, as one piece. */
function join(...parts: Array<string | Assembled | { call: string; of: number }>): Assembled {
  const out = new Assembled();
  for (const part of parts) {
    if (typeof part === "string") out.generated(part);
    else if (part instanceof Assembled) out.append(part);
    else out.generated(part.call, part.of);
  }
  return out;
}

class SwitchWriter {
  constructor(
    private readonly js: string,
    private readonly flat: OneLine,
  ) {}

  private render(
    start: number,
    end: number,
    insertions: Array<Insertion | { at: number; order: number; piece: Assembled }>,
    children: FunctionSite[],
    child: (c: FunctionSite) => Assembled,
    flat = true,
  ): Assembled {
    return render(this.js, start, end, insertions, children, child, flat ? this.flat : undefined);
  }

  /** The function instrumented throughout (its nested functions too), on one line: the form it takes inside a twin. */
  private instrumented(site: FunctionSite): Assembled {
    const fn = site.node;
    const inner = (c: FunctionSite) => this.instrumented(c);
    if (site.id === undefined) return this.render(fn.start, fn.end, [], site.children, inner);
    const { insertions, expression } = instrumentBody(fn, this.js, RECORDERS, site.id);
    if (!expression) return this.render(fn.start, fn.end, insertions, site.children, inner);
    const bodyAt = arrowBodyStart(this.js, fn);
    return join(
      this.render(fn.start, bodyAt, [], site.children, inner),
      expression.open,
      this.render(bodyAt, fn.end, [], site.children, inner),
      expression.close,
    );
  }

  /** The twin's body: the function's body instrumented, as a block. */
  private twinBody(site: FunctionSite): Assembled {
    const fn = site.node;
    const inner = (c: FunctionSite) => this.instrumented(c);
    const { insertions, expression } = instrumentBody(fn, this.js, RECORDERS, site.id!);
    if (!expression) return this.render(fn.body.start, fn.body.end, insertions, site.children, inner);
    const bodyAt = arrowBodyStart(this.js, fn);
    return join(expression.open, this.render(bodyAt, fn.end, [], site.children, inner), expression.close);
  }

  /** The expression that runs the twin with the function's own `this`, arguments and scope. */
  private twinCall(site: FunctionSite): Assembled {
    const fn = site.node;
    const body = this.twinBody(site);
    const names = fn.params.flatMap((p: AstNode) => boundNames(p)).join(",");
    const async = fn.async ? "async " : "";
    const of = fn.start;
    if (fn.type === "ArrowFunctionExpression" || site.needsArrowTwin) return join(`(${async}(${names})=>`, body, { call: `)(${names})`, of });
    // Named as the function is, so tracebacks name it; a function's own name inside it means itself either way.
    const header = `(${async}function${fn.generator ? "*" : ""} ${fn.id?.name ?? ""}(`;
    if (!site.usesArguments) return join(`${header}${names})`, body, { call: `).call(this${names ? "," + names : ""})`, of });
    const last = fn.params[fn.params.length - 1];
    const params = last ? this.render(fn.params[0].start, last.end, [], site.children, (c) => this.instrumented(c)) : "";
    return join(header, params, ")", body, { call: ").apply(this,arguments)", of });
  }

  /** The function as written, with its switch (and its nested functions with theirs). */
  switched(site: FunctionSite): Assembled {
    const fn = site.node;
    const nested = (c: FunctionSite) => this.switched(c);
    if (site.id === undefined) return this.render(fn.start, fn.end, [], site.children, nested, false);
    const test = `${SWITCHES}[${site.id}]`;
    if (fn.body.type !== "BlockStatement") {
      const bodyAt = arrowBodyStart(this.js, fn);
      const around = [
        { at: bodyAt, order: -1, piece: join(`${test}?`, this.twinCall(site), ":(") },
        { at: fn.end, order: 1, text: ")" },
      ];
      return this.render(fn.start, fn.end, around, site.children, nested, false);
    }
    const statements = fn.body.body as AstNode[];
    let first = 0;
    while (first < statements.length && statements[first].directive !== undefined) first++;
    const at = first > 0 ? statements[first - 1].end : fn.body.start + 1;
    const run = fn.generator ? "yield* " : "";
    const dispatch = { at, order: -1, piece: join(`;if(${test})return ${run}`, this.twinCall(site), ";") };
    return this.render(fn.start, fn.end, [dispatch], site.children, nested, false);
  }
}

/**
 * `js` with every function switched (see above), its lines unchanged; sites are registered under
 * `file`, and so is where each position of the result was in `js` (for tracebacks). Undefined when
 * `js` does not parse (running it as it is reports the syntax error).
 */
export function addProfileSwitches(js: string, file: string, options: SwitchOptions): string | undefined {
  const flat = new OneLine(js);
  let program: AstNode;
  try {
    program = parse(js, options.kind, (block, _text, start, end) => flat.noteComment(block, start, end));
  } catch {
    return undefined;
  }
  const roots = collectSites(program, file, js, flat);
  if (roots.length === 0) return js;
  const writer = new SwitchWriter(js, flat);
  const out = render(js, 0, js.length, [], roots, (site) => writer.switched(site));
  registerPositions(file, js, out.text, out.allChunks());
  return out.text;
}
