// One edit per expectation on a document that meets every tier: exactly the targeted expectations fail, at the edited place.
import { describe, expect, it } from 'vitest';
import type { TraceVersionId } from '../../../src/conformance/types.js';
import { CANDIDATE_03, type Edit, type Json, checkJson, del, edited, expectation, fixtureJson, push, set, unmet } from './support.js';

const G = ['@graph', 0] as const;
const CTX = ['@context', 0] as const;
const TRS = [...G, 'trov:wasAssembledBy'] as const;
const COMP = [...G, 'trov:hasComposition'] as const;
const ART0 = [...COMP, 'trov:hasArtifact', 0] as const;
const FP = [...COMP, 'trov:hasFingerprint'] as const;
const TRP = [...G, 'trov:hasPerformance', 0] as const;
const PA = [...TRP, 'trov:hasPerformanceAttribute', 0] as const;
const CAP0 = [...TRS, 'trov:hasCapability', 0] as const;

/** Candidate 03 meets LINKABLE-TRO under trace-2026-04-19 (§5). */
const BASE: Json = fixtureJson(CANDIDATE_03);

/**
 * Candidate 03 rewritten in the direction of trace-0.1 and trace-main (§5 last paragraph): the TRS named by
 * an absolute IRI, the capability named by its term, the performance attribute warranted by that term.
 */
const FORWARD: Json = edited(
  BASE,
  set([...TRS, '@id'], 'https://trs.example.org/'),
  set([...TRP, 'trov:wasConductedBy'], { '@id': 'https://trs.example.org/' }),
  set([...TRS, 'trov:hasCapability'], [{ '@id': 'trov:CanProvideInternetIsolation' }]),
  set([...PA, 'trov:warrantedBy'], { '@id': 'trov:CanProvideInternetIsolation' }),
);

interface Case {
  readonly name: string;
  readonly edits: readonly Edit[];
  readonly unmet: readonly string[];
  /** Pointer of the first finding of the first unmet expectation. */
  readonly at?: string;
  readonly version?: TraceVersionId;
  readonly from?: Json;
}

const CASES: readonly Case[] = [
  // SAFE-JSON-LD
  { name: 'a context inside a node', edits: [set([...TRS, '@context'], { ex: 'https://ex.org/ns#' })], unmet: ['context-at-root-only'], at: '/@graph/0/trov:wasAssembledBy/@context' },
  { name: 'a scoped context', edits: [set([...CTX, 'ex:p'], { '@context': { a: 'https://a.org/' } })], unmet: ['context-at-root-only'], at: '/@context/0/ex:p/@context' },
  { name: 'a remote context', edits: [set(['@context'], 'https://w3id.org/trace/trov/0.1/context.jsonld')], unmet: ['remote-contexts-absent'], at: '/@context' },
  { name: 'a number as context', edits: [set(['@context'], 5)], unmet: ['context-object-array-or-null'], at: '/@context' },
  { name: '@container', edits: [set([...CTX, 'ex:list'], { '@container': '@set' })], unmet: ['context-containers-absent'], at: '/@context/0/ex:list/@container' },
  { name: '@vocab', edits: [set([...CTX, '@vocab'], 'https://schema.org/')], unmet: ['context-vocab-absent'], at: '/@context/0/@vocab' },
  { name: '@protected', edits: [set([...CTX, '@protected'], true)], unmet: ['context-protected-absent'] },
  { name: '@propagate', edits: [set([...CTX, '@propagate'], false)], unmet: ['context-propagate-absent'] },
  { name: '@import', edits: [set([...CTX, '@import'], 'https://example.org/ctx.jsonld')], unmet: ['context-import-absent'] },
  { name: '"@type": "@id" coercion', edits: [set([...CTX, 'ex:ref'], { '@type': '@id' })], unmet: ['context-id-coercion-absent'], at: '/@context/0/ex:ref/@type' },
  { name: 'a nested @graph', edits: [set([...TRS, '@graph'], [{ '@id': 'x', '@type': 'schema:Thing' }])], unmet: ['graph-at-root-only'], at: '/@graph/0/trov:wasAssembledBy/@graph' },
  { name: 'a string in the @graph', edits: [push(['@graph'], 'tro2')], unmet: ['graph-object-or-array'], at: '/@graph/1' },
  { name: 'a number as @id', edits: [set([...TRS, '@id'], 5)], unmet: ['ids-and-types-strings'], at: '/@graph/0/trov:wasAssembledBy/@id' },
  { name: 'a dot segment in an @id', edits: [set([...TRS, '@id'], 'a/../b')], unmet: ['id-segments-portable'], at: '/@graph/0/trov:wasAssembledBy/@id' },
  { name: 'a leading slash in an @id', edits: [set([...TRS, '@id'], '/trs')], unmet: ['id-segments-portable'] },
  { name: 'a space in an @id', edits: [set([...TRS, '@id'], 'my trs')], unmet: ['id-segments-portable'] },
  // TRACE-PERMISSIBLE-JSON-LD
  { name: 'a member beside @context and @graph', edits: [set(['@id'], 'doc')], unmet: ['root-context-and-graph-only'], at: '/@id' },
  { name: 'two context objects', edits: [push(['@context'], { ex: 'https://ex.org/ns#' })], unmet: ['composite-contexts-absent'], at: '/@context' },
  { name: '@index in a node', edits: [set([...TRS, '@index'], 'i')], unmet: ['disallowed-node-keywords-absent'], at: '/@graph/0/trov:wasAssembledBy/@index' },
  { name: 'a value object', edits: [set([...G, 'schema:name'], { '@value': 'x', '@language': 'en' })], unmet: ['disallowed-node-keywords-absent'] },
  { name: '@version in the context', edits: [set([...CTX, '@version'], 1.1)], unmet: ['disallowed-context-keywords-absent'], at: '/@context/0/@version' },
  { name: 'an ftp base', edits: [set([...CTX, '@base'], 'ftp://example.org/a/')], unmet: ['base-web-scheme'], at: '/@context/0/@base' },
  { name: 'an uppercase scheme in the base', edits: [set([...CTX, '@base'], 'HTTPS://transparency-certified.github.io/tro/x/')], unmet: ['base-web-scheme'] },
  { name: 'a query in the base', edits: [set([...CTX, '@base'], 'https://transparency-certified.github.io/tro/x/?q=1')], unmet: ['base-simple-url'] },
  { name: 'a base without trailing slash', edits: [set([...CTX, '@base'], 'https://transparency-certified.github.io/tro/x')], unmet: ['base-simple-url'] },
  { name: 'user info in the base', edits: [set([...CTX, '@base'], 'https://u:p@transparency-certified.github.io/tro/x/')], unmet: ['base-simple-url'] },
  { name: 'a prefix without # or /', edits: [set([...CTX, 'ex'], 'https://ex.org/ns')], unmet: ['prefix-namespaces-terminated'], at: '/@context/0/ex' },
  { name: 'a keyword alias', edits: [set([...CTX, 'id'], '@id')], unmet: ['prefix-namespaces-terminated'], at: '/@context/0/id' },
  { name: 'an aliasing term definition', edits: [set([...CTX, 'name'], { '@id': 'schema:name' })], unmet: ['context-aliases-absent'], at: '/@context/0/name/@id' },
  { name: 'a language in a term definition', edits: [set([...CTX, 'schema:name'], { '@language': 'en' })], unmet: ['context-assigns-only-datatypes-to-properties'] },
  { name: 'a number as term definition', edits: [set([...CTX, 'ex'], 5)], unmet: ['context-assigns-only-datatypes-to-properties'] },
  { name: 'a keyword as datatype', edits: [set([...CTX, 'schema:dateCreated'], { '@type': '@json' })], unmet: ['context-datatypes-named-by-iri'] },
  { name: 'a bare type name', edits: [set([...TRS, '@type'], ['trov:TrustedResearchSystem', 'Organization'])], unmet: ['types-prefixed-or-absolute'], at: '/@graph/0/trov:wasAssembledBy/@type/1' },
  { name: 'a blank node as type', edits: [set([...TRS, '@type'], ['trov:TrustedResearchSystem', '_:t'])], unmet: ['types-prefixed-or-absolute'] },
  // USES-TROV-CORRECTLY
  { name: 'no trov prefix', edits: [del(...CTX, 'trov')], unmet: ['core-prefixes-pinned'] },
  { name: 'trov bound to the pre-release namespace', edits: [set([...CTX, 'trov'], 'https://w3id.org/trace/2023/05/trov#')], unmet: ['core-prefixes-pinned'], at: '/@context/0/trov' },
  { name: 'a second prefix for TROV', edits: [set([...CTX, 'tv'], 'https://w3id.org/trace/trov/0.1#')], unmet: ['core-prefixes-pinned'], at: '/@context/0/tv' },
  { name: 'schema over http', edits: [set([...CTX, 'schema'], 'http://schema.org/')], unmet: ['core-prefixes-pinned'] },
  { name: 'an unknown trov: property', edits: [set([...G, 'trov:foo'], 'x')], unmet: ['trov-terms-known'], at: '/@graph/0/trov:foo' },
  { name: 'an unknown trov: term as value', edits: [set([...G, 'schema:about'], { '@id': 'trov:Nope' })], unmet: ['trov-terms-known'], at: '/@graph/0/schema:about/@id' },
  { name: 'a pre-release type name', edits: [set([...TRS, '@type'], ['trov:TrustedResearchSystem', 'trov:TransparentResearchSystem'])], unmet: ['trov-terms-known'] },
  { name: 'no vocabularyVersion', edits: [del(...G, 'trov:vocabularyVersion')], unmet: ['trov-version-known'], at: '/@graph/0' },
  { name: 'vocabularyVersion 0.2', edits: [set([...G, 'trov:vocabularyVersion'], '0.2')], unmet: ['trov-version-known'], at: '/@graph/0/trov:vocabularyVersion' },
  { name: 'an md5 hash', edits: [set([...ART0, 'trov:hash', 'trov:hashAlgorithm'], 'md5')], unmet: ['hash-algorithms-permitted'], at: '/@graph/0/trov:hasComposition/trov:hasArtifact/0/trov:hash/trov:hashAlgorithm' },
  { name: 'a hash without algorithm', edits: [del(...ART0, 'trov:hash', 'trov:hashAlgorithm')], unmet: ['hash-algorithms-permitted'] },
  { name: 'an uppercase hash value', edits: [set([...ART0, 'trov:hash', 'trov:hashValue'], '9AFF257A73F24BB825AD0C6B0770E35A2C9EC3C08B7E4DE22A6D4171EC3DD335')], unmet: ['hash-values-correct-form'] },
  { name: 'a sha512 value of sha256 length', edits: [set([...ART0, 'trov:hash', 'trov:hashAlgorithm'], 'sha512')], unmet: ['hash-values-correct-form'] },
  { name: 'a MIME type with parameters', edits: [set([...ART0, 'trov:mimeType'], 'text/csv; charset=utf-8')], unmet: ['mime-types-two-part'], at: '/@graph/0/trov:hasComposition/trov:hasArtifact/0/trov:mimeType' },
  { name: 'an impossible date', edits: [set([...TRP, 'trov:startedAtTime'], '2024-02-30T14:00:00Z')], unmet: ['times-iso-8601'], at: '/@graph/0/trov:hasPerformance/0/trov:startedAtTime' },
  { name: 'a time without seconds', edits: [set([...TRP, 'trov:endedAtTime'], '2024-06-15T14:25Z')], unmet: ['times-iso-8601'] },
  { name: 'a non-ISO creation date', edits: [set([...G, 'schema:dateCreated'], '15/06/2024')], unmet: ['times-iso-8601'], at: '/@graph/0/schema:dateCreated' },
  { name: 'a naive time, first release', edits: [set([...TRP, 'trov:startedAtTime'], '2024-06-15T14:00:00')], unmet: [] },
  { name: 'a naive time, trace-main', from: FORWARD, version: 'trace-main', edits: [set([...TRP, 'trov:startedAtTime'], '2024-06-15T14:00:00')], unmet: ['times-zoned'] },
  { name: 'a number as name', edits: [set([...G, 'schema:name'], 5)], unmet: ['tro-name-description-text'], at: '/@graph/0/schema:name' },
  { name: 'a creator string, first release', edits: [set([...G, 'schema:creator'], 'Jane')], unmet: [] },
  { name: 'a creator string, trace-0.1', from: FORWARD, version: 'trace-0.1', edits: [set([...G, 'schema:creator'], 'Jane')], unmet: ['creators-person-or-organization'], at: '/@graph/0/schema:creator' },
  { name: 'an untyped creator, trace-main', from: FORWARD, version: 'trace-main', edits: [set([...G, 'schema:creator'], { '@id': 'jane', 'schema:name': 'Jane' })], unmet: ['creators-person-or-organization'] },
  { name: 'an unknown trov: capability', edits: [set([...CAP0, '@type'], 'trov:CanFly')], unmet: ['trov-terms-known', 'trov-capabilities-predefined'] },
  { name: 'the capability superclass as capability', edits: [set([...CAP0, '@type'], 'trov:TRSCapability')], unmet: ['trov-capabilities-predefined'], at: '/@graph/0/trov:wasAssembledBy/trov:hasCapability/0/@type' },
  { name: 'a capability as performance attribute', edits: [set([...PA, '@type'], 'trov:CanProvideInternetIsolation')], unmet: ['trov-performance-attributes-predefined'] },
  { name: 'a performance attribute as TRO attribute', edits: [set([...G, 'trov:hasAttribute', 0, '@type'], 'trov:InternetIsolation')], unmet: ['trov-tro-attributes-predefined'] },
  {
    name: 'a custom term in the TROV namespace',
    edits: [set([...TRS, 'trov:customTerm'], [{ '@id': 'trov:CanFly', 'rdfs:subClassOf': { '@id': 'trov:TRSCapabilityType' } }])],
    unmet: ['trov-terms-known', 'custom-terms-not-trov'],
  },
  {
    name: 'a custom term extending a closed class',
    edits: [set([...TRS, 'trov:customTerm'], [{ '@id': 'schema:CanFly', 'rdfs:subClassOf': { '@id': 'trov:TRSCapability' } }])],
    unmet: ['custom-term-superclasses-extensible'],
    at: '/@graph/0/trov:wasAssembledBy/trov:customTerm/0/rdfs:subClassOf',
  },
  { name: 'a custom term done right', edits: [set([...TRS, 'trov:customTerm'], [{ '@id': 'schema:CanFly', 'rdfs:subClassOf': { '@id': 'trov:TRSCapabilityType' } }])], unmet: [] },
  { name: 'a signing mechanism as string', edits: [set([...G, 'trov:signingMechanism'], 'trov:GPGSigning')], unmet: ['trov-signing-mechanisms-predefined'] },
  { name: 'an unknown signing mechanism', edits: [set([...G, 'trov:signingMechanism'], { '@id': 'trov:SigningMechanism' })], unmet: ['trov-signing-mechanisms-predefined'] },
  // DEFINES-TRS
  { name: 'an untyped TRS', edits: [set([...TRS, '@type'], 'schema:Organization')], unmet: ['trs-defined', 'tro-assembled-by-trs'] },
  { name: 'a TRS without @id', edits: [del(...TRS, '@id')], unmet: ['trs-defined', 'trov-objects-identified'] },
  { name: 'a TRS defined inside a performance', edits: [set([...TRP, 'trov:wasConductedBy'], { '@id': 'trs2', '@type': 'trov:TrustedResearchSystem' })], unmet: ['trs-defined'], at: '/@graph/0/trov:hasPerformance/0/trov:wasConductedBy' },
  { name: 'a TRS at the top of the graph, referred to', edits: [push(['@graph'], { '@id': 'trs9', '@type': 'trov:TrustedResearchSystem' }), set(TRS, { '@id': 'trs9' })], unmet: [] },
  { name: 'a blank TRS id, trace-main', from: FORWARD, version: 'trace-main', edits: [set([...TRS, '@id'], '_:trs')], unmet: ['trs-id-absolute', 'blank-node-ids-absent'] },
  { name: 'a TRS id in the TROV namespace, trace-main', from: FORWARD, version: 'trace-main', edits: [set([...TRS, '@id'], 'trov:TrustedResearchSystem')], unmet: ['trs-id-absolute'] },
  { name: 'a typed local capability, trace-0.1', from: FORWARD, version: 'trace-0.1', edits: [set([...TRS, 'trov:hasCapability'], [{ '@id': 'trs/capability/0', '@type': 'trov:CanProvideInternetIsolation' }])], unmet: ['capability-terms-known'] },
  { name: 'an unknown capability term, trace-0.1', from: FORWARD, version: 'trace-0.1', edits: [set([...TRS, 'trov:hasCapability'], [{ '@id': 'trov:CanFly' }])], unmet: ['trov-terms-known', 'capability-terms-known'] },
  // STANDALONE-TRO
  { name: 'a relative warrant, trace-main', from: FORWARD, version: 'trace-main', edits: [set([...PA, 'trov:warrantedBy'], { '@id': 'trs/capability/0' })], unmet: ['performance-attribute-warrants-absolute'] },
  { name: 'a warrant as string, trace-0.1', from: FORWARD, version: 'trace-0.1', edits: [set([...PA, 'trov:warrantedBy'], 'trov:CanProvideInternetIsolation')], unmet: ['performance-attribute-warrants-absolute'] },
  {
    name: 'the TRO nested in another node',
    edits: [set(['@graph'], [{ '@id': 'wrapper', '@type': 'schema:Dataset', 'schema:hasPart': get0(BASE) }])],
    unmet: ['trs-defined', 'tro-top-level-in-graph'],
  },
  { name: 'the TRO as the @graph object', edits: [set(['@graph'], get0(BASE))], unmet: ['tro-top-level-in-graph'], at: '/@graph' },
  { name: 'an artifact without @id', edits: [del(...ART0, '@id')], unmet: ['trov-objects-identified'], at: '/@graph/0/trov:hasComposition/trov:hasArtifact/0' },
  { name: 'compositions in an array', edits: [set(COMP, [get0(BASE)['trov:hasComposition'] ?? null])], unmet: ['tro-composition-single'] },
  { name: 'fingerprints in an array', edits: [set(FP, [fingerprint()])], unmet: ['composition-has-fingerprint'] },
  { name: 'fingerprint hashes in an array', edits: [set([...FP, 'trov:hash'], [fingerprint()['trov:hash'] ?? null])], unmet: ['composition-has-fingerprint'] },
  { name: 'no fingerprint', edits: [del(...FP)], unmet: ['composition-has-fingerprint'], at: '/@graph/0/trov:hasComposition' },
  { name: 'one artifact not in an array', edits: [set([...COMP, 'trov:hasArtifact'], artifact0())], unmet: ['composition-identifies-artifacts'] },
  { name: 'no artifacts', edits: [set([...COMP, 'trov:hasArtifact'], [])], unmet: ['composition-identifies-artifacts'] },
  { name: 'an artifact without hash', edits: [del(...ART0, 'trov:hash')], unmet: ['artifact-hashes-present'], at: '/@graph/0/trov:hasComposition/trov:hasArtifact/0' },
  { name: 'an artifact with an empty hash array', edits: [set([...ART0, 'trov:hash'], [])], unmet: ['artifact-hashes-present'] },
  {
    name: 'an artifact with two hashes',
    edits: [set([...ART0, 'trov:hash'], [{ '@id': 'h1', 'trov:hashAlgorithm': 'sha256', 'trov:hashValue': 'a'.repeat(64) }, { '@id': 'h2', 'trov:hashAlgorithm': 'blake2b', 'trov:hashValue': 'b'.repeat(128) }])],
    unmet: [],
  },
  { name: 'two creating tools', edits: [set([...G, 'trov:createdWith'], [{ '@id': 't1', '@type': 'schema:SoftwareApplication' }])], unmet: ['created-with-single-tool'] },
  { name: 'GPG signing without a key', edits: [set([...G, 'trov:signingMechanism'], { '@id': 'trov:GPGSigning' }), del(...TRS, 'trov:publicKey')], unmet: ['gpg-signing-key-present'], at: '/@graph/0/trov:signingMechanism' },
  { name: 'X.509 signing without a key', edits: [set([...G, 'trov:signingMechanism'], { '@id': 'trov:X509CMSSigning' }), del(...TRS, 'trov:publicKey')], unmet: [] },
  // LINKABLE-TRO
  { name: 'no base', edits: [del(...CTX, '@base')], unmet: ['base-declared'], at: '/@context/0' },
  { name: 'a base without path', edits: [set([...CTX, '@base'], 'https://transparency-certified.github.io/')], unmet: ['base-has-path'] },
  { name: 'an uppercase base host', edits: [set([...CTX, '@base'], 'https://Transparency-Certified.GitHub.io/tro/x/')], unmet: ['base-host-lowercase'] },
  { name: 'a base under example.com', edits: [set([...CTX, '@base'], 'https://example.com/tro/x/')], unmet: ['base-host-ownable'] },
  { name: 'a base under .test', edits: [set([...CTX, '@base'], 'https://trs.test/tro/x/')], unmet: ['base-host-ownable'] },
  { name: 'a base on an IP address', edits: [set([...CTX, '@base'], 'https://192.168.0.1/tro/x/')], unmet: ['base-host-ownable'] },
  { name: 'a base on localhost', edits: [set([...CTX, '@base'], 'https://localhost/tro/x/')], unmet: ['base-host-ownable'] },
  { name: 'a creating tool without @id', edits: [del(...G, 'trov:createdWith', '@id')], unmet: ['node-ids-present'], at: '/@graph/0/trov:createdWith' },
  { name: 'a blank node id', edits: [set([...G, 'trov:createdWith', '@id'], '_:tool')], unmet: ['blank-node-ids-absent'], at: '/@graph/0/trov:createdWith/@id' },
];

function get0(doc: Json): { [key: string]: Json } {
  const g = typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? doc['@graph'] : undefined;
  const tro = Array.isArray(g) ? g[0] : undefined;
  if (typeof tro !== 'object' || tro === null || Array.isArray(tro)) throw new Error('no TRO');
  return tro;
}

function objectAt(v: Json | undefined, key: string): { [key: string]: Json } {
  const o = typeof v === 'object' && v !== null && !Array.isArray(v) ? v[key] : undefined;
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new Error(`no ${key}`);
  return o;
}

function fingerprint(): { [key: string]: Json } {
  return objectAt(objectAt(get0(BASE), 'trov:hasComposition'), 'trov:hasFingerprint');
}

function artifact0(): Json {
  const arts = objectAt(get0(BASE), 'trov:hasComposition')['trov:hasArtifact'];
  return Array.isArray(arts) ? (arts[0] ?? null) : null;
}

describe('each expectation on its own', () => {
  it('the starting points meet every tier they are checked against', () => {
    expect(checkJson(BASE).tierMet).toBe('LINKABLE-TRO');
    for (const v of ['trace-2026-04-19', 'trace-0.1', 'trace-main'] as const) expect(checkJson(FORWARD, v).tierMet).toBe('LINKABLE-TRO');
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const report = checkJson(edited(c.from ?? BASE, ...c.edits), c.version ?? 'trace-2026-04-19');
    expect(unmet(report)).toEqual(c.unmet);
    const first = c.unmet[0];
    if (first === undefined) return;
    const e = expectation(report, first);
    expect(e.findings.length).toBeGreaterThan(0);
    for (const f of e.findings) expect(f.message).toMatch(/\S/);
    if (c.at !== undefined) expect(e.findings[0]?.pointer).toBe(c.at);
  });
});

describe('what is not assessed', () => {
  it('a blocking tier that fails leaves every higher tier unassessed', () => {
    const report = checkJson(edited(BASE, set([...CTX, '@vocab'], 'https://schema.org/')));
    expect(report.tierMet).toBe('SAFE-JSON');
    for (const t of report.tiers.slice(2)) {
      expect(t.assessed).toBe(false);
      expect(t.met).toBe(false);
      for (const e of t.expectations) expect(e).toMatchObject({ status: 'not-assessed', notAssessedBecause: ['SAFE-JSON-LD'] });
    }
  });

  it('a failing non-blocking tier still lets higher tiers be assessed, but caps the tier met', () => {
    const report = checkJson(edited(BASE, del(...G, 'trov:vocabularyVersion'), del(...CTX, '@base')));
    expect(report.tierMet).toBe('TRACE-PERMISSIBLE-JSON-LD');
    expect(report.tiers.map((t) => t.assessed)).toEqual([true, true, true, true, true, true, true]);
    expect(report.tiers.map((t) => t.met)).toEqual([true, true, true, false, true, true, false]);
  });

  it('an expectation whose prerequisite fails is not assessed, and names the prerequisite', () => {
    const report = checkJson(edited(BASE, set([...ART0, 'trov:hash', 'trov:hashAlgorithm'], 'md5')));
    expect(expectation(report, 'hash-values-correct-form')).toMatchObject({ status: 'not-assessed', met: false, notAssessedBecause: ['hash-algorithms-permitted'] });
  });

  it('core-prefixes-pinned gates every check that reads trov: names', () => {
    const report = checkJson(edited(BASE, del(...CTX, 'trov')));
    for (const id of ['trov-terms-known', 'hash-algorithms-permitted', 'trs-defined', 'tro-top-level-in-graph']) {
      expect(expectation(report, id)).toMatchObject({ status: 'not-assessed', notAssessedBecause: ['core-prefixes-pinned'] });
    }
  });
});
