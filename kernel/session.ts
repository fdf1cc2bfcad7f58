import { Worker } from "node:worker_threads";
import { display } from "./display";
import { runInCell, type CellContext } from "./execute/cell-context";
import { errorContent, isUsageError, KeyboardInterrupt } from "./execute/errors";
import { CellExecutor } from "./execute/execute-cell";
import { mimeBundleOf } from "./execute/format-value";
import { installLoopGuard } from "./execute/loop-guard";
import { CellRunner } from "./execute/runner";
import { History } from "./history";
import { Outbox } from "./outbox";
import { SharedState } from "./shared-state";
import type { ToMain } from "./socket-thread";
import type { Message } from "./wire";
import { TypeCheckFailed, type LanguageFeatures } from "./language-features";
import { isCompileError } from "./execute/prepare-typescript";
import { Promise, process, setImmediate } from "./intrinsics";

interface ExecuteRequest {
  code: string;
  silent?: boolean;
  store_history?: boolean;
  user_expressions?: Record<string, string>;
  allow_stdin?: boolean;
  stop_on_error?: boolean;
}

/**
 * The main thread's side of the kernel: takes shell requests from the socket thread one at a time,
 * runs cells, and answers. User code runs here, in this thread and this context, at full speed.
 */
export class KernelSession {
  readonly outbox: Outbox;
  private readonly runner: CellRunner;
  private readonly executor: CellExecutor;
  private readonly history = new History();
  private executionCount = 0;
  /** Shown on stderr by the first cell that is not silent (why the previous kernel died). */
  startupNotice: string | undefined;
  private queue: Promise<void> = Promise.resolve();
  /** Execute requests that arrived before this moment are aborted (stop_on_error after a failure). */
  private abortBefore = 0;
  private interruptController = new AbortController();

  constructor(
    worker: Worker,
    readonly shared: SharedState,
    readonly sessionId: string,
    private readonly language: LanguageFeatures,
    cwd: string,
  ) {
    this.outbox = new Outbox(worker, sessionId);
    this.runner = new CellRunner(shared);
    installLoopGuard(shared);
    this.executor = new CellExecutor(this.runner, cwd);
    language.isDefined = (name) => this.runner.scope.kinds.has(name) || name in globalThis;
  }

  onWorkerMessage(message: ToMain): void {
    if (message.type === "interrupt") {
      this.interrupt();
    } else if (message.type === "shutdown") {
      setImmediate(() => process.exit(0));
    } else {
      this.queue = this.queue.then(() => this.handle(message.channel, message.message, message.receivedAt));
    }
  }

  /** SIGINT or interrupt_request while no synchronous script runs: stop the awaited cell. */
  interrupt(): void {
    this.interruptController.abort(new KeyboardInterrupt());
    this.interruptController = new AbortController();
    this.runner.interrupt();
  }

  private async handle(channel: "shell" | "control", request: Message, received: number): Promise<void> {
    const type = request.header.msg_type;
    const parent = request.header;
    this.outbox.status("busy", parent);
    try {
      switch (type) {
        case "execute_request":
          await this.execute(request, channel, received);
          break;
        case "complete_request":
          this.outbox.reply(request, channel, "complete_reply", await this.language.complete(request.content));
          break;
        case "inspect_request":
          this.outbox.reply(request, channel, "inspect_reply", await this.language.inspect(request.content));
          break;
        case "is_complete_request":
          this.outbox.reply(request, channel, "is_complete_reply", await this.language.isComplete(request.content));
          break;
        case "history_request":
          this.outbox.reply(request, channel, "history_reply", { status: "ok", history: this.historyFor(request.content) });
          break;
        case "comm_info_request":
          this.outbox.reply(request, channel, "comm_info_reply", { status: "ok", comms: {} });
          break;
        case "comm_open": {
          // No comm targets are registered: close it at once, as the spec asks.
          const commId = (request.content as { comm_id?: string }).comm_id;
          this.outbox.iopub("comm_close", { comm_id: commId, data: {} }, parent);
          break;
        }
        case "comm_msg":
        case "comm_close":
          break;
        default:
          process.stderr.write(`tsprof: no handler for ${type}\n`);
      }
    } catch (error) {
      process.stderr.write(`tsprof: ${type} failed: ${String((error as Error)?.stack ?? error)}\n`);
    } finally {
      this.outbox.status("idle", parent);
    }
  }

  private historyFor(content: Record<string, unknown>) {
    const n = Number(content.n ?? 10);
    const entries = (() => {
      switch (content.hist_access_type) {
        case "tail":
          return this.history.tail(n);
        case "range":
          return this.history.range(Number(content.start ?? 1), Number(content.stop ?? 0));
        case "search":
          return this.history.search(String(content.pattern ?? "*"), n, Boolean(content.unique));
        default:
          return [];
      }
    })();
    return content.output ? this.history.withOutput(entries) : entries;
  }

  private async execute(request: Message, channel: "shell" | "control", received: number): Promise<void> {
    const content = request.content as unknown as ExecuteRequest;
    const silent = Boolean(content.silent);
    const storeHistory = !silent && content.store_history !== false;
    if (received < this.abortBefore) {
      this.outbox.reply(request, channel, "execute_reply", { status: "aborted", execution_count: this.executionCount }, { status: "aborted" });
      return;
    }
    if (storeHistory) this.executionCount++;
    const count = this.executionCount;
    const cellName = `In[${count}]`;
    if (storeHistory) this.history.add(count, content.code);
    if (!silent) this.outbox.iopub("execute_input", { code: content.code, execution_count: count }, request.header);
    CellRunner.remember(cellName, content.code);
    const cell: CellContext = { request, parent: request.header, outbox: this.outbox, allowStdin: Boolean(content.allow_stdin), silent };
    const stream = (name: "stdout" | "stderr") => (text: string) => {
      if (!silent) this.outbox.stream(name, text, request.header);
    };
    const output = {
      stdout: stream("stdout"),
      stderr: stream("stderr"),
      display: (value: unknown) => runInCell(cell, () => display(value)),
    };
    if (this.startupNotice && !silent) {
      output.stderr(this.startupNotice);
      this.startupNotice = undefined;
    }
    const typeCheck = this.language.checkBeforeRun(cellName, content.code);
    try {
      const blocking = await typeCheck.blocking;
      if (blocking) throw blocking;
      const result = await runInCell(cell, () =>
        this.executor.execute(content.code, cellName, output, this.interruptController.signal),
      );
      this.language.commit(cellName, content.code);
      const warning = await typeCheck.warning;
      if (warning) output.stderr(warning);
      if (result.hasValue && result.value !== undefined && !silent) {
        const data = mimeBundleOf(result.value);
        if (storeHistory) this.history.addOutput(count, data["text/plain"]);
        this.outbox.iopub("execute_result", { execution_count: count, data, metadata: {} }, request.header);
      }
      const userExpressions = await this.userExpressions(content.user_expressions ?? {}, cellName);
      this.outbox.reply(request, channel, "execute_reply", { status: "ok", execution_count: count, user_expressions: userExpressions, payload: [] }, { status: "ok" });
    } catch (error) {
      // What a cell that threw had declared exists (as undefined at worst): later checks must know it.
      if (!(isUsageError(error) || error instanceof TypeCheckFailed || isCompileError(error))) this.language.commit(cellName, content.code);
      const failure = errorContent(error);
      if (isUsageError(error)) {
        failure.ename = "UsageError";
        output.stderr(`UsageError: ${failure.evalue}\n`);
        failure.traceback = [];
      } else if (!silent) {
        const warning = await typeCheck.warning;
        if (warning) output.stderr(warning);
        this.outbox.iopub("error", failure, request.header);
      }
      this.outbox.reply(request, channel, "execute_reply", { status: "error", execution_count: count, ...failure }, { status: "error" });
      if (content.stop_on_error !== false) this.abortBefore = Date.now();
    }
  }

  private async userExpressions(expressions: Record<string, string>, cellName: string) {
    const out: Record<string, unknown> = {};
    for (const [key, expression] of Object.entries(expressions)) {
      try {
        const value = await this.runner.evaluate(`(${expression})`, `${cellName}:user_expressions`);
        out[key] = { status: "ok", data: mimeBundleOf(value), metadata: {} };
      } catch (error) {
        out[key] = { status: "error", ...errorContent(error) };
      }
    }
    return out;
  }
}
