/**
 * Reads a cell line by line as TypeScript's tokenizer would, just enough to tell where each line
 * starts: at the start of a statement at the cell's top level, at the start of a statement inside a
 * block, or inside something (a string, template, comment, bracket, or an unfinished expression).
 * Only the first kind of line may be a magic or shell line.
 */
export type LineStart = "top" | "block" | "inside";

/** What the last token leaves: nothing yet, a finished statement or expression, or an expression to go on. */
type Previous = "none" | "ends" | "continues";

const IDENTIFIER = /[A-Za-z_$\u0080-\uffff][\w$\u0080-\uffff]*/y;
const NUMBER = /(?:0[xXoObB][\da-fA-F_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?)n?/y;
/** Words after which an expression must go on (a `/` after them starts a regular expression). */
const CONTINUING_WORDS = new Set([
  "typeof", "void", "delete", "new", "in", "instanceof", "of", "await", "yield", "extends", "case", "do", "else",
  "return", "throw", "as", "satisfies", "keyof", "is", "export", "default", "import", "from",
]);
const DECLARING_WORDS = new Set(["const", "let", "var", "function", "class", "enum", "namespace", "import", "as"]);

export class CellScanner {
  /** Open brackets, innermost last: `(`, `[`, `{`, `${` (a template's expression) or `` ` `` (inside a template's text). */
  private readonly open: string[] = [];
  private previous: Previous = "none";
  private previousWord = "";
  private inBlockComment = false;
  /** A string continued onto the next line by a trailing backslash. */
  private openQuote: string | undefined;
  /** Names the cell declares so far (`const x`, `function f`, `import fs`, `as ns`). */
  readonly declared = new Set<string>();

  lineStart(): LineStart {
    if (this.inBlockComment || this.openQuote || this.open[this.open.length - 1] === "`") return "inside";
    if (this.previous === "continues") return "inside";
    if (this.open.length === 0) return "top";
    return this.open[this.open.length - 1] === "{" ? "block" : "inside";
  }

  /** Inside a template's text, a string or a comment, where a line break is part of the text. */
  inText(): boolean {
    return this.inBlockComment || this.openQuote !== undefined || this.open[this.open.length - 1] === "`";
  }

  /** A line taken as a magic or shell line: a statement that ends with it. */
  skipLine(): void {
    this.previous = "ends";
    this.previousWord = "";
  }

  feed(line: string): void {
    let i = 0;
    const n = line.length;
    while (i < n) {
      if (this.inBlockComment) {
        const end = line.indexOf("*/", i);
        if (end < 0) return;
        this.inBlockComment = false;
        i = end + 2;
        continue;
      }
      if (this.openQuote) {
        i = this.string(line, i, this.openQuote);
        continue;
      }
      if (this.open[this.open.length - 1] === "`") {
        i = this.templateText(line, i);
        continue;
      }
      const c = line[i];
      if (c === " " || c === "\t" || c === "\r") {
        i++;
      } else if (c === "/" && line[i + 1] === "/") {
        return;
      } else if (c === "/" && line[i + 1] === "*") {
        this.inBlockComment = true;
        i += 2;
      } else if (c === "'" || c === '"') {
        i = this.string(line, i + 1, c);
      } else if (c === "`") {
        this.open.push("`");
        i++;
      } else if (c === "/" && this.regexMayStart()) {
        i = this.regex(line, i + 1);
      } else if (c === "(" || c === "[" || c === "{") {
        this.open.push(c);
        this.token(c === "{" ? "ends" : "continues");
        i++;
      } else if (c === ")" || c === "]" || c === "}") {
        const closed = this.open.pop();
        this.token("ends");
        i++;
        if (closed === "${") this.open.push("`");
      } else if (c === ";") {
        this.token("ends");
        i++;
      } else if ((c === "+" || c === "-") && line[i + 1] === c) {
        this.token(this.previous === "ends" ? "ends" : "continues");
        i += 2;
      } else if (/[\d.]/.test(c) && (NUMBER.lastIndex = i, NUMBER.test(line)) && NUMBER.lastIndex > i + (c === "." ? 1 : 0)) {
        i = NUMBER.lastIndex;
        this.token("ends");
      } else if ((IDENTIFIER.lastIndex = i, IDENTIFIER.test(line))) {
        const word = line.slice(i, IDENTIFIER.lastIndex);
        i = IDENTIFIER.lastIndex;
        const afterDot = this.previousWord === ".";
        if (DECLARING_WORDS.has(this.previousWord) && !CONTINUING_WORDS.has(word)) this.declared.add(word);
        this.token(!afterDot && CONTINUING_WORDS.has(word) ? "continues" : "ends", word);
      } else {
        this.token("continues", c);
        i++;
      }
    }
  }

  private token(kind: Previous, word = ""): void {
    this.previous = kind;
    this.previousWord = word;
  }

  private regexMayStart(): boolean {
    return this.previous !== "ends" || CONTINUING_WORDS.has(this.previousWord);
  }

  /** From just after the opening quote; returns the index after the closing one (or the line's end). */
  private string(line: string, i: number, quote: string): number {
    while (i < line.length) {
      const c = line[i];
      if (c === "\\") {
        if (i + 1 >= line.length) {
          this.openQuote = quote;
          return line.length;
        }
        i += 2;
      } else if (c === quote) {
        this.openQuote = undefined;
        this.token("ends");
        return i + 1;
      } else {
        i++;
      }
    }
    this.openQuote = undefined;
    this.token("ends");
    return i;
  }

  private templateText(line: string, i: number): number {
    while (i < line.length) {
      const c = line[i];
      if (c === "\\") i += 2;
      else if (c === "`") {
        this.open.pop();
        this.token("ends");
        return i + 1;
      } else if (c === "$" && line[i + 1] === "{") {
        this.open.pop();
        this.open.push("${");
        this.token("continues");
        return i + 2;
      } else i++;
    }
    return i;
  }

  private regex(line: string, i: number): number {
    let inClass = false;
    while (i < line.length) {
      const c = line[i];
      if (c === "\\") i += 2;
      else if (c === "[") (inClass = true), i++;
      else if (c === "]") (inClass = false), i++;
      else if (c === "/" && !inClass) {
        i++;
        while (i < line.length && /\w/.test(line[i])) i++;
        break;
      } else i++;
    }
    this.token("ends");
    return i;
  }
}
