import ts = require("typescript");
import type { GlobalAlias } from "./import-aliases";

interface GlobalDeclaration {
  name: string | undefined;
  text: string;
}

/**
 * A committed cell as later cells see it: its declaration file (types only, no bodies to check
 * again) turned into a global augmentation. A name re-declared by a later cell is left out, so
 * the latest declaration wins instead of clashing or merging.
 */
export class CellSummary {
  readonly names: ReadonlySet<string>;

  /**
   * An unused summary file, shaped like a used one (a module with a global augmentation), so
   * filling it in changes only text, which TypeScript's program reuse handles cheaply.
   */
  static readonly EMPTY = "declare global {\n}\nexport {};\n";

  private constructor(
    private readonly moduleLevel: string[],
    private readonly privateImports: readonly string[],
    private readonly aliases: readonly GlobalAlias[],
    private readonly globals: GlobalDeclaration[],
  ) {
    this.names = new Set([...aliases.map((a) => a.name), ...globals.flatMap((g) => (g.name ? [g.name] : []))]);
  }

  /**
   * `declarations` is the cell's emitted .d.ts (every top-level name exported); `privateImports`
   * and `aliases` make its imports global.
   */
  static of(declarations: string, privateImports: readonly string[], aliases: readonly GlobalAlias[]): CellSummary {
    const file = ts.createSourceFile("summary.d.ts", declarations, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
    const moduleLevel: string[] = [];
    const globals: GlobalDeclaration[] = [];
    for (const statement of file.statements) {
      if (ts.isExportDeclaration(statement) || ts.isExportAssignment(statement)) continue;
      const fullText = statement.getFullText(file);
      if (ts.isImportDeclaration(statement) || ts.isImportEqualsDeclaration(statement) || isModuleAugmentation(statement)) {
        moduleLevel.push(fullText.trim());
      } else if (ts.isVariableStatement(statement)) {
        const list = statement.declarationList;
        const keyword = list.flags & ts.NodeFlags.Const ? "const" : list.flags & ts.NodeFlags.Let ? "let" : "var";
        const leading = fullText.slice(0, statement.getStart(file) - statement.pos);
        list.declarations.forEach((declaration, i) => {
          const name = ts.isIdentifier(declaration.name) ? declaration.name.text : undefined;
          globals.push({ name, text: `${i === 0 ? leading : "\n"}${keyword} ${declaration.getText(file)};` });
        });
      } else {
        const start = statement.getStart(file) - statement.pos;
        const body = fullText.slice(start).replace(/^export\s+/, "").replace(/^declare\s+/, "");
        if (/^default\b/.test(body)) continue;
        const name = (statement as ts.Statement & { name?: ts.Node }).name;
        globals.push({ name: name && ts.isIdentifier(name) ? name.text : undefined, text: fullText.slice(0, start) + body });
      }
    }
    return new CellSummary(moduleLevel, privateImports, aliases, globals);
  }

  /** The summary as a module augmenting the global scope, leaving out the names in `hidden`. */
  render(hidden: ReadonlySet<string>): string {
    const aliases = this.aliases.filter((a) => !hidden.has(a.name)).map((a) => a.text);
    const declarations = this.globals.filter((g) => g.name === undefined || !hidden.has(g.name)).map((g) => g.text.trim());
    return [
      ...this.moduleLevel,
      ...this.privateImports,
      "declare global {",
      ...aliases,
      ...declarations,
      "}",
      "export {};",
      "",
    ].join("\n");
  }
}

function isModuleAugmentation(statement: ts.Statement): boolean {
  return (
    ts.isModuleDeclaration(statement) &&
    (ts.isStringLiteral(statement.name) || (statement.flags & ts.NodeFlags.GlobalAugmentation) !== 0)
  );
}
