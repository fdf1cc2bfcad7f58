import { Worker } from "node:worker_threads";

/**
 * The fallback where the high-water mark cannot be reset (macOS, locked-down containers): a worker
 * thread reads the process RSS every `intervalMs` while the main thread runs the statement, and
 * keeps the maximum. It runs beside a blocked main thread, so synchronous code is sampled too.
 * Control is synchronous (Atomics on shared memory), so starting and stopping need no event loop.
 * A temporary that lives less than one interval can be missed: the output says "sampled".
 */

const IDLE = 0;
const SAMPLING = 1;
const QUIT = 2;
/** Int32 control slots. */
const STATE = 0;
const FINISHED_RUNS = 1;
const READY = 2;
/** Float64 data slots. */
const MAX_SELF = 0;
const SAMPLES = 1;
const MAX_CHILDREN = 2;
const INTERVAL_MS = 3;
const WITH_CHILDREN = 4;

const workerSource = `
const { workerData } = require("node:worker_threads");
const fs = require("node:fs");
const ctl = new Int32Array(workerData.control);
const data = new Float64Array(workerData.data);
const pid = process.pid;
function descendants() {
  const parentOf = new Map();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync("/proc/" + entry + "/stat", "latin1");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (!parentOf.has(ppid)) parentOf.set(ppid, []);
      parentOf.get(ppid).push(Number(entry));
    } catch {}
  }
  const found = [], queue = [pid];
  while (queue.length) for (const c of parentOf.get(queue.pop()) || []) { found.push(c); queue.push(c); }
  return found;
}
function rssOf(p) {
  try { return Number(fs.readFileSync("/proc/" + p + "/statm", "latin1").split(" ")[1]) * 4096; } catch { return 0; }
}
let children = [], lastScan = 0;
function sample() {
  const rss = process.memoryUsage.rss();
  if (rss > data[${MAX_SELF}]) data[${MAX_SELF}] = rss;
  data[${SAMPLES}]++;
  if (data[${WITH_CHILDREN}]) {
    const now = Date.now();
    if (now - lastScan >= 10) { children = descendants(); lastScan = now; }
    let sum = 0;
    for (const c of children) sum += rssOf(c);
    if (sum > data[${MAX_CHILDREN}]) data[${MAX_CHILDREN}] = sum;
  }
}
Atomics.store(ctl, ${READY}, 1);
Atomics.notify(ctl, ${READY});
for (;;) {
  Atomics.wait(ctl, ${STATE}, ${IDLE});
  if (Atomics.load(ctl, ${STATE}) === ${QUIT}) break;
  lastScan = 0;
  while (Atomics.load(ctl, ${STATE}) === ${SAMPLING}) {
    sample();
    Atomics.wait(ctl, ${STATE}, ${SAMPLING}, data[${INTERVAL_MS}]);
  }
  sample();
  Atomics.add(ctl, ${FINISHED_RUNS}, 1);
  Atomics.notify(ctl, ${FINISHED_RUNS});
}
`;

export interface SampledPeak {
  /** Highest RSS of this process seen, bytes. */
  maxRss: number;
  /** Highest summed RSS of the descendant processes seen, bytes (0 unless asked for). */
  maxChildrenRss: number;
  samples: number;
}

export class RssSampler {
  private readonly control = new Int32Array(new SharedArrayBuffer(4 * 4));
  private readonly data = new Float64Array(new SharedArrayBuffer(8 * 8));
  private readonly worker: Worker;

  constructor() {
    this.worker = new Worker(workerSource, {
      eval: true,
      workerData: { control: this.control.buffer, data: this.data.buffer },
    });
    this.worker.unref();
    if (Atomics.wait(this.control, READY, 0, 10_000) === "timed-out" && Atomics.load(this.control, READY) === 0) {
      void this.worker.terminate();
      throw new Error("the memory sampler thread did not start within 10 s");
    }
  }

  start(intervalMs: number, withChildren: boolean): void {
    this.data.fill(0);
    this.data[INTERVAL_MS] = intervalMs;
    this.data[WITH_CHILDREN] = withChildren ? 1 : 0;
    Atomics.store(this.control, STATE, SAMPLING);
    Atomics.notify(this.control, STATE);
  }

  /** Stops sampling after one last sample, and returns the maxima. */
  stop(): SampledPeak {
    const finished = Atomics.load(this.control, FINISHED_RUNS);
    Atomics.store(this.control, STATE, IDLE);
    Atomics.notify(this.control, STATE);
    Atomics.wait(this.control, FINISHED_RUNS, finished, 10_000);
    return { maxRss: this.data[MAX_SELF], maxChildrenRss: this.data[MAX_CHILDREN], samples: this.data[SAMPLES] };
  }

  close(): void {
    Atomics.store(this.control, STATE, QUIT);
    Atomics.notify(this.control, STATE);
  }
}

let shared: RssSampler | undefined;

/** One sampler thread for the whole process, started on first use. */
export function rssSampler(): RssSampler {
  shared ??= new RssSampler();
  return shared;
}
