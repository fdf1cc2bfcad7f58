import { UsageError } from "../kernel/execute/errors";
import { helpText } from "./options";
import { allMagics, lookupMagic } from "./registry";
import type { MagicDefinition } from "./types";

export const lsmagicMagic: MagicDefinition = {
  name: "lsmagic",
  line: true,
  cell: false,
  summary: "list the available magics",
  usage: "%lsmagic",
  help: "Lists every line and cell magic with a one-line summary. `%name?` shows one magic's help.",
  options: [],
  async run(_invocation, context) {
    const magics = allMagics();
    const names = (kind: "line" | "cell") =>
      magics.filter((m) => m[kind]).flatMap((m) => [m.name, ...(m.aliases ?? [])]).sort().map((n) => (kind === "line" ? `%${n}` : `%%${n}`));
    const lines = ["Available line magics:", names("line").join("  "), "", "Available cell magics:", names("cell").join("  "), ""];
    for (const magic of magics) lines.push(`${magic.usage.padEnd(44)} ${magic.summary}`);
    context.stdout(`${lines.join("\n")}\n`);
    return undefined;
  },
};

/** Extensions whose features tsprof always has, so notebooks ported from Python keep working. */
const BUILT_IN_EXTENSIONS = new Set(["line_profiler", "memory_profiler"]);

export const loadExtMagic: MagicDefinition = {
  name: "load_ext",
  aliases: ["reload_ext"],
  line: true,
  cell: false,
  summary: "accepted for line_profiler and memory_profiler (always loaded)",
  usage: "%load_ext line_profiler | memory_profiler",
  help: "The line and memory profilers are built in; loading them is accepted and does nothing.",
  options: [],
  async run(invocation) {
    const name = invocation.rest.trim();
    if (!name) throw new UsageError("Missing module name.");
    if (!BUILT_IN_EXTENSIONS.has(name)) {
      throw new UsageError(`No extension named '${name}'. Built in: ${[...BUILT_IN_EXTENSIONS].join(", ")} (always loaded).`);
    }
    return undefined;
  },
};

export const magicHelpMagic: MagicDefinition = {
  name: "magic",
  line: true,
  cell: false,
  summary: "help on one magic (%magic name), or on all",
  usage: "%magic [name]",
  help: "Shows the help of the named magic, or of every magic.",
  options: [],
  async run(invocation, context) {
    const name = invocation.rest.trim().replace(/^%+/, "");
    if (!name) {
      context.stdout(allMagics().map(helpText).join("\n"));
      return undefined;
    }
    const magic = lookupMagic(name);
    if (!magic) throw new UsageError(`Magic \`%${name}\` not found.`);
    context.stdout(helpText(magic));
    return undefined;
  },
};
