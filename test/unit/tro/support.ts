// Shared helpers for the TRO unit tests: fixture listing and lossless parsing of fixture files.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseJson } from '../../../src/json/parse.js';
import type { JsonValue } from '../../../src/json/value.js';
import { FIXTURES, REPO_ROOT } from '../../support/cli.js';

/** Every file under `fixtures/<dir>` whose name ends with `suffix`, as repo-relative paths, sorted. */
export function fixtureFiles(dir: string, suffix: string): string[] {
  const out: string[] = [];
  const walk = (abs: string): void => {
    for (const name of readdirSync(abs)) {
      const p = join(abs, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith(suffix)) out.push(relative(REPO_ROOT, p));
    }
  };
  walk(join(FIXTURES, dir));
  return out.sort();
}

export function loadJson(repoRelative: string): JsonValue {
  return parseJson(readFileSync(join(REPO_ROOT, repoRelative)), { label: repoRelative });
}

export function parse(text: string, label = 'test.jsonld'): JsonValue {
  return parseJson(text, { label });
}
