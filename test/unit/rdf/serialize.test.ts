// toNQuads / toTurtle round-trip through n3's Parser; the store keeps one named graph per document.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataFactory, Parser, Store } from 'n3';
import { describe, expect, it } from 'vitest';
import { parseJson } from '../../../src/json/parse.js';
import { liftJsonLd } from '../../../src/rdf/lift.js';
import { toNQuads, toTrig, toTurtle } from '../../../src/rdf/serialize.js';
import { addLifted, createStore } from '../../../src/rdf/store.js';
import { REPO_ROOT } from '../../support/cli.js';

async function lift(file: string) {
  const bytes = new Uint8Array(readFileSync(join(REPO_ROOT, file)));
  return liftJsonLd(parseJson(bytes, { label: file }), { label: file, bytes });
}

const TRO_UTILS = 'fixtures/trace/tro-utils/GENERATED__tro-utils-HEAD-95ec41b-models-example.jsonld';
const US = 'fixtures/policyengine-py/shipped/us.trace.tro.jsonld';

describe('serialisation', () => {
  it('writes N-Quads that parse back to the same quads (multi-line literals included)', async () => {
    const lifted = await lift(TRO_UTILS);
    const text = toNQuads(lifted.quads);
    expect(text.split('\n').filter(Boolean)).toHaveLength(lifted.quads.length);
    const back = new Store(new Parser({ format: 'N-Quads', blankNodePrefix: '' }).parse(text));
    const original = new Store([...lifted.quads]);
    expect(back.size).toBe(original.size);
    for (const q of original.match()) expect(back.has(q), `${q.subject.value} ${q.predicate.value}`).toBe(true);
    const key = [...original.match(null, DataFactory.namedNode('https://w3id.org/trace/trov/0.1#publicKey'))][0];
    expect(key?.object.value).toContain('\n...\n');
  });

  it('writes Turtle for one graph, refuses Turtle for several, and TriG for several; both parseable', async () => {
    const one = await lift(US);
    const turtle = toTurtle(one.quads, one.prefixes);
    expect(turtle).toContain('@prefix trov: <https://w3id.org/trace/trov/0.1#>.');
    const triples = new Parser({ format: 'Turtle' }).parse(turtle);
    expect(triples).toHaveLength(one.quads.length);
    expect(triples.every((q) => q.graph.termType === 'DefaultGraph')).toBe(true);

    const two = await lift(TRO_UTILS);
    expect(() => toTurtle([...one.quads, ...two.quads], { ...one.prefixes })).toThrow(/holds one graph/);
    const trig = toTrig([...one.quads, ...two.quads], { ...one.prefixes });
    const quads = new Parser({ format: 'TriG' }).parse(trig);
    expect(quads).toHaveLength(one.quads.length + two.quads.length);
    expect(new Set(quads.map((q) => q.graph.value))).toEqual(new Set([one.graph, two.graph]));
  });

  it('counts only new quads when a document is added to the store twice', async () => {
    const lifted = await lift(US);
    const store = createStore();
    expect(addLifted(store, lifted)).toBe(lifted.quads.length);
    expect(addLifted(store, lifted)).toBe(0);
  });
});
