import { UsageError } from "../kernel/execute/errors";
import type { LanguageFeatures, TypeCheckMode } from "../kernel/language-features";
import type { MagicDefinition } from "./types";

const MODES: TypeCheckMode[] = ["strict", "warn", "off"];

export function typecheckMagic(language: LanguageFeatures): MagicDefinition {
  return {
    name: "typecheck",
    line: true,
    cell: false,
    summary: "type errors block cells (strict), warn (default) or are not checked (off)",
    usage: "%typecheck [strict|warn|off]",
    help: `strict: a cell with type errors does not run and fails with them.
warn (default): the cell runs; its type errors are shown as a compact warning on stderr.
off: cells are not type-checked. Without an argument, prints the current mode.`,
    options: [],
    async run(invocation, context) {
      const mode = invocation.rest.trim();
      if (!mode) {
        context.stdout(`typecheck: ${language.mode}\n`);
        return undefined;
      }
      if (!MODES.includes(mode as TypeCheckMode)) {
        throw new UsageError(`%typecheck takes one of ${MODES.join(", ")}, got '${mode}'`);
      }
      language.mode = mode as TypeCheckMode;
      return undefined;
    },
  };
}
