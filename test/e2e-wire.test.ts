import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { installKernel, KernelBridge, missingJupyter, resultText, type KernelInstall } from "./helpers/kernel-bridge";

const skip = missingJupyter();

/** Malformed messages with valid signatures, sent on the kernel's own ports: none may end the kernel. */
describe("the kernel survives every message", { skip }, () => {
  let install: KernelInstall;
  let kernel: KernelBridge;

  before(async () => {
    install = installKernel();
    kernel = await KernelBridge.start(install);
  });

  after(async () => {
    await kernel?.close();
    install?.remove();
  });

  function header(msgType: string): string {
    return JSON.stringify({ msg_id: `m-${Math.random()}`, msg_type: msgType, username: "u", session: "s", date: new Date().toISOString(), version: "5.3" });
  }

  async function stillRuns(): Promise<void> {
    const answer = await kernel.execute("20 + 22");
    assert.equal(answer.reply.status, "ok", JSON.stringify(answer));
    assert.equal(resultText(answer.outputs), "42");
  }

  /**
   * Sends the frames; `published` keeps the iopub messages that answer them: any whose parent_header is
   * not an object or is empty, or names the sent msg_id (earlier cells' late messages are left out).
   */
  async function raw(channel: string, frames: string[], fields: Record<string, unknown> = {}) {
    const sent = await kernel.send("raw", { channel, frames, ...fields });
    const sentId = (() => {
      try {
        return JSON.parse(frames[0])?.msg_id;
      } catch {
        return undefined;
      }
    })();
    const published = (sent.iopub_parents as string[]).filter((text) => {
      const parent = JSON.parse(text);
      const isObject = typeof parent === "object" && parent !== null && !Array.isArray(parent);
      return !isObject || Object.keys(parent).length === 0 || (sentId !== undefined && parent.msg_id === sentId);
    });
    return { replies: sent.replies as [string, unknown][], published };
  }

  for (const channel of ["shell", "control", "stdin", "iopub", "hb"]) {
    for (const [what, headerText] of [
      ["null", "null"],
      ["an array", '["kernel_info_request"]'],
      ["a number", "7"],
      ["an object without msg_type", '{"msg_id": "x"}'],
    ]) {
      test(`${channel}: a signed message whose header is ${what} is dropped, nothing is published`, async () => {
        const sent = await raw(channel, [headerText, "{}", "{}", "{}"]);
        // The heartbeat echoes whatever it gets, unread.
        assert.equal(sent.replies.length, channel === "hb" ? 1 : 0, JSON.stringify(sent.replies));
        assert.deepEqual(sent.published, []);
        await stillRuns();
      });
    }
  }

  test("shell: a parent_header, metadata or content that is not an object is dropped", async () => {
    for (const frames of [
      [header("kernel_info_request"), "[]", "{}", "{}"],
      [header("kernel_info_request"), "{}", "null", "{}"],
      [header("execute_request"), "{}", "{}", "null"],
      [header("execute_request"), "{}", "{}", '["1+1"]'],
    ]) {
      const sent = await raw("shell", frames);
      assert.deepEqual(sent.replies, [], frames.join(" "));
      assert.deepEqual(sent.published, [], frames.join(" "));
    }
    await stillRuns();
  });

  test("stdin: an unsolicited input_reply with null content is dropped", async () => {
    await raw("stdin", [header("input_reply"), "{}", "{}", "null"]);
    await raw("stdin", [header("input_reply"), "{}", "{}", '{"value": null}']);
    await stillRuns();
  });

  test("every iopub message of a well-formed request has an object parent_header", async () => {
    const sent = await raw("shell", [header("kernel_info_request"), "{}", "{}", "{}"]);
    assert.deepEqual(sent.replies.map((reply) => reply[0]), ["kernel_info_reply"]);
    assert.ok(sent.published.length >= 2, JSON.stringify(sent.published));
    for (const parent of sent.published) assert.equal(JSON.parse(parent).msg_type, "kernel_info_request", parent);
  });

  test("a replayed execute_request runs once; the kernel says so on stderr", async () => {
    const marker = path.join(install.cwd, "replay.txt");
    const code = `require("node:fs").appendFileSync(${JSON.stringify(marker)}, "ran\\n")`;
    const content = JSON.stringify({ code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true });
    const sent = await raw("shell", [header("execute_request"), "{}", "{}", content], { times: 2, wait_ms: 5000 });
    assert.deepEqual(sent.replies.map((reply) => reply[0]), ["execute_reply"]);
    assert.equal(readFileSync(marker, "utf8"), "ran\n");
    assert.match(kernel.log, /tsprof: dropped a shell message: duplicate signature \(a replayed message\)/);
    await stillRuns();
  });

  test("a client reconnecting with the same zmq identity takes over (ROUTER_HANDOVER)", async () => {
    const answered = await kernel.send("handover", { identity: "same-client" });
    assert.deepEqual({ first: answered.first, second: answered.second }, { first: true, second: true });
    await stillRuns();
  });
});
