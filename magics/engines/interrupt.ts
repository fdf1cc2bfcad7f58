/** The one error an interrupted run ends with, in the kernel, the magics and the engines alike. */
export class KeyboardInterrupt extends Error {
  override name = "KeyboardInterrupt";
  constructor(message = "Interrupted") {
    super(message);
  }
}
