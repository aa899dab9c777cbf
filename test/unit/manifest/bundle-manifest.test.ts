// The bundle manifest and its country entries: the shipped file's pins, overlays, their clashes, history, the bundle_manifest hash.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPeTraceError } from '../../../src/errors.js';
import { sha256Hex } from '../../../src/hash/digest.js';
import { parseJson } from '../../../src/json/parse.js';
import { isJsonObject, newJsonObject } from '../../../src/json/value.js';
import type { JsonObject } from '../../../src/json/value.js';
import {
  bundleManifestSha256,
  countryRelease,
  mergeDatasetOverlays,
  parseBundleManifest,
  readCountryRelease,
  readCountryReleaseDocument,
} from '../../../src/manifest/bundle-manifest.js';
import { ManifestError } from '../../../src/manifest/fields.js';
import { FIXTURES } from '../../support/cli.js';
import { SHIPPED_MANIFEST, setAt, shippedManifestBytes } from '../../support/manifest-samples.js';

const US_REV = 'populace-us-2024-buildp-sparse-rmloss100-cae8640-20260728T011454Z';
const UK_COMMIT = '2966541fca275ab5ccb6cfb659b010b1db37ad49';

function shipped(): ReturnType<typeof parseBundleManifest> {
  return parseBundleManifest(shippedManifestBytes(), { label: 'manifest.json' });
}

/** The shipped manifest with `edit` applied to its parsed JSON, re-serialised. */
function editedBundle(edits: Readonly<Record<string, unknown>>): ReturnType<typeof parseBundleManifest> {
  const doc = JSON.parse(readFileSync(SHIPPED_MANIFEST, 'utf8')) as unknown;
  for (const [pointer, value] of Object.entries(edits)) setAt(doc, pointer, value);
  return parseBundleManifest(new TextEncoder().encode(JSON.stringify(doc)), { label: 'manifest.json' });
}

function errorOf(fn: () => unknown): ManifestError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ManifestError) return e;
    throw e;
  }
  throw new Error('expected a ManifestError');
}

describe('the shipped bundle manifest', () => {
  it('pins the US model and data packages', () => {
    const us = countryRelease(shipped(), 'us');
    expect(us.schema_version).toBe(1);
    expect(us.bundle_id).toBe('us-5.0.3');
    expect(us.model_package.name).toBe('policyengine-us');
    expect(us.model_package.version).toBe('1.764.6');
    expect(us.data_package).toEqual({
      name: 'populace-data',
      version: '0.1.0',
      repo_id: 'policyengine/populace-us',
      repo_type: 'dataset',
      release_manifest_path: `releases/${US_REV}/release_manifest.json`,
      release_manifest_revision: US_REV,
    });
    expect(us.certified_data_artifact?.uri).toBe(`hf://policyengine/populace-us/populace_us_2024.h5@${US_REV}`);
    expect(us.certification?.compatibility_basis).toBe('built_with_model_package');
    expect(us.certification?.certified_for_model_version).toBe('1.764.6');
  });

  it('pins the UK model and data packages (legacy compatible basis)', () => {
    const { release: uk, extras } = readCountryRelease(shipped(), 'uk');
    expect(uk.model_package.version).toBe('2.90.2');
    expect(uk.data_package.version).toBe('1.56.16');
    expect(uk.data_package.release_manifest_revision).toBe(UK_COMMIT);
    expect(uk.certification?.compatibility_basis).toBe('legacy_compatible_model_package');
    expect(uk.certification?.built_with_model_version).toBe('2.89.2');
    expect(extras.data_producer).toBe('populace');
    expect(extras.source_manifest_uri).toBe(`hf://model/policyengine/policyengine-uk-data-private@${UK_COMMIT}/releases/1.56.16/release_manifest.json`);
  });

  it('merges the overlays into datasets (3 for the UK, 1 for the US) and records no findings', () => {
    const bundle = shipped();
    const uk = readCountryRelease(bundle, 'uk');
    expect(Object.keys(uk.release.datasets)).toHaveLength(7 + 3);
    expect(uk.release.datasets['populace_uk_2023']?.revision).toBe('populace-uk-2023-dd68c73-4aa4b14-20260619T023711Z');
    expect(uk.findings).toEqual([]);
    expect(Object.keys(countryRelease(bundle, 'us').datasets)).toHaveLength(6 + 1);
    expect(bundle.findings).toEqual([]);
  });

  it('hashes the whole file: the shipped US TRO binds exactly these bytes, emitted in the repository bundle', () => {
    const tro = JSON.parse(readFileSync(join(FIXTURES, 'policyengine-py', 'shipped', 'us.trace.tro.jsonld'), 'utf8')) as {
      '@graph': { 'trov:hasComposition': { 'trov:hasArtifact': { '@id': string; 'trov:sha256': string }[] }; 'trov:hasPerformance': Record<string, unknown> }[];
    };
    const node = tro['@graph'][0];
    const artifact = node?.['trov:hasComposition']['trov:hasArtifact'].find((a) => a['@id'].endsWith('/bundle_manifest'));
    expect(shipped().source_sha256).toBe(artifact?.['trov:sha256']);
    expect(countryRelease(shipped(), 'us').source_sha256).toBe(sha256Hex(shippedManifestBytes()));
    expect(node?.['trov:hasPerformance']['pe:emittedIn']).toBe('repository-bundle');
  });

  it('normalises CRLF line ends before hashing, as Python text reading does', () => {
    const lf = new TextEncoder().encode('{\n  "a": 1\n}\n');
    const crlf = new TextEncoder().encode('{\r\n  "a": 1\r\n}\r\n');
    expect(bundleManifestSha256(crlf)).toBe(sha256Hex(lf));
    expect(bundleManifestSha256(lf)).toBe(sha256Hex(lf));
  });
});

describe('bad bundle manifests', () => {
  it('has no release for an unknown country (exit 3, names the countries it has)', () => {
    const e = errorOf(() => countryRelease(shipped(), 'fr'));
    expect(e.message).toBe("manifest.json#/data_releases: No bundled data release for country 'fr' (it has: uk, us)");
    expect(e.exitCode).toBe(3);
  });

  it('refuses an overlay that shadows the certified default dataset', () => {
    const bundle = editedBundle({ '/dataset_overlays/us/populace_us_2024': { path: 'other.h5', repo_id: 'policyengine/populace-us', revision: 'r' } });
    const e = errorOf(() => countryRelease(bundle, 'us'));
    expect(e.message).toBe("manifest.json#/dataset_overlays/us/populace_us_2024: dataset overlay 'populace_us_2024' for us shadows the certified default dataset");
  });

  it('refuses an overlay that collides with a certified dataset entry', () => {
    const bundle = editedBundle({ '/dataset_overlays/uk/frs_2024_25': { path: 'frs_2024_25.h5' } });
    expect(errorOf(() => countryRelease(bundle, 'uk')).message).toContain("dataset overlay 'frs_2024_25' for uk collides with a certified dataset entry");
  });

  it('locates wrong types and missing fields in a country entry and in an overlay', () => {
    const bundle = editedBundle({
      '/data_releases/us/default_dataset': undefined,
      '/data_releases/us/datasets/demographics/revision': 5,
      '/dataset_overlays/us/populace_us_2024_acs_local/path': null,
    });
    const overlayError = errorOf(() => countryRelease(bundle, 'us'));
    expect(overlayError.problems.map((p) => p.pointer)).toEqual(['/dataset_overlays/us/populace_us_2024_acs_local/path']);
    const noOverlay = editedBundle({
      '/data_releases/us/default_dataset': undefined,
      '/data_releases/us/datasets/demographics/revision': 5,
      '/dataset_overlays': undefined,
    });
    const e = errorOf(() => countryRelease(noOverlay, 'us'));
    expect(e.problems).toEqual([
      { severity: 'error', pointer: '/data_releases/us/datasets/demographics/revision', message: 'expected a string, got an integer' },
      { severity: 'error', pointer: '/data_releases/us/default_dataset', message: 'required field is missing' },
    ]);
  });

  it('rejects a top level that is not a bundle manifest', () => {
    const e = errorOf(() => parseBundleManifest(new TextEncoder().encode('{"schema_version": "2", "packages": []}'), { label: 'b.json' }));
    expect(e.problems.map((p) => p.pointer)).toEqual(['/schema_version', '/packages']);
  });
});

describe('mergeDatasetOverlays', () => {
  it('returns the identical object when there are no overlays', () => {
    const entry = newJsonObject();
    entry['default_dataset'] = 'a';
    expect(mergeDatasetOverlays(entry, undefined, 'us')).toBe(entry);
    expect(mergeDatasetOverlays(entry, newJsonObject(), 'us')).toBe(entry);
  });

  it('keeps a recertified entry and adds the overlay, leaving the input untouched', () => {
    const entry = parseJson('{"default_dataset":"a","datasets":{"a":{"path":"a.h5"}}}') as JsonObject;
    const overlays = parseJson('{"old":{"path":"old.h5","revision":"r1"}}') as JsonObject;
    const merged = mergeDatasetOverlays(entry, overlays, 'us');
    const datasets = merged['datasets'];
    expect(isJsonObject(datasets) && Object.keys(datasets)).toEqual(['a', 'old']);
    expect(Object.keys(entry['datasets'] as JsonObject)).toEqual(['a']);
  });
});

describe('history', () => {
  const history = join(FIXTURES, 'policyengine-py', 'history');
  const commits = readdirSync(history);

  it('reads every historical bundle manifest and every country in it', () => {
    let countries = 0;
    for (const c of commits) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(join(history, c, 'data', 'bundle', 'manifest.json'));
      } catch {
        continue;
      }
      const bundle = parseBundleManifest(bytes, { label: `${c}/manifest.json` });
      for (const cc of bundle.release_countries) {
        const r = readCountryRelease(bundle, cc);
        expect(r.findings.filter((f) => f.severity !== 'info'), `${c} ${cc}`).toEqual([]);
        countries++;
      }
    }
    expect(countries).toBe(198);
  });

  it('reads every schema v1 country file (data/release_manifests/{cc}.json)', () => {
    let files = 0;
    for (const c of commits) {
      for (const cc of ['us', 'uk']) {
        let bytes: Buffer;
        try {
          bytes = readFileSync(join(history, c, 'data', 'release_manifests', `${cc}.json`));
        } catch {
          continue;
        }
        const r = readCountryReleaseDocument(parseJson(bytes), { label: `${c}/${cc}.json`, sourceSha256: sha256Hex(bytes) });
        expect(r.release.country_id).toBe(cc);
        expect(r.findings).toEqual([]);
        files++;
      }
    }
    expect(files).toBe(240);
    expect(isPeTraceError(new ManifestError('x', [{ severity: 'error', pointer: '', message: 'm' }]))).toBe(true);
  });
});
