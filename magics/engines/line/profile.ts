import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { sourceLines } from "../sources";
import { fullGc, MiB } from "../memory/process-memory";
import { openMemoryReader } from "./memory-reader";
import type { FunctionBlock, LineProfileData, MemoryFunction, MemoryProfileData, TimedFunction } from "./model";
import { patchTargets, type InstrumentedFunction, type Patch } from "./patch";
import { MemoryRecorder, MemoryTracker, TimeRecorder, type Recorder } from "./recorders";
import type { LineTarget } from "./targets";

/**
 * The run itself, shared by both readers: patch, run (awaiting a promise), always restore, and
 * keep the partial data when the run throws or is interrupted (the caller shows the report, then
 * the error: line_profiler loses it).
 */
export interface RunOutcome<T> {
  data: T;
  /** What `run` returned (awaited). */
  value?: unknown;
  /** What `run` threw, when `failed`. */
  error?: unknown;
  failed: boolean;
  patchMs: number;
  restoreMs: number;
}

type Run = () => unknown;

/** A profile in progress: the targets run instrumented until `finish()` puts the originals back. */
export interface Recording<T> {
  finish(): { data: T; restoreMs: number };
  patchMs: number;
}

export async function runRecording<T>(recording: Recording<T>, run: Run): Promise<RunOutcome<T>> {
  let value: unknown;
  let error: unknown;
  let failed = false;
  try {
    value = run();
    if (value !== null && typeof value === "object" && typeof (value as PromiseLike<unknown>).then === "function") {
      value = await value;
    }
  } catch (thrown) {
    error = thrown;
    failed = true;
  }
  const { data, restoreMs } = recording.finish();
  return { data, value, error, failed, patchMs: recording.patchMs, restoreMs };
}

function displayFile(url: string): string {
  return url.startsWith("file://") ? fileURLToPath(url) : url;
}

/** The user's own lines (TypeScript for cells and .ts files), else the script's JavaScript. */
function lineTexts(fn: InstrumentedFunction<Recorder>): string[] {
  const ts = sourceLines(displayFile(fn.url)) ?? sourceLines(fn.url);
  if (ts && ts.length >= fn.lastLine) return ts.slice(fn.firstLine - 1, fn.lastLine);
  return fn.jsLines;
}

function block(fn: InstrumentedFunction<Recorder>, calls: number): FunctionBlock {
  return {
    name: fn.name,
    label: fn.label,
    file: displayFile(fn.url),
    firstLine: fn.firstLine,
    lastLine: fn.lastLine,
    calls,
    patch: fn.method,
    timed: fn.timed,
  };
}

export function timedFunctions(list: InstrumentedFunction<TimeRecorder>[]): TimedFunction[] {
  return list.map((fn) => {
    const lines = lineTexts(fn).map((text, i) => ({
      line: fn.firstLine + i,
      text,
      hits: fn.recorder.hits[i],
      time: fn.recorder.time[i] / 1e3,
    }));
    return { ...block(fn, fn.recorder.calls), totalTime: lines.reduce((sum, l) => sum + l.time, 0), lines };
  });
}

export function memoryFunctions(list: InstrumentedFunction<MemoryRecorder>[]): MemoryFunction[] {
  return list.map((fn) => {
    const r = fn.recorder;
    const lines = lineTexts(fn).map((text, i) => ({
      line: fn.firstLine + i,
      text,
      occurrences: r.hits[i],
      usage: r.usage[i] / MiB,
      increment: r.increment[i] / MiB,
      peak: r.peak[i] / MiB,
    }));
    return { ...block(fn, r.calls), lines };
  });
}

export function startLineRecording(targets: LineTarget[]): Recording<LineProfileData> {
  const patch = patchTargets(targets, (first, last) => new TimeRecorder(first, last));
  const started = performance.now();
  return {
    patchMs: patch.patchMs,
    finish() {
      const wallTime = (performance.now() - started) / 1e3;
      const restoreMs = patch.restore();
      return { data: { functions: timedFunctions(patch.functions), wallTime, notes: patch.notes }, restoreMs };
    },
  };
}

export function startMemoryRecording(targets: LineTarget[]): Recording<MemoryProfileData> {
  const reader = openMemoryReader();
  let patch: Patch<MemoryRecorder>;
  let baseline: number;
  try {
    fullGc();
    baseline = reader.rss();
    reader.reset();
    const tracker = new MemoryTracker(reader, baseline);
    patch = patchTargets(targets, (first, last) => new MemoryRecorder(first, last, tracker));
  } catch (error) {
    reader.close();
    throw error;
  }
  return {
    patchMs: patch.patchMs,
    finish() {
      const restoreMs = patch.restore();
      reader.close();
      return { data: { functions: memoryFunctions(patch.functions), method: reader.method, baseline: baseline / MiB, notes: patch.notes }, restoreMs };
    },
  };
}

