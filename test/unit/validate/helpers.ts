// Test helpers for the validate area: load fixtures losslessly and edit one value at a path.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseJson } from '../../../src/json/parse.js';
import { isJsonObject, type JsonValue } from '../../../src/json/value.js';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export function load(path: string): JsonValue {
  return parseJson(readFileSync(join(REPO, path)), { label: path });
}

/** Every file under `dir` (repo-relative) whose name ends with `suffix`, repo-relative and sorted. */
export function filesUnder(dir: string, suffix: string): string[] {
  const out: string[] = [];
  const walk = (abs: string): void => {
    for (const name of readdirSync(abs)) {
      const p = join(abs, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith(suffix)) out.push(relative(REPO, p));
    }
  };
  walk(join(REPO, dir));
  return out.sort();
}

type Step = string | number;

function child(v: JsonValue | undefined, step: Step, path: readonly Step[]): JsonValue {
  const next = Array.isArray(v) && typeof step === 'number' ? v[step] : isJsonObject(v) && typeof step === 'string' ? v[step] : undefined;
  if (next === undefined) throw new Error(`no value at ${path.join('/')}`);
  return next;
}

/** Sets (or, with `undefined`, deletes) the value at `path`; the parent must exist. */
export function edit(doc: JsonValue, path: readonly Step[], value: JsonValue | undefined): JsonValue {
  let parent: JsonValue = doc;
  for (const step of path.slice(0, -1)) parent = child(parent, step, path);
  const last = path[path.length - 1];
  if (Array.isArray(parent) && typeof last === 'number') {
    if (value === undefined) parent.splice(last, 1);
    else parent[last] = value;
  } else if (isJsonObject(parent) && typeof last === 'string') {
    if (value === undefined) delete parent[last];
    else parent[last] = value;
  } else {
    throw new Error(`cannot edit ${path.join('/')}`);
  }
  return doc;
}

/** The value at `path` (throws when absent). */
export function get(doc: JsonValue, path: readonly Step[]): JsonValue {
  let v: JsonValue = doc;
  for (const step of path) v = child(v, step, path);
  return v;
}
