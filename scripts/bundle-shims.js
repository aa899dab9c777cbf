// Injected by scripts/bundle.js into each CommonJS bundle, for what the bundled ES module sources expect.
import { join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The package root: every bundle lives under <root>/dist/bundle/. */
const packageRoot = __filename.slice(0, __filename.lastIndexOf(`${sep}dist${sep}bundle${sep}`));

/**
 * `import.meta.url` of a bundled source (`src/assets.ts` → "src/assets.js"): its URL in tsc's build under dist/, so
 * code that locates files beside itself (shipped assets, packages to require lazily, the query worker script, which
 * runs tsc's build) behaves as it does unbundled.
 */
export function __peTraceImportMetaUrl(compiledPath) {
  return pathToFileURL(join(packageRoot, 'dist', compiledPath)).href;
}

/**
 * Dynamic import() of the sources, rewritten by scripts/bundle.js: bin/run.js compiles the bundle through node:vm for
 * its code cache, and code compiled that way cannot call import() on Node 20 (it throws once the cache is used), so
 * the import() runs in bin/run.js, which Node compiles itself and which resolves packages from the same root.
 */
export function __peTraceImport(specifier) {
  const host = globalThis[Symbol.for('pe-trace.import')];
  // Loaded without bin/run.js (e.g. by `oclif manifest`, which never calls this): a plain require.
  return host === undefined ? Promise.resolve().then(() => require(specifier)) : host(specifier);
}
