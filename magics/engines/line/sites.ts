import type { Frame, Recorder } from "./recorders";

/**
 * The runtime side of the profiling switches (see switches.ts). Every function the kernel compiles
 * is a *site* with a number. Its first statement reads `__tsprofOn[site]`: 0 runs the function as
 * written, 1 runs its instrumented twin, which reports line events to `__tsprofLine[site]`.
 * Switching a site on or off changes no code, so every reference to the function (aliases,
 * callbacks, methods, closures with their state) follows, on every Node.
 */
export const SWITCHES = "__tsprofOn";
export const RECORDERS = "__tsprofLine";

/**
 * One byte per site, never reallocated: the global is read-only, so optimized code holds the array
 * itself and a switch check is a load and a branch. Pages never written cost no memory.
 */
const CAPACITY = 1 << 22;

export interface SiteInfo {
  /** The function's own name, else the name it was assigned to, else "(anonymous)". */
  name: string;
  /** Names a user may give it on the command line: `total`, `Box.total`. */
  names: string[];
  /** Script name: `In[3]` for a cell, the path of a module. */
  file: string;
  /** Lines of the whole definition (a method's from its name), in the file. */
  firstLine: number;
  lastLine: number;
  /** A `// @profile` comment stands on the line just above. */
  marked: boolean;
}

interface Runtime {
  switches: Uint8Array;
  recorders: Recorder[];
  sites: SiteInfo[];
}

/** Records nothing: the slot of every site that is not being profiled. */
class InertRecorder implements Recorder {
  private readonly frame: Frame = { l: 0, v: 0, r: 0 };
  e(): Frame {
    return this.frame;
  }
  p(): void {}
  x(): void {}
  it<T>(_frame: Frame, _line: number, iterable: Iterable<T>): Iterable<T> {
    return iterable;
  }
}

const INERT = new InertRecorder();

/** Shared by every copy of this module that a process loads (the kernel's and a script's own). */
const runtime: Runtime = (() => {
  const host = globalThis as unknown as Record<string, unknown>;
  const key = Symbol.for("tsprof.lineSites");
  const existing = host[key as unknown as string] as Runtime | undefined;
  if (existing) return existing;
  const created: Runtime = { switches: new Uint8Array(CAPACITY), recorders: [INERT], sites: [] };
  for (const [name, value] of [[SWITCHES, created.switches], [RECORDERS, created.recorders]] as const) {
    Object.defineProperty(globalThis, name, { value, enumerable: false, writable: false, configurable: false });
  }
  Object.defineProperty(globalThis, key, { value: created, enumerable: false });
  return created;
})();

/** A number for a new function; undefined once every number is taken (then it gets no switch). */
export function newSite(info: SiteInfo): number | undefined {
  const id = runtime.sites.length + 1;
  if (id >= CAPACITY) return undefined;
  runtime.sites.push(info);
  runtime.recorders[id] = INERT;
  return id;
}

export function siteInfo(id: number): SiteInfo | undefined {
  return runtime.sites[id - 1];
}

/** Sites registered since `from` (a value of siteCount()), for the command line's name matching. */
export function sitesSince(from: number): Array<{ id: number; info: SiteInfo }> {
  return runtime.sites.slice(from).map((info, i) => ({ id: from + i + 1, info }));
}

export function siteCount(): number {
  return runtime.sites.length;
}

export function isOn(id: number): boolean {
  return runtime.switches[id] === 1;
}

export function switchOn(id: number, recorder: Recorder): void {
  runtime.recorders[id] = recorder;
  runtime.switches[id] = 1;
}

export function switchOff(id: number): void {
  runtime.switches[id] = 0;
  runtime.recorders[id] = INERT;
}
