import * as vm from "node:vm";
import { instrumentFunction } from "./instrument";
import { functionLocation, post, scriptUrl, withDebugger } from "./inspector-session";
import { registerRecorder, releaseRecorder, type Recorder } from "./recorders";
import { LineProfilerUsageError, type LineTarget } from "./targets";

/**
 * Puts instrumented code in place of the targets and takes it out again. The first choice is V8
 * LiveEdit (`Debugger.setScriptSource` on the target's own script): the function object itself
 * changes, so aliases, callbacks, object properties and closures (state kept) all run the probes.
 * Every patch is checked with `toString()` (LiveEdit can answer "Ok" and not relink). What LiveEdit
 * refuses falls back to re-evaluating the instrumented text and swapping the one binding the
 * caller knows (`rebind`): other references keep the original, and the copy sees globals only.
 */
export type PatchMethod = "liveedit" | "rebind" | "loader";

/** One instrumented function and its recorder, however the instrumented code got in place. */
export interface InstrumentedFunction<R extends Recorder> {
  name: string;
  label: string;
  recorder: R;
  /** Script URL as V8 knows it: `In[3]` for a cell, the path (or file URL) of a module. */
  url: string;
  firstLine: number;
  lastLine: number;
  /** The script's JavaScript lines of the function (shown when no TypeScript source is known). */
  jsLines: string[];
  method: PatchMethod;
  /** False when only hits could be recorded (an expression-bodied arrow patched in place). */
  timed: boolean;
}

export interface PatchedFunction<R extends Recorder> extends InstrumentedFunction<R> {
  target: LineTarget;
  recorderId: number;
}

export interface Patch<R extends Recorder> {
  functions: PatchedFunction<R>[];
  notes: string[];
  /** Milliseconds spent instrumenting and patching. */
  patchMs: number;
  /** Puts every original back (exactly: verified with toString), returns the milliseconds it took. */
  restore(): number;
}

interface Site<R extends Recorder> {
  entry: PatchedFunction<R>;
  original: string;
  scriptId?: string;
  start: number;
  instrumented: string;
}

const RESTORE_RETRY_MS = 50;
const RESTORE_RETRIES = 100;

function lineStartOffset(source: string, lineNumber: number): number {
  let offset = 0;
  for (let line = 0; line < lineNumber && offset >= 0; line++) offset = source.indexOf("\n", offset) + 1;
  return Math.max(0, offset);
}

function countNewlines(text: string, end = text.length): number {
  let count = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < end; i = text.indexOf("\n", i + 1)) count++;
  return count;
}

function setScriptSource(scriptId: string, source: string): string {
  const reply = post<{ status?: string; exceptionDetails?: { text: string } }>("Debugger.setScriptSource", {
    scriptId,
    scriptSource: source,
  });
  if (reply.exceptionDetails) return `CompileError: ${reply.exceptionDetails.text}`;
  return reply.status ?? "Ok";
}

function splice(source: string, sites: Site<Recorder>[], pick: (site: Site<Recorder>) => string): string {
  let out = source;
  for (const site of [...sites].sort((a, b) => b.start - a.start)) {
    out = out.slice(0, site.start) + pick(site) + out.slice(site.start + site.original.length);
  }
  return out;
}

/** Compiles instrumented text on its own (the rebind fallback). */
function compileDetached(text: string, url: string): Function {
  const asExpression = /^(async\s+)?(function\b|\(|[\w$]+\s*=>)/.test(text) || /^async\s+[\w$]+\s*=>/.test(text);
  if (asExpression) return vm.runInThisContext(`(${text}\n)`, { filename: url });
  const holder = vm.runInThisContext(`({${text}\n})`, { filename: url }) as object;
  const descriptor = Object.values(Object.getOwnPropertyDescriptors(holder))[0];
  return (descriptor.value ?? descriptor.get ?? descriptor.set) as Function;
}

export function patchTargets<R extends Recorder>(
  targets: LineTarget[],
  makeRecorder: (firstLine: number, lastLine: number) => R,
): Patch<R> {
  return withDebugger(() => patchWithDebugger(targets, makeRecorder));
}

function patchWithDebugger<R extends Recorder>(
  targets: LineTarget[],
  makeRecorder: (firstLine: number, lastLine: number) => R,
): Patch<R> {
  const started = performance.now();
  const notes: string[] = [];
  const sources = new Map<string, string>();
  const byScript = new Map<string, Site<R>[]>();
  const detached: Site<R>[] = [];
  const patched: Site<R>[] = [];

  const located = withDebugger(() =>
    targets.map((target) => {
      const original = Function.prototype.toString.call(target.fn);
      const location = functionLocation(target.fn);
      let source = location ? sources.get(location.scriptId) : undefined;
      if (location && source === undefined) {
        source = post<{ scriptSource: string }>("Debugger.getScriptSource", { scriptId: location.scriptId }).scriptSource;
        sources.set(location.scriptId, source);
      }
      let start = -1;
      if (location && source !== undefined) {
        const at = lineStartOffset(source, location.lineNumber) + location.columnNumber;
        start = source.lastIndexOf(original, at);
        if (start < 0 || start + original.length < at) start = source.indexOf(original, lineStartOffset(source, location.lineNumber));
      }
      const firstLine = start >= 0 ? countNewlines(source!, start) + 1 : (location?.lineNumber ?? 0) + 1;
      return { target, original, location, start, firstLine, url: location ? scriptUrl(location.scriptId) : "" };
    }),
  );

  for (const { target, original, location, start, firstLine, url } of located) {
    const lastLine = firstLine + countNewlines(original);
    const recorder = makeRecorder(firstLine, lastLine);
    const recorderId = registerRecorder(recorder);
    let instrumented;
    try {
      instrumented = instrumentFunction(original, { firstLine, recorderId, liveEdit: start >= 0 });
    } catch (error) {
      releaseRecorder(recorderId);
      for (const site of [...patched, ...detached]) releaseRecorder(site.entry.recorderId);
      throw new LineProfilerUsageError(`cannot instrument '${target.label}': ${(error as Error).message}`);
    }
    const entry: PatchedFunction<R> = {
      name: target.fn.name || target.label,
      label: target.label,
      target,
      recorder,
      recorderId,
      url: url || target.label,
      firstLine,
      lastLine,
      jsLines: original.split("\n"),
      method: "liveedit",
      timed: instrumented.timed,
    };
    const site: Site<R> = { entry, original, scriptId: location?.scriptId, start, instrumented: instrumented.text };
    if (start >= 0 && location) {
      const list = byScript.get(location.scriptId) ?? [];
      const overlapping = list.find((s) => s.start < start + original.length && start < s.start + s.original.length);
      if (overlapping) {
        notes.push(`'${target.label}' is nested in '${overlapping.entry.target.label}': patched by swapping its binding`);
        detached.push(site);
      } else {
        list.push(site);
        byScript.set(location.scriptId, list);
      }
    } else detached.push(site);
  }

  {
    for (const [scriptId, sites] of byScript) {
      const source = sources.get(scriptId)!;
      const relinked = (site: Site<R>) => Function.prototype.toString.call(site.entry.target.fn) === site.instrumented;
      const apply = (list: Site<R>[]) => setScriptSource(scriptId, splice(source, list, (s) => s.instrumented));
      // One function per edit: LiveEdit diffs characters, and neighbouring edits in one call can
      // misalign so that a function is not relinked (and then never is, in that process).
      let live: Site<R>[] = [];
      const reasons = new Map<Site<R>, string>();
      for (const site of sites) {
        const status = apply([...live, site]);
        if (status === "Ok" && relinked(site)) live = [...live, site];
        else {
          reasons.set(site, status === "Ok" ? "not relinked" : status);
          if (status === "Ok") apply(live);
        }
      }
      for (const site of sites) {
        if (live.includes(site)) patched.push(site);
        else {
          notes.push(`LiveEdit could not patch '${site.entry.target.label}' in place (${reasons.get(site)})`);
          detached.push(site);
        }
      }
    }
  }

  const rebound: Site<R>[] = [];
  try {
    for (const site of detached) {
      const { target } = site.entry;
      if (!target.rebind) {
        throw new LineProfilerUsageError(
          `cannot profile '${target.label}': it cannot be patched in place and there is no binding to swap (define it in a cell or a module file)`,
        );
      }
      const full = instrumentFunction(site.original, { firstLine: site.entry.firstLine, recorderId: site.entry.recorderId, liveEdit: false });
      target.rebind(compileDetached(full.text, site.entry.url));
      site.entry.method = "rebind";
      site.entry.timed = true;
      rebound.push(site);
      notes.push(`'${target.label}' was swapped, not patched: only this binding runs the profiled copy, and the copy sees globals, not closure variables`);
    }
  } catch (error) {
    for (const site of rebound) site.entry.target.rebind!(site.entry.target.fn);
    restoreScripts(patched, sources);
    for (const site of [...patched, ...detached]) releaseRecorder(site.entry.recorderId);
    throw error;
  }

  const functions = [...patched, ...rebound].map((s) => s.entry);
  const patchMs = performance.now() - started;
  let restored = false;
  return {
    functions,
    notes,
    patchMs,
    restore() {
      if (restored) return 0;
      restored = true;
      const t0 = performance.now();
      for (const site of rebound) site.entry.target.rebind!(site.entry.target.fn);
      restoreScripts(patched, sources, notes);
      for (const site of rebound) releaseRecorder(site.entry.recorderId);
      return performance.now() - t0;
    },
  };
}

/**
 * Back to the original sources. V8 refuses while a patched function is on the stack (a suspended
 * async call still running): then retry in the background until it finishes.
 */
function restoreScripts<R extends Recorder>(sites: Site<R>[], sources: Map<string, string>, notes?: string[]): void {
  const scripts = new Set(sites.map((s) => s.scriptId!));
  const pending: string[] = [];
  withDebugger(() => {
    for (const scriptId of scripts) {
      const source = sources.get(scriptId)!;
      const inScript = sites.filter((s) => s.scriptId === scriptId);
      // Undo one function per edit, last patched first (the reverse of patching).
      for (let keep = inScript.length - 1; keep >= 0; keep--) {
        const status = setScriptSource(scriptId, splice(source, inScript.slice(0, keep), (s) => s.instrumented));
        if (status !== "Ok") {
          pending.push(scriptId);
          break;
        }
      }
    }
  });
  const done = (scriptId: string) => {
    for (const site of sites) if (site.scriptId === scriptId) releaseRecorder(site.entry.recorderId);
  };
  for (const scriptId of scripts) if (!pending.includes(scriptId)) done(scriptId);
  for (const site of sites) {
    if (pending.includes(site.scriptId!)) continue;
    if (Function.prototype.toString.call(site.entry.target.fn) !== site.original) {
      notes?.push(`'${site.entry.target.label}' may not be fully restored (its source text differs)`);
    }
  }
  for (const scriptId of pending) {
    const labels = sites.filter((s) => s.scriptId === scriptId).map((s) => `'${s.entry.target.label}'`);
    notes?.push(`${labels.join(", ")} still running (a pending async call): restored as soon as it returns`);
    let tries = 0;
    const retry = () => {
      const status = withDebugger(() => setScriptSource(scriptId, sources.get(scriptId)!));
      if (status === "Ok") done(scriptId);
      else if (++tries < RESTORE_RETRIES) setTimeout(retry, RESTORE_RETRY_MS).unref();
    };
    setTimeout(retry, RESTORE_RETRY_MS).unref();
  }
}
