import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";

/** The repository root, from dist/test/helpers (compiled) or test/helpers (source). */
export const repoRoot = path.resolve(__dirname, "..", "..", ...(path.basename(path.resolve(__dirname, "..", "..")) === "dist" ? [".."] : []));

/** Debian's interpreter, which has jupyter_client, jupyter_kernel_test, nbclient and psutil. */
export const python = "/usr/bin/python3";

/** The shared kernelbench tools (bench.py, test_kernels.py), beside the repository in CI and here. */
export const kernelbenchDir = path.resolve(repoRoot, "..", "shared", "tools", "kernelbench");

/** Why the end-to-end tests cannot run here, or undefined when they can. */
export function missingJupyter(): string | undefined {
  if (!existsSync(python)) return `${python} not found`;
  const probe = spawnSync(python, ["-c", "import jupyter_client, zmq"], { encoding: "utf8" });
  return probe.status === 0 ? undefined : `${python} cannot import jupyter_client: ${probe.stderr.trim()}`;
}

export interface KernelInstall {
  /** The value for JUPYTER_PATH. */
  jupyterPath: string;
  /** A scratch folder to use as the kernel's working directory. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  remove(): void;
}

/** Installs the built kernel's kernelspec into a temporary prefix. */
export function installKernel(installArgs: string[] = []): KernelInstall {
  const root = mkdtempSync(path.join(tmpdir(), "tsprof-e2e-"));
  const prefix = path.join(root, "prefix");
  const cwd = path.join(root, "work");
  const result = spawnSync(process.execPath, [path.join(repoRoot, "dist", "kernel", "cli.js"), "install", "--prefix", prefix, ...installArgs], {
    encoding: "utf8",
    cwd: repoRoot,
  });
  if (result.status !== 0) throw new Error(`tsprof install failed: ${result.stderr}`);
  mkdirSync(cwd);
  const jupyterPath = path.join(prefix, "share", "jupyter");
  const env = {
    ...process.env,
    JUPYTER_PATH: jupyterPath,
    JUPYTER_RUNTIME_DIR: path.join(root, "runtime"),
    JUPYTER_DATA_DIR: path.join(root, "data"),
    IPYTHONDIR: path.join(root, "ipython"),
    PYDEVD_DISABLE_FILE_VALIDATION: "1",
  };
  return { jupyterPath, cwd, env, remove: () => rmSync(root, { recursive: true, force: true }) };
}

export interface Output {
  msg_type: string;
  content: Record<string, any>;
}

export interface ExecuteAnswer {
  msg_id: string;
  reply: Record<string, any>;
  outputs: Output[];
  input_requests: Record<string, any>[];
}

export interface ExecuteOptions {
  timeout?: number;
  silent?: boolean;
  store_history?: boolean;
  stop_on_error?: boolean;
  allow_stdin?: boolean;
  user_expressions?: Record<string, string>;
  /** Answer the cell's input_request with this value. */
  input?: string;
}

/** A tsprof kernel started by jupyter_client (through test/e2e/bridge.py), driven request by request. */
export class KernelBridge {
  private readonly answers: ((answer: any) => void)[] = [];
  private stderr = "";
  private exited = false;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on("line", (line) => this.answers.shift()?.(JSON.parse(line)));
    child.stderr.on("data", (chunk: Buffer) => (this.stderr += chunk.toString()));
    child.on("exit", () => {
      this.exited = true;
      for (const resolve of this.answers.splice(0)) resolve({ error: `bridge exited: ${this.stderr}` });
    });
  }

  static async start(install: KernelInstall): Promise<KernelBridge> {
    const child = spawn(python, [path.join(repoRoot, "test", "e2e", "bridge.py"), "tsprof", install.cwd], { env: install.env });
    const bridge = new KernelBridge(child);
    const ready = await bridge.next();
    if (!ready.ready) throw new Error(`kernel did not start: ${ready.error ?? ""} ${bridge.stderr}`);
    return bridge;
  }

  /** What the kernel and the bridge wrote on stderr so far (kernel logs land here). */
  get log(): string {
    return this.stderr;
  }

  private next(): Promise<any> {
    return new Promise((resolve) => (this.exited ? resolve({ error: "bridge exited" }) : this.answers.push(resolve)));
  }

  /** Sends one request; throws with the bridge's error text when it failed. */
  async send(op: string, fields: Record<string, unknown> = {}): Promise<any> {
    const answer = this.next();
    this.child.stdin.write(`${JSON.stringify({ op, ...fields })}\n`);
    const result = await answer;
    if (result.error) throw new Error(`${op}: ${result.error}`);
    return result;
  }

  execute(code: string, options: ExecuteOptions = {}): Promise<ExecuteAnswer> {
    return this.send("execute", { code, ...options });
  }

  /** Sends an execute_request without waiting; `collect` gets its answer later. */
  async submit(code: string, options: ExecuteOptions = {}): Promise<string> {
    return (await this.send("execute", { code, ...options, wait: false })).msg_id;
  }

  collect(msgId: string): Promise<ExecuteAnswer> {
    return this.send("collect", { msg_id: msgId });
  }

  /** Outputs of an earlier request that arrive within `seconds` after its idle (timers, callbacks). */
  async late(msgId: string, seconds = 0.5): Promise<Output[]> {
    return (await this.send("late", { msg_id: msgId, seconds })).outputs;
  }

  /** Kills the bridge, the process that launched the kernel, with SIGKILL: it cannot clean up. */
  async killLauncher(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.kill("SIGKILL");
    await exited;
  }

  async close(): Promise<void> {
    if (!this.exited) {
      const exited = new Promise((resolve) => this.child.once("exit", resolve));
      await this.send("shutdown", { now: true }).catch(() => undefined);
      this.child.stdin.end();
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (!this.exited) this.child.kill();
    }
  }
}

/** Text of the outputs of one type (stream name or msg_type), joined. */
export function streamText(outputs: Output[], name: "stdout" | "stderr"): string {
  return outputs.filter((o) => o.msg_type === "stream" && o.content.name === name).map((o) => o.content.text).join("");
}

export function outputsOf(outputs: Output[], type: string): Output[] {
  return outputs.filter((o) => o.msg_type === type);
}

/** The text/plain of the cell's execute_result, or undefined. */
export function resultText(outputs: Output[]): string | undefined {
  return outputs.find((o) => o.msg_type === "execute_result")?.content.data["text/plain"];
}
