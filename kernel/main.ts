import { Worker } from "node:worker_threads";
import { join } from "node:path";
import { readConnectionFile } from "./connection";
import { captureStdio, installPrompt, reportStrayErrors } from "./execute/stdio";
import { createUserRequire } from "./execute/user-require";
import { LanguageFeatures } from "./language-features";
import { registerBuiltinMagics } from "../magics/builtins";
import { KernelSession, newSessionId } from "./session";
import { SharedState } from "./shared-state";
import type { SocketThreadData, ToMain } from "./socket-thread";

/** `tsprof kernel <connection_file>`: what Jupyter starts. */
export function startKernel(connectionFile: string): void {
  const connection = readConnectionFile(connectionFile);
  const shared = new SharedState();
  const session = newSessionId();
  const worker = new Worker(join(__dirname, "socket-thread.js"), {
    workerData: { connection, shared: shared.buffer, session } satisfies SocketThreadData,
    stdout: false,
    stderr: false,
  });
  const cwd = process.cwd();
  const language = new LanguageFeatures(cwd);
  const kernel = new KernelSession(worker, shared, session, language, cwd);
  registerBuiltinMagics(language);
  installUserGlobals(cwd);
  captureStdio();
  reportStrayErrors();
  installPrompt(shared);
  worker.on("message", (message: ToMain) => kernel.onWorkerMessage(message));
  worker.on("error", (error) => {
    process.stderr.write(`tsprof: socket thread failed: ${error.stack ?? String(error)}\n`);
    process.exit(1);
  });
  process.on("SIGINT", () => kernel.interrupt());
  process.on("SIGTERM", () => process.exit(0));
}

/** What CommonJS code expects to find, so transpiled cells can import and export. */
function installUserGlobals(cwd: string): void {
  const userRequire = createUserRequire(cwd);
  const exportsObject = {};
  Object.assign(globalThis, {
    require: userRequire,
    exports: exportsObject,
    module: { exports: exportsObject, require: userRequire, id: ".", filename: join(cwd, "[notebook]") },
    __filename: join(cwd, "[notebook]"),
    __dirname: cwd,
  });
}
