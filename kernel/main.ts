import { randomUUID } from "node:crypto";
import { delimiter, join } from "node:path";
import { Worker } from "node:worker_threads";
import { readConnectionFile } from "./connection";
import { SharedState } from "./shared-state";
import type { FromMain, SocketThreadData, ToMain } from "./socket-thread";
import { process } from "./intrinsics";

/**
 * `tsprof kernel <connection_file>`: what Jupyter starts. The socket thread is started first: it
 * answers kernel_info and the heartbeat by itself while this thread loads the rest.
 */
export function startKernel(connectionFile: string): void {
  const connection = readConnectionFile(connectionFile);
  const shared = new SharedState();
  const session = randomUUID();
  const worker = new Worker(join(__dirname, "socket-thread.js"), {
    workerData: { connection, shared: shared.buffer, session } satisfies SocketThreadData,
    stdout: false,
    stderr: false,
  });
  const { KernelSession } = require("./session") as typeof import("./session");
  const { LanguageFeatures } = require("./language-features") as typeof import("./language-features");
  const { registerBuiltinMagics } = require("../magics/builtins") as typeof import("../magics/builtins");
  const stdio = require("./execute/stdio") as typeof import("./execute/stdio");
  const cwd = process.cwd();
  // `!tsprof prof script.ts` in a cell runs this very tsprof, with no npx lookup in the timing.
  process.env.PATH = `${join(__dirname, "..", "..", "bin")}${delimiter}${process.env.PATH ?? ""}`;
  const language = new LanguageFeatures(cwd);
  const kernel = new KernelSession(worker, shared, session, language, cwd);
  const fatal = require("./fatal-report") as typeof import("./fatal-report");
  kernel.startupNotice = fatal.takeFatalNotice(cwd);
  fatal.reportFatalErrors();
  registerBuiltinMagics(language);
  installUserGlobals(cwd);
  stdio.captureStdio();
  stdio.reportStrayErrors();
  stdio.installPrompt(shared);
  worker.on("message", (message: ToMain) => kernel.onWorkerMessage(message));
  worker.on("error", (error) => {
    process.stderr.write(`tsprof: socket thread failed: ${error.stack ?? String(error)}\n`);
    process.exit(1);
  });
  process.on("SIGINT", () => kernel.interrupt());
  process.on("SIGTERM", () => process.exit(0));
  exitAfterClosingSockets(worker, shared);
}

/**
 * Every way out (shutdown_request, SIGTERM, `process.exit()` in a cell) first has the socket thread
 * flush its messages and close its sockets, so the kernel ends cleanly with the code asked for.
 */
function exitAfterClosingSockets(worker: Worker, shared: SharedState): void {
  const exit = process.exit.bind(process);
  process.exit = ((code?: number) => {
    worker.postMessage({ type: "close" } satisfies FromMain);
    shared.waitForSocketsClosed(2000);
    exit(code);
  }) as typeof process.exit;
}

/** What CommonJS code expects to find, so transpiled cells can import and export. */
function installUserGlobals(cwd: string): void {
  const { createUserRequire } = require("./execute/user-require") as typeof import("./execute/user-require");
  const userRequire = createUserRequire(cwd);
  const exportsObject = {};
  const { createUserImport } = require("./execute/user-import") as typeof import("./execute/user-import");
  const { CELL_IMPORT, CELL_REQUIRE } = require("./execute/transform") as typeof import("./execute/transform");
  Object.assign(globalThis, {
    require: userRequire,
    [CELL_REQUIRE]: userRequire,
    [CELL_IMPORT]: createUserImport(userRequire),
    exports: exportsObject,
    module: { exports: exportsObject, require: userRequire, id: ".", filename: join(cwd, "[notebook]") },
    __filename: join(cwd, "[notebook]"),
    __dirname: cwd,
    // What a cell's `import name from "m"` binds: an ES module's default export, else the module.
    __tsprofDefault: (module: { __esModule?: boolean; default?: unknown } | null) =>
      module && module.__esModule ? module.default : module,
  });
}
