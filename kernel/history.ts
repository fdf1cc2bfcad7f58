/** This session's cells, for history_request (tail, range, search), as IPython keeps them. */
export type HistoryEntry = [session: number, line: number, input: string | [input: string, output: string | null]];

const SESSION = 1;

export class History {
  private readonly cells: string[] = [];
  private readonly outputs: string[] = [];

  add(executionCount: number, source: string): void {
    this.cells[executionCount - 1] = source;
  }

  /** The text of the cell's result (Out[n]), for requests with `output: true`. */
  addOutput(executionCount: number, text: string): void {
    this.outputs[executionCount - 1] = text;
  }

  /** Entries as the request wants them: input only, or `[input, output]` pairs. */
  withOutput(entries: HistoryEntry[]): HistoryEntry[] {
    return entries.map(([session, line, input]) => [session, line, [input as string, this.outputs[line - 1] ?? null]]);
  }

  private entries(): HistoryEntry[] {
    const out: HistoryEntry[] = [];
    this.cells.forEach((source, index) => {
      if (source !== undefined) out.push([SESSION, index + 1, source]);
    });
    return out;
  }

  tail(n: number): HistoryEntry[] {
    return n > 0 ? this.entries().slice(-n) : [];
  }

  range(start: number, stop: number): HistoryEntry[] {
    return this.entries().filter(([, line]) => line >= start && (stop <= 0 || line < stop));
  }

  /** Glob search (`*` and `?`), newest last; `unique` drops repeated inputs. */
  search(pattern: string, n: number, unique: boolean): HistoryEntry[] {
    const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[\\s\\S]*").replace(/\?/g, "[\\s\\S]")}$`);
    let found = this.entries().filter(([, , input]) => regex.test(input as string));
    if (unique) {
      const seen = new Set<string>();
      found = found.reverse().filter(([, , input]) => !seen.has(input as string) && seen.add(input as string)).reverse();
    }
    return n > 0 ? found.slice(-n) : found;
  }
}
