// The MIME rules of bundle TROs (interop §2.1 step 7, with the `@revision` quirk limited TROs depend on) and of build TROs.
import { describe, expect, it } from 'vitest';
import { mimeTypeOf } from '../../../src/emit/index.js';
import { mimeTypeFor } from '../../../src/emit/mime.js';

describe('mimeTypeOf', () => {
  it('maps the four known extensions, case-insensitively', () => {
    expect(mimeTypeOf('populace_us_2024.h5')).toBe('application/x-hdf5');
    expect(mimeTypeOf('release_manifest.JSON')).toBe('application/json');
    expect(mimeTypeOf('us.trace.tro.jsonld')).toBe('application/ld+json');
    expect(mimeTypeOf('https://files.pythonhosted.org/p/policyengine_us-1.764.6-py3-none-any.whl')).toBe('application/zip');
  });

  it('recognises .tar.gz before looking at the last extension', () => {
    expect(mimeTypeOf('weights.TAR.GZ')).toBe('application/gzip');
    expect(mimeTypeOf('local_geography_weights.csv.gz')).toBeUndefined();
  });

  it('gives no type for unknown extensions, names without a dot, and hf:// URIs ending in @revision', () => {
    expect(mimeTypeOf('calibration.npz')).toBeUndefined();
    expect(mimeTypeOf('README')).toBeUndefined();
    expect(mimeTypeOf('hf://policyengine/populace-us/populace_us_2024.h5@populace-us-2024-buildp')).toBeUndefined();
    expect(mimeTypeOf('hf://policyengine/policyengine-uk-data-private/enhanced_frs_2024_25.h5@1.56.16')).toBeUndefined();
  });
});

describe('mimeTypeFor: the pop rule of build TROs shares the table', () => {
  it('knows npz, parquet, csv and tab but neither whl nor .tar.gz, which stay pe-only', () => {
    expect(mimeTypeFor('pop', 'calibration.NPZ')).toBe('application/x-numpy-npz');
    expect(mimeTypeFor('pop', 'weights.parquet')).toBe('application/vnd.apache.parquet');
    expect(mimeTypeFor('pop', 'targets.csv')).toBe('text/csv');
    expect(mimeTypeFor('pop', 'frs_2022/adult.tab')).toBe('text/tab-separated-values');
    expect(mimeTypeFor('pop', 'populace_us_2024.h5')).toBe('application/x-hdf5');
    expect(mimeTypeFor('pop', 'policyengine_us-1.0-py3-none-any.whl')).toBeUndefined();
    expect(mimeTypeFor('pop', 'weights.tar.gz')).toBeUndefined();
    expect(mimeTypeFor('pe', 'targets.csv')).toBeUndefined();
  });
});
