// Reading data release manifests: every published variant, ignored keys reported, bad manifests located.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPeTraceError } from '../../../src/errors.js';
import { sha256Hex } from '../../../src/hash/digest.js';
import { parseJson } from '../../../src/json/parse.js';
import { detectDrmVariant, parseDataReleaseManifest, readDataReleaseManifest } from '../../../src/manifest/data-release-manifest.js';
import { ManifestError } from '../../../src/manifest/fields.js';
import { FIXTURES } from '../../support/cli.js';
import { POPULACE_UK_DRM, POPULACE_UK_TAG, SHA_C, TAG, artifact, bytesOf, usDrm } from '../../support/manifest-samples.js';

function read(doc: unknown): ReturnType<typeof readDataReleaseManifest> {
  return readDataReleaseManifest(parseJson(JSON.stringify(doc)), { label: 'drm.json' });
}

function problemsOf(doc: unknown): { pointer: string; message: string }[] {
  try {
    read(doc);
  } catch (e) {
    if (e instanceof ManifestError) return e.problems.map((p) => ({ pointer: p.pointer, message: p.message }));
    throw e;
  }
  throw new Error('expected the manifest to be rejected');
}

describe('published variants', () => {
  it('reads the real populace UK manifest (schema v1, private repo, exact pins) and hashes its raw bytes', () => {
    const bytes = readFileSync(POPULACE_UK_DRM);
    const r = parseDataReleaseManifest(bytes, { label: 'uk.json' });
    const m = r.manifest;
    expect(r.producer).toBe('populace');
    expect(m.source_sha256).toBe(sha256Hex(bytes));
    expect(m.data_package).toEqual({ name: 'populace-data', version: '0.1.0' });
    expect(m.default_datasets).toEqual({ national: 'populace_uk_2023' });
    expect(m.compatible_model_packages).toEqual([{ name: 'policyengine-uk', specifier: '==2.89.2' }]);
    expect(m.build?.build_id).toBe(POPULACE_UK_TAG);
    expect(m.build?.built_with_model_package).toEqual({ name: 'policyengine-uk', version: '2.89.2' });
    expect(Object.keys(m.artifacts).sort()).toEqual(['calibration_diagnostics', 'populace_uk_2023', 'populace_uk_2023_calibration']);
    expect(m.artifacts['populace_uk_2023']?.size_bytes).toBe(1315880118);
    expect(m.artifacts['calibration_diagnostics']?.kind).toBe('diagnostics');
    // build.metadata is not in policyengine.py's model: dropped, and said so.
    expect(r.findings).toContainEqual(expect.objectContaining({ severity: 'info', pointer: '/build/metadata' }));
  });

  it('reads a us-data shaped manifest (created_at, fingerprint, state artifacts)', () => {
    const doc = {
      schema_version: 1,
      data_package: { name: 'policyengine-us-data', version: '1.73.0' },
      compatible_model_packages: [{ name: 'policyengine-us', specifier: '==1.634.4' }],
      default_datasets: { national: 'enhanced_cps_2024' },
      created_at: '2026-04-20T00:00:00Z',
      build: {
        build_id: 'policyengine-us-data-1.73.0',
        built_at: '2026-04-20T00:00:00Z',
        built_with_model_package: { name: 'policyengine-us', version: '1.634.4', git_sha: 'abc1234', data_build_fingerprint: `sha256:${'e'.repeat(64)}` },
      },
      artifacts: {
        enhanced_cps_2024: { kind: 'microdata', path: 'enhanced_cps_2024.h5', repo_id: 'policyengine/policyengine-us-data', revision: '1.73.0', sha256: SHA_C, size_bytes: 9 },
        'states/AL': { kind: 'microdata', path: 'states/AL.h5', repo_id: 'policyengine/policyengine-us-data', revision: '1.73.0', sha256: SHA_C, size_bytes: 9 },
      },
    };
    const r = read(doc);
    expect(r.producer).toBe('us-data');
    expect(r.manifest.build?.built_with_model_package?.data_build_fingerprint).toBe(`sha256:${'e'.repeat(64)}`);
    expect(r.manifest.artifacts['states/AL']?.path).toBe('states/AL.h5');
    expect(r.findings).toEqual([expect.objectContaining({ pointer: '/created_at', severity: 'info' })]);
  });

  it('reads a uk-data shaped manifest built from the retired bundle repo country file (uri, metadata, status dropped)', () => {
    const country = JSON.parse(readFileSync(join(FIXTURES, 'pe-data', 'policyengine-bundles', 'bundles__4.4.5__countries__uk.json'), 'utf8')) as { datasets: unknown };
    const doc = {
      schema_version: 1,
      data_package: { name: 'policyengine-uk-data', version: '1.55.5' },
      compatible_model_packages: [{ name: 'policyengine-uk', specifier: '==2.88.14' }],
      compatible_core_packages: [{ name: 'policyengine-core', specifier: '==3.26.1' }],
      default_datasets: { national: 'enhanced_frs_2023_24', baseline: 'frs_2023_24' },
      artifacts: country.datasets,
      metadata: { artifact_release: { repo_id: 'policyengine/policyengine-uk-data-private', repo_type: 'model', version: '1.55.5', visibility: 'private' } },
    };
    const r = read(doc);
    expect(r.producer).toBe('uk-data');
    expect(Object.keys(r.manifest.artifacts)).toHaveLength(6);
    expect(r.manifest.artifacts['frs_2023_24']?.preservation_mirrors).toEqual([]);
    const ignored = new Set(r.findings.map((f) => f.pointer.split('/').pop()));
    expect(ignored).toEqual(new Set(['metadata', 'status', 'uri']));
  });

  it('recognises the early unversioned populace record and rejects it with a clear message', () => {
    const path = join(FIXTURES, 'pe-data', 'microcosm', 'packages__populace-data__build__us__release_manifest.json');
    const doc = parseJson(readFileSync(path));
    expect(detectDrmVariant(doc)).toBe('populace-unversioned');
    expect(() => readDataReleaseManifest(doc, { label: 'early.json' })).toThrow(/early\.json#: this is an early unversioned populace release record/);
  });

  it('reads the interop §10 test manifest', () => {
    const r = parseDataReleaseManifest(bytesOf(usDrm()), { label: 'drm.json' });
    expect(r.manifest.artifacts['populace_us_2024']).toEqual({
      kind: 'microdata',
      path: 'populace_us_2024.h5',
      repo_id: 'policyengine/populace-us',
      revision: TAG,
      sha256: SHA_C,
      size_bytes: 123,
    });
    expect(r.findings).toEqual([]);
  });
});

describe('bad manifests', () => {
  it('locates every missing required field with a JSON pointer and exit code 3', () => {
    let error: unknown;
    try {
      read({ artifacts: { 'states/CA': { kind: 'microdata', path: 'states/CA.h5', repo_id: 'o/r' } } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ManifestError);
    expect(isPeTraceError(error) && error.exitCode).toBe(3);
    expect(isPeTraceError(error) && error.code).toBe('MANIFEST_INVALID');
    expect(String((error as Error).message)).toMatch(/^drm\.json#\/schema_version: required field is missing/);
    expect((error as ManifestError).problems.map((p) => p.pointer)).toEqual(['/schema_version', '/data_package', '/artifacts/states~1CA/revision']);
  });

  it('reports wrong types with what was found', () => {
    const problems = problemsOf(
      usDrm({
        schema_version: '1',
        default_datasets: { national: 7 },
        artifacts: { x: artifact('x.h5', { size_bytes: 1.5, revision: ['v'] }) },
        preservation_dois: 'not-a-list',
      }),
    );
    expect(problems).toEqual([
      { pointer: '/schema_version', message: 'expected an integer, got a string' },
      { pointer: '/default_datasets/national', message: 'expected a string, got an integer' },
      { pointer: '/artifacts/x/revision', message: 'expected a string, got an array' },
      { pointer: '/artifacts/x/size_bytes', message: 'expected an integer, got a float' },
      { pointer: '/preservation_dois', message: 'expected an array, got a string' },
    ]);
  });

  it('takes null as absent for optional scalars but not for lists and maps', () => {
    expect(read(usDrm({ build: null })).manifest.build).toBeUndefined();
    expect(read(usDrm({ artifacts: { a: artifact('a.h5', { sha256: null }) } })).manifest.artifacts['a']?.sha256).toBeUndefined();
    expect(problemsOf(usDrm({ artifacts: null }))).toEqual([{ pointer: '/artifacts', message: 'expected a value, got null' }]);
  });

  it('does not accept an artifact located only by uri', () => {
    const problems = problemsOf(usDrm({ artifacts: { a: { kind: 'microdata', uri: 'hf://model/o/r@v/a.h5', repo_id: 'o/r', revision: 'v' } } }));
    expect(problems).toEqual([{ pointer: '/artifacts/a/path', message: "required field is missing (an artifact located only by 'uri' is not accepted)" }]);
  });

  it('warns about a schema_version other than 1 and rejects a non-object document', () => {
    expect(read(usDrm({ schema_version: 2 })).findings).toContainEqual(expect.objectContaining({ severity: 'warning', pointer: '/schema_version' }));
    expect(() => read([1, 2])).toThrow(/drm\.json#: expected a JSON object, got an array/);
  });

  it('keeps a key named __proto__ as an ordinary artifact name', () => {
    const r = readDataReleaseManifest(parseJson(`{"schema_version":1,"data_package":{"name":"d","version":"1"},"artifacts":{"__proto__":{"kind":"k","path":"p","repo_id":"o/r","revision":"v"}}}`));
    expect(Object.keys(r.manifest.artifacts)).toEqual(['__proto__']);
  });
});
