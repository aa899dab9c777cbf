// The lossless JSON value model: ints and floats kept apart, integers of any size, key order as read.

/**
 * A JSON number as written in the source (or as constructed), keeping Python's int/float distinction:
 * `3000` is an int, `3000.0` and `3e3` are floats. `source` is the literal text for parsed numbers.
 */
export class JsonNumber {
  readonly kind: 'int' | 'float';
  /** For ints: the exact value. For floats: undefined. */
  readonly int: bigint | undefined;
  /** The IEEE-754 value (for ints beyond 2^53, an approximation). */
  readonly float: number;
  private constructor(kind: 'int' | 'float', int: bigint | undefined, float: number) {
    this.kind = kind;
    this.int = int;
    this.float = float;
  }
  static ofInt(value: bigint | number): JsonNumber {
    const big = typeof value === 'bigint' ? value : BigInt(value);
    return new JsonNumber('int', big, Number(big));
  }
  /** A Python float: `JsonNumber.ofFloat(3000)` serialises as `3000.0`. */
  static ofFloat(value: number): JsonNumber {
    return new JsonNumber('float', undefined, value);
  }
}

/** A JSON object: a null-prototype record (so `__proto__` is an ordinary key). Key order is insertion order. */
export interface JsonObject {
  [key: string]: JsonValue;
}
export type JsonArray = JsonValue[];
export type JsonValue = null | boolean | string | JsonNumber | JsonArray | JsonObject;

/**
 * What the canonical writer accepts: lossless values, plus plain JS numbers for convenience
 * (an integral JS number is an int, anything else a float) and plain JS objects.
 */
export type JsonInput = null | boolean | string | number | bigint | JsonNumber | readonly JsonInput[] | { readonly [key: string]: JsonInput | undefined };

export function isJsonObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonNumber);
}

export function newJsonObject(): JsonObject {
  return Object.create(null) as JsonObject;
}

/** A plain JS value (numbers as JS numbers, big ints as bigint) for libraries that want ordinary JSON. */
export type PlainJson = null | boolean | string | number | PlainJson[] | { [key: string]: PlainJson };

/**
 * Converts to plain JS JSON. Integers beyond the safe range become JS numbers (lossy) unless
 * `bigIntAs` says otherwise; callers that must not lose precision use the lossless value.
 */
export function toPlainJson(v: JsonValue): PlainJson {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (v instanceof JsonNumber) return v.float;
  if (Array.isArray(v)) return v.map(toPlainJson);
  const out: { [key: string]: PlainJson } = {};
  for (const k of Object.keys(v)) {
    const child = v[k];
    if (child !== undefined) Object.defineProperty(out, k, { value: toPlainJson(child), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
