/**
 * Where a position in switched code was in the code as written. The switches keep every line
 * where it was, but the line a twin sits on has other columns, and an error thrown inside a twin
 * (while its function is profiled) is reported by V8 on that line. Tracebacks are mapped back
 * through the chunks of source each output was assembled from.
 */
export interface Chunk {
  /** Offset in the output. */
  out: number;
  /** Offset in the source. */
  source: number;
  length: number;
  /** Generated code that calls a twin: its stack frame is the profiler's, not the user's. */
  twinCall?: boolean;
}

interface PositionMap {
  outLineStarts: number[];
  sourceLineStarts: number[];
  /** Sorted by `out`. */
  chunks: Chunk[];
}

const maps = new Map<string, PositionMap>();

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

function lastAtOrBefore<T>(list: T[], value: number, key: (item: T) => number): number {
  let low = 0;
  let high = list.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (key(list[mid]) <= value) low = mid;
    else high = mid - 1;
  }
  return low;
}

export function registerPositions(file: string, source: string, output: string, chunks: Chunk[]): void {
  maps.set(file, { outLineStarts: lineStarts(output), sourceLineStarts: lineStarts(source), chunks });
}

/** 1-based line and column, as V8 reports them; undefined where nothing moved. */
export function originalPosition(file: string, line: number, column: number): { line: number; column: number; twinCall: boolean } | undefined {
  const map = maps.get(file);
  if (!map || line < 1 || line > map.outLineStarts.length) return undefined;
  const offset = map.outLineStarts[line - 1] + column - 1;
  const chunk = map.chunks[lastAtOrBefore(map.chunks, offset, (c) => c.out)];
  if (!chunk || chunk.out > offset) return undefined;
  const source = chunk.source + Math.min(offset - chunk.out, chunk.length);
  const sourceLine = lastAtOrBefore(map.sourceLineStarts, source, (s) => s);
  return { line: sourceLine + 1, column: source - map.sourceLineStarts[sourceLine] + 1, twinCall: chunk.twinCall === true };
}

const FRAME_POSITION = /([^\s()]+):(\d+):(\d+)(?=\)?$)/;

/**
 * A stack trace with every position in switched code put back where it was written, and without
 * the frames of a function calling its own twin, so it reads as it would without the profiler.
 */
export function mapStackTrace(stack: string): string {
  if (maps.size === 0) return stack;
  const lines: string[] = [];
  for (const line of stack.split("\n")) {
    const match = /^\s+at /.test(line) ? FRAME_POSITION.exec(line) : null;
    const at = match ? originalPosition(match[1], Number(match[2]), Number(match[3])) : undefined;
    if (!at) lines.push(line);
    else if (!at.twinCall) lines.push(line.replace(FRAME_POSITION, `${match![1]}:${at.line}:${at.column}`));
  }
  return lines.join("\n");
}
