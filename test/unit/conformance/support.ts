// Helpers for the conformance tests: fixture paths, checking bytes or plain JSON, and reading a report's verdicts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkConformance } from '../../../src/conformance/check.js';
import type { ConformanceReport, ExpectationResult, TraceVersionId } from '../../../src/conformance/types.js';
import { REPO_ROOT } from '../../support/cli.js';

export const CANDIDATE_01 = 'fixtures/trace/spec-tro-checks/candidates__01-spec-example-2026-04-08.jsonld';
export const CANDIDATE_02 = 'fixtures/trace/spec-tro-checks/candidates__02-spec-example-2026-04-08-with-base-and-hashes.jsonld';
export const CANDIDATE_03 = 'fixtures/trace/spec-tro-checks/candidates__03-spec-example-2026-04-08-with-node-ids.jsonld';
export const TRO_UTILS = 'fixtures/trace/tro-utils/GENERATED__tro-utils-HEAD-95ec41b-models-example.jsonld';
export const TRACE_MODEL_02 = 'fixtures/trace/trace-model/demo__02-tro-examples__02-three-artifacts-one-trp__tro__tro.jsonld';

export function checkFile(repoRelative: string, traceVersion?: TraceVersionId): ConformanceReport {
  const bytes = new Uint8Array(readFileSync(join(REPO_ROOT, repoRelative)));
  return checkConformance(bytes, { label: repoRelative, ...(traceVersion === undefined ? {} : { traceVersion }) });
}

export function checkText(text: string | Uint8Array, traceVersion?: TraceVersionId): ConformanceReport {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  return checkConformance(bytes, { label: 'test.jsonld', ...(traceVersion === undefined ? {} : { traceVersion }) });
}

/** Plain JSON (as JSON.parse gives it). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function fixtureJson(repoRelative: string): Json {
  return JSON.parse(readFileSync(join(REPO_ROOT, repoRelative), 'utf8')) as Json;
}

export function checkJson(doc: Json, traceVersion?: TraceVersionId): ConformanceReport {
  return checkText(JSON.stringify(doc, null, 2), traceVersion);
}

type Step = string | number;
/** One edit: set the value at `path`, delete it (`value` undefined), or append to the array at `path` (`push`). */
export interface Edit {
  readonly path: readonly Step[];
  readonly value?: Json;
  readonly push?: boolean;
}

export const set = (path: readonly Step[], value: Json): Edit => ({ path, value });
export const del = (...path: Step[]): Edit => ({ path });
export const push = (path: readonly Step[], value: Json): Edit => ({ path, value, push: true });

/** The value at `path` (a copy is never made: callers clone first). */
export function get(doc: Json, path: readonly Step[]): Json {
  let v: Json = doc;
  for (const step of path) {
    if (typeof step === 'number' && Array.isArray(v)) v = v[step] as Json;
    else if (typeof step === 'string' && typeof v === 'object' && v !== null && !Array.isArray(v)) v = v[step] as Json;
    else throw new Error(`no ${String(step)} in ${JSON.stringify(v).slice(0, 60)}`);
    if (v === undefined) throw new Error(`path ${path.join('/')} does not exist`);
  }
  return v;
}

/** A deep copy of `doc` with `edits` applied in order. */
export function edited(doc: Json, ...edits: Edit[]): Json {
  const copy = JSON.parse(JSON.stringify(doc)) as Json;
  for (const e of edits) {
    const parent = get(copy, e.path.slice(0, -1));
    const last = e.path[e.path.length - 1];
    if (last === undefined) throw new Error('empty path');
    if (e.push === true) {
      const arr = get(copy, e.path);
      if (!Array.isArray(arr) || e.value === undefined) throw new Error('push needs an array and a value');
      arr.push(e.value);
    } else if (Array.isArray(parent) && typeof last === 'number') {
      if (e.value === undefined) parent.splice(last, 1);
      else parent[last] = e.value;
    } else if (typeof parent === 'object' && parent !== null && !Array.isArray(parent) && typeof last === 'string') {
      if (e.value === undefined) delete parent[last];
      else parent[last] = e.value;
    } else throw new Error(`cannot edit ${e.path.join('/')}`);
  }
  return copy;
}

export function expectations(report: ConformanceReport): ExpectationResult[] {
  return report.tiers.flatMap((t) => t.expectations);
}

/** Ids of the expectations with status `unmet`, in report order. */
export function unmet(report: ConformanceReport): string[] {
  return expectations(report)
    .filter((e) => e.status === 'unmet')
    .map((e) => e.id);
}

export function expectation(report: ConformanceReport, id: string): ExpectationResult {
  const e = expectations(report).find((x) => x.id === id);
  if (e === undefined) throw new Error(`report has no expectation ${id}`);
  return e;
}

export { fixtureFiles } from '../tro/support.js';
