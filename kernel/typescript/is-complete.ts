import { parse } from "acorn";

export type Completeness = { status: "complete" } | { status: "invalid" } | { status: "incomplete"; indent: string };

interface ParseError extends Error {
  pos?: number;
}

const UNFINISHED_TOKEN = /(=>|[-+*/%&|^!~<>=?:,.(\[{]|\b(?:let|const|var|return|else|new|typeof|await|in|of|instanceof|extends|implements))$/;
const OPENS_BLOCK = /[(\[{]$|=>$/;
const INDENT_UNIT = "  ";

/**
 * Whether a cell typed so far is a whole program (run it), unfinished (the console adds a line) or
 * wrong. Cheap enough for the kernel's own thread: sucrase strips the types (it is loaded anyway to
 * run cells) and acorn parses the rest; an error at the very end of the text, an unterminated
 * template or comment, or a last token that needs more (`=>`, `+`, `,`) means "incomplete".
 */
export function isComplete(source: string): Completeness {
  if (/^\s*[%!]/.test(source)) return { status: "complete" };
  const text = source.replace(/\s+$/, "");
  if (!text) return { status: "complete" };
  const error = syntaxError(text);
  if (!error) return { status: "complete" };
  const atEnd = error.pos !== undefined && error.pos >= error.length;
  if (atEnd || /Unterminated (template|comment)/.test(error.message) || UNFINISHED_TOKEN.test(text)) {
    return { status: "incomplete", indent: nextIndent(text) };
  }
  return { status: "invalid" };
}

function syntaxError(text: string): { message: string; pos?: number; length: number } | undefined {
  const { transform } = require("sucrase") as typeof import("sucrase");
  let js: string;
  try {
    js = transform(text, { transforms: ["typescript", "imports"], disableESTransforms: true }).code;
  } catch (error) {
    const e = error as ParseError;
    return { message: e.message, pos: e.pos, length: text.length };
  }
  try {
    parse(js, { ecmaVersion: "latest", sourceType: "script", allowAwaitOutsideFunction: true, allowHashBang: true });
    return undefined;
  } catch (error) {
    const e = error as ParseError;
    return { message: e.message, pos: e.pos, length: js.replace(/\s+$/, "").length };
  }
}

function nextIndent(text: string): string {
  const lastLine = text.slice(text.lastIndexOf("\n") + 1);
  const indent = /^\s*/.exec(lastLine)![0];
  return OPENS_BLOCK.test(lastLine) ? indent + INDENT_UNIT : indent;
}
