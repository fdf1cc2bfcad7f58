import { readFileSync } from "node:fs";

/** The connection file Jupyter hands the kernel: where to bind and how to sign. */
export interface ConnectionInfo {
  transport: "tcp" | "ipc";
  ip: string;
  key: string;
  signature_scheme: string;
  shell_port: number;
  control_port: number;
  iopub_port: number;
  stdin_port: number;
  hb_port: number;
}

export type Channel = "shell" | "control" | "iopub" | "stdin" | "hb";

export function readConnectionFile(path: string): ConnectionInfo {
  const info = JSON.parse(readFileSync(path, "utf8")) as Partial<ConnectionInfo>;
  const transport = info.transport ?? "tcp";
  if (transport !== "tcp" && transport !== "ipc") {
    throw new Error(`connection file ${path}: transport "${transport}" is not supported (allowed: tcp, ipc)`);
  }
  return {
    transport,
    ip: info.ip ?? "127.0.0.1",
    key: info.key ?? "",
    signature_scheme: info.signature_scheme ?? "hmac-sha256",
    shell_port: Number(info.shell_port),
    control_port: Number(info.control_port),
    iopub_port: Number(info.iopub_port),
    stdin_port: Number(info.stdin_port),
    hb_port: Number(info.hb_port),
  };
}

/** tcp://ip:port, or for ipc the file `ip-port` as Jupyter names it. */
export function endpoint(info: ConnectionInfo, channel: Channel): string {
  const port = info[`${channel}_port` as `${Channel}_port`];
  return info.transport === "ipc" ? `ipc://${info.ip}-${port}` : `tcp://${info.ip}:${port}`;
}
