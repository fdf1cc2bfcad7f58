import * as fs from "node:fs";
import * as v8 from "node:v8";
import { HighWaterMark } from "../memory/process-memory";

/**
 * The memory readings behind %mprun, taken at every line event (so each costs about 1 µs):
 * `rss()` is the resident set now, `high()` the highest it has been since the last `reset()`.
 *
 * Linux: RSS from a pread of /proc/self/statm on an open fd; the high-water mark from
 * getrusage's ru_maxrss (process.resourceUsage().maxRSS), which follows the VmHWM reset done by
 * writing "5" to /proc/self/clear_refs. ru_maxrss also remembers the peak of any thread that has
 * exited, which a reset cannot lower: when that shows, the high-water mark is read from
 * /proc/self/status instead (slower, still exact). Elsewhere: V8's heap plus external memory,
 * with no in-line peak (the peak is the larger of the readings around the line).
 */
export type MemoryMethod = "rss+hwm" | "rss+status-hwm" | "v8-heap";

export interface MemoryReader {
  readonly method: MemoryMethod;
  rss(): number;
  high(): number;
  reset(): void;
  close(): void;
}

const STATM_PAGE = 4096;
/** A line whose high-water exceeded RSS by less than this keeps the mark (saves a reset). */
export const RESET_SLACK_BYTES = 64 * 1024;

class LinuxReader implements MemoryReader {
  private readonly statm = Buffer.alloc(128);
  private constructor(
    readonly method: MemoryMethod,
    private readonly statmFd: number,
    private readonly clearRefsFd: number,
    private readonly status: HighWaterMark | undefined,
  ) {}

  static open(): LinuxReader | undefined {
    if (process.platform !== "linux") return undefined;
    let statmFd: number | undefined;
    let clearRefsFd: number | undefined;
    try {
      statmFd = fs.openSync("/proc/self/statm", "r");
      clearRefsFd = fs.openSync("/proc/self/clear_refs", "w");
      fs.writeSync(clearRefsFd, "5");
      const probe = new LinuxReader("rss+hwm", statmFd, clearRefsFd, undefined);
      if (probe.high() <= probe.rss() + 4 * 1024 * 1024) return probe;
      const status = HighWaterMark.open();
      if (!status) throw new Error("no /proc/self/status");
      return new LinuxReader("rss+status-hwm", statmFd, clearRefsFd, status);
    } catch {
      if (statmFd !== undefined) fs.closeSync(statmFd);
      if (clearRefsFd !== undefined) fs.closeSync(clearRefsFd);
      return undefined;
    }
  }

  rss(): number {
    const bytes = this.statm;
    fs.readSync(this.statmFd, bytes, 0, 128, 0);
    let i = 0;
    while (bytes[i] !== 32) i++;
    let pages = 0;
    for (i++; bytes[i] !== 32; i++) pages = pages * 10 + bytes[i] - 48;
    return pages * STATM_PAGE;
  }

  high(): number {
    if (this.status) return this.status.read()?.hwm ?? 0;
    return process.resourceUsage().maxRSS * 1024;
  }

  reset(): void {
    fs.writeSync(this.clearRefsFd, "5");
  }

  close(): void {
    fs.closeSync(this.statmFd);
    fs.closeSync(this.clearRefsFd);
    this.status?.close();
  }
}

class HeapReader implements MemoryReader {
  readonly method = "v8-heap" as const;
  rss(): number {
    const heap = v8.getHeapStatistics();
    return heap.used_heap_size + heap.external_memory;
  }
  high(): number {
    return 0;
  }
  reset(): void {}
  close(): void {}
}

export function openMemoryReader(): MemoryReader {
  return LinuxReader.open() ?? new HeapReader();
}

export function describeMemoryMethod(method: MemoryMethod): string {
  switch (method) {
    case "rss+hwm":
      return "RSS from /proc/self/statm; Peak from the kernel's high-water mark (getrusage), reset after each line that rose above RSS";
    case "rss+status-hwm":
      return "RSS from /proc/self/statm; Peak from VmHWM in /proc/self/status (getrusage remembers an exited thread's peak)";
    case "v8-heap":
      return "V8 heap + external memory (no process RSS on this platform); Peak is the larger reading around each line";
  }
}
