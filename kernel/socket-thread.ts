import { writeSync } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import * as zmq from "zeromq";
import { endpoint, type ConnectionInfo } from "./connection";
import { kernelInfo } from "./kernel-info";
import { Running, SharedState } from "./shared-state";
import { DigestHistory } from "./digest-history";
import { decode, encode, newHeader, Signer, WireError, type Message, type Outgoing } from "./wire";

/**
 * The socket thread owns every zeromq socket, so the heartbeat, kernel_info and interrupt_request
 * are answered even while the main thread runs a synchronous loop for 30 s. It verifies every
 * incoming signature, signs every outgoing message, and forwards shell requests to the main thread.
 */
export interface SocketThreadData {
  connection: ConnectionInfo;
  shared: SharedArrayBuffer;
  session: string;
}

export type ToMain =
  | { type: "request"; channel: "shell" | "control"; message: Message; receivedAt: number }
  | { type: "interrupt" }
  | { type: "shutdown"; restart: boolean };

export type FromMain = { type: "send"; message: Outgoing } | { type: "close" };

const { connection, shared: sharedBuffer, session } = workerData as SocketThreadData;
const port = parentPort!;
const shared = new SharedState(sharedBuffer);
const signer = new Signer(connection.key, connection.signature_scheme);

const digests = new DigestHistory();

// A client that reconnects with the same identity takes over the old connection, as in ipykernel.
const shell = new zmq.Router({ handover: true });
const control = new zmq.Router({ handover: true });
const stdin = new zmq.Router({ handover: true });
const iopub = new zmq.Publisher();
// A ROUTER that echoes every message back with its envelope, as ipykernel's heartbeat does: a REP
// socket aborts the process on a message without the REQ envelope (zeromq's native layer throws).
const heartbeat = new zmq.Router({ handover: true });
const sockets = { shell, control, stdin, iopub } as const;

/**
 * The kernel's log, written straight to the process's stderr: this thread's process.stderr would
 * pass through the main thread, which may be busy, and which shows its stderr in the latest cell.
 */
function log(text: string): void {
  writeSync(2, `tsprof: ${text}\n`);
}

const sendQueue: Outgoing[] = [];
let sending = false;

function send(message: Outgoing): void {
  if (closing) return;
  sendQueue.push(message);
  if (!sending) void drain();
}

/** zeromq 6 allows one send in flight per socket: keep order by sending from one queue. */
async function drain(): Promise<void> {
  sending = true;
  while (sendQueue.length) {
    const message = sendQueue.shift()!;
    await sockets[message.channel].send(encode(message, signer));
  }
  sending = false;
}

function reply(channel: "shell" | "control", request: Message, msgType: string, content: unknown): void {
  send({
    channel,
    identities: request.identities,
    header: newHeader(msgType, session),
    parent_header: request.header,
    metadata: {},
    content,
  });
}

function status(state: "busy" | "idle" | "starting", parent: Message | undefined): void {
  send({
    channel: "iopub",
    identities: [Buffer.from(`kernel.${session}.status`)],
    header: newHeader("status", session),
    parent_header: parent?.header ?? {},
    metadata: {},
    content: { execution_state: state },
  });
}

/**
 * Stop whatever the main thread runs: SIGINT for synchronous code (it runs under vm's
 * breakOnSigint), else a message (an awaited cell, a %timeit between runs, a shell command).
 * JavaScript busy in an async continuation is not stopped: terminating it from here (the inspector's
 * Runtime.terminateExecution) aborts Node 20 to 26 inside timer callbacks, and Node 20 and 22 in any
 * continuation under AsyncLocalStorage, which would lose the kernel.
 */
function interruptMain(): void {
  shared.stopRequested = true;
  if (shared.running !== Running.SyncScript) port.postMessage({ type: "interrupt" } satisfies ToMain);
  else if (!shared.checksStop) process.kill(process.pid, "SIGINT");
  else setTimeout(stopUncheckedCode, LOOP_STOP_GRACE_MS);
}

/**
 * A rewritten top-level loop stops at its next iteration, its variables written back; when it
 * does not (it is inside a long call), the script is terminated as any other.
 */
const LOOP_STOP_GRACE_MS = 200;

function stopUncheckedCode(): void {
  if (shared.running === Running.SyncScript && shared.stopRequested) process.kill(process.pid, "SIGINT");
}

let closing = false;

/** Sockets closed before the process exits: zeromq aborts the process if it finds them open. */
async function closeAll(): Promise<void> {
  if (closing) return;
  await drained();
  closing = true;
  for (const socket of [shell, control, stdin, iopub, heartbeat]) socket.close();
  shared.markSocketsClosed();
}

/** A receive loop ends quietly when its socket is closed for exit. */
async function untilClosed(loop: Promise<void>): Promise<void> {
  try {
    await loop;
  } catch (error) {
    if (!closing) throw error;
  }
}

async function receive(socket: zmq.Router, channel: "shell" | "control" | "stdin"): Promise<void> {
  for await (const frames of socket) {
    let message: Message;
    try {
      message = decode(frames, signer, digests);
    } catch (error) {
      const why = error instanceof WireError ? error.message : String(error);
      log(`dropped a ${channel} message: ${why}`);
      continue;
    }
    try {
      if (channel === "stdin") receiveInput(message);
      else handle(channel, message);
    } catch (error) {
      log(`a ${channel} ${message.header.msg_type} failed: ${String((error as Error)?.stack ?? error)}`);
    }
  }
}

function receiveInput(message: Message): void {
  if (message.header.msg_type !== "input_reply") return;
  const value = message.content.value;
  shared.deliverInput(typeof value === "string" ? value : "");
}

function handle(channel: "shell" | "control", message: Message): void {
  const type = message.header.msg_type;
  if (type === "kernel_info_request") {
    status("busy", message);
    reply(channel, message, "kernel_info_reply", kernelInfo());
    status("idle", message);
    return;
  }
  if (channel === "control" && type === "interrupt_request") {
    status("busy", message);
    interruptMain();
    reply(channel, message, "interrupt_reply", { status: "ok" });
    status("idle", message);
    return;
  }
  if (type === "shutdown_request") {
    const restart = Boolean((message.content as { restart?: unknown }).restart);
    status("busy", message);
    reply(channel, message, "shutdown_reply", { status: "ok", restart });
    status("idle", message);
    endKernel(restart);
    return;
  }
  port.postMessage({ type: "request", channel, message, receivedAt: Date.now() } satisfies ToMain);
}

/**
 * Shutdown, from a request or because the launcher died: the replies so far are sent and the sockets
 * closed from this thread, the main thread is told to exit, and a synchronous loop it may be stuck
 * in is broken by SIGINT so that it can. JavaScript busy after an await cannot be stopped, so the
 * process is killed from here if it has not exited within a second.
 */
function endKernel(restart: boolean): void {
  void closeAll().then(() => {
    port.postMessage({ type: "shutdown", restart } satisfies ToMain);
    if (shared.running === Running.SyncScript) process.kill(process.pid, "SIGINT");
    setTimeout(() => process.kill(process.pid, "SIGKILL"), 1000).unref();
  });
}

const PARENT_POLL_MS = 1000;

/**
 * The kernel ends when the process that launched it dies, as ipykernel does: that process is
 * JPY_PARENT_PID (jupyter_client sets it), else the parent at start. A kernel started by init has
 * nothing to watch.
 */
function watchLauncher(): void {
  const parentAtStart = process.ppid;
  const launcher = Number(process.env.JPY_PARENT_PID) || parentAtStart;
  if (launcher <= 1) return;
  const alive = () => {
    // Re-parented: the launcher was our parent and is gone, even if it lingers as a zombie.
    if (launcher === parentAtStart && process.ppid !== parentAtStart) return false;
    try {
      process.kill(launcher, 0);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === "EPERM";
    }
  };
  const timer = setInterval(() => {
    if (alive()) return;
    clearInterval(timer);
    log(`the process that launched the kernel (pid ${launcher}) has exited: shutting down`);
    endKernel(false);
  }, PARENT_POLL_MS);
}

async function drained(): Promise<void> {
  while (sending || sendQueue.length) await new Promise((resolve) => setTimeout(resolve, 1));
}

async function echoHeartbeats(): Promise<void> {
  for await (const frames of heartbeat) {
    try {
      await heartbeat.send(frames);
    } catch (error) {
      if (closing) throw error;
      log(`heartbeat echo failed: ${String(error)}`);
    }
  }
}

async function main(): Promise<void> {
  await Promise.all([
    shell.bind(endpoint(connection, "shell")),
    control.bind(endpoint(connection, "control")),
    stdin.bind(endpoint(connection, "stdin")),
    iopub.bind(endpoint(connection, "iopub")),
    heartbeat.bind(endpoint(connection, "hb")),
  ]);
  port.on("message", (message: FromMain) => {
    if (message.type === "send") send(message.message);
    else void closeAll();
  });
  status("starting", undefined);
  watchLauncher();
  void untilClosed(echoHeartbeats());
  void untilClosed(receive(control, "control"));
  void untilClosed(receive(stdin, "stdin"));
  void untilClosed(receive(shell, "shell"));
}

main().catch((error) => {
  log(`cannot open the kernel's sockets: ${String(error)}`);
  process.kill(process.pid, "SIGTERM");
});
