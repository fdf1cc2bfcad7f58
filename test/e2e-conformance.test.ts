import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { before, describe, test } from "node:test";
import { installKernel, kernelbenchDir, missingJupyter, python } from "./helpers/kernel-bridge";

/** Kernel-side gaps the suite finds, kept visible as todo until fixed. */
const KNOWN_GAPS: Record<string, string> = {};

interface SuiteRun {
  status: number | null;
  output: string;
  ran: string[];
  failed: Set<string>;
  skipped: Set<string>;
}

async function runSuite(): Promise<SuiteRun> {
  const install = installKernel();
  try {
    const env = { ...install.env, KERNELBENCH_KERNELS: "tsprof=tsprof", KERNELBENCH_KERNEL_CWD: install.cwd };
    const child = spawn(python, ["-m", "unittest", "-v", "test_kernels"], { cwd: kernelbenchDir, env });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const status = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    const names = (pattern: RegExp) => [...output.matchAll(pattern)].map((match) => match[1]);
    return {
      status,
      output,
      ran: [...new Set(names(/^(test_\w+) \(test_kernels\./gm))],
      failed: new Set(names(/^(?:FAIL|ERROR): (test_\w+)/gm)),
      skipped: new Set(names(/^(test_\w+) \(.*\) \.\.\. skipped/gm)),
    };
  } finally {
    install.remove();
  }
}

const skip = missingJupyter() ?? (existsSync(kernelbenchDir) ? undefined : `shared kernelbench tools not found at ${kernelbenchDir}`);

describe("jupyter_kernel_test conformance (kernelbench test_kernels.py, TsprofProfile)", { skip }, () => {
  let run: SuiteRun;

  before(async () => {
    run = await runSuite();
    const summary = run.output.split("\n").filter((line) => /^(Ran \d+ tests|OK|FAILED)/.test(line));
    const verdict = (name: string) => (run.failed.has(name) ? "FAIL" : run.skipped.has(name) ? "skipped" : "ok");
    process.stdout.write(`jupyter_kernel_test: ${run.ran.map((name) => `${name}=${verdict(name)}`).join(" ")}\n${summary.join(" ")}\n`);
  }, { timeout: 180_000 });

  test("the suite ran every test and skipped only the pager", () => {
    assert.ok(run.ran.length >= 12, run.output);
    assert.deepEqual([...run.skipped], ["test_pager"], run.output);
  });

  for (const name of ["test_kernel_info", "test_execute_stdout", "test_execute_stderr", "test_completion", "test_is_complete",
    "test_execute_result", "test_display_data", "test_clear_output", "test_error", "test_inspect", "test_history"]) {
    test(name, { todo: KNOWN_GAPS[name] }, () => {
      assert.ok(run.ran.includes(name), `${name} did not run:\n${run.output}`);
      assert.ok(!run.failed.has(name), run.output);
    });
  }
});
