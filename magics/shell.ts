import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { KeyboardInterrupt } from "../kernel/execute/errors";
import { expandVariables } from "./expand";
import type { MagicContext, MagicDefinition } from "./types";
import { Promise, process, setTimeout } from "../kernel/intrinsics";

/** bash when there is one (the chapter's `!time node script.js` needs its `time` keyword). */
const defaultShell = process.env.SHELL && existsSync(process.env.SHELL) ? process.env.SHELL : existsSync("/bin/bash") ? "/bin/bash" : "/bin/sh";

/** Runs a command, streaming its output as it comes; a non-zero exit status is reported. */
export function runShell(shell: string, script: string, context: MagicContext): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(shell, ["-c", script], { cwd: context.cwd, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.setEncoding("utf8").on("data", (text: string) => context.stdout(text));
    child.stderr.setEncoding("utf8").on("data", (text: string) => context.stderr(text));
    const onAbort = () => {
      child.kill("SIGINT");
      setTimeout(() => child.kill("SIGKILL"), 500).unref();
    };
    context.signal.addEventListener("abort", onAbort, { once: true });
    child.on("error", (error) => {
      context.signal.removeEventListener("abort", onAbort);
      reject(new Error(`cannot run ${shell}: ${error.message}`));
    });
    child.on("close", (code, signal) => {
      context.signal.removeEventListener("abort", onAbort);
      if (context.signal.aborted) return reject(new KeyboardInterrupt());
      const status = code ?? 128 + (signal === "SIGKILL" ? 9 : signal === "SIGINT" ? 2 : 15);
      if (status !== 0) context.stderr(`[exit status ${status}]\n`);
      resolve(status);
    });
  });
}

export const systemMagic: MagicDefinition = {
  name: "system",
  aliases: ["sx"],
  line: true,
  cell: false,
  summary: "run a shell command (also written `!command`)",
  usage: "!command   or   %system command",
  help: `Runs the command in ${defaultShell}, in the notebook's directory, streaming its output live.
$name and {expression} are replaced by the values of TypeScript variables and expressions ($$ is a
literal $). A non-zero exit status is reported.`,
  options: [],
  async run(invocation, context) {
    await runShell(defaultShell, await expandVariables(invocation.rest, context), context);
    return undefined;
  },
};

function scriptMagic(name: string, shell: string): MagicDefinition {
  return {
    name,
    line: false,
    cell: true,
    cellLine: "none",
    summary: `run the cell with ${shell}`,
    usage: `%%${name}`,
    help: `Runs the cell's body as a ${shell} script in the notebook's directory, streaming its output live.`,
    options: [],
    async run(invocation, context) {
      await runShell(shell, invocation.body ?? "", context);
      return undefined;
    },
  };
}

export const bashMagic = scriptMagic("bash", "/bin/bash");
export const shMagic = scriptMagic("sh", "/bin/sh");
