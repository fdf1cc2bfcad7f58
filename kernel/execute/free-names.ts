import { isFunctionNode, patternNames, type AnyNode } from "./ast";

/**
 * The names a function (or a class body) refers to without declaring them itself: the only names
 * through which it can see a top-level variable. Its parameters, its `var`s, the `let`s of its
 * blocks, its catch parameters and inner functions' own names are its own.
 */
export function freeNames(closure: AnyNode): Set<string> {
  const free = new Set<string>();
  visit(closure, [], free);
  return free;
}

type Scopes = Array<Set<string>>;

function visit(node: AnyNode, scopes: Scopes, free: Set<string>): void {
  if (isFunctionNode(node)) {
    const own = new Set<string>(["arguments"]);
    if (node.type === "FunctionExpression" && node.id) own.add((node.id as AnyNode).name as string);
    for (const param of node.params as AnyNode[]) patternNames(param, []).forEach((n) => own.add(n));
    hoistedVars(node.body as AnyNode, own);
    const inner = [...scopes, own];
    for (const param of node.params as AnyNode[]) visitChildren(param, inner, free);
    visit(node.body as AnyNode, inner, free);
    return;
  }
  switch (node.type) {
    case "Identifier":
      if (!scopes.some((scope) => scope.has(node.name as string))) free.add(node.name as string);
      return;
    case "BlockStatement":
    case "StaticBlock":
    case "Program":
      visitChildren(node, [...scopes, lexicalDeclarations(node.body as AnyNode[])], free);
      return;
    case "SwitchStatement":
      visit(node.discriminant as AnyNode, scopes, free);
      {
        const cases = node.cases as AnyNode[];
        const scope = lexicalDeclarations(cases.flatMap((c) => c.consequent as AnyNode[]));
        for (const c of cases) visitChildren(c, [...scopes, scope], free);
      }
      return;
    case "ForStatement":
    case "ForInStatement":
    case "ForOfStatement": {
      const head = (node.type === "ForStatement" ? node.init : node.left) as AnyNode | null;
      const scope = new Set<string>();
      if (head?.type === "VariableDeclaration" && head.kind !== "var") {
        for (const d of head.declarations as AnyNode[]) patternNames(d.id as AnyNode, []).forEach((n) => scope.add(n));
      }
      visitChildren(node, [...scopes, scope], free);
      return;
    }
    case "CatchClause": {
      const scope = new Set<string>(node.param ? patternNames(node.param as AnyNode, []) : []);
      visitChildren(node, [...scopes, scope], free);
      return;
    }
    case "ClassDeclaration":
    case "ClassExpression": {
      const scope = new Set<string>(node.id ? [(node.id as AnyNode).name as string] : []);
      if (node.superClass) visit(node.superClass as AnyNode, scopes, free);
      visit(node.body as AnyNode, [...scopes, scope], free);
      return;
    }
    case "MemberExpression":
      visit(node.object as AnyNode, scopes, free);
      if (node.computed) visit(node.property as AnyNode, scopes, free);
      return;
    case "Property":
    case "MethodDefinition":
    case "PropertyDefinition":
      if (node.computed) visit(node.key as AnyNode, scopes, free);
      if (node.value) visit(node.value as AnyNode, scopes, free);
      return;
    case "LabeledStatement":
      visit(node.body as AnyNode, scopes, free);
      return;
    case "BreakStatement":
    case "ContinueStatement":
    case "MetaProperty":
      return;
    default:
      visitChildren(node, scopes, free);
  }
}

function visitChildren(node: AnyNode, scopes: Scopes, free: Set<string>): void {
  for (const key of Object.keys(node)) {
    if (key === "type" || key === "start" || key === "end" || key === "loc") continue;
    const child = node[key];
    if (Array.isArray(child)) {
      for (const item of child) if (isAstNode(item)) visit(item, scopes, free);
    } else if (isAstNode(child)) {
      visit(child, scopes, free);
    }
  }
}

function isAstNode(value: unknown): value is AnyNode {
  return typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string";
}

/** `let`, `const`, `class` and function declarations standing directly in a block. */
function lexicalDeclarations(statements: AnyNode[]): Set<string> {
  const names = new Set<string>();
  for (const statement of statements) {
    if (statement.type === "VariableDeclaration" && statement.kind !== "var") {
      for (const d of statement.declarations as AnyNode[]) patternNames(d.id as AnyNode, []).forEach((n) => names.add(n));
    } else if ((statement.type === "FunctionDeclaration" || statement.type === "ClassDeclaration") && statement.id) {
      names.add((statement.id as AnyNode).name as string);
    }
  }
  return names;
}

/** A function's `var`s (any block deep, not in nested functions) and the functions declared in its body. */
function hoistedVars(body: AnyNode, into: Set<string>): void {
  const stack = [body];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type === "VariableDeclaration" && node.kind === "var") {
      for (const d of node.declarations as AnyNode[]) patternNames(d.id as AnyNode, []).forEach((n) => into.add(n));
    }
    for (const key of Object.keys(node)) {
      if (key === "type" || key === "start" || key === "end" || key === "loc") continue;
      const child = node[key];
      for (const item of Array.isArray(child) ? child : [child]) {
        if (isAstNode(item) && !isFunctionNode(item)) stack.push(item);
      }
    }
  }
}
