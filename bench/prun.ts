import { performance } from "node:perf_hooks";
import { profile } from "../magics/engines/calltree/api";
import { DEFAULT_INTERVAL } from "../magics/engines/calltree/profile";

/**
 * %prun's overhead on a CPU-bound workload (~0.3 s): best of 7 plain runs against best of 7
 * profiled runs, the statement's own time (the slowdown sampling causes) and the whole call
 * (profiler start, stop and tree building added: a fixed few ms).
 */

function spin(n: number): number {
  let x = 0;
  for (let i = 0; i < n; i++) x = (x * 31 + i) % 1000003;
  return x;
}

function workload(): number {
  const data = Array.from({ length: 8000 }, (_, i) => (i * 7919) % 10000);
  const other = Array.from({ length: 8000 }, (_, i) => (i * 104729) % 10000);
  let common = 0;
  for (const v of data) if (other.includes(v)) common++;
  return common + spin(3e7);
}

const REPEATS = 7;

async function best(measure: () => Promise<void> | void): Promise<number> {
  let fastest = Infinity;
  for (let i = 0; i < REPEATS; i++) {
    const t = performance.now();
    await measure();
    fastest = Math.min(fastest, performance.now() - t);
  }
  return fastest;
}

export async function run(): Promise<void> {
  for (let i = 0; i < 3; i++) workload();
  const plain = await best(() => void workload());
  console.log(`%prun overhead on a CPU-bound workload (best of ${REPEATS}):`);
  console.log(`  plain run: ${plain.toFixed(1)} ms`);
  for (const interval of [DEFAULT_INTERVAL, 0.001, 0.0001]) {
    let samples = 0;
    let inside = Infinity;
    const whole = await best(async () => {
      const result = await profile(() => {
        const t = performance.now();
        workload();
        inside = Math.min(inside, performance.now() - t);
      }, { interval });
      samples = result.tree.sampleCount;
    });
    const label = interval === DEFAULT_INTERVAL ? `${interval * 1e6} µs (default)` : `${interval * 1e6} µs`;
    const percent = (ms: number) => `${(((ms - plain) / plain) * 100).toFixed(1)}%`;
    console.log(
      `  profiled at ${label}: statement ${inside.toFixed(1)} ms (${percent(inside)} overhead), ` +
        `whole call ${whole.toFixed(1)} ms (${percent(whole)}), ${samples} samples`,
    );
  }
}

if (require.main === module) void run();
