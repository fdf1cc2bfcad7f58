import { setPriority } from "node:os";
import { parentPort } from "node:worker_threads";
import { NotebookProject } from "./notebook-project";
import type { Operation, ReplyMessage, Replies, RequestMessage, Requests } from "./protocol";

/**
 * The language-service thread: TypeScript (tens of MiB once the libraries are parsed) lives here,
 * never in the kernel's thread. Requests are answered one at a time, in the order sent, so a
 * check always sees every commit sent before it.
 */
let project: NotebookProject | undefined;
let startError: Error | undefined;

// Checks run while the user's cell runs: on Linux a thread has its own nice value, so lowering this
// one's keeps the type checker from taking CPU the measured code needs.
try {
  setPriority(19);
} catch {
  // Not permitted here: checks then compete at normal priority.
}

const handlers: { [Op in Operation]: (args: Requests[Op]) => Replies[Op] } = {
  start: ({ cwd, history }) => {
    try {
      project = new NotebookProject(cwd, history);
    } catch (error) {
      startError = error instanceof Error ? error : new Error(String(error));
    }
    return null;
  },
  warmUp: () => (started().warmUp(), null),
  check: ({ source }) => started().check(source),
  commit: ({ name, source }) => (started().commit(name, source), null),
  complete: ({ source, cursor }) => started().complete(source, cursor),
  inspect: ({ source, cursor, detailLevel }) => started().inspect(source, cursor, detailLevel),
};

function started(): NotebookProject {
  if (startError) throw new Error(`the TypeScript service could not start: ${startError.message}`);
  if (!project) throw new Error("the TypeScript worker got a request before 'start'");
  return project;
}

parentPort!.on("message", (message: RequestMessage) => {
  let reply: ReplyMessage;
  try {
    const handler = handlers[message.op] as (args: unknown) => unknown;
    reply = { id: message.id, ok: true, value: handler(message.args) };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    reply = { id: message.id, ok: false, message: e.message, stack: e.stack };
  }
  parentPort!.postMessage(reply);
});
