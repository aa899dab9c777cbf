// Dialect labels for every real TRO fixture, the mixed forms, and the refusals (unknown namespace, remote context).
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { detectDialect } from '../../../src/tro/dialect.js';
import { readTroModel } from '../../../src/tro/read.js';
import { fixtureFiles, loadJson, parse } from './support.js';

function refusal(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

/** A us-data-like TRO (pe-data.md §2.1): pe namespace, trov:hash objects, trov:artifact/trov:path, Trusted* classes. */
const US_DATA_LIKE = `{
  "@context": [{"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "trov": "https://w3id.org/trace/trov/0.1#", "schema": "https://schema.org/", "pe": "https://policyengine.org/trace/0.1#"}],
  "@graph": [{
    "@id": "tro", "@type": ["trov:TransparentResearchObject", "schema:CreativeWork"], "trov:vocabularyVersion": "0.1",
    "trov:wasAssembledBy": {"@id": "trs", "@type": ["trov:TrustedResearchSystem", "schema:Organization"]},
    "trov:hasComposition": {"@id": "composition/1", "@type": "trov:ArtifactComposition",
      "trov:hasFingerprint": {"@id": "composition/1/fingerprint", "@type": "trov:CompositionFingerprint",
        "trov:hash": {"trov:hashAlgorithm": "sha256", "trov:hashValue": "${'f'.repeat(64)}"}},
      "trov:hasArtifact": [
        {"@id": "composition/1/artifact/0", "@type": "trov:ResearchArtifact", "schema:name": "enhanced_cps_2024.h5",
         "trov:hash": {"trov:hashAlgorithm": "sha256", "trov:hashValue": "${'a'.repeat(64)}"}},
        {"@id": "composition/1/artifact/1", "@type": "trov:ResearchArtifact", "schema:name": "release_manifest.json",
         "trov:hash": {"trov:hashAlgorithm": "sha256", "trov:hashValue": "${'b'.repeat(64)}"}}]},
    "trov:hasArrangement": [{"@id": "arrangement/1", "@type": "trov:ArtifactArrangement", "trov:hasArtifactLocation": [
      {"@id": "arrangement/1/location/0", "@type": "trov:ArtifactLocation", "trov:artifact": {"@id": "composition/1/artifact/0"}, "trov:path": "enhanced_cps_2024.h5"},
      {"@id": "arrangement/1/location/1", "@type": "trov:ArtifactLocation", "trov:artifact": {"@id": "composition/1/artifact/1"}, "trov:path": "release_manifest.json"}]}],
    "trov:hasPerformance": [{"@id": "trp/1", "@type": "trov:TrustedResearchPerformance", "trov:wasConductedBy": {"@id": "trs"},
      "trov:contributedToArrangement": {"@id": "arrangement/1"}, "pe:emittedIn": "github-actions", "pe:dataBuildId": "b-1"}]
  }]
}`;

/** A minimal 0.1 TRO whose artifacts use the given spellings, in order ('s' = trov:sha256, 'h' = trov:hash object). */
function mixedDoc(spellings: readonly ('s' | 'h')[]): string {
  const artifacts = spellings.map((s, i) => {
    const hash = s === 's' ? `"trov:sha256": "${String(i).repeat(64)}"` : `"trov:hash": {"trov:hashAlgorithm": "sha256", "trov:hashValue": "${String(i).repeat(64)}"}`;
    return `{"@id": "composition/1/artifact/a${i}", "@type": "trov:ResearchArtifact", ${hash}}`;
  });
  return `{"@context": {"trov": "https://w3id.org/trace/trov/0.1#"}, "@graph": [{"@id": "tro", "@type": "trov:TransparentResearchObject",
    "trov:hasComposition": {"@id": "composition/1", "trov:hasArtifact": [${artifacts.join(',')}]}}]}`;
}

describe('detectDialect on real fixtures', () => {
  const peFiles = fixtureFiles('policyengine-py', '.tro.jsonld');

  it('finds all 219 historical policyengine.py TROs and the shipped and generated ones', () => {
    expect(peFiles.filter((f) => f.includes('/history/'))).toHaveLength(219);
    expect(peFiles).toContain('fixtures/policyengine-py/shipped/us.trace.tro.jsonld');
    expect(peFiles).toContain('fixtures/policyengine-py/generated/run-record/run.trace.tro.jsonld');
  });

  it.each(peFiles)('%s is pe-0.1', (file) => {
    const d = detectDialect(loadJson(file), { label: file });
    expect(d.id).toBe('pe-0.1');
    expect(d.trovNamespace).toBe('https://w3id.org/trace/trov/0.1#');
    expect(d.fingerprintAlgorithm).toBe('sha256-newline');
    expect(d.evidence.some((e) => /^trov:sha256 on \d+ artifacts?$/.test(e))).toBe(true);
    expect(d.evidence).toContain('pe namespace https://policyengine.org/trace/0.1# declared (prefix pe)');
    expect(d.evidence.some((e) => e.startsWith('inconsistent'))).toBe(false);
  });

  it('labels the populace TRO pe-0.1 and notes its pop: namespace', () => {
    const files = fixtureFiles('pe-data/microcosm', '.trace.tro.jsonld');
    expect(files).toHaveLength(1);
    for (const file of files) {
      const d = detectDialect(loadJson(file), { label: file });
      expect(d.id).toBe('pe-0.1');
      expect(d.fingerprintAlgorithm).toBe('sha256-newline');
      expect(d.evidence).toContain('trov:sha256 on 5 artifacts');
      expect(d.evidence).toContain('pop namespace https://populace.dev/trace/0.1# declared (prefix pop)');
    }
  });

  const trov01 = [
    'fixtures/trace/tro-utils/GENERATED__tro-utils-HEAD-95ec41b-models-example.jsonld',
    'fixtures/trace/trace-specification/docs__tro-declaration-format.md__complete-example.jsonld',
    ...fixtureFiles('trace/spec-tro-checks', '.jsonld'),
  ];
  it.each(trov01)('%s is trov-0.1', (file) => {
    const d = detectDialect(loadJson(file), { label: file });
    expect(d.id).toBe('trov-0.1');
    expect(d.fingerprintAlgorithm).toBe('sha256-concat');
    expect(d.evidence).toContain('trov:hash objects on 3 artifacts');
    expect(d.evidence).toContain('trov:ArrangementBinding on 2 performance links');
    expect(d.evidence).toContain('trov:vocabularyVersion "0.1"');
  });

  const demoTros = fixtureFiles('trace/trov-demos', '.jsonld').filter((f) => /tro\d?\.jsonld$/.test(f));
  it('has the eight trov-demos TROs', () => expect(demoTros).toHaveLength(8));
  it.each(demoTros)('%s (trov-demos) is trov-2023-05', (file) => {
    const d = detectDialect(loadJson(file), { label: file });
    expect(d.id).toBe('trov-2023-05');
    expect(d.trovNamespace).toBe('https://w3id.org/trace/2023/05/trov#');
    expect(d.fingerprintAlgorithm).toBe('sha256-concat');
    expect(d.evidence.some((e) => /^trov:sha256 on \d+ artifacts?$/.test(e))).toBe(true);
  });

  it.each(fixtureFiles('trace/trov-demos', '.jsonld').filter((f) => !demoTros.includes(f)))('%s (a TRS or vocabulary file) is not a TRO', (file) => {
    const e = refusal(() => detectDialect(loadJson(file), { label: file }));
    expect(e.code).toBe('TRO_UNKNOWN_DIALECT');
    expect(e.message).toContain('2023/05/trov#');
  });

  // trace-model mixes namespaces: its 02-tro-examples moved to 0.1, its 03-trace-explorations did not.
  const traceModel: Record<string, { id: string; evidence: string } | { error: RegExp }> = {
    'demo__02-tro-examples__01-two-artifacts-no-trp__tro__tro.jsonld': { id: 'trov-0.1', evidence: 'trov:hash objects on 2 artifacts' },
    'demo__02-tro-examples__02-three-artifacts-one-trp__tro__tro.jsonld': { id: 'trov-0.1', evidence: 'trov:hash objects on 3 artifacts' },
    'demo__02-tro-examples__03-skope-lbda-processing__tro__tro.jsonld': { id: 'trov-0.1', evidence: 'trov:path on 12 locations' },
    'demo__02-tro-examples__01-two-artifacts-no-trp__trs__trs.jsonld': { error: /types: trov:TrustedResearchSystem/ },
    'demo__02-tro-examples__02-three-artifacts-one-trp__trs__trs.jsonld': { error: /types: trov:TrustedResearchSystem/ },
    'demo__03-trace-explorations__05-validate-tro-declaration__data__tro1.jsonld': { id: 'trov-2023-05', evidence: 'trov:sha256 on 1 artifact' },
    'demo__03-trace-explorations__05-validate-tro-declaration__data__tro2.jsonld': { id: 'trov-2023-05', evidence: 'trov:hasLocation on 2 locations' },
    'demo__03-trace-explorations__05-validate-tro-declaration__data__tro3.jsonld': { id: 'trov-2023-05', evidence: 'trov:sha256 on 2 artifacts' },
    'demo__03-trace-explorations__05-validate-tro-declaration__data__tro4.jsonld': { id: 'trov-2023-05', evidence: 'trov:sha256 on 1 artifact' },
    'demo__03-trace-explorations__05-validate-tro-declaration__data__tro5.jsonld': { id: 'trov-2023-05', evidence: 'trov:sha256 on the fingerprint' },
    'demo__03-trace-explorations__06-json2jsonld__data__tro.jsonld': { id: 'trov-2023-05', evidence: 'trov:sha256 on 6 artifacts' },
    'demo__03-trace-explorations__06-json2jsonld__products__tro.jsonld': { error: /\/@graph\/0 has trov:hasComposition but no @type/ },
    'demo__03-trace-explorations__common__tro__tro.jsonld': { id: 'trov-2023-05', evidence: 'trov:sha256 on 2 artifacts' },
    'exports__trace-extensions.jsonld': { error: /maps trov to https:\/\/w3id\.org\/trace\/2023\/04\/trov#, a namespace pe-trace does not read/ },
    'exports__trace-vocab.jsonld': { error: /types: rdfs:Class ×22, rdf:Property ×27, owl:Ontology/ },
  };
  const traceModelFiles = fixtureFiles('trace/trace-model', '.jsonld');
  it('covers every trace-model JSON-LD file', () => {
    expect(traceModelFiles.map((f) => basename(f)).sort()).toEqual(Object.keys(traceModel).sort());
  });
  it.each(traceModelFiles)('%s (trace-model) gets the label of the namespace it really uses', (file) => {
    const expected = traceModel[basename(file)];
    if (expected === undefined) throw new Error(`no expectation for ${file}`);
    if ('error' in expected) {
      const e = refusal(() => detectDialect(loadJson(file), { label: file }));
      expect(e.code).toBe('TRO_UNKNOWN_DIALECT');
      expect(e.message).toMatch(expected.error);
      expect(e.message.startsWith(`${file}#/@graph: `)).toBe(true);
    } else {
      const d = detectDialect(loadJson(file), { label: file });
      expect(d.id).toBe(expected.id);
      expect(d.evidence).toContain(expected.evidence);
    }
  });
});

describe('detectDialect on mixed and hand-written forms', () => {
  it('labels a us-data-like TRO (pe namespace + trov:hash objects) pe-0.1-hash with the newline fingerprint', () => {
    const d = detectDialect(parse(US_DATA_LIKE));
    expect(d.id).toBe('pe-0.1-hash');
    expect(d.fingerprintAlgorithm).toBe('sha256-newline');
    expect(d.evidence).toContain('trov:hash objects on 2 artifacts');
    expect(d.evidence).toContain('pe namespace https://policyengine.org/trace/0.1# declared (prefix pe)');
    expect(d.evidence).toContain('trov:path on 2 locations');
  });

  it('labels the same document without the pe namespace trov-0.1 (the uk-data draft form)', () => {
    const withoutPe = US_DATA_LIKE.replace(', "pe": "https://policyengine.org/trace/0.1#"', '').replace(/, "pe:[a-zA-Z]+": "[^"]*"/g, '');
    expect(withoutPe).not.toContain('policyengine.org');
    const d = detectDialect(parse(withoutPe));
    expect(d.id).toBe('trov-0.1');
    expect(d.fingerprintAlgorithm).toBe('sha256-concat');
  });

  it('labels the same document trov-0.1 when it declares its own @base (a TROv 0.1 TRO carrying pe: metadata, e.g. `convert` output)', () => {
    const withBase = US_DATA_LIKE.replace('"pe": "https://policyengine.org/trace/0.1#"', '"pe": "https://policyengine.org/trace/0.1#", "@base": "https://example.org/tro/1/"');
    expect(withBase).toContain('@base');
    const d = detectDialect(parse(withBase));
    expect(d.id).toBe('trov-0.1');
    expect(d.fingerprintAlgorithm).toBe('sha256-concat');
    expect(d.evidence.some((e) => e.startsWith('@base https://example.org/tro/1/ declared'))).toBe(true);
  });

  it('reads the pe namespace under any prefix name, and trov under any prefix name', () => {
    const renamed = US_DATA_LIKE.replace('"pe": "https', '"policy": "https').replace(/"pe:/g, '"policy:').replace('"trov": "https', '"tv": "https').replace(/"trov:/g, '"tv:');
    const d = detectDialect(parse(renamed));
    expect(d.id).toBe('pe-0.1-hash');
    expect(d.evidence).toContain('trov namespace https://w3id.org/trace/trov/0.1# (prefix tv)');
  });

  it('accepts @type as a string, as an array, and as a full IRI, and a document whose root is the TRO node', () => {
    const asArray = `{"@context": {"trov": "https://w3id.org/trace/trov/0.1#"}, "@graph": [{"@id": "tro", "@type": ["https://schema.org/CreativeWork", "trov:TransparentResearchObject"],
      "trov:hasComposition": {"trov:hasArtifact": [{"@id": "a", "trov:sha256": "${'a'.repeat(64)}"}]}}]}`;
    expect(detectDialect(parse(asArray)).id).toBe('pe-0.1');
    const fullIri = `{"@id": "tro", "@type": "https://w3id.org/trace/trov/0.1#TransparentResearchObject",
      "https://w3id.org/trace/trov/0.1#hasComposition": {"https://w3id.org/trace/trov/0.1#hasArtifact": {"@id": "a",
        "https://w3id.org/trace/trov/0.1#hash": {"https://w3id.org/trace/trov/0.1#hashAlgorithm": "sha256", "https://w3id.org/trace/trov/0.1#hashValue": "${'a'.repeat(64)}"}}}}`;
    const d = detectDialect(parse(fullIri));
    expect(d.id).toBe('trov-0.1');
    expect(d.evidence).toContain('@type https://w3id.org/trace/trov/0.1#TransparentResearchObject on /');
  });

  it('resolves terms through @vocab and term definitions, not just prefixes', () => {
    const doc = `{"@context": [{"@vocab": "https://w3id.org/trace/trov/0.1#"}, {"digest": "sha256", "Tro": {"@id": "TransparentResearchObject"}}],
      "@graph": [{"@id": "tro", "@type": "Tro", "hasComposition": {"hasArtifact": [{"@id": "x", "digest": "abc"}]}}]}`;
    const d = detectDialect(parse(doc));
    expect(d.id).toBe('pe-0.1');
    expect(d.evidence).toContain('trov:sha256 on 1 artifact');
  });

  it('labels a mixed document by its FIRST form and lists the inconsistency as evidence and as a reader warning', () => {
    const shaFirst = detectDialect(parse(mixedDoc(['s', 'h', 'h'])));
    expect(shaFirst.id).toBe('pe-0.1');
    expect(shaFirst.evidence).toContain('trov:hash objects on 2 artifacts');
    expect(shaFirst.evidence.filter((e) => e.startsWith('inconsistent: artifact composition/1/artifact/a'))).toHaveLength(2);
    expect(detectDialect(parse(mixedDoc(['h', 's', 's']))).id).toBe('trov-0.1');
    const model = readTroModel(parse(mixedDoc(['s', 'h'])));
    expect(model.findings).toContainEqual({
      severity: 'warning',
      message: 'artifact composition/1/artifact/a1 uses trov:hash where the document\'s first form is trov:sha256',
      pointer: '/@graph/0/trov:hasComposition/trov:hasArtifact/1',
    });
  });

  it('falls back to the location spelling, then class names, when no artifact carries a hash', () => {
    const byLocation = `{"@context": {"trov": "https://w3id.org/trace/trov/0.1#"}, "@graph": [{"@id": "tro", "@type": "trov:TransparentResearchObject",
      "trov:hasComposition": {"trov:hasArtifact": [{"@id": "a"}]},
      "trov:hasArrangement": {"trov:hasArtifactLocation": {"trov:hasArtifact": {"@id": "a"}, "trov:hasLocation": "x"}}}]}`;
    const d = detectDialect(parse(byLocation));
    expect(d.id).toBe('pe-0.1');
    expect(d.evidence.some((e) => e.startsWith("labelled by the first location's spelling (trov:hasLocation"))).toBe(true);
    const byClass = `{"@context": {"trov": "https://w3id.org/trace/trov/0.1#"}, "@graph": [{"@id": "tro", "@type": "trov:TransparentResearchObject",
      "trov:hasPerformance": {"@type": "trov:TrustedResearchPerformance"}}]}`;
    expect(detectDialect(parse(byClass)).evidence).toContain('labelled by the class name trov:TrustedResearchPerformance');
  });
});

describe('detectDialect refusals', () => {
  it('refuses an unknown trov namespace with TRO_UNKNOWN_DIALECT naming it', () => {
    const doc = `{"@context": {"trov": "https://w3id.org/trace/2023/04/trov#"}, "@graph": [{"@id": "tro", "@type": "trov:TransparentResearchObject"}]}`;
    const e = refusal(() => detectDialect(parse(doc, 'old.jsonld'), { label: 'old.jsonld' }));
    expect(e.code).toBe('TRO_UNKNOWN_DIALECT');
    expect(e.message).toBe(
      'old.jsonld#/@graph/0/@type: TRO node typed trov:TransparentResearchObject (https://w3id.org/trace/2023/04/trov#TransparentResearchObject): the namespace https://w3id.org/trace/2023/04/trov# is not a TROv version pe-trace reads (it reads https://w3id.org/trace/trov/0.1# and https://w3id.org/trace/2023/05/trov#)',
    );
  });

  it('refuses JSON-LD with no trov namespace, and non-documents', () => {
    const e = refusal(() => detectDialect(parse('{"@graph": [{"@id": "x", "@type": "http://e/T"}]}', 'x.jsonld'), { label: 'x.jsonld' }));
    expect(e.code).toBe('TRO_UNKNOWN_DIALECT');
    expect(e.message).toContain('no TROv namespace in @context');
    expect(refusal(() => detectDialect(parse('42'))).code).toBe('TRO_UNKNOWN_DIALECT');
  });

  it('refuses a remote @context (string or array entry) without fetching, located at the URL', () => {
    const e = refusal(() => detectDialect(parse('{"@context": "https://w3id.org/trace/trov/0.1/context.jsonld", "@id": "x"}', 'r.jsonld'), { label: 'r.jsonld' }));
    expect(e.code).toBe('JSONLD_INVALID');
    expect(e.message).toBe('r.jsonld#/@context: remote JSON-LD context refused: https://w3id.org/trace/trov/0.1/context.jsonld (pe-trace resolves contexts offline)');
    const inArray = refusal(() => detectDialect(parse('{"@context": [{"trov": "https://w3id.org/trace/trov/0.1#"}, "http://127.0.0.1:9/c"], "@graph": []}', 'a.jsonld'), { label: 'a.jsonld' }));
    expect(inArray.code).toBe('JSONLD_INVALID');
    expect(inArray.location?.pointer).toBe('/@context/1');
  });
});
