// Preparing a TRO for lifting: ids minted from the parent's id and the key, collisions avoided, blank ids replaced, the document's own @base removed.
import { describe, expect, it } from 'vitest';
import { isJsonObject, parseJson, prepareDocument } from '../../../src/index.js';
import type { JsonObject, JsonValue } from '../../../src/index.js';

const at = (v: JsonValue, ...path: (string | number)[]): JsonValue => {
  let cur: JsonValue = v;
  for (const p of path) cur = (Array.isArray(cur) ? cur[p as number] : isJsonObject(cur) ? cur[p as string] : null) ?? null;
  return cur;
};

describe('prepareDocument', () => {
  const doc = parseJson(`{"@context": [{"trov": "https://w3id.org/trace/trov/0.1#", "schema": "https://schema.org/", "@base": "https://old.example/"}],
    "@graph": [{"@type": "trov:TransparentResearchObject",
      "schema:creator": {"@type": "schema:Organization", "schema:name": "X"},
      "trov:createdWith": {"schema:name": "tool"},
      "trov:hasComposition": {"@id": "c", "trov:hasArtifact": [
        {"@id": "c/a", "trov:hash": [{"trov:hashAlgorithm": "sha256", "trov:hashValue": "1"}, {"trov:hashAlgorithm": "sha512", "trov:hashValue": "2"}]},
        {"@id": "c/b", "trov:hash": {"trov:hashAlgorithm": "sha256", "trov:hashValue": "3"}}]},
      "trov:hasArrangement": [{"@id": "tro/createdWith"}],
      "pe:x": null}]}`);
  const p = prepareDocument(doc);

  it('does not modify its input', () => {
    expect(at(doc, '@graph', 0, '@id')).toBeNull();
  });

  it('names the research object tro and children <parent>/<key local name>[/<index>]', () => {
    expect(at(p.doc, '@graph', 0, '@id')).toBe('tro');
    expect(at(p.doc, '@graph', 0, 'schema:creator', '@id')).toBe('tro/creator');
    expect(at(p.doc, '@graph', 0, 'trov:hasComposition', 'trov:hasArtifact', 0, 'trov:hash', 0, '@id')).toBe('c/a/hash/0');
    expect(at(p.doc, '@graph', 0, 'trov:hasComposition', 'trov:hasArtifact', 0, 'trov:hash', 1, '@id')).toBe('c/a/hash/1');
    expect(at(p.doc, '@graph', 0, 'trov:hasComposition', 'trov:hasArtifact', 1, 'trov:hash', '@id')).toBe('c/b/hash');
  });

  it('never reuses an id the document already has, and leaves bare references alone', () => {
    // "tro/createdWith" is taken by a reference elsewhere in the document.
    expect(at(p.doc, '@graph', 0, 'trov:createdWith', '@id')).toBe('tro/createdWith-2');
    expect(Object.keys(at(p.doc, '@graph', 0, 'trov:hasArrangement', 0) as JsonObject)).toEqual(['@id']);
  });

  it('lists what it minted, with pointers, and the null values JSON-LD will drop', () => {
    expect(p.minted.map((m) => [m.pointer, m.id])).toEqual([
      ['/@graph/0', 'tro'],
      ['/@graph/0/schema:creator', 'tro/creator'],
      ['/@graph/0/trov:createdWith', 'tro/createdWith-2'],
      ['/@graph/0/trov:hasComposition/trov:hasArtifact/0/trov:hash/0', 'c/a/hash/0'],
      ['/@graph/0/trov:hasComposition/trov:hasArtifact/0/trov:hash/1', 'c/a/hash/1'],
      ['/@graph/0/trov:hasComposition/trov:hasArtifact/1/trov:hash', 'c/b/hash'],
    ]);
    expect(p.nulls).toEqual(['/@graph/0/pe:x']);
  });

  it('removes the document\'s own @base (the conversion base is given to the lift) and keeps its prefixes', () => {
    expect(at(p.doc, '@context', 0, '@base')).toBeNull();
    expect(p.prefixes).toEqual({ trov: 'https://w3id.org/trace/trov/0.1#', schema: 'https://schema.org/' });
  });

  it('records node ids in document order', () => {
    expect(p.nodeOrder.slice(0, 4)).toEqual(['tro', 'tro/creator', 'tro/createdWith-2', 'c']);
  });
});
