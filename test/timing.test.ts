import { test } from "node:test";
import * as assert from "node:assert/strict";
import { compileLoop, hasTopLevelAwait } from "../magics/engines/timing/compile-loop";
import { TimingUsageError } from "../magics/engines/timing/errors";
import { formatTime } from "../magics/engines/timing/format-time";
import { measureTimeit, type TimeitData } from "../magics/engines/timing/timeit";
import { timeRun } from "../magics/engines/timing/time-run";
import { time, timeit } from "../magics/engines/timing/api";
import { TimeitResult, TimeResult } from "../magics/render/timing-report";
import { toMimeBundle } from "../magics/render/mime";

const globals = globalThis as Record<string, unknown>;

function data(loops: number, allRuns: number[], extra: Partial<TimeitData> = {}): TimeitData {
  return {
    loops,
    repeat: allRuns.length,
    all_runs: allRuns,
    compile_time: 3e-5,
    precision: 3,
    timer: "perf",
    untimed_runs: [],
    ...extra,
  };
}

test("formatTime matches IPython's _format_time on every recorded example", () => {
  const expected: Array<[number, string]> = [
    [0, "0 ns"],
    [3e-10, "0.3 ns"],
    [1e-9, "1 ns"],
    [2.5e-8, "25 ns"],
    [9.9949e-7, "999 ns"],
    [0.0012345, "1.23 ms"],
    [0.9996, "1e+03 ms"],
    [1.0, "1 s"],
    [59.99, "60 s"],
    [60, "1min"],
    [61.5, "1min 1s"],
    [3600, "1h"],
    [3605, "1h 5s"],
    [3725.2, "1h 2min 5s"],
    [90061, "1d 1h 1min 1s"],
  ];
  for (const [seconds, text] of expected) assert.equal(formatTime(seconds), text, `formatTime(${seconds})`);
  assert.equal(formatTime(0.000107209, 6), "107.209 µs");
  assert.equal(formatTime(2.53667e-6, 6), "2.53667 µs");
  assert.equal(formatTime(3725.2, 6), "1h 2min 5s");
});

test("the result line, mean and population std. dev. match IPython's on its recorded runs", () => {
  const allRuns = [
    1.1598825959999886, 1.1453985939997438, 1.1261196939994988, 1.1015080460001627, 1.1062167850004698,
    1.0756872740003018, 1.1007878020000135,
  ];
  const result = new TimeitResult(data(10000, allRuns));
  assert.equal(String(result), "112 µs ± 2.69 µs per loop (mean ± std. dev. of 7 runs, 10,000 loops each)");
  assert.ok(Math.abs(result.average - 0.00011165143987143113) < 1e-18);
  assert.ok(Math.abs(result.stdev - 2.686678883789546e-6) < 1e-15);
  assert.equal(result.best, 1.0756872740003018 / 10000);
  assert.equal(result.worst, 1.1598825959999886 / 10000);
  assert.deepEqual(result.timings, allRuns.map((r) => r / 10000));
  assert.deepEqual(result.warnings(), []);
  assert.equal(result.report(), `${result}\n`);
  const bundle = result[toMimeBundle]();
  assert.equal(bundle["text/plain"], `<TimeitResult : ${result}>`);
  assert.match(String(bundle["text/html"]), /<svg[^>]*>(<rect [^>]*><title>run \d: [^<]+<\/title><\/rect>){7}<\/svg>/);
});

test("singular run and loop, thousands separators and -p digits", () => {
  assert.equal(
    String(new TimeitResult(data(1, [0.0319]))),
    "31.9 ms ± 0 ns per loop (mean ± std. dev. of 1 run, 1 loop each)",
  );
  assert.equal(
    String(new TimeitResult(data(1_000_000, [2, 2]))),
    "2 µs ± 0 ns per loop (mean ± std. dev. of 2 runs, 1,000,000 loops each)",
  );
  const precise = new TimeitResult(data(10, [0.00107209 - 0.0000253667, 0.00107209 + 0.0000253667], { precision: 6 }));
  assert.equal(String(precise), "107.209 µs ± 2.53667 µs per loop (mean ± std. dev. of 2 runs, 10 loops each)");
});

test("the caching warning, the optimized-away warning and the compiler line", () => {
  const cached = new TimeitResult(data(1, [0.0127, 1e-6, 1e-6, 1e-6]));
  assert.deepEqual(cached.warnings(), [
    "The slowest run took 12700.00 times longer than the fastest. This could mean that an intermediate result is being cached.",
  ]);
  const folded = new TimeitResult(data(10_000_000, [0.0024, 0.0025, 0.0024]));
  assert.equal(folded.warnings().length, 1);
  assert.match(folded.warnings()[0], /^The fastest run took 0\.24 ns per loop, .*optimized the statement away/);
  assert.deepEqual(new TimeitResult(data(10_000_000, [0.0024], { timer: "cpu" })).warnings(), []);
  const slowCompile = new TimeitResult(data(1, [0.000392], { compile_time: 0.2912 }));
  assert.equal(
    slowCompile.report(),
    "392 µs ± 0 ns per loop (mean ± std. dev. of 1 run, 1 loop each)\nCompiler time: 0.29 s\n",
  );
});

test("autorange steps 1, 2, 5, 10… to the first run that takes 0.2 s; setup runs once per run", async () => {
  globals.__timingSetups = 0;
  globals.__timingBusyWait = (ms: number) => {
    const end = process.hrtime.bigint() + BigInt(ms * 1e6);
    while (process.hrtime.bigint() < end);
  };
  const compiled = compileLoop("__timingBusyWait(25)", "__timingSetups++");
  const measured = await measureTimeit(compiled, { repeat: 1 });
  assert.equal(measured.loops, 10);
  assert.deepEqual(measured.untimed_runs.map((r) => r.loops), [1, 2, 5, 10]);
  assert.equal(globals.__timingSetups, 5);
  assert.ok(measured.all_runs[0] >= 0.25);
});

test("with -n 3 -r 4 the setup runs 4 times, plus one warm-up run unless disabled", async () => {
  globals.__timingSetups = 0;
  globals.__timingStatements = 0;
  const compiled = compileLoop("__timingStatements++", "__timingSetups++");
  const cold = await measureTimeit(compiled, { number: 3, repeat: 4, warmup: false });
  assert.deepEqual([globals.__timingSetups, globals.__timingStatements], [4, 12]);
  assert.equal(cold.all_runs.length, 4);
  assert.equal(cold.loops, 3);
  globals.__timingSetups = 0;
  globals.__timingStatements = 0;
  const warm = await measureTimeit(compiled, { number: 3, repeat: 4 });
  assert.deepEqual([globals.__timingSetups, globals.__timingStatements], [5, 15]);
  assert.deepEqual(warm.untimed_runs.map((r) => r.loops), [3]);
});

test("an awaited statement is timed to its end", async () => {
  const compiled = compileLoop("await new Promise((resolve) => setTimeout(resolve, 10))");
  assert.equal(compiled.isAsync, true);
  const result = new TimeitResult(await measureTimeit(compiled, { number: 2, repeat: 2, warmup: false }));
  assert.ok(result.best >= 0.009, `best ${result.best}`);
});

test("top-level await is told apart from await inside a function", () => {
  assert.equal(hasTopLevelAwait("await f()"), true);
  assert.equal(hasTopLevelAwait("for await (const x of xs) {}"), true);
  assert.equal(hasTopLevelAwait("if (a) { x = await g(); }"), true);
  assert.equal(hasTopLevelAwait("const f = async () => { await g(); }"), false);
  assert.equal(hasTopLevelAwait("async function f() { await g(); }"), false);
  assert.equal(hasTopLevelAwait("const awaited = 1"), false);
  assert.equal(hasTopLevelAwait("await ("), false);
});

test("errors keep the caller's file and lines; declarations do not leak", async () => {
  const failing = compileLoop("null.x", "let a = 1", { filename: "In[9]", setupLine: 4, stmtLine: 5 });
  await assert.rejects(measureTimeit(failing), (error: Error) => {
    assert.equal(error.name, "TypeError");
    assert.match(String(error.stack), /In\[9\]:5\b/);
    return true;
  });
  const setupFails = compileLoop("1", "undefinedName", { filename: "In[9]", setupLine: 4, stmtLine: 5 });
  await assert.rejects(measureTimeit(setupFails), (error: Error) => /In\[9\]:4\b/.test(String(error.stack)));
  const lineMagic = compileLoop("\nnull.y", "", { filename: "In[2]", stmtLine: 3 });
  await assert.rejects(measureTimeit(lineMagic, { number: 1 }), (error: Error) => /In\[2\]:4\b/.test(String(error.stack)));
  assert.throws(() => compileLoop("f(", "", { filename: "In[3]" }), SyntaxError);
  await measureTimeit(compileLoop("var __timingLeaked = 1; const c = 2;", "const d = 3"), { number: 1, repeat: 1 });
  assert.equal("__timingLeaked" in globals, false);
});

test("bad numbers are rejected with what is allowed", async () => {
  const compiled = compileLoop("");
  const cases: Array<[object, RegExp]> = [
    [{ number: -5 }, /number of loops \(-n\) must be a whole number ≥ 0 \(got -5\)/],
    [{ number: 1.5 }, /got 1\.5/],
    [{ repeat: 0 }, /number of runs \(-r\) must be a whole number ≥ 1 \(got 0\)/],
    [{ precision: 0 }, /precision \(-p\) must be a whole number from 1 to 20 \(got 0\)/],
    [{ timer: "sundial" }, /timer must be "perf", "wall" \(-t\) or "cpu" \(-c\) \(got "sundial"\)/],
  ];
  for (const [options, message] of cases) {
    await assert.rejects(measureTimeit(compiled, options), (error: Error) => {
      assert.ok(error instanceof TimingUsageError);
      assert.match(error.message, message);
      return true;
    });
  }
});

test("an abort between runs stops with a KeyboardInterrupt", async () => {
  const controller = new AbortController();
  globals.__timingRuns = 0;
  globals.__timingAbort = () => controller.abort();
  const compiled = compileLoop("", "if (++__timingRuns === 2) __timingAbort()");
  await assert.rejects(
    measureTimeit(compiled, { number: 1, repeat: 7, signal: controller.signal }),
    (error: Error) => error.name === "KeyboardInterrupt",
  );
  assert.equal(globals.__timingRuns, 2);
});

test("the wall and CPU timers measure what they say", async () => {
  const sleeper = compileLoop("await new Promise((resolve) => setTimeout(resolve, 20))");
  const wall = await measureTimeit(sleeper, { number: 1, repeat: 1, timer: "wall", warmup: false });
  const cpu = await measureTimeit(sleeper, { number: 1, repeat: 1, timer: "cpu", warmup: false });
  assert.ok(wall.all_runs[0] >= 0.019, `wall ${wall.all_runs[0]}`);
  assert.ok(cpu.all_runs[0] < wall.all_runs[0], `cpu ${cpu.all_runs[0]}`);
});

test("timeRun awaits promises, keeps the timing of a failure, and formats like IPython", async () => {
  const sync = await timeRun(() => 42);
  assert.equal(sync.value, 42);
  assert.equal("error" in sync, false);
  const slow = await timeRun(() => new Promise((resolve) => setTimeout(() => resolve("done"), 15)));
  assert.equal(slow.value, "done");
  assert.ok(slow.wallSeconds >= 0.014);
  const boom = new Error("boom");
  const failed = await timeRun(() => {
    throw boom;
  });
  assert.equal(failed.error, boom);
  const rejected = await timeRun(() => Promise.reject(boom));
  assert.equal(rejected.error, boom);
  const text = new TimeResult(slow).report();
  assert.match(text, /^CPU times: user \S+ (ns|µs|ms|s), sys: \S+ (ns|µs|ms|s), total: \S+ (ns|µs|ms|s)\nWall time: 1\d(\.\d+)? ms\n$/);
  const fixed = new TimeResult({ value: 1, wallSeconds: 0.0312, userSeconds: 0.0303, systemSeconds: 0.0189 }, 0.257);
  assert.equal(
    fixed.report(),
    "CPU times: user 30.3 ms, sys: 18.9 ms, total: 49.2 ms\nWall time: 31.2 ms\nCompiler : 257 ms\n",
  );
});

test("library timeit and time take functions and code strings", async () => {
  let calls = 0;
  const result = await timeit(() => calls++, { number: 5, repeat: 2 });
  assert.equal(calls, 15);
  assert.equal(result.loops, 5);
  const awaited = await timeit(async () => new Promise((resolve) => setTimeout(resolve, 5)), { number: 1, repeat: 1 });
  assert.ok(awaited.best >= 0.004);
  globals.__timingFromCode = 0;
  await timeit("__timingFromCode += n", { setup: "const n = 2", number: 3, repeat: 1, warmup: false });
  assert.equal(globals.__timingFromCode, 6);
  const timed = await time(() => "value");
  assert.equal(timed.value, "value");
  assert.equal((await time("6 * 7")).value, 42);
  await assert.rejects(time(() => Promise.reject(new Error("late"))), /late/);
  await assert.rejects(timeit(42 as never), TimingUsageError);
});
