// Simulation / results TROs: the web-run vector byte for byte, test_trace_tro.py TestSimulationTRO, the fixed results writer.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type SimulationTroInput, emitSimulationTro, writeResultsRecord } from '../../../src/emit/index.js';
import { sha256Hex } from '../../../src/hash/digest.js';
import { canonicalJsonBytes } from '../../../src/json/canonical.js';
import { parseJson } from '../../../src/json/parse.js';
import { JsonNumber, type JsonObject } from '../../../src/json/value.js';
import { validateJsonSchema } from '../../../src/validate/json-schema.js';
import { verifyTroFile } from '../../../src/verify/verify.js';
import { GENERATED, artifactIds, fixtureJson, fixtureText, locationsOf, performanceOf, roundTrip, troNodeOf } from './support.js';

const scratch = mkdtempSync(join(tmpdir(), 'pe-trace-sim-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const bundleTro = fixtureJson('shipped', 'us.trace.tro.jsonld');
const BUNDLE_FP = '66ceaf4c12243f1f6ccb5b01e10fd1cd0a6e1e2fc6a9915ae5bde114353a4377';
const BUNDLE_URL = 'https://raw.githubusercontent.com/PolicyEngine/policyengine.py/main/src/policyengine/data/bundle/us.trace.tro.jsonld';

/** The results fixture of test_trace_tro.py (ResultsJson.model_dump: every field, nulls included). */
const salt = fixtureJson('generated', 'results-demo', 'results.json');

/** The interop §2.2 reference vector's inputs; runtime_environment values as in the generated file's performance. */
const webRun: SimulationTroInput = {
  bundleTro,
  reform: { 'gov.irs.credits.ctc.amount.base[0].amount': JsonNumber.ofInt(3000) },
  input: { country: 'us', region: 'state/CA' },
  request: { path: '/us/economy/2/over/1' },
  runtime: { container_image_sha: 'sha256:abc', cloud_region: 'us-central1' },
  runtimeEnvironment: { runId: 'run-123', executionId: 'job-456', containerImageSha: 'sha256:abc', cloudRegion: 'us-central1' },
  results: { budgetary_impact: 1 },
  emissionContext: { 'pe:emittedIn': 'policyengine-api' },
  simulationId: 'run-123',
  createdAt: '2026-04-18T12:05:00Z',
  startedAt: '2026-04-18T12:00:00Z',
};

describe('web-run vector (interop §2.2)', () => {
  it('is reproduced byte for byte (fingerprint 3d7e97d6…7988)', async () => {
    const tro = await emitSimulationTro(webRun);
    expect(Buffer.from(tro.bytes).toString('utf8')).toBe(fixtureText('generated', 'web-run.simulation.trace.tro.jsonld'));
    expect(tro.fingerprint).toBe('3d7e97d6ff1ed8692def8f7d5c0e7e4a395e1a5fe74fa4f74dcd7e49e2907988');
  });

  it('hashes 3000 as an int: a float 3000.0 gives another reform hash', async () => {
    const asFloat = await emitSimulationTro({ ...webRun, reform: { 'gov.irs.credits.ctc.amount.base[0].amount': JsonNumber.ofFloat(3000) } });
    const asInt = await emitSimulationTro(webRun);
    const reform = (t: typeof asInt): string | undefined => t.artifacts.find((a) => a.shortId === 'reform')?.sha256;
    expect(reform(asInt)?.startsWith('5ff1daa5')).toBe(true);
    expect(reform(asFloat)).not.toBe(reform(asInt));
  });

  it('round-trips: pe-0.1 model, schema-valid, lifted graph isomorphic to the CONSTRUCT output', async () => {
    const back = await roundTrip(await emitSimulationTro(webRun));
    expect(back.model.artifacts.map((a) => a.shortId)).toEqual(['bundle_tro', 'reform', 'input', 'request', 'runtime', 'results']);
    expect(back.schema.valid).toBe(true);
    expect(back.liftedNq).toBe(back.constructedNq);
  });
});

describe('simulation TRO (test_trace_tro.py TestSimulationTRO)', () => {
  const base = { bundleTro, results: salt, emissionContext: { 'pe:emittedIn': 'local' }, simulationId: 'SALT cap repeal', createdAt: '2026-04-18T12:00:00Z' };

  it('pins the bundle TRO, the reform and the results, bound to the bundle fingerprint', async () => {
    const tro = await emitSimulationTro({ ...base, reform: { 'gov.irs.deductions.salt.cap': null } });
    expect(new Set(artifactIds(tro.document))).toEqual(new Set(['bundle_tro', 'reform', 'results']));
    expect(performanceOf(tro.document)['pe:bundleFingerprint']).toBe(BUNDLE_FP);
  });

  it('validates against the pe-0.1 JSON Schema', async () => {
    const report = validateJsonSchema((await emitSimulationTro({ ...base, reform: { a: 1 } })).document, { dialect: 'pe-0.1' });
    expect(report.errors).toEqual([]);
  });

  it('pins only the bundle TRO and the results without a reform', async () => {
    expect(artifactIds((await emitSimulationTro(base)).document)).toEqual(['bundle_tro', 'results']);
  });

  it('binds request, input and runtime of a web run and copies the runtime environment', async () => {
    const tro = await emitSimulationTro(webRun);
    expect(artifactIds(tro.document)).toHaveLength(6);
    const perf = performanceOf(tro.document);
    expect(perf['pe:emittedIn']).toBe('policyengine-api');
    expect(perf['pe:runId']).toBe('run-123');
    expect(perf['pe:containerImageSha']).toBe('sha256:abc');
    expect(validateJsonSchema(tro.document, { dialect: 'pe-0.1' }).valid).toBe(true);
  });

  it('records pe:bundleTroUrl and uses it as the https bundle location', async () => {
    const tro = await emitSimulationTro({ ...base, bundleTroUrl: BUNDLE_URL });
    expect(performanceOf(tro.document)['pe:bundleTroUrl']).toBe(BUNDLE_URL);
    expect(locationsOf(tro.document)[0]?.['trov:hasLocation']).toBe(BUNDLE_URL);
  });

  it('defaults the bundle location to bundle.trace.tro.jsonld#<fingerprint>', async () => {
    expect(locationsOf((await emitSimulationTro(base)).document)[0]?.['trov:hasLocation']).toBe(`bundle.trace.tro.jsonld#${BUNDLE_FP}`);
  });

  it('changes the bundle_tro hash when the bundle TRO is forged', async () => {
    const forged = parseJson(canonicalJsonBytes(bundleTro)) as JsonObject;
    troNodeOf(forged)['schema:description'] = 'forged';
    const a = await emitSimulationTro(base);
    const b = await emitSimulationTro({ ...base, bundleTro: forged });
    expect(b.artifacts[0]?.sha256).not.toBe(a.artifacts[0]?.sha256);
    expect(a.artifacts[0]?.sha256).toBe(sha256Hex(canonicalJsonBytes(bundleTro)));
  });

  it('names the TRO after the simulation id, or "simulation"', async () => {
    expect(troNodeOf((await emitSimulationTro({ ...base, simulationId: undefined })).document)['schema:name']).toBe('policyengine simulation TRO (simulation)');
  });

  it('writes null for the software version when the bundle TRO has none', async () => {
    const noVersion = parseJson(canonicalJsonBytes(bundleTro)) as JsonObject;
    delete (troNodeOf(noVersion)['trov:createdWith'] as JsonObject)['schema:softwareVersion'];
    const tro = await emitSimulationTro({ ...base, bundleTro: noVersion });
    expect(troNodeOf(tro.document)['trov:createdWith']).toEqual({ '@type': 'schema:SoftwareApplication', 'schema:name': 'policyengine', 'schema:softwareVersion': null });
  });

  it('refuses naive timestamps, a bundle TRO without fingerprint, and context collisions', async () => {
    await expect(emitSimulationTro({ ...base, createdAt: '2026-04-18T12:00:00' })).rejects.toMatchObject({ code: 'USAGE' });
    await expect(emitSimulationTro({ ...base, bundleTro: parseJson('{"@graph":[{"@type":"trov:TransparentResearchObject"}]}') })).rejects.toMatchObject({ code: 'TRO_MALFORMED' });
    await expect(emitSimulationTro({ ...base, runtimeEnvironment: { emittedIn: 'x' } })).rejects.toThrow(/pe:emittedIn would be set twice/);
    await expect(emitSimulationTro({ ...base, runtimeEnvironment: { nested: { a: 1 } as never } })).rejects.toMatchObject({ code: 'USAGE' });
  });
});

describe('results writer (fixes §11.2: the output always verifies)', () => {
  it('writes results.json and results.trace.tro.jsonld side by side, with every listed payload', async () => {
    const dir = join(scratch, 'with-url');
    const record = await writeResultsRecord({
      directory: dir,
      bundleTro,
      results: salt,
      reform: { 'gov.irs.deductions.salt.cap': null },
      reformName: 'SALT cap repeal',
      bundleTroUrl: BUNDLE_URL,
      emissionContext: { 'pe:emittedIn': 'local' },
    });
    expect(readdirSync(dir).sort()).toEqual(['reform.json', 'results.json', 'results.trace.tro.jsonld']);
    const tro = parseJson(readFileSync(join(dir, 'results.trace.tro.jsonld')));
    expect(troNodeOf(tro)['schema:creator']).toMatchObject({ 'schema:name': 'PolicyEngine' });
    expect(performanceOf(tro)['pe:bundleTroUrl']).toBe(BUNDLE_URL);
    // The reference's writer left results.json unsorted; ours hashes to what the TRO claims (and what the demo TRO claimed).
    expect(sha256Hex(readFileSync(join(dir, 'results.json')))).toBe('4f55a28d5e8d64f6be09d5eef4db64951b9d3195e1c05b81b8dd2fc9b47818e8');
    const report = await verifyTroFile(join(dir, 'results.trace.tro.jsonld'), { skip: ['bundle_tro'], fetchHttps: false });
    expect(report.artifacts.map((a) => [a.id, a.status])).toEqual([
      ['bundle_tro', 'skipped'],
      ['reform', 'ok'],
      ['results', 'ok'],
    ]);
    expect(report.fingerprint).toMatchObject({ status: 'ok', claimed: record.fingerprint });
    expect(report.verified).toBe(true);
  });

  it('takes the slug and date from the ResultsJson metadata: the demo TRO, up to its (unpublished) reform payload', async () => {
    const record = await writeResultsRecord({
      directory: join(scratch, 'like-demo'),
      bundleTro,
      results: salt,
      reform: { 'gov.irs.deductions.salt.cap': null },
      reformName: 'SALT cap repeal',
      bundleTroUrl: BUNDLE_URL,
      emissionContext: { 'pe:emittedIn': 'local' },
    });
    const demo = fixtureJson('generated', 'results-demo', 'results.trace.tro.jsonld');
    const ours = parseJson(record.tro.bytes);
    // Only the reform payload differs (the demo's is not published): substitute its hash and the fingerprint.
    const reform = (d: typeof ours): JsonObject => (troNodeOf(d)['trov:hasComposition'] as { 'trov:hasArtifact': JsonObject[] })['trov:hasArtifact'][1] as JsonObject;
    reform(demo)['trov:sha256'] = reform(ours)['trov:sha256'] ?? null;
    ((troNodeOf(demo)['trov:hasComposition'] as JsonObject)['trov:hasFingerprint'] as JsonObject)['trov:sha256'] = record.fingerprint;
    expect(Buffer.from(canonicalJsonBytes(demo)).toString('utf8')).toBe(Buffer.from(record.tro.bytes).toString('utf8'));
  });

  it('without a URL writes the bundle TRO beside it and verifies fully offline', async () => {
    const dir = join(scratch, 'local');
    await writeResultsRecord({ directory: dir, ...webRun, simulationId: 'run-123' });
    expect(readdirSync(dir).sort()).toEqual(['bundle.trace.tro.jsonld', 'input.json', 'reform.json', 'request.json', 'results.json', 'results.trace.tro.jsonld', 'runtime.json']);
    expect(readFileSync(join(dir, 'results.trace.tro.jsonld'), 'utf8')).toBe(fixtureText('generated', 'web-run.simulation.trace.tro.jsonld'));
    const report = await verifyTroFile(join(dir, 'results.trace.tro.jsonld'), { fetchHttps: false });
    expect(report.fingerprint.status).toBe('ok');
    expect(report.artifacts.every((a) => a.status === 'ok')).toBe(true);
    expect(report.verified).toBe(true);
  });

  it('where the reference writer output does not verify (generated/results-demo)', async () => {
    const report = await verifyTroFile(join(GENERATED, 'results-demo', 'results.trace.tro.jsonld'), { skip: ['bundle_tro'], fetchHttps: false });
    expect(report.verified).toBe(false);
    expect(Object.fromEntries(report.artifacts.map((a) => [a.id, a.status]))).toMatchObject({ reform: 'unfetchable', results: 'mismatch' });
  });
});
