import * as path from "node:path";
import { Worker } from "node:worker_threads";
import { isComplete, type Completeness } from "./is-complete";
import type { CommittedCell, Completion, Diagnostic, Inspection, Operation, ReplyMessage, Replies, Requests } from "./protocol";
import { Promise } from "../intrinsics";

export type { Completeness } from "./is-complete";
export type { Completion, CompletionType, Diagnostic, Inspection } from "./protocol";

/** A call with a wrong argument, or the TypeScript worker failing. */
export class TypeScriptServiceError extends Error {
  override name = "TypeScriptServiceError";
}

const CACHED_CHECKS = 256;
/** A cell importing a local file is always checked again: the file may have changed meanwhile. */
const LOCAL_IMPORT = /["'`]\.{1,2}[/\\]/;

interface CachedCheck {
  cell: string;
  diagnostics: Promise<Diagnostic[]>;
}

/**
 * Type checking, completion and quick info for notebook cells, from TypeScript 5.9's language
 * service in a worker thread started at first use (or by `warmUp()`), so the kernel's own thread
 * never loads TypeScript. Cells committed before the worker starts are replayed to it.
 */
export class TypeScriptService {
  private readonly cwd: string;
  private worker: Worker | undefined;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private nextId = 1;
  private sent = 0;
  private readonly history: CommittedCell[] = [];
  /** Each distinct committed text gets an id; the history as ids keys the check cache. */
  private readonly textIds = new Map<string, number>();
  private readonly historyIds: number[] = [];
  private readonly checks = new Map<string, CachedCheck>();

  constructor(options: { cwd: string }) {
    if (typeof options?.cwd !== "string" || !options.cwd) {
      throw new TypeScriptServiceError(`TypeScriptService needs { cwd: string } (the notebook's directory), got ${JSON.stringify(options)}`);
    }
    this.cwd = path.resolve(options.cwd);
  }

  /** Requests sent to the worker so far (a cached check sends none). */
  get workerRequests(): number {
    return this.sent;
  }

  /**
   * Syntax and type errors of a cell about to run, given every committed cell. The same text
   * against the same history answers from a cache (the same array for the same cell name).
   */
  check(cellName: string, source: string): Promise<Diagnostic[]> {
    checkCellName(cellName);
    checkSource(source);
    if (LOCAL_IMPORT.test(source)) return this.checkInWorker(cellName, source);
    const key = this.checkKey(source);
    const cached = this.checks.get(key);
    if (cached) {
      this.checks.delete(key);
      this.checks.set(key, cached);
      if (cached.cell === cellName) return cached.diagnostics;
      return cached.diagnostics.then((diagnostics) => diagnostics.map((d) => ({ ...d, cell: cellName })));
    }
    const entry = { cell: cellName, diagnostics: this.checkInWorker(cellName, source) };
    entry.diagnostics.catch(() => this.checks.get(key) === entry && this.checks.delete(key));
    this.checks.set(key, entry);
    if (this.checks.size > CACHED_CHECKS) this.checks.delete(this.checks.keys().next().value!);
    return entry.diagnostics;
  }

  /**
   * The cell ran: its top-level declarations, with their types, are seen by later cells (the
   * latest declaration of a name wins). Never rejects for a worker failure: a restarted worker
   * gets the whole history again.
   */
  async commit(cellName: string, source: string): Promise<void> {
    checkCellName(cellName);
    checkSource(source);
    this.history.push({ name: cellName, source });
    let id = this.textIds.get(source);
    if (id === undefined) this.textIds.set(source, (id = this.textIds.size + 1));
    this.historyIds.push(id);
    if (this.worker) await this.request("commit", { name: cellName, source }).catch(() => undefined);
  }

  complete(source: string, cursorOffset: number): Promise<Completion> {
    checkSource(source);
    checkCursor(source, cursorOffset);
    return this.request("complete", { source, cursor: cursorOffset });
  }

  /** Signature and documentation of the symbol at (or just before) the cursor. */
  inspect(source: string, cursorOffset: number, detailLevel = 0): Promise<Inspection> {
    checkSource(source);
    checkCursor(source, cursorOffset);
    return this.request("inspect", { source, cursor: cursorOffset, detailLevel });
  }

  /** Synchronous and cheap (no TypeScript): runs in the kernel's thread. */
  isComplete(source: string): Completeness {
    checkSource(source);
    return isComplete(source);
  }

  /**
   * Starts the worker and type-checks a small cell in it, so the first real request is fast.
   * Never rejects (it is called in the background): a failure shows at the next real request.
   */
  warmUp(): Promise<void> {
    return this.request("warmUp", {}).then(
      () => undefined,
      () => undefined,
    );
  }

  async dispose(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.failPending(new TypeScriptServiceError("the TypeScript service was disposed"));
    if (worker) await worker.terminate();
  }

  private checkInWorker(cellName: string, source: string): Promise<Diagnostic[]> {
    return this.request("check", { source }).then((diagnostics) => diagnostics.map((d) => ({ cell: cellName, ...d })));
  }

  private checkKey(source: string): string {
    // Earlier runs of this very text are left out: the cell's own declarations shadow them.
    const own = this.textIds.get(source);
    return `${this.historyIds.filter((id) => id !== own).join(",")}\u0000${source}`;
  }

  private request<Op extends Operation>(op: Op, args: Requests[Op]): Promise<Replies[Op]> {
    const worker = this.started();
    const id = this.nextId++;
    this.sent++;
    return new Promise<Replies[Op]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.ref();
      worker.postMessage({ id, op, args });
    });
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = spawnWorker();
    worker.on("message", (reply: ReplyMessage) => this.settle(reply));
    const fail = (error: Error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.failPending(new TypeScriptServiceError(`the TypeScript worker failed: ${error.message}`));
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`it exited with code ${code}`)));
    worker.unref();
    this.worker = worker;
    worker.postMessage({ id: 0, op: "start", args: { cwd: this.cwd, history: this.history } });
    return worker;
  }

  private settle(reply: ReplyMessage): void {
    const waiter = this.pending.get(reply.id);
    if (!waiter) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker?.unref();
    if (reply.ok) waiter.resolve(reply.value);
    else waiter.reject(Object.assign(new TypeScriptServiceError(reply.message), { stack: reply.stack }));
  }

  private failPending(error: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}

/**
 * A small young generation: measured here, it keeps the worker's RSS ~25 MiB lower after start
 * (~50 MiB lower after 100 cells) at no visible cost in check time.
 */
const WORKER_LIMITS = { resourceLimits: { maxYoungGenerationSizeMb: 4 } };

/** The compiled worker beside this file; from TypeScript sources, through the kernel's TS loader. */
function spawnWorker(): Worker {
  const extension = path.extname(__filename);
  const file = path.join(__dirname, `worker${extension}`);
  if (extension === ".js") return new Worker(file, WORKER_LIMITS);
  const loader = path.join(__dirname, "..", "ts-loader");
  const boot = `require(${JSON.stringify(loader)}).registerTsLoader(); require(${JSON.stringify(file)});`;
  return new Worker(boot, { ...WORKER_LIMITS, eval: true });
}

/** One line per diagnostic: `In[3] line 2: error TS2322: Type 'string' is not assignable to type 'number'.` */
export function formatDiagnostics(diagnostics: readonly Diagnostic[]): string {
  return diagnostics
    .map((d) => `${d.cell} line ${d.line}: ${d.category} TS${d.code}: ${d.message.replace(/\s*\n\s*/g, " ")}\n`)
    .join("");
}

function checkCellName(cellName: unknown): void {
  if (typeof cellName !== "string" || !cellName) {
    throw new TypeScriptServiceError(`a cell name must be a non-empty string like "In[3]", got ${JSON.stringify(cellName)}`);
  }
}

function checkSource(source: unknown): void {
  if (typeof source !== "string") throw new TypeScriptServiceError(`a cell's source must be a string, got ${typeof source}`);
}

function checkCursor(source: string, cursor: unknown): void {
  if (typeof cursor !== "number" || !Number.isInteger(cursor) || cursor < 0 || cursor > source.length) {
    throw new TypeScriptServiceError(`the cursor must be an integer offset from 0 to ${source.length} (the cell's length), got ${String(cursor)}`);
  }
}
