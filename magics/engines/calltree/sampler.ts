import * as inspector from "node:inspector";

/**
 * V8's sampling CPU profiler, driven from an in-process inspector session. On the main thread
 * `session.post` answers synchronously, so starting and stopping need no event loop turn: a
 * profile can be stopped from a `finally`, an interrupt, or `process.on("exit")`.
 */

export type CpuProfile = inspector.Profiler.Profile;
export type CpuProfileNode = inspector.Profiler.ProfileNode;

export class ProfilerBusyError extends Error {
  override name = "ProfilerBusyError";
}

const BUSY = "a profile is already running in this process; profiles cannot be nested";

let session: inspector.Session | undefined;
let running = false;

function post<T>(method: string, params?: object): T {
  session ??= connect();
  let failure: Error | null = null;
  let result: T | undefined;
  let answered = false;
  session.post(method, params ?? {}, (error, answer) => {
    failure = error;
    result = answer as T;
    answered = true;
  });
  if (!answered) throw new Error(`the inspector did not answer ${method} synchronously`);
  if (failure) throw failure;
  return result as T;
}

function connect(): inspector.Session {
  const s = new inspector.Session();
  s.connect();
  return s;
}

/** A running profile; `stop()` returns V8's profile exactly as DevTools would save it. */
export interface Sampling {
  stop(): CpuProfile;
}

/**
 * Starts sampling right after a full garbage collection, for code that ran before the profile. A
 * new profile learns of the code each function holds, not of code compiled by on-stack
 * replacement (a hot loop compiled while it runs), which V8 keeps beside the function for later
 * calls; on Node 22 and later those calls enter it, and samples in it land on the function's
 * caller (a loop's time shows as its caller's self time). V8 holds that code weakly, so the
 * collection drops it and the loop is compiled again while the profile watches. Sampling starts
 * in the collection's own callback: JS run in between could install such code again (a loop
 * compiled in the background installs itself at the next stack check).
 */
export function startSamplingFresh(intervalMicros: number): Promise<Sampling> {
  if (running) return Promise.reject(new ProfilerBusyError(BUSY));
  session ??= connect();
  const connected = session;
  return new Promise<Sampling>((resolve, reject) =>
    connected.post("HeapProfiler.collectGarbage", (error) => {
      if (error) reject(error);
      else {
        try {
          resolve(startSampling(intervalMicros));
        } catch (failure) {
          reject(failure);
        }
      }
    }),
  );
}

/** Starts sampling the main thread every `intervalMicros` µs. One profile at a time per process. */
export function startSampling(intervalMicros: number): Sampling {
  if (running) throw new ProfilerBusyError(BUSY);
  post("Profiler.enable");
  post("Profiler.setSamplingInterval", { interval: intervalMicros });
  post("Profiler.start");
  running = true;
  let stopped: CpuProfile | undefined;
  return {
    stop() {
      if (!stopped) {
        try {
          stopped = post<inspector.Profiler.StopReturnType>("Profiler.stop").profile;
        } finally {
          running = false;
          post("Profiler.disable");
        }
      }
      return stopped;
    },
  };
}
