// Loads heavy CommonJS dependencies on first use, so a command pays only for the libraries it really calls.
import { createRequire } from 'node:module';

const requireCjs = createRequire(import.meta.url);

/**
 * `lazyRequire<T>('jsonld')` returns a function that requires the module the first time it is called.
 * Why: the CLI imports the whole library through one barrel; loading jsonld, ajv, yaml and sparqljs eagerly
 * cost every command (even `--version`) hundreds of milliseconds of start-up.
 */
export function lazyRequire<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requireCjs(id) as T);
}
