// Typed, located reading of manifest JSON: every wrong type or missing field becomes a finding with a JSON pointer.
import { InputError } from '../errors.js';
import { JsonNumber, isJsonObject } from '../json/value.js';
import type { JsonObject, JsonValue } from '../json/value.js';

/** One observation about a manifest, located by a JSON pointer (`/artifacts/states~1CA/revision`). */
export interface ManifestFinding {
  readonly severity: 'error' | 'warning' | 'info';
  readonly pointer: string;
  readonly message: string;
}

/** A manifest that cannot be used: every problem found, the first one as the located message. */
export class ManifestError extends InputError {
  readonly problems: readonly ManifestFinding[];
  constructor(label: string, problems: readonly ManifestFinding[]) {
    const [first, ...rest] = problems;
    const shown = rest.slice(0, 4).map((p) => `#${p.pointer}: ${p.message}`);
    const more = rest.length > shown.length ? `; and ${rest.length - shown.length} more` : '';
    const tail = rest.length === 0 ? '' : ` (also ${shown.join('; ')}${more})`;
    super('MANIFEST_INVALID', `${first?.message ?? 'invalid manifest'}${tail}`, { location: { file: label, pointer: first?.pointer ?? '' } });
    this.name = 'ManifestError';
    this.problems = problems;
  }
}

/** RFC 6901 escaping of one reference token. */
export function pointerToken(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function childPointer(base: string, key: string | number): string {
  return `${base}/${typeof key === 'number' ? String(key) : pointerToken(key)}`;
}

/** How a JSON value is named in messages. */
export function describeJson(v: JsonValue | undefined): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'boolean') return 'a boolean';
  if (typeof v === 'string') return 'a string';
  if (v instanceof JsonNumber) return v.kind === 'int' ? 'an integer' : 'a float';
  if (Array.isArray(v)) return 'an array';
  return 'an object';
}

interface FieldOptions {
  readonly required?: boolean;
  /** Whether an optional field may be `null` (pydantic `Optional`); default true. Lists and maps with defaults may not. */
  readonly nullable?: boolean;
}

/**
 * Reads fields of one manifest document and collects findings. Optional fields that are `null` count as
 * absent (pydantic's `Optional[...] = None`); a required field that is missing or `null` is an error.
 */
export class ManifestReader {
  readonly findings: ManifestFinding[] = [];
  constructor(readonly label: string) {}

  error(pointer: string, message: string): void {
    this.findings.push({ severity: 'error', pointer, message });
  }
  warning(pointer: string, message: string): void {
    this.findings.push({ severity: 'warning', pointer, message });
  }
  info(pointer: string, message: string): void {
    this.findings.push({ severity: 'info', pointer, message });
  }

  get errorCount(): number {
    return this.findings.filter((f) => f.severity === 'error').length;
  }

  /** Throws a ManifestError listing every error found so far. */
  throwIfErrors(): void {
    const errors = this.findings.filter((f) => f.severity === 'error');
    if (errors.length > 0) throw new ManifestError(this.label, errors);
  }

  /** The value at `key`, or undefined (recording an error when required) if missing or null. */
  private present(obj: JsonObject, key: string, pointer: string, options: FieldOptions): JsonValue | undefined {
    const v = Object.hasOwn(obj, key) ? obj[key] : undefined;
    if (v === undefined || v === null) {
      if (options.required === true) this.error(childPointer(pointer, key), v === null ? 'required field is null' : 'required field is missing');
      else if (v === null && options.nullable === false) this.error(childPointer(pointer, key), 'expected a value, got null');
      return undefined;
    }
    return v;
  }

  str(obj: JsonObject, key: string, pointer: string, options: FieldOptions = {}): string | undefined {
    const v = this.present(obj, key, pointer, options);
    if (v === undefined) return undefined;
    if (typeof v !== 'string') {
      this.error(childPointer(pointer, key), `expected a string, got ${describeJson(v)}`);
      return undefined;
    }
    return v;
  }

  int(obj: JsonObject, key: string, pointer: string, options: FieldOptions = {}): number | undefined {
    const v = this.present(obj, key, pointer, options);
    if (v === undefined) return undefined;
    if (!(v instanceof JsonNumber) || v.kind !== 'int' || v.int === undefined) {
      this.error(childPointer(pointer, key), `expected an integer, got ${describeJson(v)}`);
      return undefined;
    }
    if (v.int > BigInt(Number.MAX_SAFE_INTEGER) || v.int < BigInt(Number.MIN_SAFE_INTEGER)) {
      this.error(childPointer(pointer, key), `integer ${v.int} is outside the supported range`);
      return undefined;
    }
    return Number(v.int);
  }

  bool(obj: JsonObject, key: string, pointer: string, options: FieldOptions = {}): boolean | undefined {
    const v = this.present(obj, key, pointer, options);
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') {
      this.error(childPointer(pointer, key), `expected a boolean, got ${describeJson(v)}`);
      return undefined;
    }
    return v;
  }

  obj(obj: JsonObject, key: string, pointer: string, options: FieldOptions = {}): JsonObject | undefined {
    const v = this.present(obj, key, pointer, options);
    if (v === undefined) return undefined;
    if (!isJsonObject(v)) {
      this.error(childPointer(pointer, key), `expected an object, got ${describeJson(v)}`);
      return undefined;
    }
    return v;
  }

  arr(obj: JsonObject, key: string, pointer: string, options: FieldOptions = {}): JsonValue[] | undefined {
    const v = this.present(obj, key, pointer, options);
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) {
      this.error(childPointer(pointer, key), `expected an array, got ${describeJson(v)}`);
      return undefined;
    }
    return v;
  }

  /** Checks that `v` is an object; records an error otherwise. */
  asObject(v: JsonValue | undefined, pointer: string): JsonObject | undefined {
    if (isJsonObject(v)) return v;
    this.error(pointer, `expected an object, got ${describeJson(v)}`);
    return undefined;
  }

  /** A map of strings (`default_datasets`). */
  stringMap(obj: JsonObject, key: string, pointer: string): Record<string, string> {
    const out = emptyRecord<string>();
    const map = this.obj(obj, key, pointer, { nullable: false });
    if (map === undefined) return out;
    const here = childPointer(pointer, key);
    for (const k of Object.keys(map)) {
      const s = this.str(map, k, here, { required: true });
      if (s !== undefined) out[k] = s;
    }
    return out;
  }

  /** A list of strings (`preservation_dois`). */
  stringList(obj: JsonObject, key: string, pointer: string): string[] {
    const list = this.arr(obj, key, pointer, { nullable: false });
    if (list === undefined) return [];
    const here = childPointer(pointer, key);
    const out: string[] = [];
    list.forEach((item, i) => {
      if (typeof item === 'string') out.push(item);
      else this.error(childPointer(here, i), `expected a string, got ${describeJson(item)}`);
    });
    return out;
  }

  /** Records every key of `obj` outside `known` as ignored (pydantic drops unknown keys without a word; we say so). */
  ignoredKeys(obj: JsonObject, pointer: string, known: ReadonlySet<string>, what: string): void {
    for (const k of Object.keys(obj)) {
      if (!known.has(k)) this.info(childPointer(pointer, k), `unknown key '${k}' in ${what} is ignored (policyengine.py drops it)`);
    }
  }
}

/** A record with no prototype, so manifest keys such as `__proto__` are ordinary keys. */
export function emptyRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
