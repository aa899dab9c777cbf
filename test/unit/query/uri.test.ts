// Hugging Face URI spellings read as one file, and private repository ids.
import { describe, expect, it } from 'vitest';
import { parseHfFile, privateRepoId, privateRepoInUri, uriKey } from '../../../src/index.js';

describe('parseHfFile / uriKey', () => {
  const file = { repoId: 'policyengine/populace-uk-private', revision: 'r1', path: 'dir/data.h5' };
  it.each([
    'https://huggingface.co/datasets/policyengine/populace-uk-private/resolve/r1/dir/data.h5',
    'https://huggingface.co/policyengine/populace-uk-private/resolve/r1/dir/data.h5',
    'hf://dataset/policyengine/populace-uk-private@r1/dir/data.h5',
    'hf://model/policyengine/populace-uk-private@r1/dir/data.h5',
    'hf://policyengine/populace-uk-private@r1/dir/data.h5',
    'hf://policyengine/populace-uk-private/dir/data.h5@r1',
  ])('reads %s', (uri) => {
    expect(parseHfFile(uri)).toEqual(file);
    expect(uriKey(uri)).toBe('hf:policyengine/populace-uk-private@r1/dir/data.h5');
  });

  it('leaves unpinned and non-HF URIs alone', () => {
    expect(parseHfFile('hf://policyengine/repo/data.h5')).toBeUndefined();
    expect(uriKey('https://example.org/x.json')).toBe('https://example.org/x.json');
    expect(parseHfFile('https://huggingface.co/policyengine/repo/blob/main/x')).toBeUndefined();
  });
});

describe('private repositories', () => {
  it('flags *-private repos and the IRS PUF repo, by id and inside URIs', () => {
    expect(privateRepoId('policyengine/policyengine-uk-data-private')).toBe('policyengine/policyengine-uk-data-private');
    expect(privateRepoId('policyengine/irs-soi-puf')).toBe('policyengine/irs-soi-puf');
    expect(privateRepoId('policyengine/populace-us')).toBeUndefined();
    expect(privateRepoInUri('https://huggingface.co/policyengine/policyengine-uk-data-private/resolve/abc/x.json')).toBe('policyengine/policyengine-uk-data-private');
    expect(privateRepoInUri('release://policyengine/irs-soi-puf/1.8.0/puf_2024.h5; qbi_simulation_version=1')).toBe('policyengine/irs-soi-puf');
    expect(privateRepoInUri('https://www.irs.gov/statistics/soi-tax-stats')).toBeUndefined();
  });
});
