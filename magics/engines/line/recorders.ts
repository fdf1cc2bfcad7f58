import { performance } from "node:perf_hooks";
import { RESET_SLACK_BYTES, type MemoryReader } from "./memory-reader";

/**
 * The two readers of the one instrumentation: what an instrumented function calls on its line
 * events. Each call gets a frame, and a line event closes the frame's previous line, so recursion
 * and interleaved async calls each keep their own current line (line_profiler semantics).
 *
 * Async functions and generators: a frame lives across `await`/`yield`, so the line that awaits
 * is charged the wall time until its function resumes, and meanwhile other code runs and is
 * charged to its own lines too (totals can exceed the run's wall time, as in line_profiler).
 */
export interface Recorder {
  /** Function entry: a new frame. */
  e(): Frame;
  /** Line event. */
  p(frame: Frame, line: number): void;
  /** Function exit (return or throw). */
  x(frame: Frame): void;
  /** `for…of` iterable wrapped so each `next()` is a header line event. */
  it<T>(frame: Frame, line: number, iterable: Iterable<T>): Iterable<T>;
}

export interface Frame {
  l: number;
  v: number;
  /** Memory reader only: index into the reset log when the current line started. */
  r: number;
}

class HeaderIterator<T> implements Iterator<T>, Iterable<T> {
  private readonly inner: Iterator<T>;
  constructor(
    private readonly recorder: Recorder,
    private readonly frame: Frame,
    private readonly line: number,
    iterable: Iterable<T>,
  ) {
    this.inner = iterable[Symbol.iterator]();
  }
  [Symbol.iterator](): this {
    return this;
  }
  next(): IteratorResult<T> {
    this.recorder.p(this.frame, this.line);
    return this.inner.next();
  }
  return(value?: unknown): IteratorResult<T> {
    return typeof this.inner.return === "function" ? this.inner.return(value) : { done: true, value: value as T };
  }
  throw(error?: unknown): IteratorResult<T> {
    if (typeof this.inner.throw === "function") return this.inner.throw(error);
    throw error;
  }
}

abstract class LineRecorder implements Recorder {
  readonly hits: Float64Array;
  calls = 0;
  constructor(
    readonly firstLine: number,
    lastLine: number,
  ) {
    this.hits = new Float64Array(lastLine - firstLine + 1);
  }
  abstract e(): Frame;
  abstract p(frame: Frame, line: number): void;
  abstract x(frame: Frame): void;
  it<T>(frame: Frame, line: number, iterable: Iterable<T>): Iterable<T> {
    return new HeaderIterator(this, frame, line, iterable);
  }
}

/** Hits and time per line; time in milliseconds from performance.now() (about 30 ns a reading). */
export class TimeRecorder extends LineRecorder {
  readonly time: Float64Array;
  constructor(firstLine: number, lastLine: number) {
    super(firstLine, lastLine);
    this.time = new Float64Array(lastLine - firstLine + 1);
  }
  e(): Frame {
    this.calls++;
    return { l: 0, v: 0, r: 0 };
  }
  p(frame: Frame, line: number): void {
    const now = performance.now();
    if (frame.l !== 0) this.time[frame.l - this.firstLine] += now - frame.v;
    this.hits[line - this.firstLine]++;
    frame.l = line;
    frame.v = now;
  }
  x(frame: Frame): void {
    const now = performance.now();
    if (frame.l !== 0) this.time[frame.l - this.firstLine] += now - frame.v;
    frame.l = 0;
  }
}

/**
 * One memory reader shared by every memory recorder of a run, plus the log of high-water marks
 * seen at each reset: a line that spans resets done by its callees' lines still sees their peaks.
 */
export class MemoryTracker {
  private readonly resetHighs: number[] = [];
  constructor(
    readonly reader: MemoryReader,
    readonly baseline: number,
  ) {}
  get resets(): number {
    return this.resetHighs.length;
  }
  /** Highest memory since the reset-log position `since`; resets the mark when it rose above `now`. */
  peakSince(since: number, now: number): number {
    let peak = this.reader.high();
    if (peak > now + RESET_SLACK_BYTES) {
      this.resetHighs.push(peak);
      this.reader.reset();
    }
    for (let i = since; i < this.resetHighs.length; i++) if (this.resetHighs[i] > peak) peak = this.resetHighs[i];
    return peak > now ? peak : now;
  }
}

/**
 * memory_profiler's columns per line, in bytes: Mem usage (largest RSS right after the line),
 * Increment (sum over occurrences of RSS after minus RSS before), Occurrences, and Peak (highest
 * RSS reached while the line ran, temporaries included). The function's first line stands for
 * the call: its Increment is the growth outside the function before each call (from the run's
 * baseline before the first one).
 */
export class MemoryRecorder extends LineRecorder {
  readonly usage: Float64Array;
  readonly increment: Float64Array;
  readonly peak: Float64Array;
  private lastExit: number;
  constructor(
    firstLine: number,
    lastLine: number,
    private readonly tracker: MemoryTracker,
  ) {
    super(firstLine, lastLine);
    const n = lastLine - firstLine + 1;
    this.usage = new Float64Array(n);
    this.increment = new Float64Array(n);
    this.peak = new Float64Array(n);
    this.lastExit = tracker.baseline;
  }
  e(): Frame {
    this.calls++;
    const now = this.tracker.reader.rss();
    this.charge(0, now, this.lastExit, this.tracker.peakSince(this.tracker.resets, now));
    return { l: 0, v: now, r: this.tracker.resets };
  }
  p(frame: Frame, line: number): void {
    const now = this.tracker.reader.rss();
    if (frame.l !== 0) this.charge(frame.l - this.firstLine, now, frame.v, this.tracker.peakSince(frame.r, now));
    else this.tracker.peakSince(frame.r, now);
    frame.l = line;
    frame.v = now;
    frame.r = this.tracker.resets;
  }
  x(frame: Frame): void {
    const now = this.tracker.reader.rss();
    if (frame.l !== 0) this.charge(frame.l - this.firstLine, now, frame.v, this.tracker.peakSince(frame.r, now));
    frame.l = 0;
    this.lastExit = now;
  }
  private charge(index: number, now: number, before: number, peak: number): void {
    this.hits[index]++;
    this.increment[index] += now - before;
    if (now > this.usage[index]) this.usage[index] = now;
    if (peak > this.peak[index]) this.peak[index] = peak;
  }
}
