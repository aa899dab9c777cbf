// Every Hugging Face URI form of interop §4.4, including the shipped examples and the parse failures.
import { describe, expect, it } from 'vitest';
import { isPeTraceError } from '../../../src/errors.js';
import {
  buildHfUri,
  bundleDownloadUrl,
  hfToHttps,
  httpsReleaseManifestUri,
  manifestUriToHttps,
  parseDatasetUriStrict,
  parseManifestUri,
  pyQuote,
  splitArtifactUri,
  zenodoRepoAndFilename,
} from '../../../src/manifest/hf-uri.js';

const REV = 'populace-us-2024-buildp-sparse-rmloss100-cae8640-20260728T011454Z';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isPeTraceError(e) ? e.code : 'not a PeTraceError';
  }
  return undefined;
}

describe('artifact URIs', () => {
  it('builds and converts the shipped US dataset URI to its datasets/ https location', () => {
    const uri = buildHfUri('policyengine/populace-us', 'populace_us_2024.h5', REV);
    expect(uri).toBe(`hf://policyengine/populace-us/populace_us_2024.h5@${REV}`);
    expect(hfToHttps(uri, 'dataset')).toBe(`https://huggingface.co/datasets/policyengine/populace-us/resolve/${REV}/populace_us_2024.h5`);
    expect(hfToHttps(uri, 'model')).toBe(`https://huggingface.co/policyengine/populace-us/resolve/${REV}/populace_us_2024.h5`);
  });

  it('splits the revision at the last @ and keeps slashes in the path', () => {
    expect(splitArtifactUri('hf://o/r/dir/a@b.h5@v1')).toEqual({ owner: 'o', repo: 'r', path: 'dir/a@b.h5', revision: 'v1', parts: 3 });
    expect(hfToHttps('hf://o/r/dir/x y.h5@v 1', 'model')).toBe('https://huggingface.co/o/r/resolve/v 1/dir/x y.h5');
  });

  it('returns the input unchanged when it is not hf://, has no revision or too few parts', () => {
    expect(hfToHttps('https://example.org/x.h5', 'dataset')).toBe('https://example.org/x.h5');
    expect(hfToHttps('hf://o/r/x.h5', 'dataset')).toBe('hf://o/r/x.h5');
    expect(hfToHttps('hf://o/r@v', 'dataset')).toBe('hf://o/r@v');
    expect(splitArtifactUri('gs://b/p')).toBeUndefined();
  });

  it('gives the Zenodo mirror its (repo, filename) reading', () => {
    expect(zenodoRepoAndFilename(`hf://policyengine/populace-us/releases/x/populace_us_2024.h5@${REV}`)).toEqual({
      repoId: 'policyengine/populace-us',
      filename: 'populace_us_2024.h5',
    });
    expect(zenodoRepoAndFilename('hf://o/r@v')).toBeUndefined();
  });
});

describe('strict dataset URIs', () => {
  it('needs three non-empty parts, takes an optional version, parses gs:// the same way', () => {
    expect(parseDatasetUriStrict('hf://o/r/p/q.h5@1.2')).toEqual({ scheme: 'hf', owner: 'o', repo: 'r', path: 'p/q.h5', version: '1.2' });
    expect(parseDatasetUriStrict('gs://b/r/p.h5', '3')).toEqual({ scheme: 'gs', owner: 'b', repo: 'r', path: 'p.h5', version: '3' });
    expect(codeOf(() => parseDatasetUriStrict('hf://o//p.h5'))).toBe('MANIFEST_INVALID');
    expect(codeOf(() => parseDatasetUriStrict('hf://o/r'))).toBe('MANIFEST_INVALID');
    expect(codeOf(() => parseDatasetUriStrict('s3://o/r/p'))).toBe('MANIFEST_INVALID');
  });

  it('rejects a version argument that conflicts with the URI version', () => {
    expect(() => parseDatasetUriStrict('hf://o/r/p.h5@1', '2')).toThrow(/pins version '1' but version '2'/);
    expect(parseDatasetUriStrict('hf://o/r/p.h5@1', '1').version).toBe('1');
  });
});

describe('bundle installer URLs', () => {
  it('quotes the revision (not the path), needs it, maps gs:// and passes https through', () => {
    expect(bundleDownloadUrl('hf://o/r/dir/a b.h5@rev/1 x', 'dataset')).toBe('https://huggingface.co/datasets/o/r/resolve/rev/1%20x/dir/a b.h5');
    expect(bundleDownloadUrl('gs://bucket/dir/a b.h5', undefined)).toBe('https://storage.googleapis.com/bucket/dir/a%20b.h5');
    expect(bundleDownloadUrl('https://x.org/a', 'model')).toBe('https://x.org/a');
    expect(() => bundleDownloadUrl('hf://o/r/p.h5', 'model')).toThrow(/no @revision/);
  });

  it('quotes like Python urllib.parse.quote', () => {
    expect(pyQuote("a b/c~d_e.f-g!*'()é")).toBe('a%20b/c~d_e.f-g%21%2A%27%28%29%C3%A9');
  });
});

describe('manifest URIs (certification)', () => {
  it('parses a dataset manifest URI into its parts, revision before path', () => {
    const tag = 'populace-us-2024-aaaaaaa-20260101';
    const m = parseManifestUri(`hf://dataset/policyengine/populace-us@${tag}/releases/${tag}/release_manifest.json`);
    expect(m).toEqual({ repoType: 'dataset', repoId: 'policyengine/populace-us', revision: tag, path: `releases/${tag}/release_manifest.json` });
    expect(manifestUriToHttps(m)).toBe(`https://huggingface.co/datasets/policyengine/populace-us/resolve/${tag}/releases/${tag}/release_manifest.json`);
    expect(manifestUriToHttps(m, 'http://127.0.0.1:9')).toBe(`http://127.0.0.1:9/datasets/policyengine/populace-us/resolve/${tag}/releases/${tag}/release_manifest.json`);
  });

  it('refuses a bare https URL, naming the hf://dataset form (MANIFEST_INVALID, exit 3)', () => {
    let error: unknown;
    try {
      parseManifestUri('https://huggingface.co/datasets/policyengine/populace-us/resolve/x/release_manifest.json');
    } catch (e) {
      error = e;
    }
    expect(isPeTraceError(error) && error.code).toBe('MANIFEST_INVALID');
    expect(String(error)).toContain('hf://dataset');
    expect(codeOf(() => parseManifestUri('hf://space/o/r@v/p'))).toBe('MANIFEST_INVALID');
    expect(codeOf(() => parseManifestUri('hf://dataset/o/r@v'))).toBe('MANIFEST_INVALID');
  });

  it('builds the release manifest URL from a data package: release revision, else the version', () => {
    const dp = { repo_id: 'policyengine/policyengine-uk-data-private', repo_type: 'model', version: '1.56.16', release_manifest_path: 'releases/1.56.16/release_manifest.json' };
    expect(httpsReleaseManifestUri(dp)).toBe('https://huggingface.co/policyengine/policyengine-uk-data-private/resolve/1.56.16/releases/1.56.16/release_manifest.json');
    expect(httpsReleaseManifestUri({ ...dp, release_manifest_revision: '2966541f' })).toBe(
      'https://huggingface.co/policyengine/policyengine-uk-data-private/resolve/2966541f/releases/1.56.16/release_manifest.json',
    );
    expect(httpsReleaseManifestUri({ repo_id: 'o/r', version: '1' })).toBe('https://huggingface.co/o/r/resolve/1/release_manifest.json');
  });
});
