import { Buffer } from "./intrinsics";
/**
 * State the socket thread reads while the main thread may be blocked in user code: what the main
 * thread is running (so an interrupt picks the right mechanism) and the stdin reply slot for a
 * synchronous prompt().
 */
export const enum Running {
  Idle = 0,
  /** A cell's synchronous part, under vm breakOnSigint: SIGINT throws a catchable error. */
  SyncScript = 1,
}

const RUNNING = 0;
const INPUT_READY = 1;
const INPUT_LENGTH = 2;
const SOCKETS_CLOSED = 3;
/** Set by an interrupt; top-level loops the cell transform rewrote check it on every iteration. */
const STOP = 4;
/** 1 while the synchronous script running checks STOP (so it stops by itself, its values kept). */
const CHECKS_STOP = 5;
const HEADER_INTS = 6;
const INPUT_CAPACITY = 1 << 20;

export class SharedState {
  readonly ints: Int32Array;
  private readonly text: Uint8Array;

  /** The interrupt flag alone, for the checks in rewritten loops (`stopFlag[0]`). */
  readonly stopFlag: Int32Array;

  constructor(readonly buffer = new SharedArrayBuffer(HEADER_INTS * 4 + INPUT_CAPACITY)) {
    this.ints = new Int32Array(buffer, 0, HEADER_INTS);
    this.stopFlag = new Int32Array(buffer, STOP * 4, 1);
    this.text = new Uint8Array(buffer, HEADER_INTS * 4);
  }

  get running(): Running {
    return Atomics.load(this.ints, RUNNING);
  }
  set running(value: Running) {
    Atomics.store(this.ints, RUNNING, value);
  }

  get stopRequested(): boolean {
    return Atomics.load(this.ints, STOP) !== 0;
  }
  set stopRequested(value: boolean) {
    Atomics.store(this.ints, STOP, value ? 1 : 0);
  }

  get checksStop(): boolean {
    return Atomics.load(this.ints, CHECKS_STOP) !== 0;
  }
  set checksStop(value: boolean) {
    Atomics.store(this.ints, CHECKS_STOP, value ? 1 : 0);
  }

  /** Socket thread: every socket is closed, the process may exit. */
  markSocketsClosed(): void {
    Atomics.store(this.ints, SOCKETS_CLOSED, 1);
    Atomics.notify(this.ints, SOCKETS_CLOSED);
  }

  /** Main thread: wait (blocking) until the socket thread has closed its sockets. */
  waitForSocketsClosed(timeoutMs: number): void {
    Atomics.wait(this.ints, SOCKETS_CLOSED, 0, timeoutMs);
  }

  /** Socket thread: hand the input_reply's text to a main thread waiting in awaitInput. */
  deliverInput(value: string): void {
    const bytes = Buffer.from(value, "utf8").subarray(0, INPUT_CAPACITY);
    this.text.set(bytes);
    Atomics.store(this.ints, INPUT_LENGTH, bytes.length);
    Atomics.store(this.ints, INPUT_READY, 1);
    Atomics.notify(this.ints, INPUT_READY);
  }

  /** Main thread, before sending input_request, so a fast reply is not missed. */
  prepareInput(): void {
    Atomics.store(this.ints, INPUT_READY, 0);
  }

  /** Main thread: block until the input reply arrives (the frontend waits for the user). */
  collectInput(): string {
    while (Atomics.load(this.ints, INPUT_READY) === 0) Atomics.wait(this.ints, INPUT_READY, 0, 1000);
    const length = Atomics.load(this.ints, INPUT_LENGTH);
    return Buffer.from(this.text.subarray(0, length)).toString("utf8");
  }
}
