// Locates the assets pe-trace ships beside its code (shapes/, vocab/, queries/) from the package root.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PeTraceError } from './errors.js';

/** The package root: two levels above this file whether it runs from src/ (tests) or dist/src/ (CLI). */
function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown };
      if (pkg.name === 'pe-trace') return dir;
    } catch {
      // not the root yet: keep walking up
    }
    dir = dirname(dir);
  }
  throw new PeTraceError('ASSET_BROKEN', 'cannot locate the pe-trace package root (package.json)');
}

let root: string | undefined;

/** Absolute path of a shipped asset, e.g. `assetPath('shapes', 'pe-0.1.schema.json')`. */
export function assetPath(folder: 'shapes' | 'vocab' | 'queries' | 'fixtures', name: string): string {
  root ??= findPackageRoot();
  return join(root, folder, name);
}

/** Reads a shipped text asset; a missing asset is our packaging bug (exit 1), not the user's. */
export function readAssetText(folder: 'shapes' | 'vocab' | 'queries', name: string): string {
  const path = assetPath(folder, name);
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new PeTraceError('ASSET_BROKEN', `shipped asset ${folder}/${name} is missing or unreadable`, { cause: e });
  }
}
