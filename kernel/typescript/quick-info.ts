import ts = require("typescript");

/** Quick info as plain text (signature, documentation, tags) and as Markdown with the signature highlighted. */
export function quickInfoText(info: ts.QuickInfo, definedIn: string | undefined): { text: string; markdown: string } {
  const signature = ts.displayPartsToString(info.displayParts);
  const documentation = ts.displayPartsToString(info.documentation);
  const tags = (info.tags ?? []).map((tag) => ({ name: tag.name, text: ts.displayPartsToString(tag.text) }));
  const where = definedIn ? `Defined in ${definedIn}` : undefined;

  const text = [
    signature,
    documentation,
    tags.map((tag) => `@${tag.name}${tag.text ? ` ${tag.text}` : ""}`).join("\n"),
    where,
  ].filter(Boolean);
  const markdown = [
    "```typescript\n" + signature + "\n```",
    documentation,
    tags.map((tag) => `*@${tag.name}*${tag.text ? ` ${tag.text}` : ""}`).join("  \n"),
    where && `*${where}*`,
  ].filter(Boolean);
  return { text: text.join("\n\n"), markdown: markdown.join("\n\n") };
}
