import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";

/**
 * Node cannot survive reaching its heap limit: it aborts. So that the user learns why, the kernel
 * has Node write a diagnostic report on a fatal error, and the next kernel started in the same
 * directory reads it and says what happened, in its first cell's output.
 */
function reportDirectory(): string {
  return join(tmpdir(), `tsprof-fatal-${userInfo().uid}`);
}

/** Arms the report for this process. */
export function reportFatalErrors(): void {
  const directory = reportDirectory();
  mkdirSync(directory, { recursive: true });
  process.report.reportOnFatalError = true;
  process.report.directory = directory;
}

interface FatalReport {
  header?: { event?: string; cwd?: string; processId?: number };
  javascriptHeap?: { memoryLimit?: number };
}

/** The notice about a kernel of this directory that died of a fatal error (its report is removed), if any. */
export function takeFatalNotice(cwd: string): string | undefined {
  const directory = reportDirectory();
  let files: string[];
  try {
    files = readdirSync(directory).filter((name) => name.endsWith(".json"));
  } catch {
    return undefined;
  }
  const notices: string[] = [];
  for (const name of files.sort()) {
    const file = join(directory, name);
    let report: FatalReport;
    try {
      report = JSON.parse(readFileSync(file, "utf8")) as FatalReport;
    } catch {
      continue;
    }
    if (report.header?.cwd !== cwd) continue;
    rmSync(file, { force: true });
    const limit = report.javascriptHeap?.memoryLimit;
    const event = report.header.event ?? "a fatal error";
    const heap = /heap/i.test(event) && limit
      ? ` at its heap limit of ${Math.round(limit / 2 ** 20)} MiB. Raise the limit with \`tsprof install --heap-limit MIB\` (or --max-old-space-size in kernel.json), or use less memory.`
      : ".";
    notices.push(`tsprof: the previous kernel (pid ${report.header.processId}) died: ${event}${heap}\n`);
  }
  return notices.length ? notices.join("") : undefined;
}
