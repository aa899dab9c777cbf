// Every shipped named query on the example corpus, with the rows it must return.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Store } from 'n3';
import { answerQuery, findNamedQuery, formatAnswer, listNamedQueries, loadCorpus, parseUserQuery } from '../../../src/index.js';
import { datasetStore } from '../../support/dataset.js';

const DIR = 'fixtures/corpus';
let store: Store;

beforeAll(async () => {
  const corpus = await loadCorpus(DIR);
  store = (await datasetStore(corpus, { dir: DIR, graphs: 'index' })).store;
}, 120_000);

/** The query's CSV rows (header first), CRLF split. */
async function rows(name: string): Promise<string[]> {
  const q = findNamedQuery(name);
  if (q === undefined) throw new Error(`no named query ${name}`);
  const answer = await answerQuery(store, parseUserQuery(q.text, q.file));
  return formatAnswer(answer, 'csv').split(/\r?\n/).slice(0, -1);
}

const UK_BUILD_TRO = 'emitted/build/populace-uk-2023-dd68c73-4aa4b14-20260619T023711Z.build.trace.tro.jsonld';
const US_BUILD_TRO = 'emitted/build/populace-us-2024-9f1260b-20260611.build.trace.tro.jsonld';

describe('named queries on fixtures/corpus', () => {
  it('are listed with their first-line descriptions, all over the index graphs only', () => {
    const named = listNamedQueries();
    expect(named.map((q) => q.name)).toEqual(['artifacts-by-hash', 'builds', 'bundles', 'dialects', 'gaps', 'restricted-inputs', 'restricted-reaches-run', 'runs-of-bundle']);
    for (const q of named) {
      expect(q.description).not.toBe('');
      expect(q.graphs).toBe('index');
    }
  });

  it('builds: every record of each build id, with the inputs it declares', async () => {
    expect(await rows('builds')).toEqual([
      'buildId,path,kind,inputs',
      `populace-uk-2023-dd68c73-4aa4b14-20260619T023711Z,${UK_BUILD_TRO},tro,3`,
      'populace-uk-2023-dd68c73-4aa4b14-20260619T023711Z,real/populace/uk-june-2023/build_manifest.json,build-manifest,0',
      'populace-uk-2023-dd68c73-4aa4b14-20260619T023711Z,real/populace/uk-june-2023/release_manifest.json,release-manifest,0',
      `populace-us-2024-9f1260b-20260611,${US_BUILD_TRO},tro,1`,
      'populace-us-2024-9f1260b-20260611,real/populace/us/populace_us_2024.trace.tro.jsonld,tro,0',
      'populace-us-2024-9f1260b-20260611,real/populace/us/release_manifest.json,release-manifest,0',
    ]);
  });

  it('dialects: every file, its kind, and the dialect of each TRO', async () => {
    const r = await rows('dialects');
    expect(r).toHaveLength(31);
    expect(r).toEqual(
      expect.arrayContaining([
        'path,kind,dialect',
        `${UK_BUILD_TRO},tro,pe-0.1`,
        'emitted/run-record-uk/input.json,run-payload,',
        'emitted/run-record-uk/reform.json,other,',
        'real/microcosm/source-stages/us_source_stages.json,source-stages,',
        'real/policyengine-bundles/4.4.5/countries/uk.json,country-bundle,',
        'real/policyengine-py/data/bundle/manifest.json,bundle-manifest,',
        'real/policyengine-py/data/bundle/us.trace.tro.jsonld,tro,pe-0.1',
        'real/populace/uk-june-2023/build_manifest.json,build-manifest,',
        'real/populace/uk-june-2023/calibration_diagnostics.json,other,',
        'real/populace/us/release_manifest.json,release-manifest,',
      ]),
    );
    expect(r.filter((x) => x.endsWith(',tro,pe-0.1'))).toHaveLength(12);
  });

  it('gaps: build records without inputs, and the bundles and runs no input-declaring build feeds', async () => {
    expect(await rows('gaps')).toEqual([
      'gap,path,label',
      'build-without-inputs,real/populace/uk-june-2023/build_manifest.json,build manifest populace-uk-2023-dd68c73-4aa4b14-20260619T023711Z',
      'build-without-inputs,real/populace/us/populace_us_2024.trace.tro.jsonld,populace build TRO (populace-us-2024-9f1260b-20260611)',
      'bundle-inputs-unknown,real/policyengine-bundles/4.4.5/countries/uk.json,country bundle 4.4.5 uk',
      'bundle-inputs-unknown,real/policyengine-py/data/bundle/manifest.json,bundle manifest entry us-5.0.3',
      'bundle-inputs-unknown,real/policyengine-py/data/bundle/us.trace.tro.jsonld,policyengine us certified bundle TRO',
      'bundle-inputs-unknown,real/policyengine-py/run-record-with-url/bundle.trace.tro.jsonld,policyengine us certified bundle TRO',
      'bundle-inputs-unknown,real/policyengine-py/run-record/bundle.trace.tro.jsonld,policyengine us certified bundle TRO',
      'run-inputs-unknown,real/policyengine-py/run-record-with-url/run.trace.tro.jsonld,policyengine simulation TRO (run-1)',
      'run-inputs-unknown,real/policyengine-py/run-record/run.trace.tro.jsonld,policyengine simulation TRO (run-1)',
      'run-inputs-unknown,real/policyengine-py/web-run/simulation.trace.tro.jsonld,policyengine simulation TRO (run-123)',
    ]);
  });

  it('restricted-reaches-run: true on the corpus', async () => {
    expect(await rows('restricted-reaches-run')).toEqual(['true']);
  });

  it('runs-of-bundle: each run, the bundle TRO it binds and how (hash and fingerprint)', async () => {
    const r = await rows('runs-of-bundle');
    expect(r).toHaveLength(23);
    expect(r.slice(0, 5)).toEqual([
      'runPath,run,bundlePath,method,value',
      'emitted/run-record-uk/run.trace.tro.jsonld,policyengine simulation TRO (uk-example-1),emitted/run-record-uk/bundle.trace.tro.jsonld,fingerprint-match,d60ee6f14475da3b8ed7ebff5ae03d7029f17d12c273de4faec6f9768ed0c5d4',
      'emitted/run-record-uk/run.trace.tro.jsonld,policyengine simulation TRO (uk-example-1),emitted/run-record-uk/bundle.trace.tro.jsonld,hash-match,9584f3f6766c98a70496eb29c175111763bc548a622cc9493276f8b86fcee2e8',
      'emitted/run-record-uk/run.trace.tro.jsonld,policyengine simulation TRO (uk-example-1),real/policyengine-py/data/bundle/uk.trace.tro.jsonld,fingerprint-match,d60ee6f14475da3b8ed7ebff5ae03d7029f17d12c273de4faec6f9768ed0c5d4',
      'emitted/run-record-uk/run.trace.tro.jsonld,policyengine simulation TRO (uk-example-1),real/policyengine-py/data/bundle/uk.trace.tro.jsonld,hash-match,9584f3f6766c98a70496eb29c175111763bc548a622cc9493276f8b86fcee2e8',
    ]);
    expect(r).toContain(
      'real/policyengine-py/web-run/simulation.trace.tro.jsonld,policyengine simulation TRO (run-123),real/policyengine-py/data/bundle/us.trace.tro.jsonld,hash-match,36bf1a053950d4fb8d89fec8b1ac02e953e60bfb12dcbbe6e5d21c7a99451e22',
    );
  });

  it('artifacts-by-hash: the released populace-uk dataset in all five documents that state it', async () => {
    const r = await rows('artifacts-by-hash');
    expect(r[0]).toBe('sha256,path,role,key');
    expect(r).toHaveLength(87);
    expect(r.filter((x) => x.startsWith('f17306ccb2aad7ff0130be3589b560afb2e2a12a943570911cd0c77f07934833,'))).toEqual([
      `f17306ccb2aad7ff0130be3589b560afb2e2a12a943570911cd0c77f07934833,${UK_BUILD_TRO},output,populace_uk_2023`,
      'f17306ccb2aad7ff0130be3589b560afb2e2a12a943570911cd0c77f07934833,emitted/run-record-uk/input.json,dataset,populace_uk_2023',
      'f17306ccb2aad7ff0130be3589b560afb2e2a12a943570911cd0c77f07934833,real/policyengine-py/data/bundle/manifest.json,dataset,populace_uk_2023',
      'f17306ccb2aad7ff0130be3589b560afb2e2a12a943570911cd0c77f07934833,real/populace/uk-june-2023/build_manifest.json,output,dataset',
      'f17306ccb2aad7ff0130be3589b560afb2e2a12a943570911cd0c77f07934833,real/populace/uk-june-2023/release_manifest.json,listed,populace_uk_2023',
    ]);
    // a file whose bytes another document pins appears as `file`
    expect(r).toContain('134fa8dd6da2f5a3b4f41d2c725ce9ec410c14eddce74cba3ed62d5b6dd1b90d,real/populace/uk-june-2023/calibration_diagnostics.json,file,');
  });

  it('restricted-inputs: each signal with where it is stated', async () => {
    const r = await rows('restricted-inputs');
    expect(r[0]).toBe('sha256,name,signal,value,path,pointer');
    expect(r).toHaveLength(73);
    expect(r.filter((x) => x.startsWith('f17306ccb2aad7ff0130be3589b560afb2e2a12a943570911cd0c77f07934833,'))).toEqual([
      `f17306ccb2aad7ff0130be3589b560afb2e2a12a943570911cd0c77f07934833,populace_uk_2023.h5,private-repo,policyengine/populace-uk-private,${UK_BUILD_TRO},/@graph/0/trov:hasArrangement/0/trov:hasArtifactLocation/1/trov:hasLocation`,
      'f17306ccb2aad7ff0130be3589b560afb2e2a12a943570911cd0c77f07934833,populace_uk_2023.h5,private-repo,policyengine/populace-uk-private,real/policyengine-py/data/bundle/manifest.json,/dataset_overlays/uk/populace_uk_2023/repo_id',
      'f17306ccb2aad7ff0130be3589b560afb2e2a12a943570911cd0c77f07934833,populace_uk_2023.h5,private-repo,policyengine/populace-uk-private,real/populace/uk-june-2023/release_manifest.json,/artifacts/populace_uk_2023/repo_id',
      'f17306ccb2aad7ff0130be3589b560afb2e2a12a943570911cd0c77f07934833,populace_uk_2023.h5,free-text,UK Data Service licence: private dataset repo.,real/populace/uk-june-2023/release_manifest.json,/build/metadata/private',
    ]);
    // the PUF pin without a hash is listed with an empty sha256, first
    expect(r[1]).toBe(',IRS PUF 2015 (uprated): 2,private-repo,policyengine/irs-soi-puf,real/microcosm/source-stages/us_source_stages.json,/stages/0/artifacts/2/locator');
  });

  it('bundles: every bundle with its data build and datasets', async () => {
    const r = await rows('bundles');
    expect(r[0]).toBe('path,label,dataBuildId,dataset,sha256');
    expect(r).toHaveLength(29);
    expect(r).toEqual(
      expect.arrayContaining([
        'real/policyengine-bundles/4.4.5/countries/uk.json,country bundle 4.4.5 uk,policyengine-uk-data-1.55.5,enhanced_frs_2023_24,1e95dafde7997a24dac1abc122f8e2ebbc8c2d7d36bab8361e628a93401559ce',
        'real/policyengine-py/data/bundle/manifest.json,bundle manifest entry uk-5.0.3,policyengine-uk-data-1.56.16,populace_uk_2023,f17306ccb2aad7ff0130be3589b560afb2e2a12a943570911cd0c77f07934833',
        'real/policyengine-py/data/bundle/us.trace.tro.jsonld,policyengine us certified bundle TRO,populace-us-2024-buildp-sparse-rmloss100-cae8640-20260728T011454Z,dataset,48b9d479fb4fd1c3537f9383ce4697d130b6f618658409d74f6233c43b994c7e',
        'real/policyengine-py/data/bundle/uk.trace.tro.jsonld,policyengine uk certified bundle TRO,policyengine-uk-data-1.56.16,dataset,e433e532b17bd8ce76030156285816e33d44e93edabd2204adbef71d19a68712',
      ]),
    );
  });
});
