import * as fs from "node:fs";
import * as v8 from "node:v8";
import * as vm from "node:vm";
import { Buffer, process } from "../../../kernel/intrinsics";

/** Readers of the process's own memory, each chosen for what it costs and what it sees (FINDINGS §5). */

export const MiB = 1024 * 1024;

let collectGarbage: (() => void) | undefined;

/**
 * A full garbage collection, so garbage left by earlier code does not hide (or pad) what the
 * measured code allocates. `gc` is exposed once without restarting node.
 */
export function fullGc(): void {
  if (!collectGarbage) {
    const existing = (globalThis as { gc?: () => void }).gc;
    if (typeof existing === "function") collectGarbage = existing;
    else {
      v8.setFlagsFromString("--expose-gc");
      collectGarbage = vm.runInNewContext("gc") as () => void;
    }
  }
  collectGarbage();
}

export interface StatusMemory {
  /** Resident set size now, bytes. */
  rss: number;
  /** Highest resident set size since start or since the last high-water reset, bytes. */
  hwm: number;
}

const statusBytes = new Uint8Array(8192);

function readProcStatus(path: string, fd?: number): StatusMemory | undefined {
  let own = fd;
  try {
    if (own === undefined) own = fs.openSync(path, "r");
    const n = fs.readSync(own, statusBytes, 0, statusBytes.length, 0);
    const text = Buffer.from(statusBytes.buffer, 0, n).toString("latin1");
    const rss = /VmRSS:\s+(\d+) kB/.exec(text);
    const hwm = /VmHWM:\s+(\d+) kB/.exec(text);
    if (!rss || !hwm) return undefined;
    return { rss: Number(rss[1]) * 1024, hwm: Number(hwm[1]) * 1024 };
  } catch {
    return undefined;
  } finally {
    if (fd === undefined && own !== undefined) fs.closeSync(own);
  }
}

/**
 * The Linux high-water mark: writing "5" to /proc/self/clear_refs resets VmHWM to the current RSS,
 * and VmHWM then holds the exact peak, temporaries included, with no sampling at all.
 * `open()` returns undefined where the kernel or the container does not allow it.
 */
export class HighWaterMark {
  private constructor(
    private readonly statusFd: number,
    private readonly clearRefsFd: number,
  ) {}

  static open(): HighWaterMark | undefined {
    if (process.platform !== "linux") return undefined;
    let statusFd: number | undefined;
    try {
      statusFd = fs.openSync("/proc/self/status", "r");
      const clearRefsFd = fs.openSync("/proc/self/clear_refs", "w");
      fs.writeSync(clearRefsFd, "5");
      const mark = new HighWaterMark(statusFd, clearRefsFd);
      if (!mark.read()) {
        mark.close();
        return undefined;
      }
      return mark;
    } catch {
      if (statusFd !== undefined) fs.closeSync(statusFd);
      return undefined;
    }
  }

  reset(): void {
    fs.writeSync(this.clearRefsFd, "5");
  }

  read(): StatusMemory | undefined {
    return readProcStatus("/proc/self/status", this.statusFd);
  }

  close(): void {
    fs.closeSync(this.statusFd);
    fs.closeSync(this.clearRefsFd);
  }
}

/** Process ids of every living descendant of `pid` (children, grandchildren, ...), from /proc. */
export function descendantPids(pid: number = process.pid): number[] {
  const parentOf = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc");
  } catch {
    return [];
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "latin1");
      // The command name may contain spaces and parentheses: fields start after the last ")".
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const siblings = parentOf.get(ppid) ?? [];
      siblings.push(Number(entry));
      parentOf.set(ppid, siblings);
    } catch {
      // The process ended while we looked.
    }
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of parentOf.get(queue.pop()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** Summed RSS of the given processes, bytes; processes that ended meanwhile count 0. */
export function rssOfProcesses(pids: number[]): number {
  let total = 0;
  for (const pid of pids) total += readProcStatus(`/proc/${pid}/status`)?.rss ?? 0;
  return total;
}

/** What V8 itself holds: the JS heap, and memory outside it (ArrayBuffer backing stores, strings' externals). */
export interface V8Memory {
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

export function v8Memory(): V8Memory {
  const usage = process.memoryUsage();
  return { heapUsed: usage.heapUsed, external: usage.external, arrayBuffers: usage.arrayBuffers };
}
