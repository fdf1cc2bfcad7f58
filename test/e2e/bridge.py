"""JSON-lines bridge between node tests and a real Jupyter kernel started by jupyter_client.

Usage: python3 bridge.py KERNEL_NAME CWD   (JUPYTER_PATH must make the kernelspec visible)

Reads one JSON request per line on stdin, writes one JSON answer per line on stdout:
  {"op": "execute", "code": ..., "timeout": 30, "silent": false, "stop_on_error": true,
   "user_expressions": {}, "allow_stdin": false, "input": "answer", "wait": true}
      -> {"reply": content, "outputs": [{"msg_type", "content"}...]} (iopub of that request, no status)
      with "wait": false only sends and answers {"msg_id"}; {"op": "collect", "msg_id"} then waits.
  {"op": "complete"|"inspect"|"is_complete"|"history"|"kernel_info"|"comm_info", ...content}
      -> {"reply": content}
  {"op": "late", "msg_id", "seconds"}: iopub of that request arriving after its idle (timers)
  {"op": "interrupt"}, {"op": "restart"}, {"op": "shutdown"}, {"op": "alive"}
  {"op": "interrupt_request"}: an interrupt_request on the control channel, whatever the kernelspec's interrupt_mode
  {"op": "shutdown_request"}: a shutdown_request on the control channel, then waits up to 10 s for the kernel to exit
      -> {"exit_code", "seconds"} (a negative exit_code is the signal that ended it)
  {"op": "kernel_pid"} -> {"pid"}
  {"op": "forged", "code": ...}: an execute_request signed with a wrong key, sent on a raw socket
  {"op": "heartbeat", "timeout": 1}: ping the heartbeat port once -> {"echoed": bool, "seconds"}
  {"op": "raw", "channel": "shell", "frames": [header, parent, metadata, content], "times": 1, "identity": "x",
   "wait_ms": 500}: the four JSON texts signed with the kernel's key and sent as they are, `times` times, from a
      DEALER socket on the kernel's own port -> {"replies": [[msg_type, parent_header]...],
      "iopub_parents": [JSON text of each iopub parent_header seen meanwhile]}
  {"op": "handover", "identity": "x"}: two DEALER sockets with the same identity, the second connected while the
      first is still open, each sends kernel_info_request -> {"first": bool, "second": bool} (answered or not)
Errors answer {"error": "..."}.
"""

import json
import sys
import time
import uuid
from queue import Empty

import zmq
from jupyter_client import KernelManager
from jupyter_client.session import Session


class Bridge:
    def __init__(self, kernel_name, cwd):
        self.cwd = cwd
        self.km = KernelManager(kernel_name=kernel_name)
        self.start()

    def start(self):
        self.km.start_kernel(cwd=self.cwd)
        self.connect()

    def connect(self):
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=60)
        self.pending = {}
        self.stash = {}  # iopub messages of other requests, kept for a later "late" op

    def shell_reply(self, msg_id, timeout):
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no shell reply within %ss" % timeout)
            try:
                msg = self.kc.get_shell_msg(timeout=left)
            except Empty:
                continue
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg

    def iopub_until_idle(self, msg_id, timeout):
        outputs = self.stash.pop(msg_id, [])
        if any(m["msg_type"] == "status" and m["content"]["execution_state"] == "idle" for m in outputs):
            return [m for m in outputs if m["msg_type"] != "status"]
        outputs = [m for m in outputs if m["msg_type"] != "status"]
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no idle within %ss" % timeout)
            try:
                msg = self.kc.get_iopub_msg(timeout=left)
            except Empty:
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                self.keep(msg)
                continue
            if msg["msg_type"] == "status":
                if msg["content"]["execution_state"] == "idle":
                    return outputs
                continue
            outputs.append({"msg_type": msg["msg_type"], "content": msg["content"]})

    def keep(self, msg):
        parent = msg["parent_header"].get("msg_id")
        if parent:
            self.stash.setdefault(parent, []).append({"msg_type": msg["msg_type"], "content": msg["content"]})

    def op_late(self, req):
        """iopub messages of an earlier request that arrived after its idle (timers, callbacks)."""
        deadline = time.monotonic() + req.get("seconds", 0.5)
        while time.monotonic() < deadline:
            try:
                self.keep(self.kc.get_iopub_msg(timeout=max(0.01, deadline - time.monotonic())))
            except Empty:
                pass
        return {"outputs": [m for m in self.stash.pop(req["msg_id"], []) if m["msg_type"] != "status"]}

    def answer_stdin(self, msg_id, value, reply_box):
        try:
            msg = self.kc.get_stdin_msg(timeout=0.01)
        except Empty:
            return
        if msg["msg_type"] == "input_request":
            reply_box.append(msg["content"])
            self.kc.input(value)

    def op_execute(self, req):
        msg_id = self.kc.execute(
            req["code"],
            silent=req.get("silent", False),
            store_history=req.get("store_history", True),
            user_expressions=req.get("user_expressions", {}),
            allow_stdin=req.get("allow_stdin", False),
            stop_on_error=req.get("stop_on_error", True),
        )
        self.pending[msg_id] = req
        if not req.get("wait", True):
            return {"msg_id": msg_id}
        return self.op_collect({"msg_id": msg_id})

    def op_collect(self, req):
        msg_id = req["msg_id"]
        original = self.pending.pop(msg_id, {})
        timeout = original.get("timeout", 30)
        prompts = []
        if "input" in original:
            deadline = time.monotonic() + timeout
            while not prompts and time.monotonic() < deadline:
                self.answer_stdin(msg_id, original["input"], prompts)
        reply = self.shell_reply(msg_id, timeout)
        outputs = self.iopub_until_idle(msg_id, timeout)
        return {"msg_id": msg_id, "reply": reply["content"], "outputs": outputs, "input_requests": prompts}

    def request(self, msg_type, content, timeout=30):
        msg = self.kc.session.msg(msg_type, content)
        self.kc.shell_channel.send(msg)
        reply = self.shell_reply(msg["header"]["msg_id"], timeout)
        return {"reply": reply["content"]}

    def op_complete(self, req):
        return self.request("complete_request", {"code": req["code"], "cursor_pos": req.get("cursor_pos", len(req["code"]))})

    def op_inspect(self, req):
        return self.request("inspect_request", {"code": req["code"], "cursor_pos": req.get("cursor_pos", len(req["code"])),
                                                "detail_level": req.get("detail_level", 0)})

    def op_is_complete(self, req):
        return self.request("is_complete_request", {"code": req["code"]})

    def op_history(self, req):
        content = {"output": False, "raw": True, "hist_access_type": "tail"}
        content.update({k: v for k, v in req.items() if k != "op"})
        return self.request("history_request", content)

    def op_kernel_info(self, req):
        return self.request("kernel_info_request", {})

    def op_comm_info(self, req):
        return self.request("comm_info_request", {})

    def op_interrupt(self, req):
        self.km.interrupt_kernel()
        return {"ok": True}

    def op_interrupt_request(self, req):
        msg = self.kc.session.msg("interrupt_request", {})
        self.kc.control_channel.send(msg)
        return {"msg_id": msg["header"]["msg_id"]}

    def op_shutdown_request(self, req):
        process = self.km.provisioner.process
        start = time.monotonic()
        msg = self.kc.session.msg("shutdown_request", {"restart": False})
        self.kc.control_channel.send(msg)
        try:
            code = process.wait(timeout=req.get("timeout", 10))
        except Exception:
            code = None
        return {"exit_code": code, "seconds": time.monotonic() - start}

    def op_kernel_pid(self, req):
        return {"pid": self.km.provisioner.process.pid}

    def op_alive(self, req):
        return {"alive": self.km.is_alive()}

    def op_wait_dead(self, req):
        deadline = time.monotonic() + req.get("timeout", 10)
        while self.km.is_alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        return {"alive": self.km.is_alive(), "exit_code": self.km.provisioner.process.poll()
                if getattr(self.km, "provisioner", None) and self.km.provisioner.process else None}

    def op_restart(self, req):
        self.kc.stop_channels()
        if self.km.is_alive():
            self.km.restart_kernel(now=req.get("now", False))
        else:
            self.km.start_kernel(cwd=self.cwd)
        self.connect()
        return {"ok": True}

    def op_shutdown(self, req):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=req.get("now", False))
        return {"ok": True}

    def op_forged(self, req):
        """An execute_request signed with a wrong key: the kernel must drop it unexecuted."""
        forger = Session(key=b"not-the-kernel-key", username="forger")
        info = self.km.get_connection_info()
        socket = zmq.Context.instance().socket(zmq.DEALER)
        socket.linger = 0
        socket.connect("%s://%s:%d" % (info["transport"], info["ip"], info["shell_port"]))
        msg = forger.msg("execute_request", {"code": req["code"], "silent": False, "store_history": True,
                                              "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
        forger.send(socket, msg)
        answered = socket.poll(req.get("wait_ms", 1000)) != 0
        socket.close()
        return {"answered": answered}

    def op_heartbeat(self, req):
        info = self.km.get_connection_info()
        socket = zmq.Context.instance().socket(zmq.REQ)
        socket.linger = 0
        socket.connect("%s://%s:%d" % (info["transport"], info["ip"], info["hb_port"]))
        payload = uuid.uuid4().hex.encode()
        start = time.perf_counter()
        socket.send(payload)
        echoed = socket.poll(int(req.get("timeout", 1) * 1000)) != 0 and socket.recv() == payload
        seconds = time.perf_counter() - start
        socket.close()
        return {"echoed": echoed, "seconds": seconds}


    def dealer(self, channel, identity=None):
        info = self.km.get_connection_info()
        socket = zmq.Context.instance().socket(zmq.DEALER)
        socket.linger = 0
        if identity:
            socket.setsockopt(zmq.IDENTITY, identity.encode())
        port = info["hb_port" if channel == "hb" else channel + "_port"]
        socket.connect("%s://%s:%d" % (info["transport"], info["ip"], port))
        return socket

    def signed(self, texts):
        parts = [text.encode() for text in texts]
        return [b"<IDS|MSG>", self.km.session.sign(parts)] + parts

    def op_raw(self, req):
        info = self.km.get_connection_info()
        watcher = zmq.Context.instance().socket(zmq.SUB)
        watcher.linger = 0
        watcher.setsockopt(zmq.SUBSCRIBE, b"")
        watcher.connect("%s://%s:%d" % (info["transport"], info["ip"], info["iopub_port"]))
        time.sleep(0.3)  # a SUB socket misses what is published before it has joined
        socket = self.dealer(req["channel"], req.get("identity"))
        frames = self.signed(req["frames"])
        for _ in range(req.get("times", 1)):
            socket.send_multipart(frames)
        replies, parents = [], []
        deadline = time.monotonic() + req.get("wait_ms", 500) / 1000
        poller = zmq.Poller()
        poller.register(socket, zmq.POLLIN)
        poller.register(watcher, zmq.POLLIN)
        while time.monotonic() < deadline:
            for ready, _ in poller.poll(max(1, int((deadline - time.monotonic()) * 1000))):
                received = ready.recv_multipart()
                split = received.index(b"<IDS|MSG>")
                header, parent = json.loads(received[split + 2]), received[split + 3].decode()
                if ready is socket:
                    replies.append([header.get("msg_type") if isinstance(header, dict) else header, json.loads(parent)])
                else:
                    parents.append(parent)
        socket.close()
        watcher.close()
        return {"replies": replies, "iopub_parents": parents}

    def op_handover(self, req):
        def ask(socket):
            msg = self.km.session.msg("kernel_info_request", {})
            self.km.session.send(socket, msg)
            return socket.poll(req.get("wait_ms", 2000)) != 0
        first = self.dealer("shell", req["identity"])
        answered_first = ask(first)
        second = self.dealer("shell", req["identity"])
        answered_second = ask(second)
        first.close()
        second.close()
        return {"first": answered_first, "second": answered_second}


def main():
    bridge = Bridge(sys.argv[1], sys.argv[2])
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        handler = getattr(bridge, "op_" + req.get("op", ""), None)
        try:
            answer = handler(req) if handler else {"error": "unknown op %r" % req.get("op")}
        except Exception as error:  # report to the test instead of dying
            answer = {"error": "%s: %s" % (type(error).__name__, error)}
        print(json.dumps(answer, default=str), flush=True)
        if req.get("op") == "shutdown":
            break
    if bridge.km.is_alive():
        bridge.kc.stop_channels()
        bridge.km.shutdown_kernel(now=True)


if __name__ == "__main__":
    main()
