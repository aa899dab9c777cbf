// The 219 historical policyengine.py TRO versions in fixtures/: their folder names and the one TRO each holds.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from './cli.js';

export const HISTORY = join(FIXTURES, 'policyengine-py', 'history');

/** Version folder names, sorted (`<commit date>-<16 hex>`). */
export const HISTORY_VERSIONS: readonly string[] = readdirSync(HISTORY).filter((d) => !d.startsWith('.')).sort();

/** The path of the single `*.trace.tro.jsonld` inside a version folder (it sits at a layout-dependent depth). */
export function historyTro(version: string): string {
  const found: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.endsWith('.trace.tro.jsonld')) found.push(join(d, e.name));
    }
  };
  walk(join(HISTORY, version));
  if (found.length !== 1) throw new Error(`${version}: expected one TRO, found ${found.length}`);
  return found[0] as string;
}
