// `pe-trace validate` of data build TROs: the build schema is picked from the @context, our own and the real populace
// TRO pass (as they pass shacl-validate), a broken build TRO fails with located errors.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isBuildTroDocument, parseJson, validateJsonSchema } from '../../src/index.js';
import { envelope, runCli } from '../support/cli.js';

const DIR = 'fixtures/pe-data/microcosm/';
const MANIFEST = `${DIR}packages__populace-data__build__us__release_manifest.json`;
const REAL = `${DIR}packages__populace-data__build__us__populace_us_2024.trace.tro.jsonld`;
const US_YAML = `${DIR}packages__microcosm-build__src__microcosm__build__us__spec__sources.yaml`;
const PUF_PAGE = 'https://www.irs.gov/statistics/soi-tax-stats-individual-public-use-microdata-files';
const tmp = mkdtempSync(join(tmpdir(), 'pe-trace-validate-build-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type Doc = { '@graph': Record<string, unknown>[] };
const real = (): Doc => JSON.parse(readFileSync(REAL, 'utf8')) as Doc;

describe('validate: build TROs', () => {
  it('accepts the real populace build TRO and our emitted ones (both flavours, with restricted inputs), like shacl-validate', () => {
    const populace = join(tmp, 'populace.jsonld');
    const microcosm = join(tmp, 'microcosm.jsonld');
    const common = ['emit', 'build', '--release-manifest', MANIFEST, '--sources', US_YAML, '--restricted-input', `id=processed_puf,location=${PUF_PAGE},irs-agreement=TD-2015`, '--emitted-in', 'local'];
    expect(runCli([...common, '--out', populace]).status).toBe(0);
    expect(runCli([...common, '--flavour', 'microcosm', '--out', microcosm]).status).toBe(0);
    const r = runCli(['validate', REAL, populace, microcosm, 'fixtures/corpus/emitted/build/populace-uk-2023-dd68c73-4aa4b14-20260619T023711Z.build.trace.tro.jsonld', '--json']);
    const env = envelope<{ valid: boolean; documents: { profile?: string; valid: boolean; schema: string; errors: unknown[] }[] }>(r);
    expect(env.result?.documents.map((d) => [d.profile, d.valid, d.schema, d.errors])).toEqual(Array(4).fill(['build', true, 'urn:pe-trace:schema:pe-0.1-build.tro', []]));
    expect(r.status).toBe(0);
    const human = runCli(['validate', REAL]);
    expect(human.stdout).toBe(`ok: ${REAL} (pe-0.1 build)\n`);
    expect(runCli(['shacl-validate', REAL, populace, microcosm]).status).toBe(0);
  });

  it('rejects a broken build TRO (exit 4), each defect located', () => {
    const doc = real();
    const tro = doc['@graph'][0] as Record<string, Record<string, unknown> & { 'trov:hasArtifact'?: Record<string, unknown>[] }>;
    delete tro['trov:hasPerformance']?.['pop:buildId'];
    (tro['trov:hasComposition']?.['trov:hasArtifact'] as Record<string, unknown>[])[0]!['@type'] = ['pop:RestrictedInput'];
    const locations = ((tro['trov:hasArrangement'] as unknown as Record<string, unknown>[])[0]!['trov:hasArtifactLocation'] as Record<string, unknown>[]);
    locations[2]!['trov:hasLocation'] = 'urn:pop:payload:build_config:not-a-hash';
    const file = join(tmp, 'broken.jsonld');
    writeFileSync(file, JSON.stringify(doc, null, 2));
    const r = runCli(['validate', file]);
    expect(r.status).toBe(4);
    expect(r.stdout).toMatch(/^invalid: .*broken\.jsonld \(pe-0\.1 build\)$/m);
    expect(r.stdout).toMatch(/^ {2}- \/@graph\/0\/trov:hasPerformance: .*pop:buildId/m);
    expect(r.stdout).toMatch(/^ {2}- \/@graph\/0\/trov:hasComposition\/trov:hasArtifact\/0\/@type: /m);
    expect(r.stdout).toMatch(/^ {2}- \/@graph\/0\/trov:hasArrangement\/0\/trov:hasArtifactLocation\/2\/trov:hasLocation: /m);
  });

  it('detects build TROs from the @context only: pop: bound and no pe:', () => {
    expect(isBuildTroDocument(parseJson(readFileSync(REAL)))).toBe(true);
    expect(isBuildTroDocument(parseJson(readFileSync('fixtures/policyengine-py/shipped/us.trace.tro.jsonld')))).toBe(false);
    const both = real() as unknown as { '@context': Record<string, string>[] };
    both['@context'][0]!['pe'] = 'https://policyengine.org/trace/0.1#';
    expect(isBuildTroDocument(parseJson(JSON.stringify(both)))).toBe(false);
    // A pe TRO keeps its own schema and verdict.
    expect(validateJsonSchema(parseJson(readFileSync('fixtures/policyengine-py/shipped/us.trace.tro.jsonld'))).schema).toBe('urn:pe-trace:schema:pe-0.1.tro');
  });
});
