import { install, parseInstallArgs, uninstall } from "./install";

export async function main(args: string[]): Promise<number> {
  const directory = install(parseInstallArgs(args));
  process.stdout.write(`Installed the tsprof kernel in ${directory}\n`);
  return 0;
}

export const uninstallCommand = {
  async main(args: string[]): Promise<number> {
    const directory = uninstall(parseInstallArgs(args));
    process.stdout.write(directory ? `Removed ${directory}\n` : "No tsprof kernel installed there.\n");
    return 0;
  },
};
