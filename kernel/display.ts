import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { currentCell } from "./execute/cell-context";
import { mimeBundleOf } from "./execute/format-value";
import { vegaLiteFallbackSvg } from "./vegalite-svg";
import { Buffer, process } from "./intrinsics";

/**
 * Rich output from any cell: `import { display, clearOutput } from "tsprof"`. Outside a kernel
 * (a script run with node) the text/plain part is printed, so the same code runs anywhere.
 */
export interface DisplayOptions {
  /** Give the output an id to update later; `true` makes one up. */
  displayId?: string | true;
  metadata?: Record<string, unknown>;
}

export interface DisplayHandle {
  readonly displayId: string;
  update(value: unknown): void;
  updateBundle(data: Record<string, unknown>): void;
}

function send(data: Record<string, unknown>, options: DisplayOptions = {}, update = false): DisplayHandle | undefined {
  const displayId = options.displayId === true ? randomUUID() : options.displayId;
  const cell = currentCell();
  if (!cell) {
    const text = data["text/plain"] ?? Object.keys(data).map((mime) => `<${mime}>`).join(" ");
    process.stdout.write(`${String(text)}\n`);
  } else if (!cell.silent) {
    const content = { data, metadata: options.metadata ?? {}, transient: displayId ? { display_id: displayId } : {} };
    cell.outbox.iopub(update ? "update_display_data" : "display_data", content, cell.parent);
  }
  return displayId ? handle(displayId) : undefined;
}

function handle(displayId: string): DisplayHandle {
  return {
    displayId,
    update: (value) => void send(mimeBundleOf(value), { displayId }, true),
    updateBundle: (data) => void send(data, { displayId }, true),
  };
}

function withText(mime: string, content: unknown, text: string) {
  return { [mime]: content, "text/plain": text };
}

function imageBytes(bytesOrPath: Uint8Array | string): string {
  const bytes = typeof bytesOrPath === "string" ? readFileSync(bytesOrPath) : bytesOrPath;
  return Buffer.from(bytes).toString("base64");
}

export const display = Object.assign(
  (value: unknown, options?: DisplayOptions) => send(mimeBundleOf(value), options),
  {
    bundle: (data: Record<string, unknown>, options?: DisplayOptions) => send({ "text/plain": "", ...data }, options),
    html: (html: string, options?: DisplayOptions) => send(withText("text/html", html, "<HTML>"), options),
    markdown: (markdown: string, options?: DisplayOptions) => send(withText("text/markdown", markdown, markdown), options),
    svg: (svg: string, options?: DisplayOptions) => send(withText("image/svg+xml", svg, "<SVG image>"), options),
    png: (bytesOrPath: Uint8Array | string, options?: DisplayOptions) =>
      send(withText("image/png", imageBytes(bytesOrPath), "<PNG image>"), options),
    jpeg: (bytesOrPath: Uint8Array | string, options?: DisplayOptions) =>
      send(withText("image/jpeg", imageBytes(bytesOrPath), "<JPEG image>"), options),
    json: (value: unknown, options?: DisplayOptions) =>
      send(withText("application/json", value, JSON.stringify(value, null, 2)), options),
    latex: (latex: string, options?: DisplayOptions) => send(withText("text/latex", latex, latex), options),
    text: (text: string, options?: DisplayOptions) => send({ "text/plain": text }, options),
    /** Vega-Lite for JupyterLab and VS Code, plus an SVG drawing of simple specs for classic Notebook. */
    vegalite: (spec: Record<string, unknown>, options?: DisplayOptions) => {
      const data: Record<string, unknown> = { "application/vnd.vegalite.v5+json": spec, "text/plain": "<VegaLite chart>" };
      const svg = vegaLiteFallbackSvg(spec);
      if (svg) data["image/svg+xml"] = svg;
      return send(data, options);
    },
  },
);

/** Clears the cell's output now, or with `wait` just before the next output arrives (no flicker). */
export function clearOutput(options: { wait?: boolean } = {}): void {
  const cell = currentCell();
  if (cell) cell.outbox.iopub("clear_output", { wait: Boolean(options.wait) }, cell.parent);
}
