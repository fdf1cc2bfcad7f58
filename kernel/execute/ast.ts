import type { Node } from "acorn";

/** A node of acorn's ESTree output, read generically. */
export type AnyNode = Node & Record<string, unknown>;

export function isNode(value: unknown): value is AnyNode {
  return typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string";
}

/** Visits every node below `root` (root included); return false from `visit` to skip a subtree. */
export function walk(root: AnyNode, visit: (node: AnyNode, parent: AnyNode | undefined) => boolean | void): void {
  const stack: Array<[AnyNode, AnyNode | undefined]> = [[root, undefined]];
  while (stack.length) {
    const [node, parent] = stack.pop()!;
    if (visit(node, parent) === false) continue;
    for (const key of Object.keys(node)) {
      if (key === "type" || key === "start" || key === "end" || key === "loc") continue;
      const child = node[key];
      if (Array.isArray(child)) {
        for (let i = child.length - 1; i >= 0; i--) if (isNode(child[i])) stack.push([child[i], node]);
      } else if (isNode(child)) {
        stack.push([child, node]);
      }
    }
  }
}

export function isFunctionNode(node: AnyNode): boolean {
  return (
    node.type === "FunctionDeclaration" || node.type === "FunctionExpression" || node.type === "ArrowFunctionExpression"
  );
}

/** Identifier nodes that name a variable (not `o.prop`, not `{ key: v }` keys, not labels). */
export function referencedNames(root: AnyNode): Set<string> {
  const names = new Set<string>();
  walk(root, (node, parent) => {
    if (node.type !== "Identifier") return;
    if (parent?.type === "MemberExpression" && parent.property === node && !parent.computed) return;
    if ((parent?.type === "Property" || parent?.type === "MethodDefinition" || parent?.type === "PropertyDefinition") &&
        parent.key === node && !parent.computed && !(parent.shorthand)) return;
    if (parent && /^(LabeledStatement|BreakStatement|ContinueStatement)$/.test(parent.type)) return;
    names.add(node.name as string);
  });
  return names;
}

/** Names a binding pattern declares or assigns: `a`, `{ a, b: [c] }`, `...rest`, `x = 1`. */
export function patternNames(pattern: AnyNode, into: string[] = []): string[] {
  switch (pattern.type) {
    case "Identifier":
      into.push(pattern.name as string);
      break;
    case "ObjectPattern":
      for (const prop of pattern.properties as AnyNode[]) {
        patternNames(prop.type === "RestElement" ? (prop.argument as AnyNode) : (prop.value as AnyNode), into);
      }
      break;
    case "ArrayPattern":
      for (const element of pattern.elements as Array<AnyNode | null>) if (element) patternNames(element, into);
      break;
    case "RestElement":
      patternNames(pattern.argument as AnyNode, into);
      break;
    case "AssignmentPattern":
      patternNames(pattern.left as AnyNode, into);
      break;
  }
  return into;
}

/** Does `root` await at its own level (not inside a nested function)? */
export function awaitsAtTopLevel(root: AnyNode): boolean {
  let found = false;
  walk(root, (node) => {
    if (found || isFunctionNode(node) || node.type === "ClassBody") return false;
    if (node.type === "AwaitExpression" || (node.type === "ForOfStatement" && node.await)) found = true;
  });
  return found;
}
