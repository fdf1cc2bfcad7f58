import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync, copyFileSync } from "node:fs";
import { homedir, totalmem } from "node:os";
import { join, resolve } from "node:path";

/**
 * Registers the kernel with Jupyter: writes kernel.json (and the logo) where `jupyter kernelspec
 * list` looks: the user's data dir (default), sys.prefix of Jupyter's Python, or any prefix.
 */
export interface InstallOptions {
  where: "user" | "sys-prefix" | "prefix";
  prefix?: string;
  name: string;
  displayName?: string;
  /** V8's old-space limit for the kernel, in MiB; by default three quarters of the machine's memory. */
  heapLimitMiB?: number;
}

const USAGE = `usage: tsprof install [--user | --sys-prefix | --prefix DIR] [--name NAME] [--display-name TEXT] [--heap-limit MIB]
       tsprof uninstall [--user | --sys-prefix | --prefix DIR] [--name NAME]`;

export function parseInstallArgs(args: string[]): InstallOptions {
  const options: InstallOptions = { where: "user", name: "tsprof" };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = () => {
      const next = args[++i];
      if (next === undefined) throw new Error(`${arg} needs a value\n${USAGE}`);
      return next;
    };
    if (arg === "--user") options.where = "user";
    else if (arg === "--sys-prefix") options.where = "sys-prefix";
    else if (arg === "--prefix") Object.assign(options, { where: "prefix", prefix: resolve(value()) });
    else if (arg.startsWith("--prefix=")) Object.assign(options, { where: "prefix", prefix: resolve(arg.slice(9)) });
    else if (arg === "--name") options.name = value();
    else if (arg === "--display-name") options.displayName = value();
    else if (arg === "--heap-limit") options.heapLimitMiB = heapLimit(value());
    else throw new Error(`unknown option ${arg}\n${USAGE}`);
  }
  if (!/^[A-Za-z0-9._-]+$/.test(options.name)) throw new Error(`--name ${options.name}: use letters, digits, '.', '_' or '-'`);
  return options;
}

function heapLimit(text: string): number {
  const mib = Number(text);
  if (!Number.isInteger(mib) || mib < 16) throw new Error(`--heap-limit ${text}: give a whole number of MiB, at least 16 (e.g. --heap-limit 8192)\n${USAGE}`);
  return mib;
}

/**
 * Node's own default is about 4 GiB whatever the machine has, so a notebook working on big data
 * dies with memory to spare; three quarters of the machine leaves room for everything else.
 */
export function defaultHeapLimitMiB(): number {
  return Math.floor((totalmem() / 2 ** 20) * 0.75);
}

export function kernelsDirectory(options: InstallOptions): string {
  if (options.where === "prefix") return join(options.prefix!, "share", "jupyter", "kernels");
  if (options.where === "sys-prefix") return join(jupyterSysPrefix(), "share", "jupyter", "kernels");
  const dataHome = process.platform === "darwin" ? join(homedir(), "Library", "Jupyter") : join(process.env.XDG_DATA_HOME || join(homedir(), ".local", "share"), "jupyter");
  return join(process.env.JUPYTER_DATA_DIR || dataHome, "kernels");
}

function jupyterSysPrefix(): string {
  for (const python of ["/usr/bin/python3", "python3", "python"]) {
    try {
      return execFileSync(python, ["-c", "import sys; print(sys.prefix)"], { encoding: "utf8" }).trim();
    } catch {
      continue;
    }
  }
  throw new Error("--sys-prefix: no python3 found to ask for sys.prefix; use --prefix DIR");
}

export function kernelSpec(name: string, displayName?: string, heapLimitMiB = defaultHeapLimitMiB()) {
  const cli = resolve(__dirname, "cli.js");
  return {
    argv: [process.execPath, `--max-old-space-size=${heapLimitMiB}`, cli, "kernel", "{connection_file}"],
    display_name: displayName ?? (name === "tsprof" ? "TypeScript (tsprof)" : `TypeScript (${name})`),
    language: "typescript",
    interrupt_mode: "message",
    metadata: { debugger: false },
  };
}

export function install(options: InstallOptions): string {
  const directory = join(kernelsDirectory(options), options.name);
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, "kernel.json"), `${JSON.stringify(kernelSpec(options.name, options.displayName, options.heapLimitMiB), null, 2)}\n`);
  const logo = resolve(__dirname, "..", "..", "kernel", "logo-64x64.png");
  if (existsSync(logo)) copyFileSync(logo, join(directory, "logo-64x64.png"));
  return directory;
}

export function uninstall(options: InstallOptions): string | undefined {
  const directory = join(kernelsDirectory(options), options.name);
  if (!existsSync(join(directory, "kernel.json"))) return undefined;
  rmSync(directory, { recursive: true, force: true });
  return directory;
}
