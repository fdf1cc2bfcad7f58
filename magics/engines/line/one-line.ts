import * as acorn from "acorn";

/**
 * Puts JavaScript on one line without changing what it does, so an instrumented twin can sit on its
 * function's first line and every later line keeps its number. Line breaks between tokens become
 * spaces (the instrumenter has put a `;` before every statement, so no semicolon depended on them),
 * comments go, line continuations in strings go (they add nothing to the value), and a line
 * break inside a template literal becomes `\n` (the same string; only `String.raw` would see it).
 */
const LINE_BREAK = /\r\n|[\n\r\u2028\u2029]/g;

function escapeBreak(text: string): string {
  return text === "\u2028" ? "\\u2028" : text === "\u2029" ? "\\u2029" : "\\n";
}

export function oneLine(code: string): string {
  if (!/[\n\r\u2028\u2029]/.test(code)) return code;
  const pieces: Array<{ start: number; end: number; text: string }> = [];
  const tokens = acorn.tokenizer(code, {
    ecmaVersion: "latest",
    allowAwaitOutsideFunction: true,
    allowReturnOutsideFunction: true,
    allowSuperOutsideMethod: true,
    onComment(block, _text, start, end) {
      pieces.push({ start, end, text: block ? " " : "" });
    },
  });
  for (const token of tokens) {
    const raw = code.slice(token.start, token.end);
    if (!/[\n\r\u2028\u2029]/.test(raw)) continue;
    if (token.type === acorn.tokTypes.string) {
      pieces.push({ start: token.start, end: token.end, text: raw.replace(/\\(\r\n|[\n\r\u2028\u2029])/g, "").replace(LINE_BREAK, escapeBreak) });
    } else if (token.type === acorn.tokTypes.template || token.type === acorn.tokTypes.invalidTemplate) {
      pieces.push({ start: token.start, end: token.end, text: raw.replace(/\\(\r\n|[\n\r\u2028\u2029])/g, "").replace(LINE_BREAK, escapeBreak) });
    }
  }
  pieces.sort((a, b) => a.start - b.start);
  let out = "";
  let at = 0;
  for (const piece of pieces) {
    out += code.slice(at, piece.start).replace(LINE_BREAK, " ") + piece.text;
    at = piece.end;
  }
  return out + code.slice(at).replace(LINE_BREAK, " ");
}
