// The pe:/pop: vocabularies: every term in use is defined, every definition is complete, the Turtle round-trips, shapes use only defined terms, contexts expand like the inline ones.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Quad } from 'n3';
import { describe, expect, it } from 'vitest';
import {
  CONTEXT_URLS,
  MICROCOSM_NS,
  PE_NS,
  TERM_MAP,
  TERM_TYPES,
  TROV_01_NS,
  TROV_2023_05_NS,
  VOCAB_PREFIXES,
  contextPrefixes,
  definedTerms,
  isomorphic,
  knownTerms,
  liftJsonLd,
  loadVocabFile,
  loadVocabularies,
  localNameOf,
  namespaceOf,
  parseJson,
  parseTurtle,
  pinnedContexts,
  resolveTerm,
  vocabFileNames,
  writeTurtle,
} from '../../../src/index.js';
import type { ContextId, JsonValue } from '../../../src/index.js';
import { FIXTURES, REPO_ROOT } from '../../support/cli.js';

const POP_NS = 'https://populace.dev/trace/0.1#';
const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
const RDFS = 'http://www.w3.org/2000/01/rdf-schema#';
const OWL = 'http://www.w3.org/2002/07/owl#';
const VS_STATUS = 'http://www.w3.org/2003/06/sw-vocab-status/ns#term_status';

function filesUnder(dir: string, test: (name: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (test(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

/** `pe:x` / `pop:x` tokens: JSON strings and keys in fixtures, any occurrence in emitter code and queries. */
function usedTerms(): Map<string, string> {
  const out = new Map<string, string>();
  const record = (prefix: string, local: string, where: string): void => {
    out.set(`${prefix === 'pe' ? PE_NS : POP_NS}${local}`, where);
  };
  for (const file of filesUnder(FIXTURES, (n) => /\.(json|jsonld)$/.test(n))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/"(pe|pop):([A-Za-z][A-Za-z0-9_]*)"/g)) record(m[1] as string, m[2] as string, file);
  }
  const code = [
    ...filesUnder(join(REPO_ROOT, 'queries'), (n) => n.endsWith('.rq')),
    ...['emit', 'build-tro', 'convert', 'attest'].flatMap((area) => filesUnder(join(REPO_ROOT, 'src', area), (n) => n.endsWith('.ts'))),
    ...filesUnder(join(REPO_ROOT, 'vocab'), (n) => n.endsWith('.context.jsonld')),
  ];
  for (const file of code) {
    for (const m of readFileSync(file, 'utf8').matchAll(/(?<![\w:/.-])(pe|pop):([A-Za-z][A-Za-z0-9_]*)/g)) record(m[1] as string, m[2] as string, file);
  }
  return out;
}

/** Subject → predicate → object values, for the statements of some vocab files. */
function bySubject(quads: readonly Quad[]): Map<string, Map<string, string[]>> {
  const out = new Map<string, Map<string, string[]>>();
  for (const q of quads) {
    let props = out.get(q.subject.value);
    if (props === undefined) out.set(q.subject.value, (props = new Map()));
    props.set(q.predicate.value, [...(props.get(q.predicate.value) ?? []), q.object.value]);
  }
  return out;
}

describe('terms in use are defined', () => {
  const used = usedTerms();
  const known = knownTerms();

  it('finds the terms the spec lists (sanity of the scan itself)', () => {
    for (const local of ['emittedIn', 'ciRunUrl', 'dataBuildId', 'bundleFingerprint', 'runId', 'cloudRegion', 'selfUrl']) expect(used.has(PE_NS + local)).toBe(true);
    for (const local of ['buildId', 'gatesPassed', 'gateNames', 'accessRestricted', 'buildDate']) expect(used.has(POP_NS + local)).toBe(true);
    expect(used.size).toBeGreaterThan(120);
  });

  it('defines every pe:/pop: term any fixture, emitter, query or context uses', () => {
    const missing = [...used].filter(([iri]) => !known.has(iri)).map(([iri, where]) => `${iri} (in ${where.slice(REPO_ROOT.length + 1)})`);
    expect(missing).toEqual([]);
  });

  it('defines the conversion provenance terms convert writes', () => {
    for (const local of ['originalDialect', 'originalFingerprint', 'originalFingerprintMethod', 'originalDocumentSha256']) expect(definedTerms().has(PE_NS + local)).toBe(true);
  });

  it('makes the seen runtime-environment keys sub-properties of pe:runtimeEnvironment (the open-ended rule)', () => {
    const pe = bySubject(loadVocabFile('pe.ttl').quads);
    for (const local of ['runId', 'executionId', 'containerImageSha', 'cloudRegion']) {
      expect(pe.get(PE_NS + local)?.get(`${RDFS}subPropertyOf`)).toEqual([`${PE_NS}runtimeEnvironment`]);
    }
    const description = [...pe.values()].flatMap((p) => p.get('http://purl.org/dc/terms/description') ?? []).join(' ');
    expect(description).toMatch(/Any other pe: property found on a performance node that this vocabulary does not define is to be read as a runtime-environment entry/);
  });
});

describe('definitions are complete', () => {
  const all = vocabFileNames().flatMap((name) => loadVocabFile(name).quads.map((q) => ({ q, name })));
  const subjects = bySubject(all.map((x) => x.q));
  const defined = [...definedTerms()];

  it('gives every defined term, in every vocab/*.ttl, an rdfs:label and an rdfs:comment', () => {
    expect(defined.length).toBeGreaterThan(150);
    const fileOf = (iri: string): string => all.find((x) => x.q.subject.value === iri)?.name ?? '?';
    const incomplete = defined
      .filter((iri) => {
        const props = subjects.get(iri);
        return (props?.get(`${RDFS}label`) ?? []).length === 0 || (props?.get(`${RDFS}comment`) ?? []).length === 0;
      })
      .map((iri) => `${iri} (vocab/${fileOf(iri)})`);
    expect(incomplete).toEqual([]);
  });

  const ours = loadVocabularies().filter((v) => v.id === 'pe' || v.id === 'pop');
  it.each(ours.map((v) => [v.id, v] as const))('%s: every term has a status, every property a domain and a range (pe:runtimeEnvironment has no range)', (_id, vocab) => {
    const props = bySubject(vocab.quads);
    const terms = [...props].filter(([, p]) => (p.get(`${RDF}type`) ?? []).some((t) => TERM_TYPES.includes(t)));
    expect(terms.length).toBeGreaterThan(5);
    for (const [iri, p] of terms) {
      expect([iri, p.get(VS_STATUS)?.length === 1 && ['stable', 'testing', 'unstable'].includes(p.get(VS_STATUS)?.[0] ?? '')]).toEqual([iri, true]);
      const isProperty = !(p.get(`${RDF}type`) ?? []).some((t) => t.endsWith('Class'));
      if (!isProperty) continue;
      const domains = [...(p.get(`${RDFS}domain`) ?? []), ...(p.get('https://schema.org/domainIncludes') ?? [])];
      expect([iri, domains.length > 0]).toEqual([iri, true]);
      // Several rdfs:domain values would mean their intersection: multi-use terms use schema:domainIncludes.
      expect([iri, (p.get(`${RDFS}domain`) ?? []).length <= 1]).toEqual([iri, true]);
      if (iri !== `${PE_NS}runtimeEnvironment`) expect([iri, (p.get(`${RDFS}range`) ?? []).length]).toEqual([iri, 1]);
    }
  });

  it('declares every pop: term equivalent to its microcosm.institute twin', () => {
    const pop = loadVocabularies().find((v) => v.id === 'pop');
    expect(pop).toBeDefined();
    const props = bySubject(pop?.quads ?? []);
    const terms = [...props].filter(([iri, p]) => iri.startsWith(POP_NS) && (p.get(`${RDF}type`) ?? []).some((t) => TERM_TYPES.includes(t)));
    expect(terms.length).toBeGreaterThanOrEqual(12);
    for (const [iri, p] of terms) {
      const twins = [...(p.get(`${OWL}equivalentProperty`) ?? []), ...(p.get(`${OWL}equivalentClass`) ?? [])];
      expect(twins).toEqual([MICROCOSM_NS + localNameOf(iri)]);
    }
  });

  it.each([
    ['pe', PE_NS, 'pe'],
    ['pop', POP_NS, 'pop'],
    ['term-map', 'https://policyengine.org/trace/term-map/0.1#', 'ptm'],
  ] as const)('%s has an ontology header: version IRI, CC BY 4.0, creator, description, preferred prefix and namespace', (id, ns, prefix) => {
    const vocab = loadVocabularies().find((v) => v.id === id);
    const props = bySubject(vocab?.quads ?? []);
    const headers = [...props].filter(([, p]) => (p.get(`${RDF}type`) ?? []).includes(`${OWL}Ontology`));
    expect(headers).toHaveLength(1);
    const h = headers[0]?.[1];
    expect(h?.get(`${OWL}versionIRI`)).toHaveLength(1);
    expect(h?.get('http://purl.org/dc/terms/license')).toEqual(['https://creativecommons.org/licenses/by/4.0/']);
    expect(h?.get('http://purl.org/dc/terms/creator')?.length).toBe(1);
    expect((h?.get('http://purl.org/dc/terms/description')?.[0] ?? '').length).toBeGreaterThan(200);
    expect(h?.get('http://purl.org/vocab/vann/preferredNamespacePrefix')).toEqual([prefix]);
    expect(h?.get('http://purl.org/vocab/vann/preferredNamespaceUri')).toEqual([ns]);
    const own = [...props.keys()].filter((iri) => iri.startsWith(ns));
    expect(own.length).toBeGreaterThan(5);
  });
});

describe('Turtle round trip', () => {
  it.each(vocabFileNames())('vocab/%s parses, and parse → write → parse gives an isomorphic graph', async (name) => {
    const text = readFileSync(join(REPO_ROOT, 'vocab', name), 'utf8');
    const first = parseTurtle(text, name);
    expect(first.quads.length).toBeGreaterThan(10);
    const written = writeTurtle(first.quads, { prefixes: { ...VOCAB_PREFIXES, ...first.prefixes } });
    const second = parseTurtle(written, `${name} (rewritten)`);
    expect(second.quads).toHaveLength(first.quads.length);
    expect(await isomorphic(first.quads, second.quads)).toBe(true);
    // Determinism: writing the re-read graph gives the same text.
    expect(writeTurtle(second.quads, { prefixes: { ...VOCAB_PREFIXES, ...first.prefixes } })).toBe(written);
  });

  it('an edited literal breaks isomorphism (the check can fail)', async () => {
    const { quads } = parseTurtle(readFileSync(join(REPO_ROOT, 'vocab', 'pe.ttl'), 'utf8'), 'pe.ttl');
    const edited = writeTurtle(quads, { prefixes: VOCAB_PREFIXES }).replace('"emitted in"@en', '"emitted on"@en');
    expect(await isomorphic(quads, parseTurtle(edited, 'edited').quads)).toBe(false);
  });
});

describe('shapes use only defined terms', () => {
  const shapeFiles = filesUnder(join(REPO_ROOT, 'shapes'), (n) => n.endsWith('.shape.ttl'));
  const known = knownTerms();
  const registryKnows = (iri: string): boolean => TERM_MAP.terms.some((t) => t.from === iri) || resolveTerm(iri).change !== 'dropped';

  it.skipIf(shapeFiles.length === 0)('every pe:/pop:/trov: IRI in shapes/*.shape.ttl (targets, paths, classes, values) is defined', () => {
    const bad: string[] = [];
    let checked = 0;
    for (const file of shapeFiles) {
      const { quads } = parseTurtle(readFileSync(file, 'utf8'), file);
      for (const q of quads) {
        for (const t of [q.subject, q.object]) {
          if (t.termType !== 'NamedNode') continue;
          const ns = namespaceOf(t.value);
          if ([PE_NS, POP_NS, MICROCOSM_NS].includes(ns)) {
            checked++;
            if (!known.has(t.value)) bad.push(`${file.slice(REPO_ROOT.length + 1)}: ${t.value}`);
          } else if (ns === TROV_01_NS || ns === TROV_2023_05_NS) {
            checked++;
            if (!registryKnows(t.value)) bad.push(`${file.slice(REPO_ROOT.length + 1)}: ${t.value}`);
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
    expect([...new Set(bad)]).toEqual([]);
  });
});

/** The prefix map of an inline context made of one object (undefined for anything else). */
function inlinePrefixes(ctx: unknown): { prefixes: Record<string, string>; base?: string } | undefined {
  const obj = Array.isArray(ctx) ? (ctx.length === 1 ? ctx[0] : undefined) : ctx;
  if (typeof obj !== 'object' || obj === null) return undefined;
  const prefixes: Record<string, string> = {};
  let base: string | undefined;
  for (const [k, v] of Object.entries(obj)) {
    if (k === '@base' && typeof v === 'string') base = v;
    else if (typeof v === 'string' && !k.startsWith('@')) prefixes[k] = v;
    else return undefined;
  }
  return base === undefined ? { prefixes } : { prefixes, base };
}

describe('JSON-LD contexts', () => {
  const ids: ContextId[] = ['pe-0.1', 'trov-0.1'];
  const docs = [
    ...filesUnder(FIXTURES, (n) => n.endsWith('.jsonld')).filter((f) => !f.includes(`${join('policyengine-py', 'history')}`)),
    ...filesUnder(join(FIXTURES, 'policyengine-py', 'history'), (n) => n.endsWith('.jsonld')).slice(0, 12),
  ];

  it('expand every fixture whose inline context they match to exactly the same quads', async () => {
    const matched: Record<ContextId, number> = { 'pe-0.1': 0, 'trov-0.1': 0 };
    const base = 'https://pe-trace.invalid/test/contexts/';
    for (const file of docs) {
      const json = parseJson(readFileSync(file), { label: file });
      const doc = json as { [k: string]: JsonValue };
      const inline = inlinePrefixes(JSON.parse(JSON.stringify(doc['@context'] ?? null)));
      const id = ids.find((c) => inline !== undefined && JSON.stringify(Object.entries(contextPrefixes(c)).sort()) === JSON.stringify(Object.entries(inline.prefixes).sort()));
      if (id === undefined || inline === undefined) continue;
      matched[id]++;
      const replaced = parseJson(JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), '@context': inline.base === undefined ? CONTEXT_URLS[id] : [CONTEXT_URLS[id], { '@base': inline.base }] }));
      const a = await liftJsonLd(json, { label: file, base });
      const b = await liftJsonLd(replaced, { label: file, base, contexts: pinnedContexts() });
      expect(await isomorphic(a.quads, b.quads)).toBe(true);
      expect(b.quads.length).toBe(a.quads.length);
    }
    expect(matched['pe-0.1']).toBeGreaterThan(15);
    expect(matched['trov-0.1']).toBeGreaterThanOrEqual(3);
  });

  it('serve nothing but the shipped files: an unknown context URL is still refused offline', async () => {
    const doc = parseJson('{"@context": "https://w3id.org/trace/trov/0.1/context.jsonld", "@id": "x", "trov:a": "b"}');
    await expect(liftJsonLd(doc, { label: 'remote', contexts: pinnedContexts() })).rejects.toMatchObject({ code: 'JSONLD_INVALID' });
  });
});
