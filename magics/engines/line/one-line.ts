import type * as acorn from "acorn";

/**
 * Slices of a file's JavaScript put on one line without changing what they do, so an instrumented
 * twin can sit on its function's first line and every later line keeps its number. Line breaks
 * between tokens become spaces (the instrumenter puts a `;` before every statement and class
 * member, so no semicolon depended on them), comments go, line continuations in strings go (they
 * add nothing to the value), and a line break inside a template literal becomes `\n` (the same
 * string; only `String.raw` would see the difference). What needs care is noted from the parse.
 */
const LINE_BREAK = /\r\n|[\n\r\u2028\u2029]/g;
const HAS_LINE_BREAK = /[\n\r\u2028\u2029]/;
const CONTINUATION = /\\(\r\n|[\n\r\u2028\u2029])/g;

type Special = { start: number; end: number; text: string };

function escapeBreak(text: string): string {
  return text === "\u2028" ? "\\u2028" : text === "\u2029" ? "\\u2029" : "\\n";
}

export class OneLine {
  /** Comments and literals spanning a line break, by start offset. */
  private readonly specials: Special[] = [];
  private sorted = true;
  private fields = false;

  constructor(private readonly js: string) {}

  /** A class field ends here: a `;` keeps it apart from the next member. */
  noteFieldEnd(end: number): void {
    this.fields = true;
    this.add({ start: end, end, text: ";" });
  }

  noteComment(block: boolean, start: number, end: number): void {
    this.add({ start, end, text: block ? " " : "" });
  }

  /** A string Literal or TemplateElement node. */
  noteLiteral(node: acorn.Node): void {
    const raw = this.js.slice(node.start, node.end);
    if (typeof (node as acorn.Literal).value !== "string" && node.type === "Literal") return;
    if (HAS_LINE_BREAK.test(raw)) this.add({ start: node.start, end: node.end, text: raw.replace(CONTINUATION, "").replace(LINE_BREAK, escapeBreak) });
  }

  private add(special: Special): void {
    const last = this.specials[this.specials.length - 1];
    if (last && last.start > special.start) this.sorted = false;
    this.specials.push(special);
  }

  /**
   * `js.slice(start, end)` on one line (slices start and end between tokens). `copied` hears of
   * each run of source kept, by its offset in the result and in `js`.
   */
  slice(start: number, end: number, copied: (outOffset: number, sourceOffset: number, length: number) => void): string {
    const text = this.js.slice(start, end);
    if (!this.fields && !HAS_LINE_BREAK.test(text) && !text.includes("//") && !text.includes("/*")) {
      copied(0, start, text.length);
      return text;
    }
    if (!this.sorted) {
      this.specials.sort((a, b) => a.start - b.start);
      this.sorted = true;
    }
    let out = "";
    let at = start;
    let first = 0;
    for (let step = this.specials.length; step > 0; step >>= 1) {
      while (first + step <= this.specials.length && this.specials[first + step - 1].start < start) first += step;
    }
    const keep = (until: number) => {
      copied(out.length, at, until - at);
      out += this.js.slice(at, until).replace(LINE_BREAK, (lineBreak) => " ".repeat(lineBreak.length));
    };
    for (let i = first; i < this.specials.length; i++) {
      const special = this.specials[i];
      if (special.start >= end) break;
      keep(special.start);
      out += special.text;
      at = special.end;
    }
    keep(end);
    return out;
  }
}
