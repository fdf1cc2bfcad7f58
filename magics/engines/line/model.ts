import type { MemoryMethod } from "./memory-reader";

/** Plain data out of the line profilers; the renderers turn it into text and HTML. */

export interface FunctionBlock {
  /** The function's own name (or the label when anonymous). */
  name: string;
  /** The expression the user gave (`obj.method`). */
  label: string;
  /** `In[3]` for a cell, a path for a file. */
  file: string;
  firstLine: number;
  lastLine: number;
  calls: number;
  /** Always true: every line is timed (kept for the renderers' older untimed case). */
  timed: boolean;
}

export interface TimedLine {
  line: number;
  text: string;
  hits: number;
  /** Seconds. */
  time: number;
}

export interface TimedFunction extends FunctionBlock {
  /** Seconds: the sum of the line times. */
  totalTime: number;
  lines: TimedLine[];
}

export interface LineProfileData {
  functions: TimedFunction[];
  /** Seconds the whole run took (wall). */
  wallTime: number;
  notes: string[];
}

export interface MemoryLine {
  line: number;
  text: string;
  occurrences: number;
  /** MiB: largest RSS right after the line. */
  usage: number;
  /** MiB: summed change across the line's occurrences. */
  increment: number;
  /** MiB: highest RSS while the line ran. */
  peak: number;
}

export interface MemoryFunction extends FunctionBlock {
  lines: MemoryLine[];
}

export interface MemoryProfileData {
  functions: MemoryFunction[];
  method: MemoryMethod;
  /** MiB of RSS after a full gc, before the run. */
  baseline: number;
  notes: string[];
}
