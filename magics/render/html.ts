/** Small helpers shared by the HTML renderers of every report. */

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

/**
 * Background colour for a share in [0, 1]: white for nothing, deep red for everything, so the hot
 * line of a report jumps out. Light enough at every level to keep black text readable.
 */
export function heatColor(share: number): string {
  const s = Math.min(1, Math.max(0, Number.isFinite(share) ? share : 0));
  const green = Math.round(255 - 175 * s);
  const blue = Math.round(255 - 195 * s);
  return `rgb(255, ${green}, ${blue})`;
}
