import { accessSync, appendFileSync, constants, existsSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, resolve } from "node:path";
import { UsageError } from "../kernel/execute/errors";
import { expandVariables } from "./expand";
import type { MagicDefinition } from "./types";

export const fileMagic: MagicDefinition = {
  name: "writefile",
  aliases: ["file"],
  line: false,
  cell: true,
  cellLine: "any",
  summary: "write the cell's body to a file",
  usage: "%%writefile [-a] filename",
  help: `Writes the body of the cell to a file ("Writing", "Overwriting" or "Appending to" it); the file
name may start with ~ and use $name / {expression}. A .ts module written this way can be imported
by the next cell, and is imported afresh after it is rewritten.`,
  options: [{ flag: "a", name: "append", type: "flag", help: "append to the file instead of overwriting it" }],
  async run(invocation, context) {
    let name = (await expandVariables(invocation.rest, context)).trim();
    if (!name) throw new UsageError("the following arguments are required: filename");
    if (/^(["']).*\1$/.test(name)) name = name.slice(1, -1);
    if (name === "~" || name.startsWith("~/")) name = homedir() + name.slice(1);
    const path = resolve(context.cwd, name);
    const folder = dirname(path);
    if (!existsSync(folder) || !statSync(folder).isDirectory()) {
      throw new Error(`%%writefile: the folder ${dirname(name) || "."} does not exist; nothing was written`);
    }
    const exists = existsSync(path);
    try {
      accessSync(exists ? path : folder, constants.W_OK);
    } catch {
      throw new Error(`%%writefile: ${name} is not writable; nothing was written`);
    }
    if (exists && statSync(path).isDirectory()) throw new Error(`%%writefile: ${name} is a folder; nothing was written`);
    const append = Boolean(invocation.options.append);
    context.stdout(`${!exists ? "Writing" : append ? "Appending to" : "Overwriting"} ${name}\n`);
    const body = invocation.body ?? "";
    const text = body.endsWith("\n") ? body : `${body}\n`;
    if (append) appendFileSync(path, text, "utf8");
    else writeFileSync(path, text, "utf8");
    return undefined;
  },
};
