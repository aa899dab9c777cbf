// convertTro on real fixtures of every dialect: the TROv 0.1 tree, the recomputed fingerprint, the kept originals, the base rules, the mapping report, SHACL and LINKABLE-TRO.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  canonicalJsonBytes,
  checkConformance,
  compositionFingerprint,
  convertTro,
  formatMappingReport,
  parseJson,
  readTroModel,
  shaclValidateDocument,
  validateJsonSchema,
  verifyTro,
} from '../../../src/index.js';
import type { ConvertedTro, JsonObject, JsonValue } from '../../../src/index.js';
import { FIXTURES } from '../../support/cli.js';

const US = join(FIXTURES, 'policyengine-py', 'shipped', 'us.trace.tro.jsonld');
const POPULACE = join(FIXTURES, 'pe-data', 'microcosm', 'packages__populace-data__build__us__populace_us_2024.trace.tro.jsonld');
const WEB_RUN = join(FIXTURES, 'policyengine-py', 'generated', 'web-run.simulation.trace.tro.jsonld');
const TRO_UTILS = join(FIXTURES, 'trace', 'tro-utils', 'GENERATED__tro-utils-HEAD-95ec41b-models-example.jsonld');
const DEMO_2305 = join(FIXTURES, 'trace', 'trov-demos', 'demo__02-tro-examples__02-three-artifacts-one-trp__tro__tro.jsonld');
const SPEC_03 = join(FIXTURES, 'trace', 'spec-tro-checks', 'candidates__03-spec-example-2026-04-08-with-node-ids.jsonld');
const BASE = 'https://policyengine.org/trace/tro/test/';

/** Converts a fixture with `base` (null: no --base). */
async function convert(file: string, base: string | null = BASE, allowUnverified = false): Promise<ConvertedTro> {
  const bytes = readFileSync(file);
  return convertTro(parseJson(bytes, { label: file }), { label: file, bytes, allowUnverified, ...(base === null ? {} : { base }) });
}

const text = (r: ConvertedTro): string => new TextDecoder().decode(r.bytes);
const tro = (r: ConvertedTro): JsonObject => ((r.document['@graph'] as JsonValue[])[0] as JsonObject);

/** Every node object of the tree (objects with an @id, including references). */
function nodes(v: JsonValue, out: JsonObject[] = []): JsonObject[] {
  if (Array.isArray(v)) v.forEach((x) => nodes(x, out));
  else if (v !== null && typeof v === 'object' && !('kind' in v && 'float' in v)) {
    const o = v as JsonObject;
    if (o['@context'] === undefined) out.push(o);
    for (const k of Object.keys(o)) if (k !== '@context') nodes(o[k] ?? null, out);
  }
  return out;
}

describe('convertTro: a policyengine.py bundle TRO (pe-0.1)', async () => {
  const r = await convert(US);
  const body = text(r);

  it('uses only TROv 0.1 spellings: hash objects, artifact/path, Trusted* classes, bindings, vocabularyVersion', () => {
    for (const old of ['trov:sha256', 'trov:hasLocation', 'TransparentResearchSystem', 'TransparentResearchPerformance']) expect(body).not.toContain(old);
    const root = tro(r);
    expect(root['trov:vocabularyVersion']).toBe('0.1');
    expect(root['@type']).toBe('trov:TransparentResearchObject');
    const artifacts = (root['trov:hasComposition'] as JsonObject)['trov:hasArtifact'] as JsonObject[];
    expect(artifacts.map((a) => a['@id'])).toEqual(['bundle_manifest', 'data_release_manifest', 'dataset', 'model_wheel'].map((s) => `composition/1/artifact/${s}`));
    expect(artifacts[0]?.['trov:hash']).toEqual(
      Object.assign(Object.create(null), { '@id': 'composition/1/artifact/bundle_manifest/hash', 'trov:hashAlgorithm': 'sha256', 'trov:hashValue': '6f113d9388d2b3dcc6a073a28ba3d0ae50b0cd32a317a574a38d6a673f96bfa6' }),
    );
    const location = (((root['trov:hasArrangement'] as JsonObject[])[0] as JsonObject)['trov:hasArtifactLocation'] as JsonObject[])[0] as JsonObject;
    expect(Object.keys(location).sort()).toEqual(['@id', '@type', 'trov:artifact', 'trov:path']);
    const trp = (root['trov:hasPerformance'] as JsonObject[])[0] as JsonObject;
    expect(trp['@type']).toBe('trov:TrustedResearchPerformance');
    expect(trp['trov:accessedArrangement']).toEqual(
      Object.assign(Object.create(null), { '@id': 'trp/1/binding/0', '@type': 'trov:ArrangementBinding', 'trov:arrangement': Object.assign(Object.create(null), { '@id': 'arrangement/1' }) }),
    );
    expect(trp['pe:emittedIn']).toBe('repository-bundle');
    expect((root['trov:wasAssembledBy'] as JsonObject)['@type']).toBe('trov:TrustedResearchSystem');
  });

  it('identifies every node: no node object without an @id, no blank node ids', () => {
    const all = nodes(r.document['@graph'] as JsonValue);
    expect(all.length).toBeGreaterThan(20);
    for (const n of all) expect(typeof n['@id'] === 'string' && !(n['@id'] as string).startsWith('_:')).toBe(true);
    expect((tro(r)['trov:createdWith'] as JsonObject)['@id']).toBe('tro/createdWith');
    expect((tro(r)['schema:creator'] as JsonObject)['@id']).toBe('tro/creator');
  });

  it('recomputes the fingerprint with the TROv rule and keeps the original one, its method, dialect and file hash', () => {
    const hashes = ['6f113d9388d2b3dcc6a073a28ba3d0ae50b0cd32a317a574a38d6a673f96bfa6', 'dd949ba3c4c7a56aff8442c6db5a031d2c84c3da59f5d14832f468c358604506', '48b9d479fb4fd1c3537f9383ce4697d130b6f618658409d74f6233c43b994c7e', '2b2c5c02c26ab212270948db1f30129728b625fc6109fc9ca0c604b714546909'];
    expect(r.fingerprint).toBe(compositionFingerprint(hashes, 'sha256-concat'));
    expect(r.fingerprint).not.toBe(compositionFingerprint(hashes, 'sha256-newline'));
    const fp = ((tro(r)['trov:hasComposition'] as JsonObject)['trov:hasFingerprint'] as JsonObject)['trov:hash'] as JsonObject;
    expect(fp['trov:hashValue']).toBe(r.fingerprint);
    expect(tro(r)['pe:originalFingerprint']).toBe('66ceaf4c12243f1f6ccb5b01e10fd1cd0a6e1e2fc6a9915ae5bde114353a4377');
    expect(tro(r)['pe:originalFingerprintMethod']).toBe('sha256-newline');
    expect(tro(r)['pe:originalDialect']).toBe('pe-0.1');
    expect(tro(r)['pe:originalDocumentSha256']).toBe(r.original.sha256);
    expect(r.original).toMatchObject({ fingerprint: '66ceaf4c12243f1f6ccb5b01e10fd1cd0a6e1e2fc6a9915ae5bde114353a4377', fingerprintMethod: 'sha256-newline', fingerprintStatus: 'ok' });
  });

  it('writes tro-utils bytes: canonical JSON, sorted keys, no trailing newline, @base and the four prefixes plus pe', () => {
    expect(body.endsWith('}')).toBe(true);
    expect(r.bytes).toEqual(canonicalJsonBytes(parseJson(r.bytes), 'trov'));
    expect(body.split('\n')[1]).toBe('  "@context": [');
    const ctx = (r.document['@context'] as JsonObject[])[0] as JsonObject;
    expect(Object.keys(ctx).sort()).toEqual(['@base', 'pe', 'rdf', 'rdfs', 'schema', 'trov']);
    expect(ctx['@base']).toBe(BASE);
    expect(ctx['trov']).toBe('https://w3id.org/trace/trov/0.1#');
  });

  it('reads back as trov-0.1, passes the TROv 0.1 JSON Schema and verifies its fingerprint', async () => {
    const doc = parseJson(r.bytes);
    const model = readTroModel(doc);
    expect(model.dialect.id).toBe('trov-0.1');
    expect(validateJsonSchema(doc, { dialect: 'trov-0.1' })).toMatchObject({ valid: true, errors: [] });
    const report = await verifyTro(model, { skip: model.artifacts.map((a) => a.shortId), fetchHttps: false });
    expect(report.fingerprint.status).toBe('ok');
  });

  it('conforms to the trov-0.1 SHACL profile and reaches LINKABLE-TRO', async () => {
    const shacl = await shaclValidateDocument(r.bytes, { label: 'converted', profile: 'trov-0.1' });
    expect(shacl.results).toEqual([]);
    expect(shacl.conforms).toBe(true);
    expect(checkConformance(r.bytes, { label: 'converted' }).tierMet).toBe('LINKABLE-TRO');
  });

  it('reports every term changed, with counts and pointers into the original', () => {
    const changes = r.report.changes.map((c) => [c.change, c.from, c.to.join(' '), c.count]);
    expect(changes).toEqual([
      ['renamed', 'trov:TransparentResearchPerformance', 'trov:TrustedResearchPerformance', 1],
      ['renamed', 'trov:TransparentResearchSystem', 'trov:TrustedResearchSystem', 1],
      ['renamed', 'trov:hasArtifact', 'trov:artifact', 4],
      ['renamed', 'trov:hasLocation', 'trov:path', 4],
      ['restructured', 'trov:sha256', 'trov:hash trov:hashAlgorithm trov:hashValue', 5],
    ]);
    const sha = r.report.changes.find((c) => c.from === 'trov:sha256');
    expect(sha?.pointers).toContain('/@graph/0/trov:hasComposition/trov:hasFingerprint/trov:sha256');
    expect(sha?.pointers).toContain('/@graph/0/trov:hasComposition/trov:hasArtifact/3/trov:sha256');
    const rules = r.report.structural.map((s) => [s.rule, s.count]);
    expect(rules).toEqual([
      ['rule-base', 1],
      ['rule-node-identifiers', 2],
      ['rule-arrangement-binding', 1],
      ['rule-vocabulary-version', 1],
      ['rule-fingerprint', 1],
    ]);
    const lines = formatMappingReport(r.report);
    expect(lines[0]).toBe('term changes:');
    expect(lines.some((l) => /restructured +trov:sha256 -> trov:hash, trov:hashAlgorithm, trov:hashValue {2}x5 {2}\/@graph/.test(l))).toBe(true);
  });

  it('is deterministic and independent of where the file lives', async () => {
    const again = await convertTro(parseJson(readFileSync(US)), { label: 'elsewhere/copy.jsonld', bytes: readFileSync(US), base: BASE });
    expect(again.sha256).toBe(r.sha256);
  });
});

describe('convertTro: other dialects and shapes of input', () => {
  it('populace (pe-0.1 with pop:): pop terms kept, base from the folder of pop:selfUrl, LINKABLE without --base', async () => {
    const r = await convert(POPULACE, null);
    expect(r.baseSource).toBe('self-url');
    expect(r.base).toBe('https://huggingface.co/datasets/policyengine/populace-us/resolve/main/releases/populace-us-2024-9f1260b-20260611/');
    expect(r.baseProblems).toEqual([]);
    const trp = (tro(r)['trov:hasPerformance'] as JsonObject[])[0] as JsonObject;
    expect(trp['pop:gateNames']).toEqual(['calibration', 'exported_nonzero', 'parity_gaps', 'smoke']);
    expect(trp['pop:gatesPassed']).toBe(true);
    expect(((r.document['@context'] as JsonObject[])[0] as JsonObject)['pop']).toBe('https://populace.dev/trace/0.1#');
    expect(checkConformance(r.bytes).tierMet).toBe('LINKABLE-TRO');
    expect(r.findings.filter((f) => f.severity === 'warning')).toEqual([]);
  });

  it('a run TRO keeps its open-ended pe: runtime keys on the performance', async () => {
    const r = await convert(WEB_RUN);
    const trp = (tro(r)['trov:hasPerformance'] as JsonObject[])[0] as JsonObject;
    for (const key of ['pe:runId', 'pe:executionId', 'pe:containerImageSha', 'pe:cloudRegion', 'pe:bundleFingerprint']) expect(trp[key]).toBeDefined();
    expect((await shaclValidateDocument(r.bytes, { profile: 'trov-0.1' })).conforms).toBe(true);
  });

  it('2023/05 (trov-demos): namespace moved, stale links renamed, direct links bound, the document\'s own @base kept', async () => {
    // Its demo fingerprint does not match: refused, unless allowed (then carried, not recomputed).
    await expect(convert(DEMO_2305, null)).rejects.toMatchObject({ code: 'TRO_UNVERIFIED' });
    const r = await convert(DEMO_2305, null, true);
    expect(r.from).toBe('trov-2023-05');
    expect(r.baseSource).toBe('document');
    expect(text(r)).not.toContain('2023/05');
    const trp = (tro(r)['trov:hasPerformance'] as JsonObject[])[0] as JsonObject;
    expect((trp['trov:accessedArrangement'] as JsonObject)['@id']).toBe('trp/1/binding/0');
    expect((trp['trov:contributedToArrangement'] as JsonObject)['@id']).toBe('trp/1/binding/1');
    expect(((trp['trov:contributedToArrangement'] as JsonObject)['trov:arrangement'] as JsonObject)['@id']).toBe('arrangement/2');
    expect((trp['trov:hasPerformanceAttribute'] as JsonObject[])[0]?.['@type']).toBe('trov:InternetIsolation');
    const froms = r.report.changes.map((c) => `${c.change} ${c.from}`);
    expect(froms).toContain('renamed trov2305:modifiedArrangement');
    expect(froms).toContain('renamed trov2305:hadPerformanceAttribute');
    expect(froms).toContain('namespace-moved trov2305:wasAssembledBy');
    expect(r.report.changes.find((c) => c.from === 'trov2305:hasArtifact' && c.change === 'renamed')?.count).toBe(4);
    expect(r.report.changes.find((c) => c.from === 'trov2305:hasArtifact' && c.change === 'namespace-moved')?.count).toBe(1);
    // Its composition lists one content twice: the TROv rule would hash all three values; the claimed value is kept instead.
    expect(r.fingerprint).not.toBe(compositionFingerprint(['b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c', '7d865e959b2466918c9863afca942d0fb89d7c9ac0c99bafc3749504ded97730', '7d865e959b2466918c9863afca942d0fb89d7c9ac0c99bafc3749504ded97730'], 'sha256-concat'));
    expect(r.fingerprint).toBe('218d9c33959c89013ca3f0f9dfa9479e0df8d5e4a53bb319b5bfab87f506dadc');
    expect(r.fingerprintVerified).toBe(false);
    expect(r.original.fingerprintStatus).toBe('mismatch');
    expect(r.findings.some((f) => /does not match the document's own sha256-concat rule .*carrying the claimed value/.test(f.message))).toBe(true);
  });

  it('pe-0.1-hash (policyengine-us-data form): the newline fingerprint is kept as the original, the TROv one recomputed, the direct link bound', async () => {
    const a = 'a'.repeat(64);
    const b = 'b'.repeat(64);
    const newline = compositionFingerprint([a, b], 'sha256-newline');
    const doc = parseJson(`{"@context": [{"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
      "trov": "https://w3id.org/trace/trov/0.1#", "schema": "https://schema.org/", "pe": "https://policyengine.org/trace/0.1#"}],
      "@graph": [{"@id": "tro", "@type": ["trov:TransparentResearchObject", "schema:CreativeWork"], "trov:vocabularyVersion": "0.1",
        "trov:wasAssembledBy": {"@id": "trs", "@type": ["trov:TrustedResearchSystem", "schema:Organization"]},
        "trov:hasComposition": {"@id": "composition/1", "@type": "trov:ArtifactComposition",
          "trov:hasFingerprint": {"@id": "composition/1/fingerprint", "@type": "trov:CompositionFingerprint", "trov:hash": {"trov:hashAlgorithm": "sha256", "trov:hashValue": "${newline}"}},
          "trov:hasArtifact": [
            {"@id": "composition/1/artifact/0", "@type": "trov:ResearchArtifact", "trov:hash": {"trov:hashAlgorithm": "sha256", "trov:hashValue": "${a}"}},
            {"@id": "composition/1/artifact/1", "@type": "trov:ResearchArtifact", "trov:hash": {"trov:hashAlgorithm": "sha256", "trov:hashValue": "${b}"}}]},
        "trov:hasArrangement": [{"@id": "arrangement/1", "@type": "trov:ArtifactArrangement", "trov:hasArtifactLocation": [
          {"@id": "arrangement/1/location/0", "@type": "trov:ArtifactLocation", "trov:artifact": {"@id": "composition/1/artifact/0"}, "trov:path": "a.h5"},
          {"@id": "arrangement/1/location/1", "@type": "trov:ArtifactLocation", "trov:artifact": {"@id": "composition/1/artifact/1"}, "trov:path": "release_manifest.json"}]}],
        "trov:hasPerformance": [{"@id": "trp/1", "@type": "trov:TrustedResearchPerformance", "trov:wasConductedBy": {"@id": "trs"},
          "trov:contributedToArrangement": {"@id": "arrangement/1"}, "pe:emittedIn": "github-actions", "pe:dataBuildId": "b-1"}]}]}`);
    const r = await convertTro(doc, { label: 'us-data.jsonld', base: BASE });
    expect(r.from).toBe('pe-0.1-hash');
    expect(r.original).toMatchObject({ fingerprint: newline, fingerprintMethod: 'sha256-newline', fingerprintStatus: 'ok' });
    expect(r.fingerprint).toBe(compositionFingerprint([a, b], 'sha256-concat'));
    expect(r.report.changes).toEqual([]);
    const trp = (tro(r)['trov:hasPerformance'] as JsonObject[])[0] as JsonObject;
    expect((trp['trov:contributedToArrangement'] as JsonObject)['@id']).toBe('trp/1/binding/0');
    expect(tro(r)['@type']).toEqual(['trov:TransparentResearchObject', 'schema:CreativeWork']);
    // The fingerprint's old hash object is replaced, not duplicated.
    expect(text(r).match(new RegExp(newline, 'g'))).toHaveLength(1);
    expect(readTroModel(parseJson(r.bytes)).dialect.id).toBe('trov-0.1');
  });

  it('trov-0.1 from tro-utils: existing bindings kept, blank nodes identified, naive times kept and reported', async () => {
    const r = await convert(TRO_UTILS);
    expect(r.from).toBe('trov-0.1');
    const trp = (tro(r)['trov:hasPerformance'] as JsonObject[])[0] as JsonObject;
    expect(trp['trov:startedAtTime']).toBe('2024-06-15T14:00:00');
    expect(r.findings.filter((f) => /has no time zone; kept as written/.test(f.message)).map((f) => f.pointer)).toEqual(['/@graph/0/trov:hasPerformance/0/trov:startedAtTime', '/@graph/0/trov:hasPerformance/0/trov:endedAtTime']);
    expect(r.report.changes).toEqual([]);
    expect(r.report.structural.find((s) => s.rule === 'rule-arrangement-binding')).toBeUndefined();
    expect(r.report.structural.find((s) => s.rule === 'rule-node-identifiers')?.count).toBeGreaterThan(3);
    expect(r.original.fingerprintStatus).toBe('ok');
    expect(r.fingerprint).toBe(r.original.fingerprint);
    expect(checkConformance(r.bytes).tierMet).toBe('LINKABLE-TRO');
  });

  it('the spec candidate 03: ids it already has are kept; its fake fingerprint is refused, or carried (never replaced) when allowed', async () => {
    await expect(convert(SPEC_03, null)).rejects.toMatchObject({ code: 'TRO_UNVERIFIED' });
    const r = await convert(SPEC_03, null, true);
    expect(r.baseSource).toBe('document');
    expect(r.report.structural.find((s) => s.rule === 'rule-node-identifiers')).toBeUndefined();
    const fp = ((tro(r)['trov:hasComposition'] as JsonObject)['trov:hasFingerprint'] as JsonObject)['trov:hash'] as JsonObject;
    expect(fp['@id']).toBe('fingerprint/hash');
    expect(fp['trov:hashValue']).toBe('44863b03e9909b7100e05b02526909a346fd7455183f6619e0fe6198c89981e0');
    expect(tro(r)['pe:originalFingerprint']).toBe('44863b03e9909b7100e05b02526909a346fd7455183f6619e0fe6198c89981e0');
  });

  it('is idempotent: converting a converted document gives the same bytes (its recorded provenance is kept)', async () => {
    const first = await convert(US);
    const second = await convertTro(parseJson(first.bytes), { label: 'converted', bytes: first.bytes });
    expect(second.from).toBe('trov-0.1');
    expect(second.baseSource).toBe('document');
    expect(second.report.changes).toEqual([]);
    expect(second.fingerprint).toBe(first.fingerprint);
    expect(tro(second)['pe:originalDialect']).toBe('pe-0.1');
    expect(second.sha256).toBe(first.sha256);
  });
});

describe('convertTro: base and input errors', () => {
  it('without --base or any base in the document, uses the reported placeholder, which is never LINKABLE', async () => {
    const r = await convert(US, null);
    expect(r.baseSource).toBe('placeholder');
    expect(r.base).toBe(`https://pe-trace.invalid/tro/${r.original.sha256}/`);
    expect(r.findings[0]?.message).toMatch(/placeholder .* can never be LINKABLE-TRO; pass --base/);
    const report = checkConformance(r.bytes);
    expect(report.tierMet).toBe('STANDALONE-TRO');
  });

  it('refuses a base that cannot be one and reports one that will not be linkable', async () => {
    await expect(convert(US, 'not a url')).rejects.toMatchObject({ code: 'USAGE' });
    await expect(convert(US, 'https://policyengine.org/tro')).rejects.toMatchObject({ code: 'USAGE', message: expect.stringMatching(/must end with \//) });
    await expect(convert(US, 'ftp://policyengine.org/tro/')).rejects.toMatchObject({ code: 'USAGE' });
    const r = await convert(US, 'https://example.org/tro/');
    expect(r.baseProblems).toEqual(['its host example.org is a reserved name no publisher can own']);
    expect(r.findings.some((f) => /will not meet LINKABLE-TRO/.test(f.message))).toBe(true);
  });

  it('refuses a document that is not a TRO, and one without a composition', async () => {
    const trs = join(FIXTURES, 'trace', 'trov-demos', 'exports__trs.jsonld');
    await expect(convert(trs)).rejects.toMatchObject({ code: 'TRO_UNKNOWN_DIALECT' });
    const noComposition = parseJson('{"@context": {"trov": "https://w3id.org/trace/trov/0.1#"}, "@graph": [{"@id": "tro", "@type": "trov:TransparentResearchObject"}]}');
    await expect(convertTro(noComposition, { label: 'x.jsonld', base: BASE })).rejects.toMatchObject({ code: 'TRO_MALFORMED' });
  });

  it('drops and reports unknown trov: terms, null values and nodes the research object does not reach', async () => {
    const doc = parseJson(`{"@context": {"trov": "https://w3id.org/trace/trov/0.1#", "pe": "https://policyengine.org/trace/0.1#"},
      "@graph": [{"@id": "tro", "@type": "trov:TransparentResearchObject", "trov:vocabularyVersion": "0.0.1",
        "trov:wasAssembledBy": {"@id": "trs", "@type": "trov:TrustedResearchSystem", "trov:InternetIsolationCapability": "yes", "pe:note": null},
        "trov:hasComposition": {"@id": "c", "trov:hasFingerprint": {"@id": "c/fp", "trov:hash": {"trov:hashAlgorithm": "sha256", "trov:hashValue": "${compositionFingerprint(['a'.repeat(64)], 'sha256-concat')}"}},
          "trov:hasArtifact": [{"@id": "c/a", "trov:hash": {"trov:hashAlgorithm": "sha256", "trov:hashValue": "${'a'.repeat(64)}"}}]},
        "trov:hasArrangement": [{"@id": "arr", "trov:hasArtifactLocation": [{"trov:artifact": {"@id": "c/a"}, "trov:path": "a.txt"}]}]},
       {"@id": "stray", "@type": "trov:ResearchArtifact"}]}`);
    const r = await convertTro(doc, { label: 'hand.jsonld', base: BASE });
    expect(r.report.changes).toEqual([
      { from: 'trov:InternetIsolationCapability', to: [], change: 'dropped', kind: 'property', by: 'ns-0.1-unknown', count: 1, pointers: ['/@graph/0/trov:wasAssembledBy/trov:InternetIsolationCapability'] },
    ]);
    expect(r.report.structural.find((s) => s.rule === 'dropped-null')?.pointers).toEqual(['/@graph/0/trov:wasAssembledBy/pe:note']);
    expect(r.report.structural.find((s) => s.rule === 'rule-vocabulary-version')?.summary).toBe('trov:vocabularyVersion "0.0.1" replaced by "0.1"');
    expect(r.report.structural.find((s) => s.rule === 'dropped-node')?.count).toBe(1);
    expect(r.report.structural.find((s) => s.rule === 'rule-positional-types')?.summary).toMatch(/trov:ArtifactComposition.*trov:ArtifactLocation|trov:ArtifactLocation.*trov:ArtifactComposition/);
    const body = text(r);
    expect(body).not.toContain('InternetIsolationCapability');
    expect(body).not.toContain('stray');
    expect(tro(r)['trov:vocabularyVersion']).toBe('0.1');
    const location = ((((tro(r)['trov:hasArrangement'] as JsonObject[])[0] as JsonObject)['trov:hasArtifactLocation'] as JsonObject[])[0]) as JsonObject;
    expect(location['@id']).toBe('arr/hasArtifactLocation');
    expect(location['@type']).toBe('trov:ArtifactLocation');
  });

  it('replaces blank node ids (and every reference to them) with minted ids', async () => {
    const doc = parseJson(`{"@context": {"trov": "https://w3id.org/trace/trov/0.1#"},
      "@graph": [{"@id": "tro", "@type": "trov:TransparentResearchObject",
        "trov:wasAssembledBy": {"@id": "_:sys", "@type": "trov:TrustedResearchSystem"},
        "trov:hasComposition": {"@id": "c", "trov:hasFingerprint": {"@id": "c/fp", "trov:hash": {"trov:hashAlgorithm": "sha256", "trov:hashValue": "${compositionFingerprint(['b'.repeat(64)], 'sha256-concat')}"}},
          "trov:hasArtifact": [{"@id": "c/a", "trov:hash": {"trov:hashAlgorithm": "sha256", "trov:hashValue": "${'b'.repeat(64)}"}}]},
        "trov:hasArrangement": [{"@id": "arr", "trov:hasArtifactLocation": [{"@id": "arr/l", "trov:artifact": {"@id": "c/a"}, "trov:path": "a"}]}],
        "trov:hasPerformance": [{"@id": "trp", "trov:wasConductedBy": {"@id": "_:sys"}, "trov:accessedArrangement": {"@id": "arr"}}]}]}`);
    const r = await convertTro(doc, { label: 'blank.jsonld', base: BASE });
    expect(text(r)).not.toContain('_:');
    expect((tro(r)['trov:wasAssembledBy'] as JsonObject)['@id']).toBe('tro/wasAssembledBy');
    expect((((tro(r)['trov:hasPerformance'] as JsonObject[])[0] as JsonObject)['trov:wasConductedBy'] as JsonObject)['@id']).toBe('tro/wasAssembledBy');
  });
});
