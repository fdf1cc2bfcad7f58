import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { test } from "node:test";
import { installKernel, missingJupyter, python, repoRoot } from "./helpers/kernel-bridge";

interface NotebookOutput {
  output_type: string;
  name?: string;
  text?: string;
  data?: Record<string, string>;
}

const skip = missingJupyter();

test("nbclient executes a small TypeScript notebook without errors", { skip, timeout: 120_000 }, () => {
  const install = installKernel();
  try {
    const run = spawnSync(python, [path.join(repoRoot, "test", "e2e", "notebook.py"), "tsprof", install.cwd], {
      env: install.env,
      encoding: "utf8",
      timeout: 110_000,
    });
    assert.equal(run.status, 0, `nbclient failed:\n${run.stderr}`);
    const cells = JSON.parse(run.stdout) as { execution_count: number; outputs: NotebookOutput[] }[];
    assert.deepEqual(cells.map((cell) => cell.execution_count), [1, 2, 3, 4, 5, 6, 7]);
    const only = (index: number) => {
      assert.equal(cells[index].outputs.length, 1, JSON.stringify(cells[index].outputs));
      return cells[index].outputs[0];
    };
    assert.equal(only(0).data?.["text/plain"], "6765");
    assert.equal(only(1).data?.["text/plain"], "499500");
    assert.deepEqual({ ...only(2) }, { output_type: "stream", name: "stdout", text: "hello from the kernel [ 1, 2, 3 ]\n" });
    assert.equal(only(3).output_type, "display_data");
    assert.equal(only(3).data?.["text/html"], "<b>bold</b> <i>html</i>");
    assert.equal(only(4).data?.["text/plain"], "3");
    assert.match(only(5).text ?? "", /^Writing square\.ts/);
    assert.equal(only(6).data?.["text/plain"], String(499500 * 499500));
  } finally {
    install.remove();
  }
});
