import { isFunctionNode, walk, type AnyNode } from "./ast";

/** Nodes that run no code of anyone's when evaluated, given operands of the same sort. */
const INERT = new Set([
  "Program", "ExpressionStatement", "EmptyStatement", "VariableDeclaration", "VariableDeclarator", "Literal", "TemplateElement",
  "LogicalExpression", "ConditionalExpression", "SequenceExpression", "ParenthesizedExpression",
]);
/** Globals that are constants (non-configurable), so reading them runs nothing. */
const CONSTANT_GLOBALS = new Set(["undefined", "NaN", "Infinity"]);

/**
 * Could evaluating `program` run code, its own or a getter's, for long? Only a cell made of
 * literals, reads of the notebook's own variables, plain assignments to them and function
 * declarations is known not to: anything else (a call, a loop, a property read that may hit a
 * getter, an operator that may call `valueOf`, a template that calls `toString`) may.
 */
export function mayRunCode(program: AnyNode, isPlainVariable: (name: string) => boolean): boolean {
  let runs = false;
  walk(program, (node, parent) => {
    if (runs) return false;
    if (node.type === "FunctionDeclaration") return false;
    if (isFunctionNode(node)) return false;
    if (INERT.has(node.type)) return;
    if (node.type === "Identifier") {
      const declared = parent?.type === "VariableDeclarator" && parent.id === node;
      if (!declared && !CONSTANT_GLOBALS.has(node.name as string) && !isPlainVariable(node.name as string)) runs = true;
      return;
    }
    if (node.type === "AssignmentExpression" && node.operator === "=" && (node.left as AnyNode).type === "Identifier") return;
    if (node.type === "UnaryExpression" && /^(typeof|void|!)$/.test(node.operator as string)) return;
    if (node.type === "BinaryExpression" && (node.left as AnyNode).type === "Literal" && (node.right as AnyNode).type === "Literal") return;
    if (node.type === "ArrayExpression" && (node.elements as Array<AnyNode | null>).every((e) => e?.type !== "SpreadElement")) return;
    if (node.type === "ObjectExpression") {
      const plain = (node.properties as AnyNode[]).every((p) => p.type === "Property" && !p.computed && p.kind === "init");
      if (plain) {
        for (const property of node.properties as AnyNode[]) {
          if (isFunctionNode(property.value as AnyNode)) continue;
          if (mayRunCode(property.value as AnyNode, isPlainVariable)) runs = true;
        }
        return false;
      }
    }
    if (node.type === "TemplateLiteral" && (node.expressions as AnyNode[]).length === 0) return;
    runs = true;
    return false;
  });
  return runs;
}
