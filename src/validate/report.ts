// Turns Ajv's raw errors into located, readable findings (what was expected, what was found), minus combinator noise.
import type { ErrorObject } from 'ajv/dist/2020.js';
import type { DialectId } from '../tro/model.js';

/** One structural defect: where (JSON pointer), which schema keyword failed, and a sentence a person can act on. */
export interface SchemaIssue {
  readonly pointer: string;
  readonly keyword: string;
  readonly message: string;
}

/** Something the schema tolerates but a reader should know (extra @graph node, unknown free label). */
export interface SchemaWarning {
  readonly pointer: string;
  readonly message: string;
}

export interface SchemaReport {
  readonly valid: boolean;
  readonly dialect: DialectId;
  /** `build` when the document was checked as a data build TRO (pop: namespace; detected from its @context). */
  readonly profile?: 'build';
  /** The `$id` of the schema applied, or null when the dialect has none (then `valid` is false). */
  readonly schema: string | null;
  readonly errors: readonly SchemaIssue[];
  readonly warnings: readonly SchemaWarning[];
}

/** Builds a JSON pointer (RFC 6901) from path segments, escaping `~` as `~0` and `/` as `~1`. */
export function jsonPointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** Splits a JSON pointer back into its unescaped segments. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** How a location is named in a message: the key it sits under, `key[i]` for array items, or "the document". */
export function subjectOf(pointer: string): string {
  const segments = pointerSegments(pointer);
  const last = segments[segments.length - 1];
  if (last === undefined) return 'the document';
  if (!/^(0|[1-9][0-9]*)$/.test(last)) return last;
  const parent = segments[segments.length - 2];
  return parent === undefined ? `item ${last}` : `${parent}[${last}]`;
}

const PREVIEW_LIMIT = 72;

/** A short rendering of a found value: scalars quoted as JSON (truncated), containers by kind. */
export function preview(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : `an array of ${value.length}`;
  if (typeof value === 'object' && value !== null) return 'an object';
  const text = JSON.stringify(value);
  return text.length > PREVIEW_LIMIT ? `${text.slice(0, PREVIEW_LIMIT - 1)}…` : text;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return `a string (${preview(value)})`;
    case 'number':
      return `a number (${String(value)})`;
    case 'boolean':
      return `a boolean (${String(value)})`;
    default:
      return 'an object';
  }
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  object: 'an object',
  array: 'an array',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean',
  null: 'null',
};

function typeNames(expected: unknown): string {
  const list = Array.isArray(expected) ? expected : [expected];
  return list.map((t) => TYPE_NAMES[String(t)] ?? String(t)).join(' or ');
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** A noun phrase for what a subschema accepts: its description, else its const, else a generic phrase. */
function describeSchema(schema: unknown): string {
  const s = record(schema);
  if (typeof s['description'] === 'string') return s['description'];
  if ('const' in s) return JSON.stringify(s['const']);
  return 'a matching item';
}

function messageFor(e: ErrorObject): string {
  const subject = subjectOf(e.instancePath);
  const params = record(e.params);
  const parent = record(e.parentSchema);
  switch (e.keyword) {
    case 'required':
      return `${subject} is missing required key ${JSON.stringify(params['missingProperty'])}`;
    case 'const':
      return `${subject} must be ${JSON.stringify(params['allowedValue'])}, got ${preview(e.data)}`;
    case 'enum': {
      const allowed = Array.isArray(params['allowedValues']) ? params['allowedValues'] : [];
      return `${subject} must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}, got ${preview(e.data)}`;
    }
    case 'type':
      return `${subject} must be ${typeNames(params['type'])}, got ${kindOf(e.data)}`;
    case 'minItems': {
      const limit = Number(params['limit']);
      const count = Array.isArray(e.data) ? e.data.length : 0;
      return limit === 1 ? `${subject} must not be empty` : `${subject} must have at least ${limit} items, got ${count}`;
    }
    case 'maxItems':
      return `${subject} must have at most ${Number(params['limit'])} items, got ${Array.isArray(e.data) ? e.data.length : 0}`;
    case 'minLength': {
      const limit = Number(params['limit']);
      return limit === 1 ? `${subject} must not be an empty string` : `${subject} must be at least ${limit} characters long`;
    }
    case 'pattern': {
      const expected = typeof parent['description'] === 'string' ? parent['description'] : `a string matching ${String(params['pattern'])}`;
      return `${subject} must be ${expected}, got ${preview(e.data)}`;
    }
    case 'contains':
      return `${subject} must contain ${describeSchema(e.schema)}`;
    case 'anyOf':
    case 'oneOf':
      return `${subject} does not match any of its allowed forms`;
    default:
      return `${subject} ${e.message ?? `fails the "${e.keyword}" rule`}`;
  }
}

function isWithin(pointer: string, ancestor: string): boolean {
  return pointer === ancestor || pointer.startsWith(`${ancestor}/`);
}

/** Resolves a same-document `$ref` (`#/$defs/x`) against the root schema. */
function resolveRef(ref: string, root: unknown): unknown {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = root;
  for (const segment of pointerSegments(decodeURIComponent(ref.slice(1)))) {
    if (Array.isArray(node)) node = node[Number(segment)];
    else node = record(node)[segment];
  }
  return node;
}

/** Every schema object a subschema can evaluate, following same-document `$ref`s. */
function reachableSchemas(schema: unknown, root: unknown): Set<object> {
  const seen = new Set<object>();
  const stack: unknown[] = [schema];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null || seen.has(node)) continue;
    seen.add(node);
    if (Array.isArray(node)) {
      stack.push(...(node as unknown[]));
      continue;
    }
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') stack.push(resolveRef(value, root));
      else stack.push(value);
    }
  }
  return seen;
}

const COMPOSITES = new Set(['anyOf', 'oneOf', 'contains']);

/**
 * Readable issues from Ajv errors (run with `allErrors` and `verbose`), in Ajv's order. Noise removed:
 * `if` failures (the `then`/`else` errors say what is wrong); the per-item and per-branch errors left
 * behind by a failed `contains`, `anyOf` or `oneOf` (the composite's own line says what was wanted);
 * a `contains` failure on an array already reported empty; exact duplicates. `root` is the schema the
 * errors came from, needed to follow `$ref`s out of a composite (the errors carry only subschemas).
 */
export function describeAjvErrors(errors: readonly ErrorObject[], root?: unknown): SchemaIssue[] {
  const composites = errors
    .filter((e) => COMPOSITES.has(e.keyword))
    .map((e) => ({ error: e, schemas: reachableSchemas(e.schema, root) }));
  const emptyArrays = new Set(errors.filter((e) => e.keyword === 'minItems' && Array.isArray(e.data) && e.data.length === 0).map((e) => e.instancePath));
  const kept: SchemaIssue[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (e.keyword === 'if') continue;
    if (e.keyword === 'contains' && emptyArrays.has(e.instancePath)) continue;
    const inside = composites.some(
      (c) => c.error !== e && isWithin(e.instancePath, c.error.instancePath) && e.parentSchema !== undefined && c.schemas.has(e.parentSchema),
    );
    if (inside) continue;
    const issue: SchemaIssue = { pointer: e.instancePath, keyword: e.keyword, message: messageFor(e) };
    const key = `${issue.pointer}\u0000${issue.keyword}\u0000${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(issue);
  }
  return kept;
}
