#!/usr/bin/env node
/**
 * `tsprof <command>`: the kernel Jupyter starts, its installer, and the profilers for scripts
 * (the chapter's command-line column).
 */
interface Subcommand {
  main(args: string[]): Promise<number>;
}

const subcommands: Record<string, { summary: string; load: () => Subcommand }> = {
  install: { summary: "register the kernel with Jupyter", load: () => require("./install-command") },
  uninstall: { summary: "remove the kernel from Jupyter", load: () => require("./install-command").uninstallCommand },
  kernel: { summary: "run the kernel (Jupyter does this: kernel CONNECTION_FILE)", load: () => ({ main: runKernel }) },
  prof: { summary: "call-tree profile of a script (like pyinstrument)", load: () => require("../magics/cli/prof") },
  lprof: { summary: "line-by-line time profile of chosen functions (like kernprof -l -v)", load: () => require("../magics/cli/lprof") },
  mprof: { summary: "line-by-line memory profile of chosen functions, with peaks (like memory_profiler)", load: () => require("../magics/cli/mprof") },
  run: { summary: "run a TypeScript or JavaScript script", load: () => require("../magics/cli/run") },
};

async function runKernel(args: string[]): Promise<number> {
  if (args.length !== 1) throw new Error("usage: tsprof kernel CONNECTION_FILE");
  (require("./main") as typeof import("./main")).startKernel(args[0]);
  return new Promise<number>(() => undefined);
}

function usage(): string {
  const lines = ["usage: tsprof <command> [options]", "", "commands:"];
  for (const [name, command] of Object.entries(subcommands)) lines.push(`  ${name.padEnd(10)} ${command.summary}`);
  return `${lines.join("\n")}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === "-h" || name === "--help") {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const command = subcommands[name];
  if (!command) {
    process.stderr.write(`tsprof: unknown command '${name}'\n${usage()}`);
    return 2;
  }
  return command.load().main(args);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    process.stderr.write(`tsprof: ${error.message}\n`);
    process.exitCode = 2;
  },
);
