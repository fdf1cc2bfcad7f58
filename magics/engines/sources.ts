import { readFileSync } from "node:fs";

/**
 * Source text by file name, for reports that print the user's own lines. Notebook cells have no
 * file on disk, so the kernel registers each cell's TypeScript under its script name; files are
 * read from disk each time, so a file rewritten since it was loaded shows its current content.
 */
const registered = new Map<string, string>();

export function registerSource(fileName: string, text: string): void {
  registered.set(fileName, text);
}

export function sourceText(fileName: string): string | undefined {
  const known = registered.get(fileName);
  if (known !== undefined) return known;
  try {
    return readFileSync(fileName.startsWith("file://") ? new URL(fileName) : fileName, "utf8");
  } catch {
    return undefined;
  }
}

export function sourceLines(fileName: string): string[] | undefined {
  return sourceText(fileName)?.split(/\r?\n/);
}
