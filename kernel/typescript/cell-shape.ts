import ts = require("typescript");

/**
 * What a cell shares with the cells after it: in the kernel its top-level declarations and imports
 * become globals. TypeScript sees each cell as a module instead (so re-declaring a name of an
 * earlier cell shadows it, and top-level await is allowed); these are the facts needed to turn a
 * module cell into global declarations for later cells.
 */
export interface CellShape {
  /** Top-level names the cell declares: values, types and namespaces. */
  declared: string[];
  /** Names bound by the cell's imports, and how. */
  imports: ImportBinding[];
  /**
   * The cell's imports bound to private names (see `privateName`), as plain imports: a global
   * alias may not refer to an `import type`, and summaries are types only anyway.
   */
  privateImports: string[];
  /** A last line that exports every declaration not exported yet, so declaration emit keeps them all. */
  exportLine: string;
}

export interface ImportBinding {
  /** The name in the cell. */
  name: string;
  node: ts.Identifier;
  kind: "namespace" | "named" | "default" | "require";
  /** For a named import: the private namespace of its module and the name imported from it. */
  from?: { namespace: string; name: string };
}

/** The private name a cell's import binding gets in its summary. */
export const privateName = (name: string) => `__tsprof_import_${name}`;

export function parseCell(fileName: string, source: string): ts.SourceFile {
  return ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
}

export function cellShape(file: ts.SourceFile): CellShape {
  const declared = new Set<string>();
  const toExport = new Set<string>();
  const imports: ImportBinding[] = [];
  const privateImports: string[] = [];
  for (const statement of file.statements) {
    if (ts.isImportDeclaration(statement) || ts.isImportEqualsDeclaration(statement)) {
      const rebound = privateImport(statement, file, privateImports.length);
      if (rebound) {
        imports.push(...rebound.bindings);
        privateImports.push(rebound.text);
      }
      continue;
    }
    const names = declaredNames(statement);
    const exported = hasModifier(statement, ts.SyntaxKind.ExportKeyword);
    for (const name of names) {
      declared.add(name);
      if (!exported) toExport.add(name);
    }
  }
  return {
    declared: [...declared],
    imports,
    privateImports,
    exportLine: `export { ${[...toExport].join(", ")} };`,
  };
}

function declaredNames(statement: ts.Statement): string[] {
  if (ts.isVariableStatement(statement)) {
    return statement.declarationList.declarations.flatMap((d) => bindingNames(d.name));
  }
  // `for (var i = 0; ...)` at top level leaves `i` behind as a global too.
  if (ts.isForStatement(statement) || ts.isForInStatement(statement) || ts.isForOfStatement(statement)) {
    const list = statement.initializer;
    if (list && ts.isVariableDeclarationList(list) && !(list.flags & ts.NodeFlags.BlockScoped)) {
      return list.declarations.flatMap((d) => bindingNames(d.name));
    }
  }
  if (
    ts.isFunctionDeclaration(statement) ||
    ts.isClassDeclaration(statement) ||
    ts.isInterfaceDeclaration(statement) ||
    ts.isTypeAliasDeclaration(statement) ||
    ts.isEnumDeclaration(statement)
  ) {
    return statement.name && !hasModifier(statement, ts.SyntaxKind.DefaultKeyword) ? [statement.name.text] : [];
  }
  if (ts.isModuleDeclaration(statement) && ts.isIdentifier(statement.name) && !(statement.flags & ts.NodeFlags.GlobalAugmentation)) {
    return [statement.name.text];
  }
  return [];
}

function hasModifier(statement: ts.Statement, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(statement) && (ts.getModifiers(statement) ?? []).some((m) => m.kind === kind);
}

function bindingNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((element) => (ts.isOmittedExpression(element) ? [] : bindingNames(element.name)));
}

function privateImport(
  statement: ts.ImportDeclaration | ts.ImportEqualsDeclaration,
  file: ts.SourceFile,
  index: number,
): { bindings: ImportBinding[]; text: string } | undefined {
  if (ts.isImportEqualsDeclaration(statement)) {
    if (!ts.isExternalModuleReference(statement.moduleReference)) return undefined;
    const node = statement.name;
    return {
      bindings: [{ name: node.text, node, kind: "require" }],
      text: `import ${privateName(node.text)} = ${statement.moduleReference.getText(file)};`,
    };
  }
  const clause = statement.importClause;
  if (!clause) return undefined;
  const from = statement.moduleSpecifier.getText(file);
  const bindings: ImportBinding[] = [];
  const parts: string[] = [];
  if (clause.name) {
    bindings.push({ name: clause.name.text, node: clause.name, kind: "default" });
    parts.push(`import ${privateName(clause.name.text)} from ${from};`);
  }
  const named = clause.namedBindings;
  if (named && ts.isNamespaceImport(named)) {
    bindings.push({ name: named.name.text, node: named.name, kind: "namespace" });
    parts.push(`import * as ${privateName(named.name.text)} from ${from};`);
  } else if (named) {
    // Re-exported through a namespace import: `export import x = ns.name` keeps every meaning of
    // the name (value, type, generic parameters), which a plain `import x = alias` would not.
    const namespace = `__tsprof_module_${index}`;
    for (const element of named.elements) {
      const imported = element.propertyName ?? element.name;
      if (!ts.isIdentifier(imported)) continue;
      bindings.push({ name: element.name.text, node: element.name, kind: "named", from: { namespace, name: imported.text } });
    }
    parts.push(`import * as ${namespace} from ${from};`);
  }
  return bindings.length ? { bindings, text: parts.join(" ") } : undefined;
}
