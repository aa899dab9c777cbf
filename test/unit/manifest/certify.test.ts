// Certification end to end against a loopback hub: the Certify tests of test_certify_data_release.py, refusals that write nothing, byte-exact reproduction.
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isPeTraceError } from '../../../src/errors.js';
import { sha256Hex } from '../../../src/hash/digest.js';
import { canonicalJsonBytes } from '../../../src/json/canonical.js';
import { parseJson } from '../../../src/json/parse.js';
import { US_STATE_CODES } from '../../../src/manifest/certify-regional.js';
import { certificationSummary, certifyDataRelease } from '../../../src/manifest/certify.js';
import type { CertifyOptions } from '../../../src/manifest/certify.js';
import { createNodeHttpClient } from '../../../src/manifest/http.js';
import { LoopbackHub, hubPath } from '../../support/loopback-hub.js';
import {
  POPULACE_UK_DRM,
  POPULACE_UK_TAG,
  POPULACE_UK_URI,
  SHA_A,
  SHIPPED_MANIFEST,
  TAG,
  US_MANIFEST_PATH,
  US_MANIFEST_URI,
  US_REPO,
  artifact,
  setAt,
  stateArtifacts,
  usDrm,
} from '../../support/manifest-samples.js';
import type { JsonDoc } from '../../support/manifest-samples.js';

const http = createNodeHttpClient({ allowLoopbackHttp: true });
const WHEEL = 'https://files.example/policyengine_us-1.637.0-py3-none-any.whl';
let hub: LoopbackHub;
let dir: string;
let bundlePath: string;

// A fresh hub per test: routes one test serves must not make another test's artifact reachable.
beforeEach(async () => {
  hub = await LoopbackHub.start();
  dir = mkdtempSync(join(tmpdir(), 'pe-trace-certify-'));
  bundlePath = join(dir, 'manifest.json');
  copyFileSync(SHIPPED_MANIFEST, bundlePath);
});
afterEach(async () => {
  rmSync(dir, { recursive: true, force: true });
  await hub.close();
});

function pypi(name: string, version: string, sha = SHA_A, url = WHEEL): void {
  hub.file(
    `/pypi/${name}/${version}/json`,
    JSON.stringify({ urls: [{ packagetype: 'sdist', digests: { sha256: 'b'.repeat(64) }, url: 'https://files.example/x.tar.gz' }, { packagetype: 'bdist_wheel', digests: { sha256: sha }, url }] }),
  );
}

/** Serves a US populace release: the manifest, its supplemental file and every artifact. */
function serveUs(doc: JsonDoc, options: { tag?: string; skip?: readonly string[] } = {}): void {
  const tag = options.tag ?? TAG;
  hub.file(hubPath('dataset', US_REPO, tag, `releases/${tag}/release_manifest.json`), JSON.stringify(doc));
  hub.file(hubPath('dataset', US_REPO, tag, `releases/${tag}/us_source_coverage.json`));
  const artifacts = (doc['artifacts'] ?? {}) as Record<string, { path: string; revision: string; repo_id: string; kind: string }>;
  for (const a of Object.values(artifacts)) {
    const path = a.kind === 'diagnostics' && !a.path.startsWith('releases/') ? `releases/${tag}/${a.path}` : a.path;
    for (const p of new Set([a.path, path])) if (!(options.skip ?? []).includes(p)) hub.file(hubPath('dataset', a.repo_id, a.revision, p));
  }
}

/** Options for a US populace certification; an `undefined` in `extra` removes a default (e.g. the producer). */
function options(extra: { [K in keyof CertifyOptions]?: CertifyOptions[K] | undefined } = {}): CertifyOptions {
  const merged: Record<string, unknown> = {
    country: 'us',
    dataProducer: 'populace',
    manifestUri: US_MANIFEST_URI,
    modelVersion: '1.637.0',
    bundlePath,
    bundleLabel: 'manifest.json',
    http,
    hubUrl: hub.url,
    pypiUrl: hub.url,
    ...extra,
  };
  for (const k of Object.keys(merged)) if (merged[k] === undefined) delete merged[k];
  return merged as unknown as CertifyOptions;
}

/** The value at a JSON pointer of the bundle file as written. */
function written(pointer = ''): unknown {
  return at(JSON.parse(readFileSync(bundlePath, 'utf8')) as unknown, pointer);
}

function at(doc: unknown, pointer: string): unknown {
  let cur = doc;
  for (const t of pointer.split('/').slice(1)) cur = typeof cur === 'object' && cur !== null ? (cur as Record<string, unknown>)[t] : undefined;
  return cur;
}

/** Runs a certification expected to fail; asserts nothing was written and no temp file was left. */
async function refused(opts: CertifyOptions): Promise<{ code: string; exit: number; message: string }> {
  const before = readFileSync(bundlePath);
  const listing = readdirSync(dir).sort();
  let error: unknown;
  try {
    await certifyDataRelease(opts);
  } catch (e) {
    error = e;
  }
  expect(readFileSync(bundlePath).equals(before)).toBe(true);
  expect(readdirSync(dir).sort()).toEqual(listing);
  if (!isPeTraceError(error)) throw new Error(`expected a PeTraceError, got ${String(error)}`);
  return { code: error.code, exit: error.exitCode, message: error.message };
}

const usRelease = (): JsonDoc =>
  usDrm({
    artifacts: {
      populace_us_2024: artifact('populace_us_2024.h5'),
      populace_us_2024_calibration: artifact('populace_us_2024_calibration.npz', { kind: 'calibration' }),
      calibration_diagnostics: artifact('calibration_diagnostics.json', { kind: 'diagnostics' }),
      us_source_coverage: artifact('us_source_coverage.json', { kind: 'diagnostics' }),
    },
  });

describe('certifyDataRelease (populace)', () => {
  it('certifies the fetched UK populace manifest and updates the bundle manifest', async () => {
    const ukBytes = readFileSync(POPULACE_UK_DRM);
    hub.set(hubPath('dataset', 'policyengine/populace-uk-private', POPULACE_UK_TAG, `releases/${POPULACE_UK_TAG}/release_manifest.json`), { body: ukBytes, token: 'tok' });
    hub.file(hubPath('dataset', 'policyengine/populace-uk-private', POPULACE_UK_TAG, 'populace_uk_2023.h5'));
    pypi('policyengine-uk', '2.89.2');
    // The shipped bundle overlays populace_uk_2023, which this release makes the default: drop that overlay.
    const doc = JSON.parse(readFileSync(bundlePath, 'utf8')) as unknown;
    setAt(doc, '/dataset_overlays/uk/populace_uk_2023', undefined);
    writeFileSync(bundlePath, canonicalJsonBytes(parseJson(JSON.stringify(doc))));
    const result = await certifyDataRelease(options({ country: 'uk', dataProducer: undefined, manifestUri: POPULACE_UK_URI, modelVersion: '2.89.2', token: 'tok' }));
    expect(result).toMatchObject({ country: 'uk', bundleId: 'uk-5.0.3', buildId: POPULACE_UK_TAG, defaultDataset: 'populace_uk_2023', datasetCount: 3, basis: 'built_with_model_package' });
    expect(result.manifestSha256).toBe(sha256Hex(ukBytes));
    expect(written('/data_releases/uk/data_producer')).toBe('populace');
    expect(written('/data_releases/uk/default_dataset')).toBe('populace_uk_2023');
    expect(written('/data_releases/uk/certification/data_build_id')).toBe(POPULACE_UK_TAG);
    expect(written('/data_releases/uk/version')).toBe(POPULACE_UK_TAG);
    expect(written('/data_releases/uk/source_manifest_uri')).toBe(POPULACE_UK_URI);
    expect(written('/data_releases/uk/datasets/calibration_diagnostics/path')).toBe(`releases/${POPULACE_UK_TAG}/calibration_diagnostics.json`);
    expect(written('/data_releases/uk/model_package')).toEqual({ name: 'policyengine-uk', version: '2.89.2', sha256: SHA_A, wheel_url: WHEEL });
    expect(written('/packages/policyengine-uk')).toMatchObject({ version: '2.89.2', install_requirement: 'policyengine-uk==2.89.2' });
    expect(written('/countries/uk')).toEqual({ model_package: 'policyengine-uk' });
    // The US entry and the other overlays are untouched; the file is canonical.
    expect(written('/data_releases/us')).toEqual(at(JSON.parse(readFileSync(SHIPPED_MANIFEST, 'utf8')) as unknown, '/data_releases/us'));
    expect(Object.keys(written('/dataset_overlays/uk') as object)).toEqual(['enhanced_frs_2023_24', 'frs_2023_24']);
    const bytes = readFileSync(bundlePath);
    expect(Buffer.from(canonicalJsonBytes(parseJson(bytes))).equals(bytes)).toBe(true);
    expect(hub.requests.find((r) => r.path.endsWith('release_manifest.json'))?.authorization).toBe('Bearer tok');
    expect(certificationSummary(result)).toEqual([
      `certified uk: populace_uk_2023 (3 datasets, build ${POPULACE_UK_TAG})`,
      `  manifest: ${POPULACE_UK_URI}`,
      `  manifest sha256: ${sha256Hex(ukBytes)}`,
      '  model: policyengine-uk==2.89.2',
      '  data-producer: populace',
      '  wrote: manifest.json',
    ]);
  });

  it('validates the US regional manifest but vendors no state artifact', async () => {
    const primary = usRelease();
    serveUs(primary);
    const regionalTag = 'populace-us-2024-states-20260101';
    const regional = usDrm({ default_datasets: {}, artifacts: stateArtifacts(US_STATE_CODES, () => ({ revision: regionalTag })) });
    const regionalUri = `hf://dataset/${US_REPO}@${regionalTag}/releases/${regionalTag}/release_manifest.json`;
    hub.file(hubPath('dataset', US_REPO, regionalTag, `releases/${regionalTag}/release_manifest.json`), JSON.stringify(regional));
    pypi('policyengine-us', '1.637.0');
    const result = await certifyDataRelease(options({ regionalManifestUri: regionalUri }));
    expect(result.datasetCount).toBe(4);
    expect(written('/data_releases/us/regional_source_manifest_uri')).toBe(regionalUri);
    expect(written('/data_releases/us/regional_release_manifest_uri')).toBe(
      `https://huggingface.co/datasets/${US_REPO}/resolve/${regionalTag}/releases/${regionalTag}/release_manifest.json`,
    );
    expect(written('/data_releases/us/region_datasets')).toEqual({ national: { path_template: 'populace_us_2024.h5' } });
    expect(Object.keys(written('/data_releases/us/datasets') as object)).not.toContain('states/CA');
    // No state file was even asked for: they are not vendored.
    expect(hub.requests.some((r) => r.path.includes('states/CA.h5'))).toBe(false);
  });

  it('refuses the legacy data producer, the US default (exit 4)', async () => {
    const r = await refused(options({ dataProducer: undefined }));
    expect(r).toMatchObject({ code: 'CERTIFICATION_REFUSED', exit: 4 });
    expect(r.message).toContain('Legacy data-producer');
  });

  it('refuses a populace-us release without its supplemental source coverage file', async () => {
    const tag = 'populace-us-2024-nocoverage';
    const doc = usDrm({ build: { build_id: tag, built_with_model_package: { name: 'policyengine-us', version: '1.637.0' } } });
    hub.file(hubPath('dataset', US_REPO, tag, `releases/${tag}/release_manifest.json`), JSON.stringify(doc));
    const r = await refused(options({ manifestUri: `hf://dataset/${US_REPO}@${tag}/releases/${tag}/release_manifest.json` }));
    expect(r.message).toContain('Required supplemental release file is not reachable');
    expect(r.message).toContain('us_source_coverage.json');
  });

  it('refuses when the certified dataset artifact is not reachable', async () => {
    serveUs(usRelease(), { skip: ['populace_us_2024.h5'] });
    const r = await refused(options());
    expect(r.message).toBe(`Certified dataset artifact is not reachable: hf://${US_REPO}/populace_us_2024.h5@${TAG}`);
  });

  it('refuses when a vendored artifact is not reachable, unless artifact checks are skipped', async () => {
    serveUs(usRelease(), { skip: [`releases/${TAG}/calibration_diagnostics.json`] });
    pypi('policyengine-us', '1.637.0');
    const r = await refused(options());
    expect(r.message).toContain("Vendored artifact 'calibration_diagnostics' is not reachable");
    const result = await certifyDataRelease(options({ checkArtifacts: false }));
    expect(result.datasetCount).toBe(4);
  });

  it('certifies on a matching data-build fingerprint and records that basis', async () => {
    serveUs(usRelease());
    pypi('policyengine-us', '1.650.0');
    const result = await certifyDataRelease(options({ modelVersion: '1.650.0', dataBuildFingerprint: 'sha256:build' }));
    expect(result.basis).toBe('matching_data_build_fingerprint');
    expect(written('/data_releases/us/certification')).toMatchObject({ compatibility_basis: 'matching_data_build_fingerprint', certified_for_model_version: '1.650.0', built_with_model_version: '1.637.0' });
  });

  it('uses local manifest bytes without fetching them, and warns when PyPI has no wheel', async () => {
    serveUs(usRelease());
    hub.set(hubPath('dataset', US_REPO, TAG, US_MANIFEST_PATH), { status: 500 });
    const bytes = new TextEncoder().encode(JSON.stringify(usRelease()));
    const result = await certifyDataRelease(options({ manifestBytes: bytes, manifestLabel: 'drm.json', modelVersion: '1.637.0', pypiUrl: `${hub.url}/nowhere` }));
    expect(result.manifestSha256).toBe(sha256Hex(bytes));
    expect(result.warnings).toEqual([expect.stringContaining('no wheel metadata for policyengine-us 1.637.0 from PyPI')]);
    expect(written('/data_releases/us/model_package')).toEqual({ name: 'policyengine-us', version: '1.637.0' });
  });
});

describe('bad inputs write nothing', () => {
  it('a manifest with no national default dataset (exit 4)', async () => {
    serveUs(usDrm({ default_datasets: {} }));
    expect(await refused(options())).toMatchObject({ code: 'CERTIFICATION_REFUSED', exit: 4, message: 'Release manifest declares no national default dataset.' });
  });

  it('an artifact with an empty revision (exit 4) or none at all (exit 3)', async () => {
    serveUs(usDrm({ artifacts: { populace_us_2024: artifact('populace_us_2024.h5', { revision: '' }) } }));
    expect(await refused(options())).toMatchObject({ exit: 4, message: "Artifact 'populace_us_2024' has no revision pin." });
    const noRevision = usDrm({ artifacts: { populace_us_2024: { kind: 'microdata', path: 'populace_us_2024.h5', repo_id: US_REPO } } });
    hub.file(hubPath('dataset', US_REPO, TAG, US_MANIFEST_PATH), JSON.stringify(noRevision));
    const r = await refused(options());
    expect(r).toMatchObject({ code: 'MANIFEST_INVALID', exit: 3 });
    expect(r.message).toBe(`${US_MANIFEST_URI}#/artifacts/populace_us_2024/revision: required field is missing`);
  });

  it('wrong types (exit 3), not JSON (exit 3), a malformed sha256 (exit 4 from the shapes)', async () => {
    serveUs(usDrm({ default_datasets: { national: 5 } }));
    expect(await refused(options())).toMatchObject({ code: 'MANIFEST_INVALID', exit: 3 });
    hub.file(hubPath('dataset', US_REPO, TAG, US_MANIFEST_PATH), '{"schema_version": 1,');
    expect(await refused(options())).toMatchObject({ code: 'JSON_SYNTAX', exit: 3 });
    serveUs(usDrm({ artifacts: { populace_us_2024: artifact('populace_us_2024.h5', { sha256: 'NOT-HEX' }) } }));
    const r = await refused(options());
    expect(r).toMatchObject({ code: 'CERTIFICATION_REFUSED', exit: 4 });
    expect(r.message).toContain('does not fit its schema');
  });

  it('an unknown country (exit 2) and a bad manifest URI (exit 3)', async () => {
    expect(await refused(options({ country: 'fr' }))).toMatchObject({ code: 'USAGE', exit: 2, message: "Unknown country 'fr'." });
    const r = await refused(options({ manifestUri: `https://huggingface.co/datasets/${US_REPO}/resolve/${TAG}/${US_MANIFEST_PATH}` }));
    expect(r).toMatchObject({ code: 'MANIFEST_INVALID', exit: 3 });
    expect(r.message).toContain('hf://dataset');
  });

  it('a manifest that is not published (exit 4, the status and URL named)', async () => {
    const r = await refused(options({ manifestUri: `hf://dataset/${US_REPO}@missing/releases/missing/release_manifest.json` }));
    expect(r.message).toBe(`Could not fetch data release manifest (404) from ${hub.url}/datasets/${US_REPO}/resolve/missing/releases/missing/release_manifest.json.`);
  });

  it('an overlay that would shadow the newly certified default (exit 3)', async () => {
    hub.file(hubPath('dataset', 'policyengine/populace-uk-private', POPULACE_UK_TAG, `releases/${POPULACE_UK_TAG}/release_manifest.json`), readFileSync(POPULACE_UK_DRM));
    hub.file(hubPath('dataset', 'policyengine/populace-uk-private', POPULACE_UK_TAG, 'populace_uk_2023.h5'));
    pypi('policyengine-uk', '2.89.2');
    const r = await refused(options({ country: 'uk', dataProducer: undefined, manifestUri: POPULACE_UK_URI, modelVersion: '2.89.2' }));
    expect(r).toMatchObject({ code: 'MANIFEST_INVALID', exit: 3 });
    expect(r.message).toBe("manifest.json#/dataset_overlays/uk/populace_uk_2023: dataset overlay 'populace_uk_2023' for uk shadows the certified default dataset");
  });

  it('a model version nothing supports (exit 4)', async () => {
    serveUs(usRelease());
    const r = await refused(options({ modelVersion: '9.0.0' }));
    expect(r.message).toContain('matches neither the build-time model (1.637.0)');
  });
});

describe('reproducing the shipped bundle manifest', () => {
  const US_REV = 'populace-us-2024-buildp-sparse-rmloss100-cae8640-20260728T011454Z';
  const UK_COMMIT = '2966541fca275ab5ccb6cfb659b010b1db37ad49';
  interface ShippedEntry {
    readonly datasets: Record<string, { path: string; revision: string; repo_id: string; sha256: string }>;
    readonly certified_data_artifact: { data_package: JsonDoc };
    readonly default_dataset: string;
    readonly model_package: { sha256: string; wheel_url: string };
    readonly source_manifest_uri: string;
  }
  const shipped = JSON.parse(readFileSync(SHIPPED_MANIFEST, 'utf8')) as { data_releases: Record<'us' | 'uk', ShippedEntry> };

  /** A data release manifest consistent with a shipped country entry (its datasets back as artifacts). */
  function drmFor(cc: 'us' | 'uk', kinds: Record<string, string>, extra: JsonDoc): JsonDoc {
    const entry = shipped.data_releases[cc];
    const artifacts: JsonDoc = {};
    for (const [name, d] of Object.entries(entry.datasets)) {
      const kind = kinds[name] ?? 'microdata';
      const path = kind === 'diagnostics' ? d.path.split('/').pop() ?? d.path : d.path;
      artifacts[name] = { kind, path, repo_id: d.repo_id, revision: d.revision, sha256: d.sha256 };
    }
    return { schema_version: 1, data_package: entry.certified_data_artifact.data_package, default_datasets: { national: entry.default_dataset }, artifacts, ...extra };
  }

  it('certifying the UK and then the US release gives the shipped file byte for byte', async () => {
    const ukDoc = drmFor('uk', { local_authority_weights: 'weights', local_geography_weights: 'weights', parliamentary_constituency_weights: 'weights' }, {
      compatible_model_packages: [{ name: 'policyengine-uk', specifier: '>=2.89.2,<2.91' }],
      build: {
        build_id: 'policyengine-uk-data-1.56.16',
        built_with_model_package: {
          name: 'policyengine-uk',
          version: '2.89.2',
          git_sha: '12a1e028afeef08d8b2d74ee03fd9de3a78b2dd3',
          data_build_fingerprint: 'sha256:6bfff835b504094c05342d2b4d770d2d94c8c1adcb15c4468931f53b21a89ea9',
        },
      },
    });
    const ukRepo = 'policyengine/policyengine-uk-data-private';
    hub.file(hubPath('model', ukRepo, UK_COMMIT, 'releases/1.56.16/release_manifest.json'), JSON.stringify(ukDoc));
    hub.file(hubPath('model', ukRepo, '1.56.16', 'enhanced_frs_2024_25.h5'));
    const ukPin = shipped.data_releases.uk.model_package;
    pypi('policyengine-uk', '2.90.2', ukPin.sha256, ukPin.wheel_url);
    const uk = await certifyDataRelease(
      options({ country: 'uk', dataProducer: undefined, manifestUri: `hf://model/${ukRepo}@${UK_COMMIT}/releases/1.56.16/release_manifest.json`, modelVersion: '2.90.2' }),
    );
    expect(uk.basis).toBe('legacy_compatible_model_package');
    expect(uk.warnings).toEqual([
      "certifying policyengine-uk 2.90.2 on the publisher's compatibility claim ['>=2.89.2,<2.91']; the data was built with 2.89.2 — the test suite is the arbiter",
    ]);

    const diagnostics = { calibration_diagnostics: 'diagnostics', demographics: 'diagnostics', us_source_coverage: 'diagnostics', us_ssi_take_up: 'diagnostics' };
    const usDoc = drmFor('us', { ...diagnostics, populace_us_2024_calibration: 'calibration' }, {
      compatible_model_packages: [{ name: 'policyengine-us', specifier: '==1.764.6' }],
      build: { build_id: US_REV, built_at: '2026-07-28T03:56:03.415544+00:00', built_with_model_package: { name: 'policyengine-us', version: '1.764.6' } },
      metadata: { region_datasets: { national: { path_template: 'populace_us_2024.h5' }, state: { path_template: 'states/{state_code}.h5' } } },
    });
    serveUs(usDoc, { tag: US_REV });
    const usPin = shipped.data_releases.us.model_package;
    pypi('policyengine-us', '1.764.6', usPin.sha256, usPin.wheel_url);
    const us = await certifyDataRelease(options({ manifestUri: shipped.data_releases.us.source_manifest_uri, modelVersion: '1.764.6' }));
    expect(us.datasetCount).toBe(6);
    expect(us.warnings).toEqual([]);

    const bytes = readFileSync(bundlePath);
    expect(bytes.equals(readFileSync(SHIPPED_MANIFEST))).toBe(true);
    expect(sha256Hex(bytes)).toBe('6f113d9388d2b3dcc6a073a28ba3d0ae50b0cd32a317a574a38d6a673f96bfa6');
  });
});
