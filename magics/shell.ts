import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { KeyboardInterrupt } from "../kernel/execute/errors";
import { expandVariables } from "./expand";
import type { MagicContext, MagicDefinition } from "./types";
import { Promise, process, setTimeout } from "../kernel/intrinsics";

/** bash when there is one (the chapter's `!time node script.js` needs its `time` keyword). */
const defaultShell = process.env.SHELL && existsSync(process.env.SHELL) ? process.env.SHELL : existsSync("/bin/bash") ? "/bin/bash" : "/bin/sh";

/** Process groups of the shell commands running now: ended with the kernel, which they no longer share a group with. */
const runningGroups = new Set<number>();
process.on("exit", () => {
  for (const group of runningGroups) signalGroup(group, "SIGKILL");
});

function signalGroup(group: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-group, signal);
  } catch {
    // The whole group has exited already.
  }
}

/**
 * Runs a command, streaming its output as it comes; a non-zero exit status is reported. The shell
 * leads a process group of its own, so an interrupt (by signal or by interrupt_request) stops every
 * process the command started, as Ctrl-C in a terminal does, not only the shell.
 */
export function runShell(shell: string, script: string, context: MagicContext): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(shell, ["-c", script], { cwd: context.cwd, stdio: ["ignore", "pipe", "pipe"], detached: true });
    child.stdout.setEncoding("utf8").on("data", (text: string) => context.stdout(text));
    child.stderr.setEncoding("utf8").on("data", (text: string) => context.stderr(text));
    const group = child.pid;
    if (group !== undefined) runningGroups.add(group);
    const onAbort = () => {
      if (group === undefined) return;
      signalGroup(group, "SIGINT");
      setTimeout(() => runningGroups.has(group) && signalGroup(group, "SIGKILL"), 500).unref();
    };
    context.signal.addEventListener("abort", onAbort, { once: true });
    child.on("error", (error) => {
      context.signal.removeEventListener("abort", onAbort);
      reject(new Error(`cannot run ${shell}: ${error.message}`));
    });
    // An interrupted command ends when its shell does, even if a process that left the group still
    // holds the output pipes open.
    child.on("exit", () => {
      if (context.signal.aborted) reject(new KeyboardInterrupt());
    });
    child.on("close", (code, signal) => {
      if (group !== undefined) runningGroups.delete(group);
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
