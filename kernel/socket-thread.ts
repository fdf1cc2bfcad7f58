import { parentPort, workerData } from "node:worker_threads";
import * as zmq from "zeromq";
import { endpoint, type ConnectionInfo } from "./connection";
import { kernelInfo } from "./kernel-info";
import { Running, SharedState } from "./shared-state";
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

const shell = new zmq.Router();
const control = new zmq.Router();
const stdin = new zmq.Router();
const iopub = new zmq.Publisher();
const heartbeat = new zmq.Reply();
const sockets = { shell, control, stdin, iopub } as const;

const sendQueue: Outgoing[] = [];
let sending = false;

function send(message: Outgoing): void {
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
 * Runtime.terminateExecution) aborts Node 20 inside timer callbacks, which would lose the kernel.
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
  closing = true;
  await drained();
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
      message = decode(frames, signer);
    } catch (error) {
      const why = error instanceof WireError ? error.message : String(error);
      process.stderr.write(`tsprof: dropped a ${channel} message: ${why}\n`);
      continue;
    }
    if (channel === "stdin") {
      if (message.header.msg_type === "input_reply") {
        shared.deliverInput(String((message.content as { value?: unknown }).value ?? ""));
      }
      continue;
    }
    handle(channel, message);
  }
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
    void drained().then(() => {
      port.postMessage({ type: "shutdown", restart } satisfies ToMain);
      // The main thread may be stuck in user code: end the process from here if it does not.
      setTimeout(() => process.kill(process.pid, "SIGKILL"), 2000).unref();
    });
    return;
  }
  port.postMessage({ type: "request", channel, message, receivedAt: Date.now() } satisfies ToMain);
}

async function drained(): Promise<void> {
  while (sending || sendQueue.length) await new Promise((resolve) => setTimeout(resolve, 1));
}

async function echoHeartbeats(): Promise<void> {
  for await (const frames of heartbeat) await heartbeat.send(frames);
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
  void untilClosed(echoHeartbeats());
  void untilClosed(receive(control, "control"));
  void untilClosed(receive(stdin, "stdin"));
  void untilClosed(receive(shell, "shell"));
}

main().catch((error) => {
  process.stderr.write(`tsprof: cannot open the kernel's sockets: ${String(error)}\n`);
  process.kill(process.pid, "SIGTERM");
});
