// The view worker (built dist only: a worker thread cannot load the TypeScript sources) answers as the in-thread engine does.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readAssetText } from '../../../src/assets.js';
import { ConstructRunner } from '../../../src/rdf/construct-runner.js';
import { runConstructText } from '../../../src/rdf/sparql.js';

const BUILT = join(process.cwd(), 'dist', 'src', 'rdf', 'construct-runner.js');
const VIEW = readAssetText('queries', 'construct-trov-view.rq');
const INPUT = [
  '<https://pe-trace.invalid/doc/a/tro> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/trace/trov/0.1#TransparentResearchObject> .',
  '<https://pe-trace.invalid/doc/a/tro> <https://w3id.org/trace/trov/0.1#hasComposition> <https://pe-trace.invalid/doc/a/c> .',
  '<https://pe-trace.invalid/doc/a/c> <https://w3id.org/trace/trov/0.1#hasArtifact> <https://pe-trace.invalid/doc/a/x> .',
  '<https://pe-trace.invalid/doc/a/x> <https://w3id.org/trace/trov/0.1#sha256> "ab\\"\\n\u2028" .',
].join('\n');

describe('ConstructRunner', () => {
  it('has no worker when running the TypeScript sources (callers then run the query in-thread)', () => {
    expect(ConstructRunner.start()).toBeUndefined();
  });

  it.skipIf(!existsSync(BUILT))('answers on its worker thread with the same text as this thread (needs `npm run build`)', async () => {
    const built = (await import(pathToFileURL(BUILT).href)) as { ConstructRunner: typeof ConstructRunner };
    const runner = built.ConstructRunner.start();
    expect(runner).toBeDefined();
    try {
      const [a, b] = await Promise.all([runner?.run(INPUT, VIEW), runner?.run(INPUT, 'CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }')]);
      expect(a).toBe(await runConstructText(INPUT, VIEW));
      expect(a).toContain('trov/0.1#hashValue> "ab\\"\\n\u2028"');
      expect(b?.split('\n').filter(Boolean)).toHaveLength(4);
      // A query the engine rejects: the worker answers undefined, so the caller reruns it here and gets the error.
      expect(await runner?.run(INPUT, 'CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ')).toBeUndefined();
    } finally {
      await runner?.close();
    }
    expect(await runner?.run(INPUT, VIEW)).toBeUndefined();
  });
});
