// vocab/pop-inputs.ttl: every restricted-input term is fully described and does not redefine pop.ttl's terms.
import { readFileSync } from 'node:fs';
import { Parser } from 'n3';
import { describe, expect, it } from 'vitest';
import { POP_MICROCOSM, POP_POPULACE } from '../../../src/build-tro/vocab.js';

const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const RDFS = 'http://www.w3.org/2000/01/rdf-schema#';
const OWL = 'http://www.w3.org/2002/07/owl#';
const VS_STATUS = 'http://www.w3.org/2003/06/sw-vocab-status/ns#term_status';
const quads = new Parser().parse(readFileSync('vocab/pop-inputs.ttl', 'utf8'));
const values = (subject: string, predicate: string): string[] => quads.filter((q) => q.subject.value === subject && q.predicate.value === predicate).map((q) => q.object.value);

describe('vocab/pop-inputs.ttl', () => {
  const terms = [...new Set(quads.map((q) => q.subject.value))];

  it('defines the restricted-input terms, all in the populace.dev pop: namespace', () => {
    expect(terms.map((t) => t.slice(POP_POPULACE.length)).sort()).toEqual([
      'RestrictedInput',
      'doi',
      'irsAgreementId',
      'licence',
      'restrictionBasis',
      'sourceKind',
      'sourceRecord',
      'sourceRegistrySha256',
      'ukdsEdition',
      'ukdsStudyNumber',
    ]);
    expect(terms.every((t) => t.startsWith(POP_POPULACE))).toBe(true);
  });

  it('gives each term a label, a comment, a status, a domain and range (or superclass), and its microcosm twin', () => {
    for (const term of terms) {
      const local = term.slice(POP_POPULACE.length);
      expect(values(term, `${RDFS}label`), local).toHaveLength(1);
      expect(values(term, `${RDFS}comment`), local).toHaveLength(1);
      expect(values(term, VS_STATUS), local).toEqual(['testing']);
      const isClass = values(term, RDF_TYPE).includes(`${OWL}Class`);
      if (isClass) {
        expect(values(term, `${RDFS}subClassOf`)).toEqual(['https://w3id.org/trace/trov/0.1#ResearchArtifact']);
        expect(values(term, `${OWL}equivalentClass`)).toEqual([`${POP_MICROCOSM}${local}`]);
      } else {
        expect(values(term, RDF_TYPE), local).toEqual([`${OWL}DatatypeProperty`]);
        expect(values(term, `${RDFS}domain`), local).toHaveLength(1);
        expect(values(term, `${RDFS}range`)[0], local).toMatch(/^http:\/\/www\.w3\.org\/2001\/XMLSchema#(string|integer)$/);
        expect(values(term, `${OWL}equivalentProperty`), local).toEqual([`${POP_MICROCOSM}${local}`]);
      }
    }
  });

  it('reuses pop:accessRestricted from pop.ttl instead of redefining it', () => {
    expect(terms).not.toContain(`${POP_POPULACE}accessRestricted`);
    const pop = new Parser().parse(readFileSync('vocab/pop.ttl', 'utf8'));
    const popTerms = new Set(pop.map((q) => q.subject.value));
    expect(popTerms.has(`${POP_POPULACE}accessRestricted`)).toBe(true);
    expect(terms.filter((t) => popTerms.has(t))).toEqual([]);
  });
});
