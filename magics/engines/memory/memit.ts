import * as v8 from "node:v8";
import { performance } from "node:perf_hooks";
import { fullGc, HighWaterMark, MiB, descendantPids, rssOfProcesses, v8Memory, type V8Memory } from "./process-memory";
import { UsageError } from "../usage-error";
import { rssSampler } from "./rss-sampler";
import { Promise, clearTimeout, process, setTimeout } from "../../../kernel/intrinsics";

/**
 * %memit's engine: the peak memory of running a statement, measured exactly where Linux lets us
 * (gc, baseline, reset VmHWM, run, read VmHWM: temporaries included however short they live), or
 * by a 1 ms sampler thread elsewhere. Beside the process peak it reports what V8 saw, so a JS user
 * can tell a heap peak (objects, arrays) from an ArrayBuffer/external one (typed arrays, Buffers).
 */

export type MemitMethod = "hwm" | "sampler";

export interface MemitOptions {
  /** Number of measured runs; the peak is the largest over them (memory_profiler's `-r`). */
  repeat?: number;
  /** Seconds: no new run starts after this, and an awaited run that has not settled by then fails. */
  timeout?: number;
  /** Sampling interval in seconds for the sampler method (and for children with `includeChildren`). */
  interval?: number;
  /** Add the RSS of child processes (sampled: they have their own high-water marks). */
  includeChildren?: boolean;
  /** "auto" (default) takes the exact high-water mark when available, else the sampler. */
  method?: MemitMethod | "auto";
}

export interface MemitRun {
  /** Peak RSS during the run, MiB (children added when asked). */
  peak: number;
  /** Peak summed RSS of child processes, MiB. */
  childrenPeak: number;
  /** Largest V8 heap use seen (at each GC and at the end) minus the baseline's, MiB. */
  heapPeak: number;
  /** Largest external memory seen (ArrayBuffer backing stores included) minus the baseline's, MiB. */
  externalPeak: number;
  /** ArrayBuffer memory at the end of the run minus the baseline's, MiB (garbage not yet collected counts). */
  arrayBuffersAtEnd: number;
  /** Samples taken by the sampler thread (0 with the exact method and no children). */
  samples: number;
  seconds: number;
}

export interface MemitData {
  /** Per-run peaks, MiB: memory_profiler's `mem_usage`. */
  memUsage: number[];
  /** RSS after a full gc before the first run, MiB (children added when asked). */
  baseline: number;
  repeat: number;
  timeout: number | undefined;
  interval: number;
  includeChildren: boolean;
  method: MemitMethod;
  runs: MemitRun[];
}

export class MemitUsageError extends UsageError {
  override name = "MemitUsageError";
}

export class MemitTimeoutError extends Error {
  override name = "MemitTimeoutError";
}

const DEFAULT_SAMPLER_INTERVAL = 0.001;
const SETTLE_WAIT_MS = 3;
/** The unmapping starts a few ms after the GC (measured: 5-11 ms), so wait for a steady stretch. */
const SETTLE_STEADY_WAITS = 4;
const SETTLE_MAX_WAITS = 40;
const SETTLE_TOLERANCE_BYTES = MiB / 2;

let highWaterMark: HighWaterMark | null | undefined;

/** The exact method, if this process may use it (checked once). */
function openHighWaterMark(): HighWaterMark | undefined {
  if (highWaterMark === undefined) highWaterMark = HighWaterMark.open() ?? null;
  return highWaterMark ?? undefined;
}

function checkOptions(options: MemitOptions): Required<Omit<MemitOptions, "timeout">> & { timeout?: number } {
  const repeat = options.repeat ?? 1;
  if (!Number.isInteger(repeat) || repeat < 1) {
    throw new MemitUsageError(`repeat must be a whole number of runs, 1 or more (got ${String(options.repeat)})`);
  }
  const timeout = options.timeout === undefined || options.timeout <= 0 ? undefined : options.timeout;
  if (timeout !== undefined && !Number.isFinite(timeout)) {
    throw new MemitUsageError(`timeout must be a number of seconds (got ${String(options.timeout)}); 0 or less means none`);
  }
  const interval = options.interval ?? DEFAULT_SAMPLER_INTERVAL;
  if (!(interval > 0) || !Number.isFinite(interval)) {
    throw new MemitUsageError(`interval must be a positive number of seconds (got ${String(options.interval)})`);
  }
  const method = options.method ?? "auto";
  if (!["auto", "hwm", "sampler"].includes(method)) {
    throw new MemitUsageError(`method must be "auto", "hwm" or "sampler" (got ${String(options.method)})`);
  }
  return { repeat, timeout, interval, includeChildren: options.includeChildren ?? false, method };
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === "object" || typeof value === "function") &&
    typeof (value as { then?: unknown }).then === "function"
  );
}

async function settle(value: unknown, deadline: number | undefined): Promise<void> {
  if (!isPromiseLike(value)) return;
  if (deadline === undefined) {
    await value;
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    const left = Math.max(0, deadline - performance.now());
    timer = setTimeout(
      () => reject(new MemitTimeoutError(`the statement had not finished after the ${(left / 1000).toFixed(3)} s timeout`)),
      left,
    );
  });
  try {
    await Promise.race([value, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A full gc, then a short wait until RSS has stopped falling: V8 frees ArrayBuffer backing stores and
 * unmaps heap pages on background threads after a GC, and a baseline taken before they finish is
 * too high (one run of a 763 MiB temporary then "increased" by only 404 MiB).
 */
async function collectAndSettle(): Promise<void> {
  fullGc();
  let rss = process.memoryUsage.rss();
  let steady = 0;
  for (let i = 0; i < SETTLE_MAX_WAITS && steady < SETTLE_STEADY_WAITS; i++) {
    await new Promise((resolve) => setTimeout(resolve, SETTLE_WAIT_MS));
    const now = process.memoryUsage.rss();
    steady = rss - now < SETTLE_TOLERANCE_BYTES ? steady + 1 : 0;
    rss = now;
  }
}

function toMiB(bytes: number): number {
  return bytes / MiB;
}

/** Largest V8 heap and external use seen by the GCs that ran, and at the end. */
function v8Peaks(gcs: v8.GCProfilerResult | undefined, atEnd: V8Memory): { heap: number; external: number } {
  let heap = atEnd.heapUsed;
  let external = atEnd.external;
  for (const gc of gcs?.statistics ?? []) {
    heap = Math.max(heap, gc.beforeGC.heapStatistics.usedHeapSize);
    external = Math.max(external, gc.beforeGC.heapStatistics.externalMemory);
  }
  return { heap, external };
}

export async function measureMemit(run: () => unknown, options: MemitOptions = {}): Promise<MemitData> {
  if (typeof run !== "function") {
    throw new MemitUsageError(`memit needs a function to run (got ${run === null ? "null" : typeof run})`);
  }
  const { repeat, timeout, interval, includeChildren, method: wanted } = checkOptions(options);
  const mark = wanted === "sampler" ? undefined : openHighWaterMark();
  if (wanted === "hwm" && !mark) {
    throw new MemitUsageError(
      'method "hwm" needs a writable /proc/self/clear_refs (Linux); use "auto" or "sampler" here',
    );
  }
  const sampler = !mark || includeChildren ? rssSampler() : undefined;
  const deadline = timeout === undefined ? undefined : performance.now() + timeout * 1000;

  await collectAndSettle();
  const childRssAtStart = includeChildren ? rssOfProcesses(descendantPids()) : 0;
  const baselineBytes = process.memoryUsage.rss() + childRssAtStart;
  const runs: MemitRun[] = [];
  for (let i = 0; i < repeat; i++) {
    if (i > 0 && deadline !== undefined && performance.now() >= deadline) break;
    if (i > 0) await collectAndSettle();
    const before = v8Memory();
    const gcProfiler = new v8.GCProfiler();
    gcProfiler.start();
    mark?.reset();
    sampler?.start(interval * 1000, includeChildren);
    const started = performance.now();
    let gcs: v8.GCProfilerResult | undefined;
    let sampled;
    let hwm: number | undefined;
    try {
      await settle(run(), deadline);
    } finally {
      hwm = mark?.read()?.hwm;
      sampled = sampler?.stop();
      gcs = gcProfiler.stop();
    }
    const seconds = (performance.now() - started) / 1000;
    const after = v8Memory();
    const seen = v8Peaks(gcs, after);
    const selfPeak = hwm ?? Math.max(sampled?.maxRss ?? 0, process.memoryUsage.rss());
    const childrenPeak = sampled?.maxChildrenRss ?? 0;
    runs.push({
      peak: toMiB(selfPeak + childrenPeak),
      childrenPeak: toMiB(childrenPeak),
      heapPeak: toMiB(seen.heap - before.heapUsed),
      externalPeak: toMiB(seen.external - before.external),
      arrayBuffersAtEnd: toMiB(after.arrayBuffers - before.arrayBuffers),
      samples: sampled?.samples ?? 0,
      seconds,
    });
  }
  return {
    memUsage: runs.map((r) => r.peak),
    baseline: toMiB(baselineBytes),
    repeat,
    timeout,
    interval,
    includeChildren,
    method: mark ? "hwm" : "sampler",
    runs,
  };
}
