import { inspect } from "node:util";
import type { SharedState } from "../shared-state";
import { currentCell } from "./cell-context";
import { errorContent } from "./errors";
import { Buffer, process, queueMicrotask } from "../intrinsics";

type Write = typeof process.stdout.write;

/**
 * console.log and process.stdout/stderr writes become stream messages of the cell that caused
 * them (timers and promises included); kernel-level writes outside any cell keep going to the
 * terminal that started the kernel.
 */
export function captureStdio(): void {
  for (const name of ["stdout", "stderr"] as const) {
    const stream = process[name];
    const original = stream.write.bind(stream) as Write;
    stream.write = ((chunk: unknown, encoding?: unknown, callback?: unknown) => {
      const cell = currentCell();
      if (!cell) return (original as (...a: unknown[]) => boolean)(chunk, encoding, callback);
      const done = typeof encoding === "function" ? encoding : callback;
      if (typeof done === "function") queueMicrotask(() => (done as () => void)());
      if (cell.silent) return true;
      const text = typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString(typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
      cell.outbox.stream(name, text, cell.parent);
      return true;
    }) as Write;
  }
}

/** An error thrown by a callback after its cell finished is reported there; the kernel lives on. */
export function reportStrayErrors(): void {
  const report = (what: string, error: unknown) => {
    const cell = currentCell();
    const { traceback } = errorContent(error);
    const text = `${what}:\n${traceback.join("\n")}\n`;
    if (cell) cell.outbox.stream("stderr", text, cell.parent);
    else process.stderr.write(text);
  };
  process.on("uncaughtException", (error) => report("Uncaught exception in a callback", error));
  process.on("unhandledRejection", (reason) => report("Unhandled promise rejection", reason));
}

/**
 * `prompt()` as in browsers: asks the frontend (input_request on stdin) and blocks until the user
 * answers, like Python's input().
 */
export function installPrompt(shared: SharedState): void {
  const prompt = (message = "", password = false): string => {
    const cell = currentCell();
    if (!cell || !cell.allowStdin) {
      throw Object.assign(new Error("prompt(): this frontend does not accept input requests (allow_stdin is false)"), {
        name: "StdinNotImplementedError",
      });
    }
    cell.outbox.flushStreams();
    shared.prepareInput();
    cell.outbox.inputRequest(cell.request, typeof message === "string" ? message : inspect(message), password);
    return shared.collectInput();
  };
  Object.defineProperty(globalThis, "prompt", { value: prompt, writable: true, configurable: true });
}
