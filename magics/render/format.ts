/** printf-style number formatting, so reports match the Python tools' byte for byte. */

/** C's `%.{precision}g`: shortest of fixed/exponent form, trailing zeros dropped. */
export function formatG(value: number, precision = 6): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return "0";
  const p = Math.max(1, precision);
  const exponential = value.toExponential(p - 1);
  const exponent = Number(exponential.slice(exponential.indexOf("e") + 1));
  if (exponent < -4 || exponent >= p) {
    const [mantissa] = exponential.split("e");
    const sign = exponent < 0 ? "-" : "+";
    return `${stripZeros(mantissa)}e${sign}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  return stripZeros(value.toFixed(p - 1 - exponent));
}

function stripZeros(digits: string): string {
  return digits.includes(".") ? digits.replace(/\.?0+$/, "") : digits;
}

/** C's `%{width}.{decimals}f`. */
export function formatFixed(value: number, width: number, decimals: number): string {
  return value.toFixed(decimals).padStart(width);
}

/** Python's `{:,}` for integers: 10000 -> "10,000". */
export function groupThousands(n: number): string {
  return Math.trunc(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
