// A document's blank nodes stay one node when the dataset is loaded into oxigraph in many slices (oxigraph scopes labels per load call).
import { describe, expect, it } from 'vitest';
import { parseUserQuery } from '../../../src/index.js';
import { answerOnNQuads } from '../../../src/query/ox-engine.js';

describe('answerOnNQuads over many parts', () => {
  it('joins on a blank node whose triples lie in parts megabytes apart', async () => {
    // More than the loader's slice size between the two halves, so they reach oxigraph in different slices.
    const filler = Array.from({ length: 40_000 }, (_, i) => `<http://s/${i}> <http://f> "${'x'.repeat(50)}" <http://g> .\n`).join('');
    const parts = ['_:b1 <http://p> <http://o> <http://g> .\n', filler, '_:b1 <http://q> <http://o> <http://g> .\n', filler, '_:b1 <http://r> "z" <http://h> .\n'];
    const a = await answerOnNQuads(parts, parseUserQuery('SELECT ?s ?z WHERE { ?s <http://p> ?o . ?s <http://q> ?o2 . ?s <http://r> ?z }'));
    expect(a.form === 'SELECT' ? a.results.results.bindings.map((b) => b['z']?.value) : []).toEqual(['z']);
    const distinct = await answerOnNQuads(parts, parseUserQuery('SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o FILTER(isBlank(?s)) }'));
    expect(distinct.form === 'SELECT' ? distinct.results.results.bindings[0]?.['n']?.value : '').toBe('1');
  });
});
