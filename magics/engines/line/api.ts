import { LineProfileResult, type LineReportOptions } from "../../render/line-report";
import { MemoryProfileResult } from "../../render/memory-report";
import { runRecording, startLineRecording, startMemoryRecording } from "./profile";
import { asTargets, type LineTarget } from "./targets";

/**
 * The line profilers as the magics and scripts call them.
 *
 *   const { result, error } = await lineProfile([countCommon], () => countCommon(a, b));
 *   result.show();                       // line_profiler's text; in a notebook the value renders as HTML
 *
 *   const profiler = startLineProfile(countCommon);   // switched on until stop()
 *   countCommon(a, b); countCommon(c, d);
 *   profiler.stop().show();
 *
 * Both always switch the functions back off. When `run` throws (or is interrupted) the outcome still
 * carries the report of what ran, with `failed` and `error` set: show it, then rethrow.
 */
export interface ProfileOutcome<T> {
  result: T;
  /** What `run` returned (awaited when it was a promise). */
  value?: unknown;
  error?: unknown;
  failed: boolean;
  /** Milliseconds spent switching the functions on, then off. */
  switchMs: number;
  offMs: number;
}

type Targets = Array<Function | LineTarget>;

export async function lineProfile(
  targets: Targets,
  run: () => unknown,
  options: LineReportOptions = {},
): Promise<ProfileOutcome<LineProfileResult>> {
  const outcome = await runRecording(startLineRecording(asTargets(targets)), run);
  return { ...outcome, result: new LineProfileResult(outcome.data, options) };
}

export async function memoryProfile(targets: Targets, run: () => unknown): Promise<ProfileOutcome<MemoryProfileResult>> {
  const outcome = await runRecording(startMemoryRecording(asTargets(targets)), run);
  return { ...outcome, result: new MemoryProfileResult(outcome.data) };
}

export interface LineProfiler {
  /** Switches the functions off and returns the report (calling it again returns the same report). */
  stop(): LineProfileResult;
}

export interface MemoryProfiler {
  stop(): MemoryProfileResult;
}

export function startLineProfile(...targets: Targets): LineProfiler {
  const recording = startLineRecording(asTargets(targets));
  let result: LineProfileResult | undefined;
  return { stop: () => (result ??= new LineProfileResult(recording.finish().data)) };
}

export function startMemoryProfile(...targets: Targets): MemoryProfiler {
  const recording = startMemoryRecording(asTargets(targets));
  let result: MemoryProfileResult | undefined;
  return { stop: () => (result ??= new MemoryProfileResult(recording.finish().data)) };
}
