import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { installKernel, missingJupyter, python, repoRoot } from "./helpers/kernel-bridge";

/**
 * The course chapter, notebooks/profiling.ipynb, re-executed headless through nbclient with the
 * tsprof kernel in a scratch copy: no cell fails, and every magic produced its report.
 */

interface NotebookOutput {
  output_type: string;
  name?: string;
  text?: string;
  data?: Record<string, string>;
  ename?: string;
  evalue?: string;
}

interface ExecutedCell {
  source: string;
  outputs: NotebookOutput[];
}

const EXECUTE = `
import json, sys
import nbformat
from nbclient import NotebookClient
notebook_file, cwd, result_file = sys.argv[1], sys.argv[2], sys.argv[3]
nb = nbformat.read(notebook_file, as_version=4)
NotebookClient(nb, kernel_name="tsprof", timeout=300, allow_errors=True, resources={"metadata": {"path": cwd}}).execute()
with open(result_file, "w") as out:
    json.dump([{"source": c.source, "outputs": c.outputs} for c in nb.cells if c.cell_type == "code"], out)
`;

const TIMEIT_LINE = /per loop \(mean ± std\. dev\. of \d+ runs?, [\d,]+ loops? each\)/;

function textOf(outputs: NotebookOutput[]): string {
  return outputs.map((output) => output.text ?? output.data?.["text/plain"] ?? "").join("");
}

function htmlOf(outputs: NotebookOutput[]): string {
  return outputs.map((output) => output.data?.["text/html"] ?? "").join("");
}

/** What each kind of cell must show, by the magic or command it runs. */
const expectations: Array<{ kind: string; matches: RegExp; check(cell: ExecutedCell): void }> = [
  {
    kind: "%lprun",
    matches: /^%lprun /m,
    check: (cell) => assert.match(htmlOf(cell.outputs), /Line #/, "%lprun needs an HTML report with a Line # column"),
  },
  {
    kind: "%timeit",
    matches: /^%%?timeit\b/m,
    check: (cell) => assert.match(textOf(cell.outputs), TIMEIT_LINE),
  },
  {
    kind: "%time",
    matches: /^%%?time /m,
    check: (cell) => assert.match(textOf(cell.outputs), /CPU times: .*\nWall time: /),
  },
  {
    kind: "%mprun",
    matches: /^%mprun /m,
    check: (cell) => {
      const text = textOf(cell.outputs);
      assert.match(text, /Line #\s+Mem usage\s+Increment\s+Peak\s+Occurrences\s+Line Contents/);
      assert.match(htmlOf(cell.outputs), /Peak/);
    },
  },
  {
    kind: "%memit",
    matches: /^%memit /m,
    check: (cell) => assert.match(textOf(cell.outputs), /peak memory: [\d.]+ MiB, increment: [-\d.]+ MiB/),
  },
  {
    kind: "%prun",
    matches: /^%prun /m,
    check: (cell) => {
      assert.match(textOf(cell.outputs), /Duration: [\d.]+ s/);
      assert.notEqual(htmlOf(cell.outputs), "", "%prun needs an HTML tree");
    },
  },
  {
    kind: "%scaling",
    matches: /^%scaling /m,
    check: (cell) => {
      assert.match(textOf(cell.outputs), /≈ O\(n\^[\d.]+\)/);
      assert.ok(cell.outputs.some((output) => output.data?.["image/svg+xml"]), "%scaling needs its plot");
    },
  },
  {
    kind: "%%file",
    matches: /^%%file /,
    check: (cell) => assert.match(textOf(cell.outputs), /^(Writing|Overwriting) \S+\.ts/m),
  },
  {
    kind: "tsprof lprof",
    matches: /tsprof lprof /,
    check: (cell) => assert.match(textOf(cell.outputs), /Line #\s+Hits\s+Time\s+Per Hit\s+% Time\s+Line Contents/),
  },
  {
    kind: "tsprof prof",
    matches: /tsprof prof /,
    check: (cell) => assert.match(textOf(cell.outputs), /Program: \S+\.ts/),
  },
  {
    kind: "time",
    matches: /^(!|)time tsprof run /m,
    check: (cell) => assert.match(textOf(cell.outputs), /real\s+\d+m[\d.]+s/),
  },
  {
    kind: "plot",
    matches: /display\.svg\(/,
    check: (cell) => assert.ok(cell.outputs.some((output) => output.data?.["image/svg+xml"]), "the plot cell needs an SVG"),
  },
];

test("the course notebook runs end to end and every magic reports", { skip: missingJupyter(), timeout: 600_000 }, () => {
  const install = installKernel();
  try {
    const notebook = path.join(install.cwd, "profiling.ipynb");
    copyFileSync(path.join(repoRoot, "notebooks", "profiling.ipynb"), notebook);
    const started = performance.now();
    const resultFile = path.join(install.cwd, "executed.json");
    const run = spawnSync(python, ["-c", EXECUTE, notebook, install.cwd, resultFile], {
      env: install.env,
      encoding: "utf8",
      timeout: 540_000,
      maxBuffer: 256 * 1024 * 1024,
    });
    const seconds = (performance.now() - started) / 1000;
    console.log(`notebooks/profiling.ipynb executed in ${seconds.toFixed(1)} s (target: at most 180 s)`);
    assert.equal(run.status, 0, `nbclient failed:\n${run.stderr}`);
    const cells = JSON.parse(readFileSync(resultFile, "utf8")) as ExecutedCell[];

    const seen = new Set<string>();
    for (const cell of cells) {
      const where = `in the cell:\n${cell.source}\n`;
      const errors = cell.outputs.filter((output) => output.output_type === "error");
      assert.deepEqual(errors.map((e) => `${e.ename}: ${e.evalue}`), [], where);
      const text = textOf(cell.outputs);
      assert.doesNotMatch(text, /UsageError|\[exit status \d+\]/, where);
      for (const expectation of expectations.filter((e) => e.matches.test(cell.source))) {
        seen.add(expectation.kind);
        try {
          expectation.check(cell);
        } catch (error) {
          throw new Error(`${expectation.kind}: ${(error as Error).message}\n${where}outputs: ${JSON.stringify(cell.outputs).slice(0, 2000)}`);
        }
      }
    }
    assert.deepEqual([...seen].sort(), expectations.map((e) => e.kind).sort(), "the notebook uses every magic and command");
  } finally {
    install.remove();
  }
});
