import { UsageError } from "../kernel/execute/errors";
import { CellScanner } from "./cell-scanner";

/**
 * Splits a cell into what runs as TypeScript and what is a magic. `%%name` on the first line makes
 * the whole cell a cell magic. Elsewhere only a line that starts a statement at the cell's top level
 * (outside any string, template, comment, bracket or unfinished expression) can be a magic or shell
 * line: `%name …` or `const r = %name …` is a line magic; `!…` is a shell command unless what follows
 * the `!` is JavaScript: a name the notebook or JavaScript defines (`!items.includes(0)`,
 * `!Array.isArray(x)`), or `(`, `[`, `!`. Everything else is code, kept at its own line numbers.
 */
export type Segment =
  | { kind: "code"; firstLine: number; lastLine: number }
  | { kind: "line-magic"; line: number; column: number; name: string; args: string; argsColumn: number; assign?: Assignment }
  | { kind: "shell"; line: number; command: string }
  | { kind: "cell-magic"; name: string; args: string; argsColumn: number; body: string; bodyLine: number };

export interface Assignment {
  /** `const`, `let`, `var`, or "" for a plain assignment. */
  keyword: string;
  target: string;
}

const CELL_MAGIC = /^%%([A-Za-z_][\w-]*)(\??)([ \t]*)(.*)$/;
const LINE_MAGIC = /^(\s*)(?:(?:(const|let|var)\s+)?([A-Za-z_$][\w$]*)\s*=\s*)?%([A-Za-z_][\w-]*\??)(?=\s|$)(\s*)(.*)$/;
/** `!…` at the start of a line; `!=` never starts a statement. */
const SHELL = /^\s*!(?!=)(.*)$/;
/** What after the `!` makes the line JavaScript: `(`, `[`, `!`, or the name it starts with. */
const CODE_AFTER_BANG = /^\s*(?:[([!]|([A-Za-z_$][\w$]*))/;

/** Is `name` defined for the cell (declared by an earlier cell, or a global such as `Array`)? */
export type NameLookup = (name: string) => boolean;

const globalName: NameLookup = (name) => name in globalThis;

export function splitCell(source: string, isDefined: NameLookup = globalName): Segment[] {
  const lines = source.split("\n");
  const cell = CELL_MAGIC.exec(lines[0] ?? "");
  if (cell) {
    const [, name, question, space, args] = cell;
    return [{ kind: "cell-magic", name: name + question, args, argsColumn: 2 + name.length + question.length + space.length, body: lines.slice(1).join("\n"), bodyLine: 2 }];
  }
  const segments: Segment[] = [];
  const scanner = new CellScanner();
  lines.forEach((text, index) => {
    const line = index + 1;
    const start = scanner.lineStart();
    const magic = start === "inside" ? null : LINE_MAGIC.exec(text);
    if (magic && start === "block") {
      throw new UsageError(
        `%${magic[4]} on line ${line} stands inside a block: a magic line must start a statement at the cell's top level (not inside a block, function or bracket). Put the magic in a cell line of its own, or call the library form (import { timeit } from "tsprof").`,
      );
    }
    if (magic) {
      const [, indent, keyword, target, name, space, args] = magic;
      const prefixLength = text.length - args.length - space.length - name.length - 1;
      segments.push({
        kind: "line-magic",
        line,
        column: indent.length,
        name,
        args,
        argsColumn: prefixLength + 1 + name.length + space.length,
        assign: target ? { keyword: keyword ?? "", target } : undefined,
      });
      scanner.skipLine();
      return;
    }
    const shell = start === "top" ? SHELL.exec(text) : null;
    if (shell && !isCode(shell[1], (name) => scanner.declared.has(name) || isDefined(name))) {
      segments.push({ kind: "shell", line, command: shell[1] });
      scanner.skipLine();
      return;
    }
    scanner.feed(text);
    const previous = segments[segments.length - 1];
    if (previous?.kind === "code") previous.lastLine = line;
    else segments.push({ kind: "code", firstLine: line, lastLine: line });
  });
  return segments;
}

function isCode(afterBang: string, isDefined: NameLookup): boolean {
  const match = CODE_AFTER_BANG.exec(afterBang);
  return match !== null && (match[1] === undefined || isDefined(match[1]));
}

/** The cell with every line outside [first, last] blanked, so code keeps its line numbers. */
export function linesOnly(source: string, first: number, last: number): string {
  return source
    .split("\n")
    .map((text, index) => (index + 1 >= first && index + 1 <= last ? text : ""))
    .join("\n");
}

/** `text` placed at a line and column of an otherwise empty script. */
export function placeAt(text: string, at: { line: number; column: number }): string {
  return "\n".repeat(Math.max(0, at.line - 1)) + " ".repeat(Math.max(0, at.column)) + text;
}
