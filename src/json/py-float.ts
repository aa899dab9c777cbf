// Python's repr(float) in TypeScript: shortest round-trip digits laid out the way CPython prints them.

/**
 * Formats a double exactly as CPython's `repr(x)` (and therefore `json.dumps`) does.
 *
 * Digits: `toExponential()` without an argument yields the shortest digit string that reads back as
 * the same double (closest one on ties), which is what CPython's `repr` (David Gay's algorithm, mode 0)
 * produces too. Layout: with the value written 0.D1D2…×10^p, CPython uses fixed notation when
 * −4 < p ≤ 16 and always shows a fractional part (`1.0`), otherwise `d[.ddd]e±XX` with a sign and at
 * least two exponent digits and no `.0`. Non-finite values come out as the bare words Python's json
 * module emits (`NaN`, `Infinity`, `-Infinity`): invalid JSON, but byte-compatible with Python.
 */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  // -0 is negative for Python (`-0.0`) but `(-0).toExponential()` drops the sign.
  const negative = x < 0 || Object.is(x, -0);
  const exponential = Math.abs(x).toExponential();
  const e = exponential.indexOf('e');
  const mantissa = exponential.slice(0, e);
  const exp10 = Number(exponential.slice(e + 1));
  const digits = mantissa.length > 1 ? mantissa[0] + mantissa.slice(2) : mantissa;
  const body = layout(digits, exp10 + 1);
  return negative ? `-${body}` : body;
}

/** Lays out significant `digits` (no leading zero unless the value is 0) for the value 0.digits × 10^point. */
function layout(digits: string, point: number): string {
  if (point > -4 && point <= 16) {
    if (point <= 0) return `0.${'0'.repeat(-point)}${digits}`;
    if (point >= digits.length) return `${digits}${'0'.repeat(point - digits.length)}.0`;
    return `${digits.slice(0, point)}.${digits.slice(point)}`;
  }
  const exp = point - 1;
  const sign = exp < 0 ? '-' : '+';
  const abs = Math.abs(exp);
  const expText = abs < 10 ? `0${abs}` : String(abs);
  const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${mant}e${sign}${expText}`;
}
