import type { MagicContext } from "./types";

/**
 * IPython's expansion of shell and file lines: `$name` becomes the value of a notebook variable,
 * `{expr}` the value of a TypeScript expression, `$$` a literal `$`. Something that cannot be
 * evaluated is left as typed, as IPython does.
 */
export async function expandVariables(text: string, context: MagicContext): Promise<string> {
  const parts: string[] = [];
  let position = 0;
  const pattern = /\$\$|\$([A-Za-z_][\w]*)|\{([^{}]+)\}/g;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    parts.push(text.slice(position, match.index));
    position = match.index + match[0].length;
    if (match[0] === "$$") {
      parts.push("$");
      continue;
    }
    const expression = match[1] ?? match[2];
    try {
      const value = await context.evaluate(`(${expression})`);
      parts.push(value === undefined ? match[0] : String(value));
    } catch {
      parts.push(match[0]);
    }
  }
  parts.push(text.slice(position));
  return parts.join("");
}
