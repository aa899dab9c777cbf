// Tests' view of a directory's dataset as an n3 Store: the N-Quads buildDatasetNQuads gives, parsed (the product has no Store dataset).
import { Parser, Store } from 'n3';
import { type Corpus, type DatasetOptions, buildDatasetNQuads } from '../../src/index.js';

/** The dataset `query --dir` answers over, as a Store (a set: a quad written twice is held once, as oxigraph holds it). */
export async function datasetStore(corpus: Corpus, options: DatasetOptions): Promise<{ readonly store: Store; readonly warnings: readonly string[] }> {
  const { parts, warnings } = await buildDatasetNQuads(corpus, options);
  return { store: new Store(new Parser({ format: 'N-Quads' }).parse(parts.join(''))), warnings };
}
