import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync, copyFileSync } from "node:fs";
import { homedir } from "node:os";
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
}

const USAGE = `usage: tsprof install [--user | --sys-prefix | --prefix DIR] [--name NAME] [--display-name TEXT]
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
    else throw new Error(`unknown option ${arg}\n${USAGE}`);
  }
  if (!/^[A-Za-z0-9._-]+$/.test(options.name)) throw new Error(`--name ${options.name}: use letters, digits, '.', '_' or '-'`);
  return options;
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

export function kernelSpec(name: string, displayName?: string) {
  const cli = resolve(__dirname, "cli.js");
  return {
    argv: [process.execPath, cli, "kernel", "{connection_file}"],
    display_name: displayName ?? (name === "tsprof" ? "TypeScript (tsprof)" : `TypeScript (${name})`),
    language: "typescript",
    interrupt_mode: "message",
    metadata: { debugger: false },
  };
}

export function install(options: InstallOptions): string {
  const directory = join(kernelsDirectory(options), options.name);
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, "kernel.json"), `${JSON.stringify(kernelSpec(options.name, options.displayName), null, 2)}\n`);
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
