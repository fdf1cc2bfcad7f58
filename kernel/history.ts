/** This session's cells, for history_request (tail, range, search), as IPython keeps them. */
export type HistoryEntry = [session: number, line: number, input: string];

const SESSION = 1;

export class History {
  private readonly cells: string[] = [];

  add(executionCount: number, source: string): void {
    this.cells[executionCount - 1] = source;
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
    let found = this.entries().filter(([, , input]) => regex.test(input));
    if (unique) {
      const seen = new Set<string>();
      found = found.reverse().filter(([, , input]) => !seen.has(input) && seen.add(input)).reverse();
    }
    return n > 0 ? found.slice(-n) : found;
  }
}
