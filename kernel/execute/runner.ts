import { Script } from "node:vm";
import { registerSource } from "../../magics/engines/sources";
import { addProfileSwitches } from "../../magics/engines/line/switches";
import { Running, type SharedState } from "../shared-state";
import { transpile } from "../ts-loader";
import { KeyboardInterrupt } from "./errors";
import { prepareTypeScript } from "./prepare-typescript";
import type { PreparedCell, Scope } from "./transform";
import { Promise } from "../intrinsics";

/**
 * Runs TypeScript in the kernel's own context, the way `node script.js` would: no sandbox, no
 * proxies. Declarations persist from cell to cell (see transform.ts); a synchronous part is
 * interruptible through vm's breakOnSigint, an async part through `interrupt()`.
 */
export interface CompiledCell {
  readonly prepared: PreparedCell;
  readonly script: Script;
}

const INTERRUPTED_BY_SIGINT = "ERR_SCRIPT_EXECUTION_INTERRUPTED";
const TARGET = "__tsprofInterruptible";
/** vm only watches for SIGINT while one of its scripts runs: this one calls whatever we hand it. */
const trampoline = new Script(`globalThis.${TARGET}()`, { filename: "<interruptible>" });

export class CellRunner {
  readonly scope: Scope = { kinds: new Map(), captured: new Set() };
  private cancelPending: ((error: Error) => void) | undefined;

  constructor(private readonly shared: SharedState) {}

  /**
   * TypeScript source → a compiled script named `fileName` (its lines are the source's lines), every
   * function in it ready to be line-profiled.
   */
  compile(source: string, fileName: string): CompiledCell {
    const prepared = prepareTypeScript(source, fileName, this.scope);
    const switched = addProfileSwitches(prepared.js, fileName, { kind: "cell" });
    if (switched !== undefined) {
      try {
        return { prepared, script: new Script(switched, { filename: fileName }) };
      } catch {
        // Code the switches cannot handle still runs, unprofilable; V8 reports a real syntax error below.
      }
    }
    return { prepared, script: new Script(prepared.js, { filename: fileName }) };
  }

  /** TypeScript → JavaScript with lines kept and no notebook rewriting (for code an engine wraps). */
  toJavaScript(source: string, fileName: string): string {
    return transpile(source, fileName).replace(/^"use strict";/, "");
  }

  /** Runs a compiled cell; resolves to its last expression's value (undefined when it has none). */
  async run(cell: CompiledCell): Promise<unknown> {
    for (const [name, kind] of cell.prepared.declares) this.scope.kinds.set(name, kind);
    for (const name of cell.prepared.captures) this.scope.captured.add(name);
    const run = () => cell.script.runInThisContext({ displayErrors: false });
    this.shared.stopRequested = false;
    let value = cell.prepared.mayRunLong ? this.interruptibly(run, cell.prepared.checksStop) : run();
    if (cell.prepared.isAsync) value = await this.awaitInterruptibly(value as Promise<unknown>);
    return cell.prepared.hasValue ? value : undefined;
  }

  /**
   * Runs synchronous work (a cell, a %timeit loop) so that SIGINT stops it with a KeyboardInterrupt
   * the caller can catch, whatever JavaScript is running inside. `checksStop`: the work's loops
   * check the interrupt flag themselves (see loop-guard.ts), so SIGINT comes only if they do not.
   */
  interruptibly<T>(work: () => T, checksStop = false): T {
    const slot = globalThis as Record<string, unknown>;
    const outerWork = slot[TARGET];
    const outerState = this.shared.running;
    const outerChecks = this.shared.checksStop;
    slot[TARGET] = work;
    this.shared.checksStop = checksStop;
    this.shared.running = Running.SyncScript;
    try {
      return trampoline.runInThisContext({ breakOnSigint: true, displayErrors: false }) as T;
    } catch (error) {
      throw (error as { code?: string })?.code === INTERRUPTED_BY_SIGINT ? new KeyboardInterrupt() : error;
    } finally {
      slot[TARGET] = outerWork;
      this.shared.running = outerState;
      this.shared.checksStop = outerChecks;
    }
  }

  /** Compile and run in one go, for magics evaluating a statement. */
  async evaluate(source: string, fileName: string): Promise<unknown> {
    return this.run(this.compile(source, fileName));
  }

  /** Awaits a promise that an interrupt abandons (the code behind it may go on; its result is dropped). */
  async awaitInterruptibly<T>(promise: Promise<T>): Promise<T> {
    try {
      return await new Promise<T>((resolve, reject) => {
        this.cancelPending = reject;
        promise.then(resolve, reject);
      });
    } finally {
      this.cancelPending = undefined;
    }
  }

  /** An interrupt arrived while no synchronous script ran: give up the awaited cell. */
  interrupt(): boolean {
    if (!this.cancelPending) return false;
    this.cancelPending(new KeyboardInterrupt());
    return true;
  }

  /** Source text for reports and tracebacks, under the script's name. */
  static remember(fileName: string, source: string): void {
    registerSource(fileName, source);
  }
}
