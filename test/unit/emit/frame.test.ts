// The pe-0.1 framer: embedding versus references, list order from request hints, typed literals, and loud failures.
import type { Quad } from '@rdfjs/types';
import { DataFactory, Store } from 'n3';
import { describe, expect, it } from 'vitest';
import { CONSTRUCT_BASE, framePeTro } from '../../../src/emit/index.js';
import { JsonNumber } from '../../../src/json/value.js';

const { namedNode, literal, quad, blankNode } = DataFactory;
const T = 'https://w3id.org/trace/trov/0.1#';
const S = 'https://schema.org/';
const P = 'https://policyengine.org/trace/0.1#';
const R = 'https://pe-trace.invalid/emit-request#';
const X = 'http://www.w3.org/2001/XMLSchema#';
const A = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const n = (id: string) => namedNode(`${CONSTRUCT_BASE}${id}`);

/** A small TRO graph: the tro node, trs (embedded once, referenced from the performance), two artifacts. */
function graph(): Quad[] {
  const sw = blankNode('sw');
  return [
    quad(n('tro'), namedNode(A), namedNode(`${T}TransparentResearchObject`)),
    quad(n('tro'), namedNode(`${T}wasAssembledBy`), n('trs')),
    quad(n('tro'), namedNode(`${T}createdWith`), sw),
    quad(sw, namedNode(A), namedNode(`${S}SoftwareApplication`)),
    quad(n('trs'), namedNode(A), namedNode(`${T}TransparentResearchSystem`)),
    quad(n('tro'), namedNode(`${T}hasComposition`), n('composition/1')),
    quad(n('composition/1'), namedNode(A), namedNode(`${T}ArtifactComposition`)),
    quad(n('composition/1'), namedNode(`${T}hasArtifact`), n('composition/1/artifact/b')),
    quad(n('composition/1'), namedNode(`${T}hasArtifact`), n('composition/1/artifact/a')),
    quad(n('composition/1/artifact/a'), namedNode(A), namedNode(`${T}ResearchArtifact`)),
    quad(n('composition/1/artifact/b'), namedNode(A), namedNode(`${T}ResearchArtifact`)),
    quad(n('tro'), namedNode(`${T}hasPerformance`), n('trp/1')),
    quad(n('trp/1'), namedNode(A), namedNode(`${T}TransparentResearchPerformance`)),
    quad(n('trp/1'), namedNode(`${T}wasConductedBy`), n('trs')),
    quad(n('trp/1'), namedNode(`${P}count`), literal('3000', namedNode(`${X}integer`))),
    quad(n('trp/1'), namedNode(`${P}ratio`), literal('1.0E0', namedNode(`${X}double`))),
    quad(n('trp/1'), namedNode(`${P}flag`), literal('true', namedNode(`${X}boolean`))),
    quad(n('trp/1'), namedNode(`${P}preservationDoi`), literal('10.1/z')),
    quad(n('trp/1'), namedNode(`${P}preservationDoi`), literal('10.1/a')),
  ];
}

function hints(): Store {
  const store = new Store();
  const order = (node: ReturnType<typeof n>, i: number) => store.addQuad(quad(node, namedNode(`${R}order`), literal(String(i), namedNode(`${X}integer`))));
  order(n('composition/1/artifact/b'), 0);
  order(n('composition/1/artifact/a'), 1);
  ['10.1/z', '10.1/a'].forEach((doi, i) => {
    const h = blankNode(`h${i}`);
    store.addQuad(quad(h, namedNode(`${R}hintFor`), n('trp/1')));
    store.addQuad(quad(h, namedNode(`${R}property`), namedNode(`${P}preservationDoi`)));
    store.addQuad(quad(h, namedNode(`${R}value`), literal(doi)));
    store.addQuad(quad(h, namedNode(`${R}order`), literal(String(i), namedNode(`${X}integer`))));
  });
  return store;
}

describe('framePeTro', () => {
  it('embeds trs under wasAssembledBy, references it from the performance, and strips the base', () => {
    const tro = (framePeTro(graph(), hints()).document['@graph'] as Record<string, unknown>[])[0] ?? {};
    expect(tro['@id']).toBe('tro');
    expect(tro['trov:wasAssembledBy']).toEqual({ '@id': 'trs', '@type': 'trov:TransparentResearchSystem' });
    expect((tro['trov:hasPerformance'] as Record<string, unknown>)['trov:wasConductedBy']).toEqual({ '@id': 'trs' });
  });

  it('orders lists by the request hints, not by the graph', () => {
    const tro = (framePeTro(graph(), hints()).document['@graph'] as Record<string, unknown>[])[0] ?? {};
    const ids = ((tro['trov:hasComposition'] as Record<string, unknown>)['trov:hasArtifact'] as { '@id': string }[]).map((a) => a['@id']);
    expect(ids).toEqual(['composition/1/artifact/b', 'composition/1/artifact/a']);
    expect((tro['trov:hasPerformance'] as Record<string, unknown>)['pe:preservationDoi']).toEqual(['10.1/z', '10.1/a']);
  });

  it('writes typed literals back as int, float and boolean, and a missing software version as null', () => {
    const tro = (framePeTro(graph(), hints()).document['@graph'] as Record<string, unknown>[])[0] ?? {};
    const perf = tro['trov:hasPerformance'] as Record<string, unknown>;
    expect(perf['pe:count']).toEqual(JsonNumber.ofInt(3000));
    expect(perf['pe:ratio']).toEqual(JsonNumber.ofFloat(1));
    expect(perf['pe:flag']).toBe(true);
    expect(tro['trov:createdWith']).toEqual({ '@type': 'schema:SoftwareApplication', 'schema:softwareVersion': null });
  });

  it('fails loudly (INTERNAL) on a missing hint, an unplaceable quad or an IRI outside the context', () => {
    expect(() => framePeTro(graph(), new Store())).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
    const stray = [...graph(), quad(n('elsewhere'), namedNode(`${S}name`), literal('x'))];
    expect(() => framePeTro(stray, hints())).toThrow(/1 constructed quads have no place/);
    const foreign = [...graph(), quad(n('trp/1'), namedNode('http://example.org/p'), literal('x'))];
    expect(() => framePeTro(foreign, hints())).toThrow(/outside the pe-0.1 context/);
  });
});
