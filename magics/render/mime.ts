/**
 * The one contract between profiler results and whatever shows them: an object that has a
 * `[toMimeBundle]()` method renders as that bundle (text/plain and text/html at least) when it is
 * a cell's value or passed to `display()`. Engines and renderers know nothing else of Jupyter.
 */
export const toMimeBundle: unique symbol = Symbol.for("tsprof.mimeBundle");

export type MimeBundle = Record<string, unknown> & { "text/plain": string };

export interface RichRepr {
  [toMimeBundle](): MimeBundle;
}

export function hasMimeBundle(value: unknown): value is RichRepr {
  return (
    value !== null &&
    (typeof value === "object" || typeof value === "function") &&
    typeof (value as Partial<RichRepr>)[toMimeBundle] === "function"
  );
}
