// The shared layout framer: layout merging, multi-typed nodes, sorted literal sets, ranks, and the per-emitter switches.
import type { Quad } from '@rdfjs/types';
import { DataFactory } from 'n3';
import { describe, expect, it } from 'vitest';
import { JsonNumber } from '../../../src/json/value.js';
import { type FrameTreeOptions, frameTree, trovLayout } from '../../../src/rdf/frame-tree.js';

const { namedNode, literal, quad } = DataFactory;
const BASE = 'https://example.invalid/base/';
const EX = 'https://example.invalid/ns#';
const X = 'http://www.w3.org/2001/XMLSchema#';
const A = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const n = (id: string) => namedNode(`${BASE}${id}`);
const ex = (local: string) => namedNode(`${EX}${local}`);

function options(overrides: Partial<FrameTreeOptions> = {}): FrameTreeOptions {
  const order = new Map([
    [`${BASE}item/b`, 0],
    [`${BASE}item/a`, 1],
  ]);
  return {
    layout: { 'ex:Root': { 'ex:item': 'embed-list', 'ex:tag': 'literal-set', 'ex:note': 'nullable' } },
    context: { ex: EX },
    constructBase: BASE,
    rootClass: `${EX}Root`,
    multipleTypes: true,
    doubles: false,
    names: { tro: 'test tree', layout: 'test layout', context: 'test context' },
    rankNode: (node) => order.get(node.value),
    unranked: (what, key) => `${what}: ${key} unranked`,
    ...overrides,
  };
}

function quads(): Quad[] {
  return [
    quad(n('root'), namedNode(A), ex('Root')),
    quad(n('root'), namedNode(A), ex('Extra')),
    quad(n('root'), ex('item'), n('item/a')),
    quad(n('root'), ex('item'), n('item/b')),
    quad(n('item/a'), namedNode(A), ex('Item')),
    quad(n('item/b'), namedNode(A), ex('Item')),
    quad(n('root'), ex('tag'), literal('zeta')),
    quad(n('root'), ex('tag'), literal('alpha')),
    quad(n('root'), ex('count'), literal('7', namedNode(`${X}integer`))),
  ];
}

describe('frameTree', () => {
  it('writes sorted types, ranked list members, sorted literal sets, null for an absent nullable, relative ids', () => {
    const { document } = frameTree(quads(), options());
    const root = (document['@graph'] as unknown[])[0] as Record<string, unknown>;
    expect(root['@id']).toBe('root');
    expect(root['@type']).toEqual(['ex:Extra', 'ex:Root']);
    expect((root['ex:item'] as Array<Record<string, unknown>>).map((i) => i['@id'])).toEqual(['item/b', 'item/a']);
    expect(root['ex:tag']).toEqual(['alpha', 'zeta']);
    expect(root['ex:note']).toBeNull();
    expect(root['ex:count']).toEqual(JsonNumber.ofInt(7n));
  });

  it('refuses several types when multipleTypes is off, doubles when they are off, and unranked list members', () => {
    expect(() => frameTree(quads(), options({ multipleTypes: false }))).toThrow(/framing the test tree: .*exactly one rdf:type, has 2/);
    const withDouble = [...quads(), quad(n('root'), ex('ratio'), literal('1.5E0', namedNode(`${X}double`)))];
    expect(() => frameTree(withDouble, options())).toThrow(/datatype the test layout does not write/);
    expect(frameTree(withDouble, options({ doubles: true })).document).toBeDefined();
    expect(() => frameTree(quads(), options({ rankNode: () => undefined }))).toThrow(/ex:item of .* unranked/);
  });

  it('reports a quad outside the context and a quad the layout cannot place', () => {
    expect(() => frameTree([...quads(), quad(n('root'), namedNode('urn:other:p'), literal('x'))], options())).toThrow(/outside the test context/);
    const stray = [...quads(), quad(n('orphan'), namedNode(A), ex('Item'))];
    expect(() => frameTree(stray, options())).toThrow(/1 constructed quads have no place in the test layout/);
  });

  it('trovLayout keeps the shared TROv placements and merges a producer\'s extras per type', () => {
    const layout = trovLayout({ 'trov:ArtifactLocation': { 'pop:restrictionBasis': 'literal-set' } });
    expect(layout['trov:ArtifactLocation']).toEqual({ 'trov:hasArtifact': 'ref', 'pop:restrictionBasis': 'literal-set' });
    expect(layout['trov:TransparentResearchPerformance']).toEqual({ 'trov:wasConductedBy': 'ref', 'trov:accessedArrangement': 'ref' });
  });
});
