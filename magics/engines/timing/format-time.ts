import { formatG } from "../../render/format";

const COMPOUND_UNITS: Array<[string, number]> = [
  ["d", 86400],
  ["h", 3600],
  ["min", 60],
  ["s", 1],
];
const UNITS = ["s", "ms", "µs", "ns"];
const SCALES = [1, 1e3, 1e6, 1e9];

/**
 * IPython's `_format_time`, byte for byte: `1h 2min 5s` from a minute up (fractions dropped),
 * below that `%.{precision}g` in s, ms, µs or ns (so `0.9996 → "1e+03 ms"` and `0 → "0 ns"`).
 */
export function formatTime(seconds: number, precision = 3): string {
  if (seconds >= 60) {
    const parts: string[] = [];
    let left = seconds;
    for (const [unit, length] of COMPOUND_UNITS) {
      const value = Math.trunc(left / length);
      if (value > 0) {
        parts.push(`${value}${unit}`);
        left %= length;
      }
      if (left < 1) break;
    }
    return parts.join(" ");
  }
  const order = seconds > 0 ? Math.min(-pythonFloorDiv(Math.floor(Math.log10(seconds)), 3), 3) : 3;
  return `${formatG(seconds * SCALES[order], precision)} ${UNITS[order]}`;
}

function pythonFloorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}
