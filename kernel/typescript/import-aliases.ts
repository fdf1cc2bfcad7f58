import ts = require("typescript");
import { privateName, type ImportBinding } from "./cell-shape";

export interface GlobalAlias {
  name: string;
  text: string;
}

/**
 * The global declarations that make a cell's imports visible to later cells, inside the summary's
 * `declare global` block. `export import x = ns.name` carries every meaning of a name; a default
 * or `require` import has no namespace to qualify, so the checker tells which meanings it has.
 */
export function importAliases(bindings: readonly ImportBinding[], checker: ts.TypeChecker): GlobalAlias[] {
  return bindings.map(({ name, node, kind, from }) => {
    const local = privateName(name);
    if (kind === "named" && from) return { name, text: `export import ${name} = ${from.namespace}.${from.name};` };
    if (kind === "namespace") return { name, text: `export import ${name} = ${local};` };
    const target = aliasTarget(node, checker);
    if (!target || target.flags & ts.SymbolFlags.Namespace) return { name, text: `export import ${name} = ${local};` };
    const lines: string[] = [];
    if (target.flags & ts.SymbolFlags.Value) lines.push(`const ${name}: typeof ${local};`);
    if (target.flags & ts.SymbolFlags.Type) {
      const parameters = typeParameterNames(target);
      const declared = parameters.length ? `<${parameters.map((p) => `${p} = any`).join(", ")}>` : "";
      const used = parameters.length ? `<${parameters.join(", ")}>` : "";
      lines.push(`type ${name}${declared} = ${local}${used};`);
    }
    return { name, text: lines.join(" ") };
  });
}

function aliasTarget(node: ts.Identifier, checker: ts.TypeChecker): ts.Symbol | undefined {
  const symbol = checker.getSymbolAtLocation(node);
  if (!symbol || !(symbol.flags & ts.SymbolFlags.Alias)) return undefined;
  const target = checker.getAliasedSymbol(symbol);
  return target.flags === ts.SymbolFlags.None ? undefined : target;
}

function typeParameterNames(symbol: ts.Symbol): string[] {
  for (const declaration of symbol.declarations ?? []) {
    const parameters = (declaration as ts.Declaration & { typeParameters?: ts.NodeArray<ts.TypeParameterDeclaration> }).typeParameters;
    if (parameters?.length) return parameters.map((p) => p.name.text);
  }
  return [];
}
