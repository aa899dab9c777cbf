// The offline JSON-LD view: context merging, term/prefix/@vocab expansion, keyword aliases, refusals.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { EMPTY_CONTEXT, expandVocab, extendContext, nodeId, nodeTypes, nodeView, values } from '../../../src/tro/jsonld-view.js';
import { isJsonObject } from '../../../src/json/value.js';
import { parse } from './support.js';

const where = { label: 'v.jsonld', pointer: '/@context' };

describe('extendContext and expandVocab', () => {
  it('expands prefixes, terms that name other terms, and @vocab; later contexts override earlier ones', () => {
    const ctx = extendContext(EMPTY_CONTEXT, parse('[{"t": "https://w3id.org/trace/trov/0.1#", "h": "t:hash"}, {"@vocab": "http://v/", "t": "http://other/"}]'), where);
    expect(expandVocab(ctx, 'h')).toBe('https://w3id.org/trace/trov/0.1#hash');
    expect(expandVocab(ctx, 't:x')).toBe('http://other/x');
    expect(expandVocab(ctx, 'plain')).toBe('http://v/plain');
    expect(expandVocab(ctx, 'urn:x:y')).toBe('urn:x:y');
    expect(expandVocab(ctx, 'https://e.org/p')).toBe('https://e.org/p');
    expect(expandVocab(EMPTY_CONTEXT, 'plain')).toBeNull();
  });

  it('survives a definition cycle and honours explicit null mappings and a null context', () => {
    const ctx = extendContext(EMPTY_CONTEXT, parse('{"a": "b:x", "b": "a:y", "gone": null, "@vocab": "http://v/"}'), where);
    expect(expandVocab(ctx, 'gone')).toBeNull();
    expect(typeof expandVocab(ctx, 'a')).toBe('string');
    const reset = extendContext(ctx, parse('[null]'), where);
    expect(expandVocab(reset, 'plain')).toBeNull();
  });

  it('reads keyword aliases for @id and @type', () => {
    const doc = parse('{"@context": {"id": "@id", "type": "@type", "trov": "https://w3id.org/trace/trov/0.1#"}, "id": "tro", "type": "trov:TransparentResearchObject"}');
    if (!isJsonObject(doc)) throw new Error('object expected');
    const view = nodeView(doc, '', EMPTY_CONTEXT, 'v.jsonld');
    expect(nodeId(view)).toBe('tro');
    expect(nodeTypes(view)).toEqual([{ written: 'trov:TransparentResearchObject', iri: 'https://w3id.org/trace/trov/0.1#TransparentResearchObject' }]);
  });

  it('merges every key spelling of one property and flattens @list / @set values', () => {
    const doc = parse('{"@context": {"e": "http://e/"}, "e:p": [1, {"@list": [2, 3]}], "http://e/p": {"@set": [4]}}');
    if (!isJsonObject(doc)) throw new Error('object expected');
    const vals = values(nodeView(doc, '', EMPTY_CONTEXT, 'v.jsonld'), 'http://e/p');
    expect(vals.map((v) => v.pointer)).toEqual(['/e:p/0', '/e:p/1/@list/0', '/e:p/1/@list/1', '/http:~1~1e~1p/@set/0']);
  });

  it('refuses remote contexts, @import and malformed entries with located errors', () => {
    const refuse = (json: string): InputError => {
      try {
        extendContext(EMPTY_CONTEXT, parse(json), where);
      } catch (e) {
        if (e instanceof InputError) return e;
      }
      throw new Error('expected an InputError');
    };
    expect(refuse('{"@import": "https://x/c.jsonld"}').message).toBe('v.jsonld#/@context/@import: remote JSON-LD context refused: https://x/c.jsonld (pe-trace resolves contexts offline)');
    expect(refuse('[{}, 5]').message).toBe('v.jsonld#/@context/1: invalid @context entry (a number; expected an object, an array of objects or null)');
    expect(refuse('{"t": 5}').code).toBe('JSONLD_INVALID');
  });
});
