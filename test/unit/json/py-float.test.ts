// Python repr(float) layout: fixed vs exponent form, mandatory ".0", signed two-digit exponents, -0.0, non-finite words.
import { describe, expect, it } from 'vitest';
import { pyFloatRepr } from '../../../src/json/py-float.js';

// Expected strings are what CPython 3 prints for repr(x) (interop spec §1.1 and the Python docs' rule).
const CASES: readonly [number, string][] = [
  [1, '1.0'],
  [123456789, '123456789.0'],
  [1234567890123456, '1234567890123456.0'],
  [9999999999999998, '9999999999999998.0'],
  [1e16, '1e+16'],
  [12345678901234568, '1.2345678901234568e+16'],
  [1e20, '1e+20'],
  [1e22, '1e+22'],
  [1e-5, '1e-05'],
  [0.0001, '0.0001'],
  [0.00012345, '0.00012345'],
  [1.2345e-5, '1.2345e-05'],
  [1e-7, '1e-07'],
  [1.5e300, '1.5e+300'],
  [5e-324, '5e-324'],
  [2.2250738585072014e-308, '2.2250738585072014e-308'],
  [1.7976931348623157e308, '1.7976931348623157e+308'],
  [0, '0.0'],
  [-0, '-0.0'],
  [0.1, '0.1'],
  [0.30000000000000004, '0.30000000000000004'],
  [0.1 + 0.2, '0.30000000000000004'],
  [-2.5, '-2.5'],
  [100, '100.0'],
  [3000, '3000.0'],
  [1e100, '1e+100'],
  [-1e-100, '-1e-100'],
  [123.456, '123.456'],
  [NaN, 'NaN'],
  [Infinity, 'Infinity'],
  [-Infinity, '-Infinity'],
];

describe('pyFloatRepr', () => {
  it.each(CASES)('repr(%s) is %s', (x, expected) => {
    expect(pyFloatRepr(x)).toBe(expected);
  });

  it('reads back as the same double for every finite value (shortest round trip)', () => {
    for (const x of [Math.PI, 1 / 3, 2 ** 53 + 2, 2 ** -1074, 6.02214076e23, -9.109e-31]) {
      expect(Number(pyFloatRepr(x))).toBe(x);
    }
  });
});
