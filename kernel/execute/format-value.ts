import { inspect } from "node:util";
import { withUserFrames } from "./errors";
import { hasMimeBundle, type MimeBundle } from "../../magics/render/mime";
import { Symbol } from "../intrinsics";

/** How a value shows as a cell's result or in display(): its own bundle, else util.inspect (an error's stack without the kernel's frames). */
export function mimeBundleOf(value: unknown): MimeBundle {
  if (hasMimeBundle(value)) {
    const bundle = value[Symbol.for("tsprof.mimeBundle") as keyof typeof value] as () => MimeBundle;
    return bundle.call(value);
  }
  return { "text/plain": withUserFrames(inspect(value, { depth: 4, maxArrayLength: 100, breakLength: 100 })) };
}
