import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { totalmem } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, test } from "node:test";
import { installKernel, KernelBridge, missingJupyter, resultText, streamText, type KernelInstall } from "./helpers/kernel-bridge";

const skip = missingJupyter();

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls (bounded) until the process is gone; the answer is whether it went. */
async function ended(pid: number, seconds: number): Promise<boolean> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (!isRunning(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return !isRunning(pid);
}

/** Interrupts, shutdown and the launcher's death, each on a fresh kernel. */
describe("interrupt and shutdown", { skip }, () => {
  let install: KernelInstall;
  let kernel: KernelBridge;

  beforeEach(async () => {
    install = installKernel();
    kernel = await KernelBridge.start(install);
  });

  afterEach(async () => {
    await kernel?.close();
    install?.remove();
  });

  /** `sh` writes its pid and becomes `sleep 30`, so the file names the process that must end. */
  async function interruptSleeper(how: "interrupt" | "interrupt_request") {
    const pidFile = path.join(install.cwd, "sleeper.pid");
    const id = await kernel.submit(`!sh -c 'echo $$ > sleeper.pid; exec sleep 30'; echo done`, { timeout: 10 });
    const deadline = Date.now() + 10_000;
    while (!existsSync(pidFile) || !readFileSync(pidFile, "utf8").trim()) {
      assert.ok(Date.now() < deadline, "the shell command did not start");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const sleeper = Number(readFileSync(pidFile, "utf8"));
    await kernel.send(how);
    const answer = await kernel.collect(id);
    assert.equal(answer.reply.status, "error");
    assert.equal(answer.reply.ename, "KeyboardInterrupt");
    assert.equal(streamText(answer.outputs, "stdout"), "");
    assert.equal(await ended(sleeper, 5), true, `sleep ${sleeper} is still running after the interrupt`);
    assert.equal(resultText((await kernel.execute("1 + 1")).outputs), "2");
  }

  test("interrupt_request on control stops a shell command and every process it started", async () => {
    await interruptSleeper("interrupt_request");
  });

  test("SIGINT (the kernelspec's interrupt_mode) stops a shell command and every process it started", async () => {
    await interruptSleeper("interrupt");
  });

  test("shutdown_request during a synchronous loop: the kernel exits by itself, with status 0", async () => {
    await kernel.submit("while (true) {}");
    await new Promise((resolve) => setTimeout(resolve, 500));
    const shutdown = await kernel.send("shutdown_request");
    assert.equal(shutdown.exit_code, 0, `exit ${shutdown.exit_code} after ${shutdown.seconds} s`);
  });

  test("the kernel exits when the process that launched it is killed", async () => {
    const { pid } = await kernel.send("kernel_pid");
    assert.equal(isRunning(pid), true);
    await kernel.killLauncher();
    assert.equal(await ended(pid, 10), true, `kernel ${pid} still runs 10 s after its launcher died`);
  });
});

describe("heap limit", { skip }, () => {
  test("the kernelspec sizes the heap from the machine's memory; --heap-limit sets it", () => {
    const limitIn = (args: string[]) => {
      const install = installKernel(args);
      try {
        const spec = JSON.parse(readFileSync(path.join(install.jupyterPath, "kernels", "tsprof", "kernel.json"), "utf8"));
        return spec.argv.find((arg: string) => arg.startsWith("--max-old-space-size="));
      } finally {
        install.remove();
      }
    };
    assert.equal(limitIn([]), `--max-old-space-size=${Math.floor((totalmem() / 2 ** 20) * 0.75)}`);
    assert.equal(limitIn(["--heap-limit", "300"]), "--max-old-space-size=300");
  });

  test("a kernel that died at its heap limit is explained in the next kernel's first cell", async () => {
    const install = installKernel(["--heap-limit", "300"]);
    const kernel = await KernelBridge.start(install);
    try {
      await kernel.submit("const hog: number[][] = [];\nfor (;;) hog.push(new Array(1e5).fill(1.5));");
      const state = await kernel.send("wait_dead", { timeout: 60 });
      assert.equal(state.alive, false, "the kernel should have died at its heap limit");
      await kernel.send("restart");
      const first = await kernel.execute("1 + 1");
      assert.match(
        streamText(first.outputs, "stderr"),
        /^tsprof: the previous kernel \(pid \d+\) died: .*heap.* at its heap limit of \d+ MiB\. Raise the limit with `tsprof install --heap-limit MIB`/m,
      );
      assert.equal(resultText(first.outputs), "2");
      assert.equal(streamText((await kernel.execute("2 + 2")).outputs, "stderr"), "");
    } finally {
      await kernel.close();
      install.remove();
    }
  });
});
