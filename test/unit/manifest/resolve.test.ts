// Dataset resolution against the shipped bundle manifest (the resolution tests of test_release_manifests.py without Python).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { countryRelease, parseBundleManifest } from '../../../src/manifest/bundle-manifest.js';
import { readDataReleaseManifest } from '../../../src/manifest/data-release-manifest.js';
import { parseJson } from '../../../src/json/parse.js';
import {
  datasetLogicalName,
  defaultDatasetUri,
  formatPathTemplate,
  localManagedDatasetSource,
  resolveDatasetReference,
  resolveManagedDatasetReference,
  resolveRegionDatasetPath,
} from '../../../src/manifest/resolve.js';
import type { CountryRelease } from '../../../src/manifest/types.js';
import { shippedManifestBytes, usDrm } from '../../support/manifest-samples.js';

const US_REV = 'populace-us-2024-buildp-sparse-rmloss100-cae8640-20260728T011454Z';
const bundle = parseBundleManifest(shippedManifestBytes(), { label: 'manifest.json' });
const us = countryRelease(bundle, 'us');
const uk = countryRelease(bundle, 'uk');
const nothingExists = { pathExists: () => false };

const scratch = mkdtempSync(join(tmpdir(), 'pe-trace-resolve-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('resolveDatasetReference', () => {
  it('resolves the US dataset name to its versioned hf URI', () => {
    expect(resolveDatasetReference(us, 'populace_us_2024', nothingExists)).toBe(`hf://policyengine/populace-us/populace_us_2024.h5@${US_REV}`);
  });

  it("uses an entry's own repo and revision when it has them, else the data package's release revision", () => {
    expect(resolveDatasetReference(us, 'populace_us_2024_acs_local', nothingExists)).toBe(
      'hf://policyengine/populace-us/populace_us_2024_acs_local.h5@populace-us-2024-buildo-acs-local-77e2061-20260724T110908Z',
    );
    const bare: CountryRelease = { ...us, datasets: { x: { path: 'x.h5' } } };
    expect(resolveDatasetReference(bare, 'x', nothingExists)).toBe(`hf://policyengine/populace-us/x.h5@${US_REV}`);
    const { release_manifest_revision: _r, ...noRev } = us.data_package;
    expect(resolveDatasetReference({ ...bare, data_package: noRev }, 'x', nothingExists)).toBe('hf://policyengine/populace-us/x.h5@0.1.0');
  });

  it('resolves the UK certified name and the bundled legacy aliases (overlays) to their pins', () => {
    expect(resolveDatasetReference(uk, 'enhanced_frs_2024_25', nothingExists)).toBe('hf://policyengine/policyengine-uk-data-private/enhanced_frs_2024_25.h5@1.56.16');
    expect(resolveDatasetReference(uk, 'frs_2023_24', nothingExists)).toBe(
      'hf://policyengine/policyengine-uk-data-private/frs_2023_24.h5@655dd07e4bb9c777b00dac044949611f1feb824f',
    );
    expect(resolveDatasetReference(uk, 'enhanced_frs_2023_24', nothingExists)).toBe(
      'hf://policyengine/policyengine-uk-data-private/enhanced_frs_2023_24.h5@655dd07e4bb9c777b00dac044949611f1feb824f',
    );
    expect(resolveDatasetReference(uk, 'populace_uk_2023', nothingExists)).toBe(
      'hf://policyengine/populace-uk-private/populace_uk_2023.h5@populace-uk-2023-dd68c73-4aa4b14-20260619T023711Z',
    );
  });

  it('leaves an explicit URL and an existing local path alone, but a manifest name wins over a local file', () => {
    expect(resolveDatasetReference(us, 'https://example.org/data.h5')).toBe('https://example.org/data.h5');
    const local = join(scratch, 'mine.h5');
    writeFileSync(local, 'x');
    expect(resolveDatasetReference(us, local)).toBe(local);
    expect(resolveDatasetReference(us, 'populace_us_2024', { pathExists: () => true })).toContain('hf://');
  });

  it('falls back to the drm artifacts, then lists the known names', () => {
    const drm = readDataReleaseManifest(parseJson(JSON.stringify(usDrm()))).manifest;
    const noDatasets: CountryRelease = { ...us, datasets: {} };
    expect(resolveDatasetReference(noDatasets, 'populace_us_2024', { ...nothingExists, drm })).toBe(
      'hf://policyengine/populace-us/populace_us_2024.h5@populace-us-2024-aaaaaaa-20260101',
    );
    expect(() => resolveDatasetReference(us, 'nope', nothingExists)).toThrow(/unknown dataset 'nope' for us; known datasets: calibration_diagnostics, demographics, populace_us_2024,/);
  });
});

describe('default and managed resolution', () => {
  it('prefers the certified data artifact URI for the default', () => {
    expect(defaultDatasetUri(us)).toBe(`hf://policyengine/populace-us/populace_us_2024.h5@${US_REV}`);
    const odd: CountryRelease = { ...us, certified_data_artifact: { dataset: 'populace_us_2024', uri: 'hf://x/y/z.h5@certified' } };
    expect(defaultDatasetUri(odd)).toBe('hf://x/y/z.h5@certified');
    const other: CountryRelease = { ...us, certified_data_artifact: { dataset: 'other', uri: 'hf://x/y/z.h5@other' } };
    expect(defaultDatasetUri(other, nothingExists)).toBe(`hf://policyengine/populace-us/populace_us_2024.h5@${US_REV}`);
  });

  it('uses the certified default with no dataset, and the overlay leaves the default unchanged', () => {
    expect(resolveManagedDatasetReference(us)).toBe(defaultDatasetUri(us));
    expect(us.default_dataset).toBe('populace_us_2024');
    expect(us.datasets['populace_us_2024_acs_local']?.sha256).toBe('71763290ded993789af0ad818fd833a6aabb9ca7ff7d14f78315340d8617c6f4');
  });

  it('resolves a local-area overlay name to its immutable tag in managed mode too', () => {
    const plain = resolveDatasetReference(us, 'populace_us_2024_acs_local', nothingExists);
    expect(resolveManagedDatasetReference(us, 'populace_us_2024_acs_local', nothingExists)).toBe(plain);
  });

  it('needs an opt-in for an explicit URI or a local file', () => {
    expect(() => resolveManagedDatasetReference(us, 'hf://someone/else/x.h5@1', nothingExists)).toThrow(/bypass the policyengine\.py release bundle/);
    expect(resolveManagedDatasetReference(us, 'hf://someone/else/x.h5@1', { allowUnmanaged: true })).toBe('hf://someone/else/x.h5@1');
    expect(resolveManagedDatasetReference(us, defaultDatasetUri(us))).toBe(defaultDatasetUri(us));
    const local = join(scratch, 'local.h5');
    writeFileSync(local, 'x');
    expect(() => resolveManagedDatasetReference(us, local)).toThrow(/bypass the policyengine\.py release bundle/);
    expect(resolveManagedDatasetReference(us, local, { allowUnmanaged: true })).toBe(local);
  });
});

describe('regions, names and local mirrors', () => {
  it('has only the national region for the US: no state or district templates', () => {
    expect(Object.keys(us.region_datasets)).toEqual(['national']);
    expect(resolveRegionDatasetPath(us, 'state', { state_code: 'CA' })).toBeUndefined();
    expect(Object.keys(us.datasets).filter((n) => n.startsWith('states/') || n.startsWith('districts/'))).toEqual([]);
    expect(resolveRegionDatasetPath(us, 'national')).toBe(`hf://policyengine/populace-us/populace_us_2024.h5@${US_REV}`);
  });

  it('formats templates and pins them to a matching entry or the data package', () => {
    const withState: CountryRelease = { ...us, region_datasets: { ...us.region_datasets, state: { path_template: 'states/{state_code}.h5' } } };
    expect(resolveRegionDatasetPath(withState, 'state', { state_code: 'CA' })).toBe(`hf://policyengine/populace-us/states/CA.h5@${US_REV}`);
    expect(formatPathTemplate('a/{{x}}/{y}.h5', { y: 'Z' })).toBe('a/{x}/Z.h5');
    expect(() => formatPathTemplate('{missing}', {})).toThrow(/needs a value for \{missing\}/);
    const remote: CountryRelease = { ...us, region_datasets: { web: { path_template: 'https://x.org/{id}.h5' } } };
    expect(resolveRegionDatasetPath(remote, 'web', { id: '1' })).toBe('https://x.org/1.h5');
  });

  it('drops the revision for the logical name', () => {
    expect(datasetLogicalName(`hf://policyengine/populace-us/populace_us_2024.h5@${US_REV}`)).toBe('populace_us_2024');
    expect(datasetLogicalName('hf://o/r/dir/enhanced_cps_2024.h5@1.2.3')).toBe('enhanced_cps_2024');
    expect(datasetLogicalName('/data/frs_2023_24.h5')).toBe('frs_2023_24');
  });

  it('maps an hf URI to a local data repo checkout', () => {
    const root = join(scratch, 'root');
    const file = join(root, 'policyengine-us-data', 'policyengine_us_data', 'storage', 'long_term', '2100.h5');
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, 'x');
    expect(
      localManagedDatasetSource('hf://policyengine/policyengine-us-data/long_term/2100.h5@1.73.0', { roots: [root], dataPackageName: 'policyengine-us-data' }),
    ).toBe(file);
    expect(localManagedDatasetSource('hf://policyengine/policyengine-us-data/missing.h5@1', { roots: [root], dataPackageName: 'policyengine-us-data' })).toBeUndefined();
  });
});
