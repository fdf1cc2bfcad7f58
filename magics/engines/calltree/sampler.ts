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

/** Starts sampling the main thread every `intervalMicros` µs. One profile at a time per process. */
export function startSampling(intervalMicros: number): Sampling {
  if (running) throw new ProfilerBusyError("a profile is already running in this process; profiles cannot be nested");
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
