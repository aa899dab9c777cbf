// Build TROs end to end in the library: the shipped populace TRO reproduced, restricted inputs bound, payloads, flavours, writing.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Quad } from '@rdfjs/types';
import { Parser } from 'n3';
import { afterAll, describe, expect, it } from 'vitest';
import { emitBuildTro, writeBuildTro } from '../../../src/build-tro/emit.js';
import { buildEmissionContextFromEnvironment } from '../../../src/build-tro/emission-context.js';
import type { BuildTroOptions } from '../../../src/build-tro/plan.js';
import { parseRestrictedInputFlag } from '../../../src/build-tro/restricted-inputs.js';
import { readSourceRegistry } from '../../../src/build-tro/sources.js';
import { CONSTRUCT_BASE, POP_MICROCOSM, POP_POPULACE } from '../../../src/build-tro/vocab.js';
import { sha256Hex } from '../../../src/hash/digest.js';
import { compositionFingerprint } from '../../../src/hash/fingerprint.js';
import { parseJson } from '../../../src/json/parse.js';
import { isJsonObject } from '../../../src/json/value.js';
import type { JsonObject, JsonValue } from '../../../src/json/value.js';
import { liftJsonLd } from '../../../src/rdf/lift.js';
import { termKey } from '../../../src/rdf/sparql.js';
import { shaclValidateDocument } from '../../../src/shacl/index.js';
import { readTroModel } from '../../../src/tro/read.js';
import { verifyTro } from '../../../src/verify/verify.js';

const DIR = 'fixtures/pe-data/microcosm/';
const SHIPPED = readFileSync(`${DIR}packages__populace-data__build__us__populace_us_2024.trace.tro.jsonld`, 'utf8');
const US_MANIFEST = parseJson(readFileSync(`${DIR}packages__populace-data__build__us__release_manifest.json`));
const UK = `${DIR}packages__microcosm-data__tests__fixtures__uk_june_2023__populace-uk-2023-dd68c73-4aa4b14-20260619T023711Z__`;
const UK_YAML = 'packages__microcosm-build__src__microcosm__build__uk__spec__sources.yaml';
const US_YAML = 'packages__microcosm-build__src__microcosm__build__us__spec__sources.yaml';
const registry = readSourceRegistry([UK_YAML, US_YAML].map((n) => ({ bytes: new Uint8Array(readFileSync(DIR + n)), label: n })));
const PUF_PAGE = 'https://www.irs.gov/statistics/soi-tax-stats-individual-public-use-microdata-files';
const STAGE_RECORDS_SHA = 'dd89da5f4d3ec47b674fdcaec676de589264198554e4099d91334d57ed0448a3';

/** The inputs that reproduce the shipped TRO: its pinned revision, self URL, emitter name and declared stage_records hash. */
const SHIPPED_OPTIONS: BuildTroOptions = {
  manifest: { doc: US_MANIFEST, label: 'release_manifest.json' },
  hfRevision: '4a8e7d39eb9e282397d186b4550107b1955eddc5',
  selfUrl: 'https://huggingface.co/datasets/policyengine/populace-us/resolve/main/releases/populace-us-2024-9f1260b-20260611/populace_us_2024.trace.tro.jsonld',
  declaredPayloads: [{ name: 'stage_records', sha256: STAGE_RECORDS_SHA }],
  createdWith: { name: 'populace-build', version: '0.1.0' },
  emissionContext: { 'pop:emittedIn': 'local' },
};

const TWO_INPUTS: BuildTroOptions = {
  ...SHIPPED_OPTIONS,
  declaredPayloads: [],
  registry,
  restrictedInputs: [parseRestrictedInputFlag(`id=processed_puf,location=${PUF_PAGE},irs-agreement=TD-2015-PUF`), parseRestrictedInputFlag('id=frs_spine.adult')],
  createdWith: { name: 'pe-trace', version: '0.1.0' },
};

function troNode(doc: JsonValue): JsonObject {
  const graph = isJsonObject(doc) ? doc['@graph'] : undefined;
  const node = Array.isArray(graph) ? graph[0] : undefined;
  if (!isJsonObject(node)) throw new Error('no TRO node');
  return node;
}
function list(node: JsonObject, ...path: string[]): JsonObject[] {
  let v: JsonValue | undefined = node;
  for (const key of path) v = Array.isArray(v) ? v[Number(key)] : isJsonObject(v) ? v[key] : undefined;
  if (!Array.isArray(v)) throw new Error(`no list at ${path.join('/')}`);
  return v.filter(isJsonObject);
}
const artifactsOf = (doc: JsonValue) => list(troNode(doc), 'trov:hasComposition', 'trov:hasArtifact');
const locationsOf = (doc: JsonValue) => list(troNode(doc), 'trov:hasArrangement', '0', 'trov:hasArtifactLocation');

describe('reproducing the shipped populace build TRO', () => {
  it('is byte-identical given the same inputs (the stage_records hash declared, having no preimage)', async () => {
    const tro = await emitBuildTro(SHIPPED_OPTIONS);
    expect(new TextDecoder().decode(tro.bytes)).toBe(SHIPPED);
    expect(tro.findings.filter((f) => f.severity === 'warning').map((f) => f.code)).toEqual(['PAYLOAD_DECLARED']);
  });

  it('differs only by the stage_records artifact, its location and the fingerprint without the declared hash', async () => {
    const tro = await emitBuildTro({ ...SHIPPED_OPTIONS, declaredPayloads: [] });
    const shipped = parseJson(SHIPPED);
    const ours = parseJson(tro.bytes);
    // Remove what we cannot know from the shipped document; the rest must be equal.
    const shippedArtifacts = artifactsOf(shipped);
    const stage = shippedArtifacts.pop();
    const shippedTro = troNode(shipped);
    const composition = shippedTro['trov:hasComposition'] as JsonObject;
    composition['trov:hasArtifact'] = shippedArtifacts;
    const arrangement = list(shippedTro, 'trov:hasArrangement')[0] as JsonObject;
    arrangement['trov:hasArtifactLocation'] = locationsOf(shipped).filter((l) => l['@id'] !== 'arrangement/1/location/stage_records');
    const fingerprint = (composition['trov:hasFingerprint'] as JsonObject)['trov:sha256'];
    expect(stage?.['@id']).toBe('composition/1/artifact/stage_records');
    const four = shippedArtifacts.map((a) => String(a['trov:sha256']));
    (composition['trov:hasFingerprint'] as JsonObject)['trov:sha256'] = compositionFingerprint(four, 'sha256-newline');
    expect(fingerprint).not.toBe(compositionFingerprint(four, 'sha256-newline'));
    expect(ours).toEqual(shipped);
    expect(tro.findings.map((f) => f.code)).toContain('NO_STAGE_RECORDS');
  });

  it('locates outputs at revision main, a moving ref, unless a revision is given', async () => {
    const { hfRevision: _pinned, ...unpinned } = SHIPPED_OPTIONS;
    const tro = await emitBuildTro(unpinned);
    expect(locationsOf(tro.document)[0]?.['trov:hasLocation']).toBe('https://huggingface.co/datasets/policyengine/populace-us/resolve/main/populace_us_2024.h5');
    expect(tro.findings.filter((f) => f.code === 'REVISION_MOVING')).toHaveLength(2);
  });
});

describe('a build TRO with two restricted inputs from sources.yaml (IRS PUF, UKDS FRS)', async () => {
  const tro = await emitBuildTro(TWO_INPUTS);
  const model = readTroModel(tro.document, { label: 'build.tro.jsonld' });
  const lifted = await liftJsonLd(tro.document, { label: 'build.tro.jsonld', bytes: tro.bytes });
  const base = lifted.base;
  const has = (s: string, p: string, o: string): boolean => lifted.quads.some((q) => termKey(q.subject) === s && termKey(q.predicate) === p && termKey(q.object) === o);
  const iri = (relative: string) => `<${base}${relative}>`;
  const pop = (local: string) => `<${POP_POPULACE}${local}>`;
  const XSD = 'http://www.w3.org/2001/XMLSchema#';

  it('binds both inputs between the outputs and the payloads, and the fingerprint recomputes', async () => {
    expect(model.artifacts.map((a) => a.shortId)).toEqual(['dataset', 'calibration', 'processed_puf', 'frs_spine.adult', 'build_config', 'gate_report']);
    const report = await verifyTro(model, { fetchHttps: false });
    expect(report.fingerprint.status).toBe('ok');
    expect(report.fingerprint.computed).toBe(compositionFingerprint(model.artifacts.map((a) => a.hashes[0]?.value ?? ''), 'sha256-newline'));
    expect(tro.fingerprint).toBe(report.fingerprint.computed);
    // Nothing here is checked offline: outputs and inputs are https (fetching is opt-in), payloads are URNs (checked
    // only against --payload-dir): each is 'not-fetched', never a mismatch.
    expect(report.artifacts.map((a) => a.status)).toEqual(Array(6).fill('not-fetched'));
  });

  it('places each input at its access URL, flagged pop:accessRestricted with the reasons', () => {
    const locations = locationsOf(tro.document);
    const puf = locations.find((l) => l['@id'] === 'arrangement/1/location/processed_puf');
    const frs = locations.find((l) => l['@id'] === 'arrangement/1/location/frs_spine.adult');
    expect(puf).toMatchObject({ 'trov:hasLocation': PUF_PAGE, 'pop:accessRestricted': true, 'pop:restrictionBasis': ['named a restricted input by a curator (command line)'] });
    expect(frs).toMatchObject({ 'trov:hasLocation': 'https://doi.org/10.5255/UKDA-SN-9563-1', 'pop:accessRestricted': true });
    expect(frs?.['pop:restrictionBasis']).toEqual([
      'named a restricted input by a curator (command line)',
      `source-stage kind licensed_microdata (${UK_YAML}#/stages/0/artifacts/1/kind)`,
    ]);
    // Outputs and payloads of a public release are not restricted.
    expect(locations.filter((l) => l['pop:accessRestricted'] === true).map((l) => l['@id'])).toEqual([
      'arrangement/1/location/processed_puf',
      'arrangement/1/location/frs_spine.adult',
    ]);
  });

  it('lifts cleanly to RDF with typed identifier terms on the input artifacts', () => {
    expect(lifted.warnings).toEqual([]);
    const rdfType = '<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>';
    expect(has(iri('composition/1/artifact/frs_spine.adult'), rdfType, pop('RestrictedInput'))).toBe(true);
    expect(has(iri('composition/1/artifact/frs_spine.adult'), rdfType, '<https://w3id.org/trace/trov/0.1#ResearchArtifact>')).toBe(true);
    expect(has(iri('composition/1/artifact/frs_spine.adult'), pop('ukdsStudyNumber'), `"9563"^^<${XSD}string>`)).toBe(true);
    expect(has(iri('composition/1/artifact/frs_spine.adult'), pop('ukdsEdition'), `"1"^^<${XSD}integer>`)).toBe(true);
    expect(has(iri('composition/1/artifact/frs_spine.adult'), pop('doi'), `"10.5255/UKDA-SN-9563-1"^^<${XSD}string>`)).toBe(true);
    expect(has(iri('composition/1/artifact/processed_puf'), pop('irsAgreementId'), `"TD-2015-PUF"^^<${XSD}string>`)).toBe(true);
    expect(has(iri('composition/1/artifact/processed_puf'), pop('sourceRecord'), `"${US_YAML}#/sources/4"^^<${XSD}string>`)).toBe(true);
    expect(has(iri('arrangement/1/location/processed_puf'), pop('accessRestricted'), `"true"^^<${XSD}boolean>`)).toBe(true);
    expect(has(iri('composition/1/artifact/dataset'), rdfType, pop('RestrictedInput'))).toBe(false);
  });

  it('uses only pop: terms the vocabularies define (vocab/pop.ttl and vocab/pop-inputs.ttl)', () => {
    const defined = new Set<string>();
    for (const name of ['pop.ttl', 'pop-inputs.ttl']) {
      for (const q of new Parser().parse(readFileSync(join('vocab', name), 'utf8'))) if (q.subject.value.startsWith(POP_POPULACE)) defined.add(q.subject.value);
    }
    const used = new Set<string>();
    for (const q of lifted.quads) for (const t of [q.predicate, q.object]) if (t.termType === 'NamedNode' && t.value.startsWith(POP_POPULACE)) used.add(t.value);
    expect(used.size).toBeGreaterThan(10);
    expect([...used].filter((u) => !defined.has(u))).toEqual([]);
  });

  it('writes exactly the constructed graph: lifting the framed document gives back the CONSTRUCT result', async () => {
    const again = await liftJsonLd(tro.document, { base: CONSTRUCT_BASE });
    const named = (quads: readonly Quad[]) =>
      quads.filter((q) => q.subject.termType !== 'BlankNode' && q.object.termType !== 'BlankNode').map((q) => `${termKey(q.subject)} ${termKey(q.predicate)} ${termKey(q.object)}`).sort();
    expect(named(again.quads)).toEqual(named(tro.graph));
    expect(again.quads.length).toBe(tro.graph.length);
  });

  it('conforms to the build SHACL profile (the shipped TRO does too)', async () => {
    const ours = await shaclValidateDocument(tro.bytes, { profile: 'build', label: 'build.tro.jsonld' });
    expect(ours.shapesGraphs).toContain('profile-build');
    expect(ours.results.map((r) => r.messages)).toEqual([]);
    expect(ours.conforms).toBe(true);
    const shipped = await shaclValidateDocument(new TextEncoder().encode(SHIPPED), { profile: 'build', label: 'shipped' });
    expect(shipped.conforms).toBe(true);
  });

  it('is deterministic, and the fingerprint does not depend on the order inputs are given', async () => {
    const second = await emitBuildTro(TWO_INPUTS);
    expect(Buffer.from(second.bytes).equals(Buffer.from(tro.bytes))).toBe(true);
    const swapped = await emitBuildTro({ ...TWO_INPUTS, restrictedInputs: [...(TWO_INPUTS.restrictedInputs ?? [])].reverse() });
    expect(swapped.fingerprint).toBe(tro.fingerprint);
    expect(Buffer.from(swapped.bytes).equals(Buffer.from(tro.bytes))).toBe(false);
  });
});

describe('emitBuildTro options', () => {
  it('refuses a restricted input without a sha256 before anything is built', async () => {
    await expect(emitBuildTro({ ...SHIPPED_OPTIONS, restrictedInputs: [parseRestrictedInputFlag(`id=irs_puf_2015,location=${PUF_PAGE}`)] })).rejects.toThrow(
      /provenance without a hash is not provenance/,
    );
  });

  it('writes the microcosm flavour: its namespace and names', async () => {
    const tro = await emitBuildTro({ ...SHIPPED_OPTIONS, flavour: 'microcosm' });
    const context = (tro.document['@context'] as JsonObject[])[0];
    expect(context?.['pop']).toBe(POP_MICROCOSM);
    expect(troNode(tro.document)['schema:name']).toBe('microcosm build TRO (populace-us-2024-9f1260b-20260611)');
    expect((troNode(tro.document)['trov:wasAssembledBy'] as JsonObject)['schema:name']).toBe('microcosm build pipeline');
    // Same composition, so the same fingerprint as the populace flavour.
    expect(tro.fingerprint).toBe((await emitBuildTro(SHIPPED_OPTIONS)).fingerprint);
  });

  it('reads a private schema-v1 release with its build manifest: gates, build sha, outputs reported (not flagged) as not public', async () => {
    const tro = await emitBuildTro({
      manifest: { doc: parseJson(readFileSync(`${UK}release_manifest.json`)), label: 'release_manifest.json' },
      buildManifest: { doc: parseJson(readFileSync(`${UK}build_manifest.json`)), label: 'build_manifest.json' },
      createdWith: { name: 'pe-trace', version: null },
      emissionContext: buildEmissionContextFromEnvironment({ GITHUB_ACTIONS: 'true', GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '7', GITHUB_SHA: 'abc' }),
    });
    const node = troNode(tro.document);
    expect(node['pop:buildDate']).toBe('2026-06-19');
    expect((node['trov:createdWith'] as JsonObject)['schema:softwareVersion']).toBeNull();
    const performance = node['trov:hasPerformance'] as JsonObject;
    expect(performance).toMatchObject({
      'pop:buildSha': 'dd68c73',
      'pop:gatesPassed': true,
      'pop:gateNames': ['exported_nonzero', 'parity', 'release_surface', 'smoke', 'target_fit'],
      'pop:emittedIn': 'github-actions',
      'pop:ciRunUrl': 'https://github.com/o/r/actions/runs/7',
      'pop:ciGitSha': 'abc',
    });
    const outputs = locationsOf(tro.document).filter((l) => String(l['trov:hasLocation']).startsWith('https://huggingface.co/'));
    expect(outputs).toHaveLength(3);
    for (const l of outputs) {
      // pop:accessRestricted marks restricted inputs; a private output is a finding and its URL names the private repo.
      expect(l['pop:accessRestricted']).toBeUndefined();
      expect(String(l['trov:hasLocation'])).toContain('/datasets/policyengine/populace-uk-private/resolve/populace-uk-2023-dd68c73-4aa4b14-20260619T023711Z/');
    }
    const notPublic = tro.findings.filter((f) => f.code === 'OUTPUT_NOT_PUBLIC').map((f) => f.message);
    expect(notPublic).toHaveLength(3);
    expect(notPublic[0]).toBe(
      'output calibration_diagnostics is not publicly reachable: Hugging Face repo policyengine/populace-uk-private is private (release_manifest.json#/artifacts/calibration_diagnostics/repo_id); release says "UK Data Service licence: private dataset repo." (release_manifest.json#/build/metadata/private)',
    );
  });

  it('hashes payload files as canonical JSON, confirms or overrides the manifest, and keeps populace\'s order', async () => {
    const gates = (US_MANIFEST as JsonObject)['gates'] as JsonValue;
    const records = parseJson('[{"stage": "cps", "rows": 1}]');
    const tro = await emitBuildTro({
      ...SHIPPED_OPTIONS,
      declaredPayloads: [],
      payloads: [
        { name: 'notes', doc: parseJson('{"b": 1, "a": 2}'), label: 'notes.json' },
        { name: 'stage_records', doc: records, label: 'stages.json' },
        { name: 'gate_report', doc: gates, label: 'gates.json' },
      ],
    });
    expect(tro.plan.payloads.map((p) => p.name)).toEqual(['build_config', 'gate_report', 'stage_records', 'notes']);
    const stage = tro.plan.payloads.find((p) => p.name === 'stage_records');
    expect(stage?.sha256).toBe(sha256Hex('[\n  {\n    "rows": 1,\n    "stage": "cps"\n  }\n]\n'));
    expect(stage?.location).toBe(`urn:pop:payload:stage_records:${stage?.sha256 ?? ''}`);
    expect(tro.findings.map((f) => f.code)).toContain('PAYLOAD_CONFIRMED');
    const failing = await emitBuildTro({ ...SHIPPED_OPTIONS, declaredPayloads: [], payloads: [{ name: 'gate_report', doc: parseJson('{"parity_gaps": 2}'), label: 'g.json' }] });
    expect(failing.findings.map((f) => f.code)).toContain('PAYLOAD_OVERRIDDEN');
    expect((troNode(failing.document)['trov:hasPerformance'] as JsonObject)['pop:gatesPassed']).toBe(false);
  });

  it('refuses malformed payloads, clashing ids and a context that overwrites a build fact', async () => {
    await expect(emitBuildTro({ ...SHIPPED_OPTIONS, declaredPayloads: [], payloads: [{ name: 'stage_records', doc: parseJson('{}'), label: 's.json' }] })).rejects.toThrow(
      /s\.json#: stage records must be a JSON array/,
    );
    await expect(emitBuildTro({ ...SHIPPED_OPTIONS, payloads: [{ name: 'stage_records', doc: parseJson('[]'), label: 's.json' }] })).rejects.toThrow(/given twice/);
    await expect(emitBuildTro({ ...SHIPPED_OPTIONS, declaredPayloads: [{ name: 'Bad-Name', sha256: STAGE_RECORDS_SHA }] })).rejects.toThrow(/payload name/);
    await expect(emitBuildTro({ ...SHIPPED_OPTIONS, restrictedInputs: [parseRestrictedInputFlag(`id=dataset,sha256=${'a'.repeat(64)},location=${PUF_PAGE}`)] })).rejects.toThrow(
      /share the id dataset/,
    );
    await expect(emitBuildTro({ ...SHIPPED_OPTIONS, emissionContext: { 'pop:emittedIn': 'local', 'pop:buildId': 'x' } })).rejects.toThrow(/would overwrite/);
    await expect(emitBuildTro({ ...SHIPPED_OPTIONS, emissionContext: {} })).rejects.toThrow(/must set pop:emittedIn/);
  });
});

describe('writeBuildTro', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pe-trace-build-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes payload preimages whose hashes are the URNs, then the TRO, leaving no temporary files', async () => {
    const tro = await emitBuildTro(SHIPPED_OPTIONS);
    const out = join(dir, 'build.trace.tro.jsonld');
    const written = await writeBuildTro(tro, { out, payloadDir: join(dir, 'payloads') });
    // stage_records is declared by hash only: it has no preimage to write.
    expect(written.payloadFiles).toEqual(['build_config.json', 'gate_report.json']);
    for (const name of written.payloadFiles) {
      const sha = sha256Hex(readFileSync(join(dir, 'payloads', name)));
      expect(locationsOf(tro.document).some((l) => l['trov:hasLocation'] === `urn:pop:payload:${name.replace('.json', '')}:${sha}`)).toBe(true);
    }
    expect(readFileSync(out, 'utf8')).toBe(SHIPPED);
    expect(readdirSync(dir).sort()).toEqual(['build.trace.tro.jsonld', 'payloads']);
  });
});
