/**
 * Splits a cell into what runs as TypeScript and what is a magic. `%%name` on the first line makes
 * the whole cell a cell magic; elsewhere a line starting with `%name` or an assignment `const r = %name ...`
 * is a line magic, a line starting with `!command` a shell command; everything else is code, kept at its own line numbers.
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
/** `!cmd` at the start of a line (TypeScript statements practically never start with `!`; `!=` never does). */
const SHELL = /^\s*!(?!=)(.*)$/;

export function splitCell(source: string): Segment[] {
  const lines = source.split("\n");
  const cell = CELL_MAGIC.exec(lines[0] ?? "");
  if (cell) {
    const [, name, question, space, args] = cell;
    return [{ kind: "cell-magic", name: name + question, args, argsColumn: 2 + name.length + question.length + space.length, body: lines.slice(1).join("\n"), bodyLine: 2 }];
  }
  const segments: Segment[] = [];
  lines.forEach((text, index) => {
    const line = index + 1;
    const magic = LINE_MAGIC.exec(text);
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
      return;
    }
    const shell = SHELL.exec(text);
    if (shell) {
      segments.push({ kind: "shell", line, command: shell[1] });
      return;
    }
    const previous = segments[segments.length - 1];
    if (previous?.kind === "code") previous.lastLine = line;
    else segments.push({ kind: "code", firstLine: line, lastLine: line });
  });
  return segments;
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
