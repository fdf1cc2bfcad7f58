import * as inspector from "node:inspector";

/**
 * The in-process inspector session the line profilers patch code through. On the main thread
 * `session.post` answers synchronously, so every call here is synchronous.
 */
let session: inspector.Session | undefined;
const scriptUrls = new Map<string, string>();

function open(): inspector.Session {
  if (!session) {
    session = new inspector.Session();
    session.connect();
    session.on("Debugger.scriptParsed", (message) => {
      scriptUrls.set(message.params.scriptId, message.params.url);
    });
  }
  return session;
}

export function post<T = any>(method: string, params?: object): T {
  let reply: T | undefined;
  let failure: Error | null = null;
  let answered = false;
  open().post(method, params ?? {}, (error, result) => {
    failure = error;
    reply = result as T;
    answered = true;
  });
  if (!answered) throw new Error(`inspector ${method} did not answer synchronously`);
  if (failure) throw new Error(`inspector ${method}: ${(failure as Error).message}`);
  return reply as T;
}

let debuggerDepth = 0;

/**
 * Debugger on for `work` (nested calls share one enable: each enable replays every script, about
 * 7 ms), with pauses skipped so a `debugger` statement cannot stop the kernel. Never left on while
 * user code runs: an async function that runs with the Debugger on can no longer be LiveEdited
 * (BlockedByActiveGenerator, even after disable/enable), so it could neither be restored nor
 * profiled later. Each setScriptSource costs about 20 ms whatever we do: V8 marks the whole
 * reachable heap (HeapObjectIterator with kFilterUnreachable) to find the functions to relink.
 */
export function withDebugger<T>(work: () => T): T {
  retainDebugger();
  try {
    return work();
  } finally {
    releaseDebugger();
  }
}

function retainDebugger(): void {
  if (debuggerDepth++ === 0) {
    post("Debugger.enable");
    post("Debugger.setSkipAllPauses", { skip: true });
  }
}

function releaseDebugger(): void {
  if (--debuggerDepth === 0) post("Debugger.disable");
}

export function scriptUrl(scriptId: string): string {
  return scriptUrls.get(scriptId) ?? "";
}

export interface FunctionLocation {
  scriptId: string;
  lineNumber: number;
  columnNumber: number;
}

/** Where V8 compiled the function from (the script and the position of its parameters). */
export function functionLocation(fn: Function): FunctionLocation | undefined {
  const key = "__tsprofLocateTarget";
  const host = globalThis as unknown as Record<string, unknown>;
  host[key] = fn;
  try {
    const { result } = post<{ result: { objectId?: string } }>("Runtime.evaluate", { expression: `globalThis.${key}` });
    if (!result.objectId) return undefined;
    try {
      const properties = post<{ internalProperties?: Array<{ name: string; value?: { value?: FunctionLocation } }> }>(
        "Runtime.getProperties",
        { objectId: result.objectId, ownProperties: true },
      );
      return properties.internalProperties?.find((p) => p.name === "[[FunctionLocation]]")?.value?.value;
    } finally {
      post("Runtime.releaseObject", { objectId: result.objectId });
    }
  } finally {
    delete host[key];
  }
}
