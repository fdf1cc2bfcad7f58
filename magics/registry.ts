import { UsageError } from "../kernel/execute/errors";
import type { MagicDefinition } from "./types";

/** The one registry of magics, by name and alias. */
const magics = new Map<string, MagicDefinition>();

export function registerMagic(magic: MagicDefinition): void {
  for (const name of [magic.name, ...(magic.aliases ?? [])]) magics.set(name, magic);
}

export function allMagics(): MagicDefinition[] {
  return [...new Set(magics.values())].sort((a, b) => a.name.localeCompare(b.name));
}

export function lookupMagic(name: string): MagicDefinition | undefined {
  return magics.get(name);
}

/** The magic for `%name` or `%%name`, or IPython's UsageError for a missing one. */
export function findMagic(name: string, mode: "line" | "cell"): MagicDefinition {
  const magic = magics.get(name);
  if (magic && (mode === "line" ? magic.line : magic.cell)) return magic;
  if (mode === "line") {
    const hint = magic?.cell ? ` (But cell magic \`%%${name}\` exists, did you mean that instead?)` : "";
    throw new UsageError(`Line magic function \`%${name}\` not found${hint}.`);
  }
  const hint = magic?.line ? ` (But line magic \`%${name}\` exists, did you mean that instead?)` : "";
  throw new UsageError(`Cell magic \`%%${name}\` not found${hint}.`);
}
