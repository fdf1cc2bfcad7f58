import type { MessagePort } from "node:worker_threads";
import type { FromMain } from "./socket-thread";
import { newHeader, type Header, type Message } from "./wire";
import { Buffer, clearTimeout, setTimeout } from "./intrinsics";

/**
 * Everything the main thread sends goes through here to the socket thread. Stream text is
 * coalesced per cell and flushed before any other message of that cell, at the end of the request,
 * or when it has waited 50 ms, so a loop printing 10,000 lines sends a few messages, in order.
 */
const STREAM_FLUSH_MS = 50;

interface PendingStream {
  parent: Partial<Header>;
  name: "stdout" | "stderr";
  text: string;
  since: number;
}

export class Outbox {
  private pending: PendingStream | undefined;
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(private readonly port: MessagePort | { postMessage(m: FromMain): void }, readonly session: string) {}

  iopub(msgType: string, content: unknown, parent: Partial<Header>): void {
    this.flushStreams();
    this.post("iopub", [Buffer.from(`kernel.${this.session}.${msgType}`)], msgType, content, parent);
  }

  reply(request: Message, channel: "shell" | "control", msgType: string, content: unknown, metadata = {}): void {
    this.flushStreams();
    this.post(channel, request.identities, msgType, content, request.header, metadata);
  }

  inputRequest(request: Message, prompt: string, password: boolean): void {
    this.flushStreams();
    this.post("stdin", request.identities, "input_request", { prompt, password }, request.header);
  }

  status(state: "busy" | "idle", parent: Partial<Header>): void {
    this.iopub("status", { execution_state: state }, parent);
  }

  stream(name: "stdout" | "stderr", text: string, parent: Partial<Header>): void {
    if (!text) return;
    const pending = this.pending;
    if (pending && (pending.name !== name || pending.parent.msg_id !== parent.msg_id)) this.flushStreams();
    if (this.pending) this.pending.text += text;
    else this.pending = { parent, name, text, since: Date.now() };
    if (Date.now() - this.pending.since >= STREAM_FLUSH_MS) this.flushStreams();
    else this.flushTimer ??= setTimeout(() => this.flushStreams(), STREAM_FLUSH_MS);
  }

  flushStreams(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    this.post("iopub", [Buffer.from(`kernel.${this.session}.stream`)], "stream", { name: pending.name, text: pending.text }, pending.parent);
  }

  private post(
    channel: "shell" | "control" | "iopub" | "stdin",
    identities: Uint8Array[],
    msgType: string,
    content: unknown,
    parent: Partial<Header>,
    metadata: Record<string, unknown> = {},
  ): void {
    this.port.postMessage({
      type: "send",
      message: { channel, identities, header: newHeader(msgType, this.session), parent_header: parent, metadata, content },
    } satisfies FromMain);
  }
}
