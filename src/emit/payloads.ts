// Run-record payloads (interop §7): content-only reform/input/results objects, datasets bound by hash and basename.
import { basename } from 'node:path';
import { InputError } from '../errors.js';
import { hashFile } from '../hash/digest.js';
import { readDocumentFile } from '../io/read-file.js';
import { compareCodePoints } from '../json/canonical.js';
import { parseJson } from '../json/parse.js';
import { type JsonInput, JsonNumber, type JsonValue } from '../json/value.js';

/** One parameter value of a policy, as the caller's model holds it (dates as the ISO text to record). */
export interface ParameterValueLike {
  /** The parameter path, or an object with its `name` (policyengine.py's `Parameter`). */
  readonly parameter: string | { readonly name?: string | null } | null;
  readonly value: JsonInput;
  readonly start_date?: string | null;
  readonly end_date?: string | null;
}

/** A policy (reform) or a dynamic: named parameter values; `simulation_modifier` marks code that cannot be certified. */
export interface PolicyLike {
  readonly name?: string | null;
  readonly parameter_values: readonly ParameterValueLike[];
  readonly simulation_modifier?: unknown;
}

/** The key policyengine.py uses for arbitrary code attached to a policy. */
export const SIMULATION_MODIFIER = 'simulation_modifier';

/**
 * `{name, parameter_values: [{parameter, value, start_date, end_date}]}` with exactly those four keys per
 * value, stably sorted by (parameter, start_date) in code-point order; ids and timestamps are left out so the
 * hash depends on content only. No policy gives null. A policy carrying a `simulation_modifier` is refused
 * (UNCERTIFIABLE): arbitrary code cannot be bound by hash, so a record would certify something other than what ran.
 */
export function reformPayload(policy: PolicyLike | null | undefined, what = 'reform'): JsonInput {
  if (policy === null || policy === undefined) return null;
  if (policy.simulation_modifier !== undefined && policy.simulation_modifier !== null) {
    throw new InputError('UNCERTIFIABLE', `the ${what} carries a ${SIMULATION_MODIFIER} (code), which cannot be bound by hash; record parameter values only`);
  }
  const values = policy.parameter_values.map((pv, i) => {
    const parameter = typeof pv.parameter === 'string' ? pv.parameter : (pv.parameter?.name ?? null);
    assertCertifiable(pv.value, `${what}.parameter_values[${i}].value`);
    return { parameter, value: pv.value, start_date: pv.start_date ?? null, end_date: pv.end_date ?? null };
  });
  // Array.prototype.sort is stable, like Python's sorted.
  values.sort((a, b) => compareCodePoints(a.parameter ?? '', b.parameter ?? '') || compareCodePoints(a.start_date ?? '', b.start_date ?? ''));
  return { name: policy.name ?? null, parameter_values: values };
}

/** A dataset file of a run: bound by its content hash and basename, never by its path. */
export interface DatasetFile {
  readonly name: string;
  readonly path: string;
  readonly year: number | JsonNumber | null;
}

export interface InputPayloadOptions {
  readonly dataset: DatasetFile;
  readonly dynamic?: PolicyLike | null | undefined;
  /** `{type, parameters}` as already dumped by the caller; an `id` parameter is dropped (it is not content). */
  readonly scopingStrategy?: { readonly type: string; readonly parameters: Readonly<Record<string, JsonInput>> } | null | undefined;
  readonly extraVariables?: Readonly<Record<string, JsonInput>> | null | undefined;
}

/** `{dataset: {name, file, sha256, year}, dynamic, scoping_strategy, extra_variables}` (interop §7). */
export async function inputPayload(options: InputPayloadOptions): Promise<JsonInput> {
  const dynamic = reformPayload(options.dynamic, 'dynamic');
  let scoping: JsonInput = null;
  if (options.scopingStrategy !== null && options.scopingStrategy !== undefined) {
    const { id: _id, ...parameters } = options.scopingStrategy.parameters;
    assertCertifiable(parameters, 'scoping_strategy.parameters');
    scoping = { type: options.scopingStrategy.type, parameters };
  }
  const extra = options.extraVariables ?? {};
  assertCertifiable(extra, 'extra_variables');
  return { dataset: await datasetEntry(options.dataset), dynamic, scoping_strategy: scoping, extra_variables: extra };
}

/** One entity table of an output dataset: its row count and column names (sorted in the payload). */
export interface TableShape {
  readonly rows: number;
  readonly columns: readonly string[];
}

export interface ResultsPayloadOptions {
  /** The dataset the run produced; absent means the simulation was never run. */
  readonly outputDataset: (DatasetFile & { readonly tables?: Readonly<Record<string, TableShape>> | null }) | null | undefined;
}

/** `{output_dataset: {name, file, sha256, year, tables}}` with `tables` = `{entity: {rows, columns (sorted)}}` or null. */
export async function resultsPayload(options: ResultsPayloadOptions): Promise<JsonInput> {
  const out = options.outputDataset;
  if (out === null || out === undefined) {
    throw new InputError('UNCERTIFIABLE', 'the simulation has no output dataset: run it first (policyengine.py: ensure()); a record certifies outputs that were actually produced');
  }
  let tables: JsonInput = null;
  if (out.tables !== null && out.tables !== undefined) {
    const shaped: Record<string, JsonInput> = {};
    for (const [entity, table] of Object.entries(out.tables)) {
      if (!Number.isInteger(table.rows) || table.rows < 0) throw new InputError('USAGE', `table ${entity}: rows must be a non-negative integer`);
      shaped[entity] = { rows: JsonNumber.ofInt(table.rows), columns: table.columns.map(String).sort(compareCodePoints) };
    }
    tables = shaped;
  }
  return { output_dataset: { ...(await datasetEntry(out)), tables } };
}

/** Hashes the dataset file (streamed); a missing file is reported by its basename only. */
async function datasetEntry(dataset: DatasetFile): Promise<{ [key: string]: JsonInput }> {
  const file = basename(dataset.path);
  const { hex } = await hashFile(dataset.path, 'sha256', { label: file });
  const year = typeof dataset.year === 'number' ? JsonNumber.ofInt(dataset.year) : dataset.year;
  return { name: dataset.name, file, sha256: hex, year };
}

/**
 * Refuses what cannot be certified by hash, before anything is written: a `simulation_modifier` key anywhere,
 * or any value that is not plain JSON data (functions, symbols, undefined in arrays, dates, maps, class
 * instances, non-finite numbers, cycles). `what` names the payload in the message, with a JSON pointer.
 */
export function assertCertifiable(value: unknown, what: string): void {
  const seen = new Set<object>();
  const visit = (v: unknown, pointer: string): void => {
    if (v === null || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'bigint') return;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) refuse(what, pointer, `a non-finite number (${v}) is not JSON data`);
      return;
    }
    if (v instanceof JsonNumber) {
      if (v.kind === 'float' && !Number.isFinite(v.float)) refuse(what, pointer, `a non-finite number (${v.float}) is not JSON data`);
      return;
    }
    if (typeof v !== 'object') refuse(what, pointer, `a ${typeof v} is not JSON data`);
    if (seen.has(v)) refuse(what, pointer, 'a cyclic value is not JSON data');
    seen.add(v);
    if (Array.isArray(v)) {
      v.forEach((item: unknown, i) => {
        if (item === undefined) refuse(what, `${pointer}/${i}`, 'undefined is not JSON data');
        visit(item, `${pointer}/${i}`);
      });
    } else {
      const proto: unknown = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) refuse(what, pointer, `a ${describe(v)} is not plain JSON data`);
      for (const [key, item] of Object.entries(v)) {
        const at = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
        if (key === SIMULATION_MODIFIER) refuse(what, at, `a ${SIMULATION_MODIFIER} (code) cannot be bound by hash; record parameter values only`);
        if (item !== undefined) visit(item, at);
      }
    }
    seen.delete(v);
  };
  visit(value, '');
}

function describe(v: object): string {
  const ctor: unknown = (v as { constructor?: unknown }).constructor;
  return typeof ctor === 'function' && ctor.name ? ctor.name : 'non-plain object';
}

function refuse(what: string, pointer: string, message: string): never {
  throw new InputError('UNCERTIFIABLE', `${what}${pointer === '' ? '' : ` at ${pointer}`}: ${message}`);
}

/** Reads a JSON payload file losslessly (ints and floats kept apart), named by `label` in errors. */
export async function readPayloadFile(path: string, label = path): Promise<JsonValue> {
  return parseJson(await readDocumentFile(path, { label }), { label });
}
