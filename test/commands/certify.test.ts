// `pe-trace certify` end to end: the compiled CLI against a loopback hub, rewriting a copy of the shipped bundle manifest.
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJsonBytes } from '../../src/json/canonical.js';
import { parseJson } from '../../src/json/parse.js';
import { US_STATE_CODES } from '../../src/manifest/certify-regional.js';
import { sha256Hex } from '../../src/hash/digest.js';
import { envelope } from '../support/cli.js';
import type { CliResult } from '../support/cli.js';
import { LoopbackHub, hubPath, runCliAsync } from '../support/loopback-hub.js';
import { POPULACE_UK_DRM, POPULACE_UK_TAG, POPULACE_UK_URI, SHA_A, SHIPPED_MANIFEST, TAG, US_MANIFEST_PATH, US_MANIFEST_URI, US_REPO, artifact, stateArtifacts, usDrm } from '../support/manifest-samples.js';
import type { JsonDoc } from '../support/manifest-samples.js';

const WHEEL = 'https://files.example/policyengine_us-1.637.0-py3-none-any.whl';
let hub: LoopbackHub;
let dir: string;
let bundle: string;

// One loopback hub for the file, emptied before each test.
beforeAll(async () => {
  hub = await LoopbackHub.start();
});
afterAll(async () => {
  await hub.close();
});
beforeEach(() => {
  hub.reset();
  dir = mkdtempSync(join(tmpdir(), 'pe-trace-certify-cli-'));
  bundle = join(dir, 'manifest.json');
  copyFileSync(SHIPPED_MANIFEST, bundle);
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const release = (): JsonDoc =>
  usDrm({
    compatible_model_packages: [{ name: 'policyengine-us', specifier: '>=1.600,<2' }],
    artifacts: {
      populace_us_2024: artifact('populace_us_2024.h5'),
      calibration_diagnostics: artifact('calibration_diagnostics.json', { kind: 'diagnostics' }),
    },
  });

/** The manifest, its supplemental file, its artifacts (diagnostics at their release path) and PyPI. */
function serve(doc: JsonDoc, version = '1.637.0'): void {
  hub.file(hubPath('dataset', US_REPO, TAG, US_MANIFEST_PATH), JSON.stringify(doc));
  hub.file(hubPath('dataset', US_REPO, TAG, `releases/${TAG}/us_source_coverage.json`));
  hub.file(hubPath('dataset', US_REPO, TAG, 'populace_us_2024.h5'));
  hub.file(hubPath('dataset', US_REPO, TAG, `releases/${TAG}/calibration_diagnostics.json`));
  hub.file(`/pypi/policyengine-us/${version}/json`, JSON.stringify({ urls: [{ packagetype: 'bdist_wheel', digests: { sha256: SHA_A }, url: WHEEL }] }));
}

function certify(...extra: string[]): Promise<CliResult> {
  return runCliAsync(['certify', '--country', 'us', '--data-producer', 'populace', '--bundle', bundle, '--hub-url', hub.url, '--pypi-url', hub.url, ...extra]);
}

/** Asserts the bundle is byte-identical to the shipped file and the folder holds nothing else. */
function untouched(): void {
  expect(readFileSync(bundle).equals(readFileSync(SHIPPED_MANIFEST))).toBe(true);
  expect(readdirSync(dir)).toEqual(['manifest.json']);
}

describe('pe-trace certify', () => {
  it('certifies, prints the summary and rewrites the bundle canonically', async () => {
    serve(release());
    const r = await certify('--manifest-uri', US_MANIFEST_URI, '--model-version', '1.637.0');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const bytes = readFileSync(bundle);
    expect(r.stdout.split('\n')).toEqual([
      `certified us: populace_us_2024 (2 datasets, build ${TAG})`,
      `  manifest: ${US_MANIFEST_URI}`,
      `  manifest sha256: ${sha256Hex(JSON.stringify(release()))}`,
      '  model: policyengine-us==1.637.0',
      '  data-producer: populace',
      `  wrote: ${bundle}`,
      '',
    ]);
    // Canonical: re-canonicalising gives the same bytes.
    expect(Buffer.from(canonicalJsonBytes(parseJson(bytes))).equals(bytes)).toBe(true);
    const doc = JSON.parse(bytes.toString('utf8')) as { data_releases: { us: Record<string, unknown>; uk: unknown }; packages: Record<string, { version: string }> };
    expect(doc.data_releases.us['source_manifest_uri']).toBe(US_MANIFEST_URI);
    expect(doc.data_releases.us['model_package']).toEqual({ name: 'policyengine-us', version: '1.637.0', sha256: SHA_A, wheel_url: WHEEL });
    expect(doc.packages['policyengine-us']?.version).toBe('1.637.0');
    expect(doc.data_releases.uk).toEqual((JSON.parse(readFileSync(SHIPPED_MANIFEST, 'utf8')) as { data_releases: { uk: unknown } }).data_releases.uk);
    expect(readdirSync(dir)).toEqual(['manifest.json']);
  });

  it('prints the --json result, with the publisher-claim warning also on the envelope', async () => {
    serve(release(), '1.700.0');
    const r = await certify('--manifest-uri', US_MANIFEST_URI, '--model-version', '1.700.0', '--json');
    expect(r.status).toBe(0);
    const env = envelope<Record<string, unknown>>(r);
    const warning = "certifying policyengine-us 1.700.0 on the publisher's compatibility claim ['>=1.600,<2']; the data was built with 1.637.0 — the test suite is the arbiter";
    expect(env).toEqual({
      status: 0,
      result: {
        country: 'us',
        bundle_id: 'us-5.0.3',
        build_id: TAG,
        default_dataset: 'populace_us_2024',
        dataset_count: 2,
        manifest_sha256: sha256Hex(JSON.stringify(release())),
        model: 'policyengine-us==1.700.0',
        basis: 'legacy_compatible_model_package',
        warnings: [warning],
        wrote: bundle,
      },
      warnings: [warning],
    });
  });

  it('sends warnings to stderr in human mode', async () => {
    serve(release(), '1.700.0');
    const r = await certify('--manifest-uri', US_MANIFEST_URI, '--model-version', '1.700.0');
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('warning: certifying policyengine-us 1.700.0');
    expect(r.stdout).not.toContain('WARNING');
  });

  it('refuses (exit 4) and writes nothing', async () => {
    serve(release());
    const r = await certify('--manifest-uri', US_MANIFEST_URI, '--model-version', '2.5.0');
    expect(r.status).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: policyengine-us 2\.5\.0 matches neither the build-time model \(1\.637\.0\)/);
    untouched();
    const json = await certify('--manifest-uri', US_MANIFEST_URI, '--model-version', '2.5.0', '--json');
    expect(envelope(json).error?.code).toBe('CERTIFICATION_REFUSED');
    untouched();
  });

  it('refuses the legacy producer that the US defaults to (exit 4)', async () => {
    const r = await runCliAsync(['certify', '--country', 'us', '--bundle', bundle, '--manifest-uri', US_MANIFEST_URI, '--model-version', '1.637.0', '--hub-url', hub.url]);
    expect(r.status).toBe(4);
    expect(r.stderr).toContain('Legacy data-producer certification updates are not implemented');
    untouched();
  });

  it('bad inputs: a bad manifest URI or JSON (exit 3), nothing written', async () => {
    const badUri = await certify('--manifest-uri', 'hf://policyengine/populace-us/release_manifest.json', '--model-version', '1.637.0');
    expect(badUri.status).toBe(3);
    expect(badUri.stderr).toContain('hf://dataset');
    hub.file(hubPath('dataset', US_REPO, TAG, US_MANIFEST_PATH), '{"schema_version": 1, }');
    const badJson = await certify('--manifest-uri', US_MANIFEST_URI, '--model-version', '1.637.0');
    expect(badJson.status).toBe(3);
    expect(badJson.stderr).toMatch(new RegExp(`^error: ${US_MANIFEST_URI.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:1:`));
    untouched();
  });

  it('bad usage (exit 2) and a missing bundle (exit 3), nothing written', async () => {
    expect((await certify('--manifest-uri', US_MANIFEST_URI)).status).toBe(2);
    const country = await runCliAsync(['certify', '--country', 'fr', '--bundle', bundle, '--manifest-uri', US_MANIFEST_URI, '--model-version', '1']);
    expect(country.status).toBe(2);
    expect(country.stderr).toBe("error: Unknown country 'fr'.\n");
    const remoteHttp = await runCliAsync(['certify', '--country', 'us', '--bundle', bundle, '--manifest-uri', US_MANIFEST_URI, '--model-version', '1', '--hub-url', 'http://example.org']);
    expect(remoteHttp.status).toBe(2);
    expect(remoteHttp.stderr).toContain('--hub-url must be an https URL');
    const noSource = await certify('--manifest-uri', join(dir, 'release_manifest.json'), '--model-version', '1.637.0');
    expect(noSource.status).toBe(2);
    expect(noSource.stderr).toContain('--source-uri');
    untouched();
    const noBundle = await runCliAsync(['certify', '--country', 'us', '--data-producer', 'populace', '--bundle', join(dir, 'missing.json'), '--manifest-uri', US_MANIFEST_URI, '--model-version', '1']);
    expect(noBundle.status).toBe(3);
    expect(noBundle.stderr).toBe(`error: ${join(dir, 'missing.json')}: no such file\n`);
  });

  it('bad manifests: no national default (4), an artifact without revision (3), an overlay shadowing the default (3), nothing written', async () => {
    serve(usDrm({ default_datasets: {} }));
    const noDefault = await certify('--manifest-uri', US_MANIFEST_URI, '--model-version', '1.637.0');
    expect([noDefault.status, noDefault.stderr]).toEqual([4, 'error: Release manifest declares no national default dataset.\n']);
    serve(usDrm({ artifacts: { populace_us_2024: { kind: 'microdata', path: 'populace_us_2024.h5', repo_id: US_REPO, sha256: SHA_A } } }));
    const noRevision = await certify('--manifest-uri', US_MANIFEST_URI, '--model-version', '1.637.0');
    expect([noRevision.status, noRevision.stderr]).toEqual([3, `error: ${US_MANIFEST_URI}#/artifacts/populace_us_2024/revision: required field is missing\n`]);
    untouched();
    hub.file(hubPath('dataset', 'policyengine/populace-uk-private', POPULACE_UK_TAG, `releases/${POPULACE_UK_TAG}/release_manifest.json`), readFileSync(POPULACE_UK_DRM));
    hub.file(hubPath('dataset', 'policyengine/populace-uk-private', POPULACE_UK_TAG, 'populace_uk_2023.h5'));
    hub.file('/pypi/policyengine-uk/2.89.2/json', JSON.stringify({ urls: [] }));
    const shadow = await runCliAsync(['certify', '--country', 'uk', '--bundle', bundle, '--hub-url', hub.url, '--pypi-url', hub.url, '--manifest-uri', POPULACE_UK_URI, '--model-version', '2.89.2']);
    expect(shadow.status).toBe(3);
    expect(shadow.stderr).toBe(`error: ${bundle}#/dataset_overlays/uk/populace_uk_2023: dataset overlay 'populace_uk_2023' for uk shadows the certified default dataset\n`);
    untouched();
  });

  it('certifies a local manifest file published at --source-uri fully offline: no HEAD, no PyPI request', async () => {
    const drmFile = join(dir, 'release_manifest.json');
    writeFileSync(drmFile, JSON.stringify(release()));
    const r = await certify('--manifest-uri', drmFile, '--source-uri', US_MANIFEST_URI, '--model-version', '1.764.6', '--skip-artifact-check', '--skip-pypi', '--data-build-fingerprint', 'sha256:build', '--json');
    expect(r.status).toBe(0);
    const env = envelope<{ basis: string; manifest_sha256: string }>(r);
    expect(env.result?.basis).toBe('matching_data_build_fingerprint');
    expect(env.result?.manifest_sha256).toBe(sha256Hex(readFileSync(drmFile)));
    // The bundle's wheel pin for 1.764.6 was kept; nothing was asked of the hub or PyPI.
    const doc = JSON.parse(readFileSync(bundle, 'utf8')) as { data_releases: { us: { model_package: { sha256: string }; source_manifest_uri: string } } };
    expect(doc.data_releases.us.model_package.sha256).toBe('2b2c5c02c26ab212270948db1f30129728b625fc6109fc9ca0c604b714546909');
    expect(doc.data_releases.us.source_manifest_uri).toBe(US_MANIFEST_URI);
    expect(hub.requests).toEqual([]);
  });

  it('without --skip-artifact-check the supplemental file is still required (exit 4 when the hub lacks it)', async () => {
    const drmFile = join(dir, 'release_manifest.json');
    writeFileSync(drmFile, JSON.stringify(release()));
    const r = await certify('--manifest-uri', drmFile, '--source-uri', US_MANIFEST_URI, '--model-version', '1.764.6', '--skip-pypi', '--data-build-fingerprint', 'sha256:build');
    expect(r.status).toBe(4);
    expect(r.stderr).toContain('us_source_coverage.json');
    expect(readFileSync(bundle).equals(readFileSync(SHIPPED_MANIFEST))).toBe(true);
  });

  it('--dry-run prints the change as a unified diff and writes nothing (same bytes, same mtime, no other file)', async () => {
    serve(release());
    const before = statSync(bundle, { bigint: true });
    const r = await certify('--manifest-uri', US_MANIFEST_URI, '--model-version', '1.637.0', '--dry-run');
    expect(r.status).toBe(0);
    untouched();
    expect(statSync(bundle, { bigint: true }).mtimeNs).toBe(before.mtimeNs);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`--- ${bundle} (canonical)`);
    expect(lines[1]).toBe(`+++ ${bundle} (certified)`);
    expect(r.stdout).toMatch(/^\+.*"source_manifest_uri": "hf:\/\/dataset\/policyengine\/populace-us@/m);
    expect(r.stderr).toMatch(/^dry run: nothing written$/m);
    expect(r.stderr).not.toMatch(/wrote:/);
    // The diff turns the canonical manifest into exactly what a real run writes.
    const canonical = join(dir, 'canonical.json');
    writeFileSync(canonical, canonicalJsonBytes(parseJson(readFileSync(bundle))));
    const patched = spawnSync('patch', ['-s', '-o', '-', canonical], { input: r.stdout, encoding: 'utf8' });
    rmSync(canonical);
    const json = await certify('--manifest-uri', US_MANIFEST_URI, '--model-version', '1.637.0', '--dry-run', '--json');
    expect(envelope<{ wrote: null; diff: string[] }>(json).result).toMatchObject({ wrote: null, diff: lines.slice(0, -1) });
    untouched();
    const real = await certify('--manifest-uri', US_MANIFEST_URI, '--model-version', '1.637.0');
    expect(real.status).toBe(0);
    if (spawnSync('patch', ['--version']).status === 0) {
      expect(patched.status).toBe(0);
      expect(patched.stdout).toBe(readFileSync(bundle, 'utf8'));
    }
  });

  it('--out FILE writes the certified manifest there (parents created) and leaves --bundle untouched', async () => {
    serve(release());
    const out = join(dir, 'certified', 'nested', 'manifest.json');
    const r = await certify('--manifest-uri', US_MANIFEST_URI, '--model-version', '1.637.0', '--out', out, '--json');
    expect(r.status).toBe(0);
    expect(envelope<{ wrote: string }>(r).result?.wrote).toBe(out);
    expect(readFileSync(bundle).equals(readFileSync(SHIPPED_MANIFEST))).toBe(true);
    const doc = JSON.parse(readFileSync(out, 'utf8')) as { data_releases: { us: Record<string, unknown> } };
    expect(doc.data_releases.us['source_manifest_uri']).toBe(US_MANIFEST_URI);
    expect(readdirSync(join(dir, 'certified', 'nested'))).toEqual(['manifest.json']);
    expect((await certify('--manifest-uri', US_MANIFEST_URI, '--model-version', '1.637.0', '--out', out, '--dry-run')).status).toBe(2);
  });

  it('reads the token from --token-env, else HUGGING_FACE_TOKEN, else HF_TOKEN', async () => {
    serve(release());
    hub.set(hubPath('dataset', US_REPO, TAG, US_MANIFEST_PATH), { body: JSON.stringify(release()), token: 'sekrit' });
    const denied = await certify('--manifest-uri', US_MANIFEST_URI, '--model-version', '1.637.0');
    expect(denied.status).toBe(4);
    expect(denied.stderr).toContain('Could not fetch data release manifest (401)');
    const named = await runCliAsync(
      ['certify', '--country', 'us', '--data-producer', 'populace', '--bundle', bundle, '--hub-url', hub.url, '--pypi-url', hub.url, '--manifest-uri', US_MANIFEST_URI, '--model-version', '1.637.0', '--token-env', 'MY_TOKEN'],
      { env: { MY_TOKEN: 'sekrit', HUGGING_FACE_TOKEN: '', HF_TOKEN: '' } },
    );
    expect(named.status).toBe(0);
    copyFileSync(SHIPPED_MANIFEST, bundle);
    const fallback = await runCliAsync(
      ['certify', '--country', 'us', '--data-producer', 'populace', '--bundle', bundle, '--hub-url', hub.url, '--pypi-url', hub.url, '--manifest-uri', US_MANIFEST_URI, '--model-version', '1.637.0'],
      { env: { HUGGING_FACE_TOKEN: '', HF_TOKEN: 'sekrit' } },
    );
    expect(fallback.status).toBe(0);
  });

  it('forwards the regional prefix and path template to the certifier', async () => {
    // A non-populace US release keeps its state template, so the forwarded template is visible in the bundle.
    const repo = 'policyengine/policyengine-us-data';
    const primary = usDrm({
      data_package: { name: 'policyengine-us-data', version: '1.73.0' },
      artifacts: { populace_us_2024: artifact('populace_us_2024.h5', { repo_id: repo, revision: '1.73.0' }) },
    });
    const uri = `hf://model/${repo}@1.73.0/release_manifest.json`;
    hub.file(hubPath('model', repo, '1.73.0', 'release_manifest.json'), JSON.stringify(primary));
    hub.file(hubPath('model', repo, '1.73.0', 'populace_us_2024.h5'));
    const areas: JsonDoc = {};
    for (const [name, a] of Object.entries(stateArtifacts(US_STATE_CODES))) {
      const code = name.slice('states/'.length);
      areas[`area/${code}`] = { ...(a as JsonDoc), path: `area/${code}.h5`, repo_id: repo, revision: 'areas-1' };
    }
    hub.file(hubPath('model', repo, 'areas-1', 'release_manifest.json'), JSON.stringify(usDrm({ default_datasets: {}, artifacts: areas })));
    const r = await certify(
      '--manifest-uri', uri,
      '--model-version', '1.637.0',
      '--regional-manifest-uri', `hf://model/${repo}@areas-1/release_manifest.json`,
      '--regional-artifact-prefix', 'area/',
      '--regional-path-template', 'area/{state_code}.h5',
      '--skip-pypi',
    );
    expect(r.stderr).toContain('warning: PyPI was not asked');
    expect(r.status).toBe(0);
    const doc = JSON.parse(readFileSync(bundle, 'utf8')) as { data_releases: { us: { region_datasets: unknown; datasets: Record<string, unknown> } } };
    expect(doc.data_releases.us.region_datasets).toEqual({ national: { path_template: 'populace_us_2024.h5' }, state: { path_template: 'area/{state_code}.h5' } });
    expect(Object.keys(doc.data_releases.us.datasets)).toHaveLength(52);
  });
});
