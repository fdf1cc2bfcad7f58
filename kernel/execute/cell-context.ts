import { AsyncLocalStorage } from "node:async_hooks";
import type { Outbox } from "../outbox";
import type { Header, Message } from "../wire";

/**
 * The cell a piece of user code belongs to. Timers and promises started by a cell carry it along
 * (AsyncLocalStorage), so their output reaches that cell even after it has finished.
 */
export interface CellContext {
  readonly request: Message;
  readonly parent: Partial<Header>;
  readonly outbox: Outbox;
  readonly allowStdin: boolean;
  /** A silent request: its output is not published. */
  readonly silent: boolean;
}

const storage = new AsyncLocalStorage<CellContext>();
let latest: CellContext | undefined;

export function runInCell<T>(cell: CellContext, body: () => T): T {
  latest = cell;
  return storage.run(cell, body);
}

/** The cell whose code is running now; for callbacks that lost track, the latest cell. */
export function currentCell(): CellContext | undefined {
  return storage.getStore() ?? latest;
}
