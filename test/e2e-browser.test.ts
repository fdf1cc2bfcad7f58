import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { installKernel, missingJupyter, python, repoRoot } from "./helpers/kernel-bridge";

/**
 * The course notebook in a real browser: Debian's Jupyter Notebook (classic 6.x UI) on loopback
 * with a token, headless Chromium driven by playwright-core; a few cells are run with Shift+Enter
 * and the rendered %lprun table and %timeit line must appear on the page.
 */

const CHROMIUM = "/usr/bin/chromium";

function whyNotRunnable(): string | undefined {
  const jupyter = missingJupyter();
  if (jupyter) return jupyter;
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} not found`;
  const probe = spawnSync(python, ["-c", "import notebook"], { encoding: "utf8" });
  return probe.status === 0 ? undefined : "Jupyter Notebook (python3 -m notebook) is not installed";
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

async function waitForServer(url: string, server: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`Jupyter Notebook exited:\n${log()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`Jupyter Notebook did not answer at ${url}:\n${log()}`);
}

/** The notebook without its saved outputs, so what the page shows comes from this run. */
function copyWithoutOutputs(from: string, to: string): void {
  const notebook = JSON.parse(readFileSync(from, "utf8")) as { cells: Array<{ cell_type: string; outputs?: unknown[]; execution_count?: number | null }> };
  for (const cell of notebook.cells) {
    if (cell.cell_type !== "code") continue;
    cell.outputs = [];
    cell.execution_count = null;
  }
  writeFileSync(to, JSON.stringify(notebook, null, 1));
}

/** Cells to run, in order, each found by a line of its source; the last two are the ones checked. */
const CELLS_TO_RUN = [
  "function countCommon(data1: number[], data2: number[]): number {",
  "function randomNumbers(n: number): number[] {",
  "let n = 4000;",
  "%lprun -f countCommon countCommon(data1, data2)",
  "%timeit -n 10 -r 2 countCommon(data1, data2)",
];

test("the course notebook runs %lprun and %timeit in Jupyter Notebook in Chromium", { skip: whyNotRunnable(), timeout: 240_000 }, async () => {
  const { chromium } = require("playwright-core") as typeof import("playwright-core");
  const install = installKernel();
  const scratch = mkdtempSync(path.join(tmpdir(), "tsprof-browser-"));
  const notebookDir = path.join(scratch, "notebooks");
  mkdirSync(notebookDir);
  copyWithoutOutputs(path.join(repoRoot, "notebooks", "profiling.ipynb"), path.join(notebookDir, "profiling.ipynb"));
  const port = await freePort();
  const token = randomBytes(16).toString("hex");
  let log = "";
  const server = spawn(
    python,
    ["-m", "notebook", "--no-browser", "--allow-root", "--ip=127.0.0.1", `--port=${port}`, `--NotebookApp.token=${token}`, `--notebook-dir=${notebookDir}`],
    { env: install.env, stdio: ["ignore", "pipe", "pipe"] },
  );
  server.stdout?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  server.stderr?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  let browser: import("playwright-core").BrowserContext | undefined;
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitForServer(`${base}/api?token=${token}`, server, () => log);
    // A fresh profile directory: playwright takes it as launchPersistentContext's first argument.
    browser = await chromium.launchPersistentContext(path.join(scratch, "chromium"), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 1600 },
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    const page = await browser.newPage();
    await page.goto(`${base}/notebooks/profiling.ipynb?token=${token}`);
    await page.locator("#kernel_indicator_icon.kernel_idle_icon").waitFor({ timeout: 60_000 });

    for (const line of CELLS_TO_RUN) {
      const cell = page.locator(".cell.code_cell", { hasText: line }).first();
      await cell.locator(".input_area").click();
      await page.keyboard.press("Shift+Enter");
      await page.locator("#kernel_indicator_icon.kernel_idle_icon").waitFor({ timeout: 60_000 });
    }

    const lprun = page.locator(".cell.code_cell", { hasText: CELLS_TO_RUN[3] }).first();
    const table = lprun.locator(".output_html table", { hasText: "Line #" });
    await table.waitFor({ timeout: 60_000 });
    assert.match(await table.innerText(), /data2\.includes\(value\)/);

    const timeit = page.locator(".cell.code_cell", { hasText: CELLS_TO_RUN[4] }).first();
    const line = timeit.locator(".output_area", { hasText: "per loop" }).first();
    await line.waitFor({ timeout: 60_000 });
    assert.match(await line.innerText(), /per loop \(mean ± std\. dev\. of 2 runs, 10 loops each\)/);

    const screenshots = path.join(repoRoot, "test-output");
    mkdirSync(screenshots, { recursive: true });
    await lprun.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(screenshots, "notebook-lprun.png"), fullPage: false });
  } finally {
    await browser?.close();
    server.kill("SIGINT");
    await new Promise((resolve) => setTimeout(resolve, 300));
    if (server.exitCode === null) server.kill("SIGKILL");
    rmSync(scratch, { recursive: true, force: true });
    install.remove();
  }
});
