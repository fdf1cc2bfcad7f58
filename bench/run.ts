import { readdirSync } from "node:fs";
import path from "node:path";

/**
 * `npm run bench`: every bench/<area> module's `run()`, one after another (each prints its own
 * figures), then a list of those that failed. `npm run bench -- kernel timeit` runs only those.
 */
async function main(only: string[]): Promise<number> {
  const self = path.basename(__filename);
  const areas = readdirSync(__dirname)
    .filter((file) => file.endsWith(".js") && file !== self)
    .map((file) => file.slice(0, -3))
    .filter((area) => only.length === 0 || only.includes(area))
    .sort();
  const failed: string[] = [];
  for (const area of areas) {
    const bench = (await import(path.join(__dirname, `${area}.js`))) as { run?: () => Promise<void> };
    if (typeof bench.run !== "function") continue;
    process.stdout.write(`\n=== ${area} ===\n`);
    try {
      await bench.run();
    } catch (error) {
      failed.push(area);
      process.stdout.write(`${area} failed: ${(error as Error)?.stack ?? error}\n`);
    }
  }
  if (failed.length) process.stdout.write(`\nfailed: ${failed.join(", ")}\n`);
  return failed.length ? 1 : 0;
}

main(process.argv.slice(2)).then((code) => (process.exitCode = code));
