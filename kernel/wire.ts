import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import type { DigestHistory } from "./digest-history";
import { Buffer } from "./intrinsics";

/** Jupyter messaging 5.3 wire format: identities, delimiter, signature, four JSON frames, buffers. */
export const PROTOCOL_VERSION = "5.3";
const DELIMITER = "<IDS|MSG>";

export interface Header {
  msg_id: string;
  msg_type: string;
  username: string;
  session: string;
  date: string;
  version: string;
}

export interface Message<C = Record<string, unknown>> {
  identities: Buffer[];
  header: Header;
  parent_header: Partial<Header>;
  metadata: Record<string, unknown>;
  content: C;
  buffers: Buffer[];
}

export class Signer {
  private readonly algorithm: string | undefined;

  constructor(private readonly key: string, scheme: string) {
    if (!key) return;
    const match = /^hmac-(.+)$/.exec(scheme);
    if (!match) throw new Error(`signature_scheme "${scheme}" is not supported (allowed: hmac-<digest>, e.g. hmac-sha256)`);
    this.algorithm = match[1];
  }

  sign(frames: Buffer[]): string {
    if (!this.algorithm) return "";
    const hmac = createHmac(this.algorithm, this.key);
    for (const frame of frames) hmac.update(frame);
    return hmac.digest("hex");
  }

  /** Constant-time check; with an empty key signing is off and everything passes, as the spec says. */
  verify(signature: Buffer, frames: Buffer[]): boolean {
    if (!this.algorithm) return true;
    const expected = Buffer.from(this.sign(frames), "ascii");
    return signature.length === expected.length && timingSafeEqual(signature, expected);
  }
}

export class WireError extends Error {}

/** Parses and checks one incoming message; `history` refuses a signature seen before (a replay). */
export function decode(frames: Buffer[], signer: Signer, history?: DigestHistory): Message {
  const split = frames.findIndex((f) => f.length === DELIMITER.length && f.toString() === DELIMITER);
  if (split < 0) throw new WireError("no <IDS|MSG> delimiter");
  const [signature, header, parent, metadata, content, ...buffers] = frames.slice(split + 1);
  if (!content) throw new WireError("fewer than five frames after the delimiter");
  if (!signer.verify(signature, [header, parent, metadata, content])) throw new WireError("invalid signature");
  if (history && !history.admit(signature)) throw new WireError("duplicate signature (a replayed message)");
  const parsedHeader = objectFrame(header, "header");
  if (typeof parsedHeader.msg_type !== "string") throw new WireError("the header has no msg_type string");
  return {
    identities: frames.slice(0, split),
    header: parsedHeader as unknown as Header,
    parent_header: objectFrame(parent, "parent_header") as Partial<Header>,
    metadata: objectFrame(metadata, "metadata"),
    content: objectFrame(content, "content"),
    buffers,
  };
}

/** A JSON frame that the protocol says is an object (a dict): null, arrays and scalars are refused. */
function objectFrame(frame: Buffer, name: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(frame.toString());
  } catch {
    throw new WireError(`the ${name} is not JSON`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new WireError(`the ${name} is ${value === null ? "null" : Array.isArray(value) ? "an array" : typeof value}, not an object`);
  }
  return value as Record<string, unknown>;
}

export function newHeader(msgType: string, session: string): Header {
  return {
    msg_id: randomUUID(),
    msg_type: msgType,
    username: "kernel",
    session,
    date: new Date().toISOString(),
    version: PROTOCOL_VERSION,
  };
}

/** What the main thread asks the socket thread to send: everything but the signature. */
export interface Outgoing {
  channel: "shell" | "control" | "iopub" | "stdin";
  identities: Buffer[] | Uint8Array[];
  header: Header;
  parent_header: Partial<Header>;
  metadata: Record<string, unknown>;
  content: unknown;
}

export function encode(message: Outgoing, signer: Signer): Buffer[] {
  const parts = [message.header, message.parent_header, message.metadata, message.content].map((part) =>
    Buffer.from(JSON.stringify(part ?? {})),
  );
  return [
    ...message.identities.map((id) => Buffer.from(id)),
    Buffer.from(DELIMITER),
    Buffer.from(signer.sign(parts)),
    ...parts,
  ];
}
