import { performance } from "node:perf_hooks";
import { sourceLines } from "../sources";
import { fullGc, MiB } from "../memory/process-memory";
import { openMemoryReader } from "./memory-reader";
import type { FunctionBlock, LineProfileData, MemoryFunction, MemoryProfileData, TimedFunction } from "./model";
import { switchOnTargets, type ProfiledFunction, type Switching } from "./switch-on";
import { MemoryRecorder, MemoryTracker, TimeRecorder, type Recorder } from "./recorders";
import type { LineTarget } from "./targets";

/**
 * The run itself, shared by both readers: switch the targets on, run (awaiting a promise), always
 * switch them off, and keep the partial data when the run throws or is interrupted (the caller
 * shows the report, then the error: line_profiler loses it).
 */
export interface RunOutcome<T> {
  data: T;
  /** What `run` returned (awaited). */
  value?: unknown;
  /** What `run` threw, when `failed`. */
  error?: unknown;
  failed: boolean;
  /** Milliseconds spent switching the targets on, then off. */
  switchMs: number;
  offMs: number;
}

type Run = () => unknown;

/** A profile in progress: the targets run instrumented until `finish()` switches them off. */
export interface Recording<T> {
  finish(): { data: T; offMs: number };
  switchMs: number;
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
  const { data, offMs } = recording.finish();
  return { data, value, error, failed, switchMs: recording.switchMs, offMs };
}

/** The user's own lines (TypeScript for cells and .ts files), blank where the source is gone. */
function lineTexts(fn: ProfiledFunction<Recorder>): string[] {
  const lines = sourceLines(fn.file) ?? [];
  return Array.from({ length: fn.lastLine - fn.firstLine + 1 }, (_, i) => lines[fn.firstLine - 1 + i] ?? "");
}

function block(fn: ProfiledFunction<Recorder>, calls: number): FunctionBlock {
  return { name: fn.name, label: fn.label, file: fn.file, firstLine: fn.firstLine, lastLine: fn.lastLine, calls, timed: true };
}

export function timedFunctions(list: ProfiledFunction<TimeRecorder>[]): TimedFunction[] {
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

export function memoryFunctions(list: ProfiledFunction<MemoryRecorder>[]): MemoryFunction[] {
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
  const switching = switchOnTargets(targets, (first, last) => new TimeRecorder(first, last));
  const started = performance.now();
  return {
    switchMs: switching.switchMs,
    finish() {
      const wallTime = (performance.now() - started) / 1e3;
      const offMs = switching.off();
      return { data: { functions: timedFunctions(switching.functions), wallTime, notes: [] }, offMs };
    },
  };
}

export function startMemoryRecording(targets: LineTarget[]): Recording<MemoryProfileData> {
  const reader = openMemoryReader();
  let switching: Switching<MemoryRecorder>;
  let baseline: number;
  try {
    fullGc();
    baseline = reader.rss();
    reader.reset();
    const tracker = new MemoryTracker(reader, baseline);
    switching = switchOnTargets(targets, (first, last) => new MemoryRecorder(first, last, tracker));
  } catch (error) {
    reader.close();
    throw error;
  }
  return {
    switchMs: switching.switchMs,
    finish() {
      const offMs = switching.off();
      reader.close();
      return { data: { functions: memoryFunctions(switching.functions), method: reader.method, baseline: baseline / MiB, notes: [] }, offMs };
    },
  };
}

