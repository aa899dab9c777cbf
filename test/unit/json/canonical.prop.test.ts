// Property tests of canonical JSON: idempotence, key-order invariance, and equality with CPython and with an independent reference.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJsonText } from '../../../src/json/canonical.js';
import { parseJson } from '../../../src/json/parse.js';
import { JsonNumber, newJsonObject } from '../../../src/json/value.js';
import type { JsonObject, JsonValue } from '../../../src/json/value.js';
import { HAVE_PYTHON, PYTHON_SKIP_REASON, pythonDumpsMany } from './python-oracle.js';

// ---------------------------------------------------------------------------------------------------
// Generators: documents rich in the cases that break naive writers.

/** One code point (or a lone surrogate unit), biased towards escapes, astral and U+E000–U+FFFF. */
const char = fc
  .oneof(
    { weight: 6, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) },
    { weight: 2, arbitrary: fc.integer({ min: 0x00, max: 0x1f }) },
    { weight: 1, arbitrary: fc.constantFrom(0x22, 0x5c, 0x2f, 0x7f, 0x80, 0x2028, 0x2029, 0xfeff, 0xfffd) },
    { weight: 2, arbitrary: fc.integer({ min: 0x80, max: 0xd7ff }) },
    { weight: 1, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }) },
    { weight: 2, arbitrary: fc.integer({ min: 0xe000, max: 0xffff }) },
    { weight: 2, arbitrary: fc.integer({ min: 0x10000, max: 0x10ffff }) },
  )
  .map((cp) => String.fromCodePoint(cp));
const text = fc.array(char, { maxLength: 10 }).map((cs) => cs.join(''));
const key = fc.oneof({ weight: 5, arbitrary: text }, { weight: 1, arbitrary: fc.constantFrom('', '__proto__', 'constructor', 'a', '😀', '\ue000', '\uffff', '\ud800') });

const int = fc
  .oneof(
    fc.integer().map((n) => BigInt(n)),
    fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
    fc.bigInt({ min: -(10n ** 400n), max: 10n ** 400n }),
    fc.constantFrom(0n, 2n ** 53n, 2n ** 53n + 1n, -(2n ** 63n), 10n ** 20n),
  )
  .map((n) => JsonNumber.ofInt(n));
const float = fc
  .oneof(
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer({ min: -1e9, max: 1e9 }).map((n) => n * 1.0), // integral floats such as 3000.0
    fc.integer({ min: 1, max: 2 ** 52 - 1 }).map((m) => m * 2 ** -1074), // subnormals
    fc.tuple(fc.integer({ min: 1, max: 999_999 }), fc.integer({ min: -330, max: 310 })).map(([m, e]) => Number(`${m}e${e}`)), // every exponent
    fc.integer({ min: -8, max: 20 }).map((e) => 10 ** e), // the fixed/exponent layout boundary
    fc.constantFrom(-0, 0, 0.1, 0.30000000000000004, 5e-324, 1.7976931348623157e308, 1e16, 9999999999999998, 1e-5, 1e-4),
  )
  .filter((x) => Number.isFinite(x))
  .map((x) => JsonNumber.ofFloat(x));

const scalar: fc.Arbitrary<JsonValue> = fc.oneof(fc.constant(null), fc.boolean(), text, int, float);

const { document } = fc.letrec<{ document: JsonValue; array: JsonValue[]; object: JsonObject }>((tie) => ({
  document: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('array'), tie('object')),
  array: fc.array(tie('document'), { maxLength: 5 }),
  object: fc.uniqueArray(fc.tuple(key, tie('document')), { maxLength: 5, selector: ([k]) => k }).map((entries) => {
    const o = newJsonObject();
    for (const [k, v] of entries) o[k] = v;
    return o;
  }),
}));

// ---------------------------------------------------------------------------------------------------
// A "wild" writer: the same value as valid JSON text in an unusual but legal spelling (random key order,
// whitespace, escapes with either hex case, raw non-ASCII, alternative float literals), driven by a seed.

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function wildJson(v: JsonValue, seed: number): string {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const ws = (): string => (rnd() < 0.5 ? '' : pick([' ', '\t', '\n', '\r\n', '  ']));
  const hex4 = (u: number): string => {
    const h = u.toString(16).padStart(4, '0');
    return rnd() < 0.5 ? h : h.toUpperCase();
  };
  const str = (s: string): string => {
    let out = '"';
    for (let i = 0; i < s.length; i++) {
      const u = s.charCodeAt(i);
      const isHigh = u >= 0xd800 && u <= 0xdbff;
      const paired = isHigh && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
      if (paired) {
        // A valid pair: raw (UTF-8) or as two escapes.
        out += rnd() < 0.5 ? s.slice(i, i + 2) : `\\u${hex4(u)}\\u${hex4(s.charCodeAt(i + 1))}`;
        i++;
      } else if (u >= 0xd800 && u <= 0xdfff) out += `\\u${hex4(u)}`; // a lone surrogate cannot be raw UTF-8
      else if (u === 0x22) out += rnd() < 0.7 ? '\\"' : `\\u${hex4(u)}`;
      else if (u === 0x5c) out += rnd() < 0.7 ? '\\\\' : `\\u${hex4(u)}`;
      else if (u === 0x2f) out += rnd() < 0.5 ? '/' : '\\/';
      else if (u < 0x20) out += ({ 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' } as Record<number, string>)[u] ?? `\\u${hex4(u)}`;
      else out += rnd() < 0.7 ? s[i] : `\\u${hex4(u)}`;
    }
    return `${out}"`;
  };
  const num = (n: JsonNumber): string => {
    if (n.kind === 'int') {
      const i = n.int ?? 0n;
      return i === 0n && rnd() < 0.3 ? '-0' : i.toString();
    }
    const x = n.float;
    if (Object.is(x, -0)) return pick(['-0.0', '-0e0', '-0E+5', '-0.000e-3']);
    const form = pick(['p17', 'string', 'exp']);
    if (form === 'exp') return x.toExponential().replace('e', pick(['e', 'E']));
    // toPrecision(17) and String() may both print an integral float without '.' or 'e' (1e16 → 10000000000000000).
    const s = form === 'p17' ? x.toPrecision(17) : String(x);
    return /[.e]/.test(s) ? s : `${s}${pick(['.0', 'e0', 'E-0', '.000'])}`;
  };
  const walk = (x: JsonValue): string => {
    if (x === null) return 'null';
    if (typeof x === 'boolean') return String(x);
    if (typeof x === 'string') return str(x);
    if (x instanceof JsonNumber) return num(x);
    if (Array.isArray(x)) return `[${ws()}${x.map((e) => `${walk(e)}${ws()}`).join(`,${ws()}`)}]`;
    const keys = Object.keys(x);
    for (let i = keys.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [keys[i], keys[j]] = [keys[j] as string, keys[i] as string];
    }
    return `{${ws()}${keys.map((k) => `${str(k)}${ws()}:${ws()}${walk(x[k] ?? null)}${ws()}`).join(`,${ws()}`)}}`;
  };
  return `${ws()}${walk(v)}${ws()}`;
}

// ---------------------------------------------------------------------------------------------------
// An independent reference writer: recursive, code-point iteration, toPrecision search for the digits.

/**
 * `a.toPrecision(p)`, except on an exact tie: toPrecision rounds half up (17246273853355.3125 → …313), while
 * CPython's repr (and the shortest round trip) takes the even neighbour when it reads back as the same double (…312).
 * A tie is an exact decimal expansion of p + 1 significant digits ending in 5 (toExponential(99) shows it exactly).
 */
function halfEven(a: number, p: number): string {
  const up = a.toPrecision(p);
  const exact = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(a.toExponential(99));
  if (exact === null) return up;
  const significant = `${exact[1] ?? ''}${exact[2] ?? ''}`.replace(/0+$/, '');
  if (significant.length !== p + 1 || !significant.endsWith('5')) return up;
  const kept = significant.slice(0, p);
  const down = `${kept[0] ?? ''}${kept.length > 1 ? `.${kept.slice(1)}` : ''}e${exact[3] ?? '+0'}`;
  return Number(kept.at(-1)) % 2 === 0 && Number(down) === a ? down : up;
}

function refFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  const a = Math.abs(x);
  if (a === 0) return `${sign}0.0`;
  let p = 1;
  while (Number(a.toPrecision(p)) !== a) p++;
  // Read digits and decimal exponent off whichever form toPrecision chose.
  const m = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(halfEven(a, p));
  if (m === null) throw new Error(`unexpected toPrecision output for ${a}`);
  const whole = m[1] ?? '';
  const frac = m[2] ?? '';
  let exponent = Number(m[3] ?? '0') + whole.length - 1;
  let digits = whole + frac;
  const lead = digits.length - digits.replace(/^0+/, '').length;
  digits = digits.slice(lead).replace(/0+$/, '');
  exponent -= lead;
  if (exponent >= -4 && exponent <= 15) {
    const padded = exponent < 0 ? '0'.repeat(-exponent) + digits : digits.padEnd(exponent + 1, '0');
    const pointAt = Math.max(exponent, 0) + 1;
    const intPart = padded.slice(0, pointAt);
    const fracPart = padded.slice(pointAt);
    return `${sign}${intPart}.${fracPart === '' ? '0' : fracPart}`;
  }
  const mant = digits.length === 1 ? digits : `${digits[0]}.${digits.slice(1)}`;
  return `${sign}${mant}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
}

function refString(s: string): string {
  const short: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };
  const u = (n: number): string => `\\u${('000' + n.toString(16)).slice(-4)}`;
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (short[ch] !== undefined) out += short[ch];
    else if (cp >= 0x20 && cp <= 0x7e) out += ch;
    else if (cp > 0xffff) out += u(0xd800 + ((cp - 0x10000) >> 10)) + u(0xdc00 + ((cp - 0x10000) & 0x3ff));
    else out += u(cp);
  }
  return `"${out}"`;
}

function refKeyOrder(a: string, b: string): number {
  const ca = Array.from(a, (c) => c.codePointAt(0) ?? 0);
  const cb = Array.from(b, (c) => c.codePointAt(0) ?? 0);
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) if (ca[i] !== cb[i]) return (ca[i] ?? 0) - (cb[i] ?? 0);
  return ca.length - cb.length;
}

function refCanonical(v: JsonValue, pad = ''): string {
  if (v === null) return 'null';
  if (v === true) return 'true';
  if (v === false) return 'false';
  if (typeof v === 'string') return refString(v);
  if (v instanceof JsonNumber) return v.kind === 'int' ? String(v.int) : refFloat(v.float);
  const inner = `${pad}  `;
  if (Array.isArray(v)) return v.length === 0 ? '[]' : `[\n${v.map((e) => inner + refCanonical(e, inner)).join(',\n')}\n${pad}]`;
  const keys = Object.keys(v).sort(refKeyOrder);
  if (keys.length === 0) return '{}';
  return `{\n${keys.map((k) => `${inner}${refString(k)}: ${refCanonical(v[k] ?? null, inner)}`).join(',\n')}\n${pad}}`;
}

/** The same value with every object's keys in a seeded random order. */
function shuffled(v: JsonValue, rnd: () => number): JsonValue {
  if (Array.isArray(v)) return v.map((e) => shuffled(e, rnd));
  if (v === null || typeof v !== 'object' || v instanceof JsonNumber) return v;
  const keys = Object.keys(v).sort(() => rnd() - 0.5);
  const o = newJsonObject();
  for (const k of keys) o[k] = shuffled(v[k] ?? null, rnd);
  return o;
}

// ---------------------------------------------------------------------------------------------------

describe('canonical JSON properties', () => {
  it('the reference writer itself matches the spec vectors (so agreeing with it means something)', () => {
    expect(refFloat(1e16)).toBe('1e+16');
    expect(refFloat(1234567890123456)).toBe('1234567890123456.0');
    expect(refFloat(1e-5)).toBe('1e-05');
    expect(refFloat(0.0001)).toBe('0.0001');
    expect(refFloat(5e-324)).toBe('5e-324');
    expect(refFloat(-0)).toBe('-0.0');
    // An exact tie at the shortest length: the even neighbour, as CPython's repr gives (seen as a CI failure).
    expect(refFloat(17246273853355.3125)).toBe('17246273853355.312');
    expect(refFloat(0.5)).toBe('0.5');
    expect(refFloat(2.5)).toBe('2.5');
    expect(refString('é😀\u007f/')).toBe('"\\u00e9\\ud83d\\ude00\\u007f/"');
    expect(['😀', '\ue000'].sort(refKeyOrder)).toEqual(['\ue000', '😀']);
  });

  it('is idempotent: canonical(parse(canonical(x))) === canonical(x)', () => {
    fc.assert(
      fc.property(document, (v) => {
        const once = canonicalJsonText(v);
        expect(canonicalJsonText(parseJson(once))).toBe(once);
        const onceTrov = canonicalJsonText(v, 'trov');
        expect(canonicalJsonText(parseJson(onceTrov), 'trov')).toBe(onceTrov);
      }),
      { numRuns: 300 },
    );
  });

  it('does not depend on key order, whitespace or escape spelling', () => {
    fc.assert(
      fc.property(document, fc.integer(), fc.integer(), (v, s1, s2) => {
        expect(canonicalJsonText(shuffled(v, prng(s1)))).toBe(canonicalJsonText(v));
        expect(canonicalJsonText(parseJson(wildJson(v, s1)))).toBe(canonicalJsonText(parseJson(wildJson(v, s2))));
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with an independent reference writer, on values and on their wild spellings', () => {
    fc.assert(
      fc.property(document, fc.integer(), (v, seed) => {
        const expected = `${refCanonical(v)}\n`;
        expect(canonicalJsonText(v)).toBe(expected);
        expect(canonicalJsonText(parseJson(new TextEncoder().encode(wildJson(v, seed))))).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it.skipIf(!HAVE_PYTHON)(`equals CPython json.dumps(json.loads(doc), indent=2, sort_keys=True) on 300 random documents${PYTHON_SKIP_REASON}`, () => {
    const seed = 20260822;
    const samples = fc.sample(fc.tuple(document, fc.integer()), { numRuns: 300, seed });
    const texts = samples.map(([v, s]) => wildJson(v, s));
    const answers = pythonDumpsMany(texts);
    samples.forEach(([v], i) => {
      const answer = answers[i];
      const where = `sample ${i} (fast-check seed ${seed}): ${JSON.stringify(texts[i])}`;
      if (answer === undefined || !answer.ok) throw new Error(`Python rejected ${where}: ${answer?.ok === false ? answer.error : 'no answer'}`);
      expect(canonicalJsonText(parseJson(texts[i] ?? ''), 'trov'), where).toBe(answer.text);
      expect(refCanonical(v), where).toBe(answer.text);
    });
  });
});
