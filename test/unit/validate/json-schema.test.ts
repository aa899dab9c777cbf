// Structural validation: the real corpus passes, each structural defect is rejected at the right pointer with a clear message.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KNOWN_EMITTED_IN, validateJsonSchema } from '../../../src/validate/json-schema.js';
import type { SchemaReport } from '../../../src/validate/report.js';
import { parseJson } from '../../../src/json/parse.js';
import type { JsonValue } from '../../../src/json/value.js';
import { REPO, edit, filesUnder, get, load } from './helpers.js';

const US = 'fixtures/policyengine-py/shipped/us.trace.tro.jsonld';
const TRO = ['@graph', 0] as const;
const LOCATIONS = [...TRO, 'trov:hasArrangement', 0, 'trov:hasArtifactLocation'] as const;
const ARTIFACTS = [...TRO, 'trov:hasComposition', 'trov:hasArtifact'] as const;
const PERFORMANCE = [...TRO, 'trov:hasPerformance'] as const;
const HEX64 = 'ab'.repeat(32);

function pe(doc: JsonValue): SchemaReport {
  return validateJsonSchema(doc, { dialect: 'pe-0.1', label: 'doc.jsonld' });
}

/** The shipped US bundle TRO with one value replaced (or removed with `undefined`). */
function usWith(path: readonly (string | number)[], value: JsonValue | undefined): JsonValue {
  return edit(load(US), path, value);
}

function summary(r: SchemaReport): string[] {
  return r.errors.map((e) => `${e.pointer} ${e.keyword}`);
}

describe('pe-0.1 schema: the real corpus is valid', () => {
  const history = filesUnder('fixtures/policyengine-py/history', '.trace.tro.jsonld');

  it('finds all 219 historical TROs', () => {
    expect(history).toHaveLength(219);
  });

  it('accepts every historical TRO (release_manifests locations, github-actions, repository-bundle)', () => {
    const failures = history.map((f) => ({ f, r: pe(load(f)) })).filter(({ r }) => !r.valid || r.warnings.length > 0);
    expect(failures.map(({ f, r }) => `${f}: ${JSON.stringify([...r.errors, ...r.warnings])}`)).toEqual([]);
  });

  it.each([
    'fixtures/policyengine-py/shipped/us.trace.tro.jsonld',
    'fixtures/policyengine-py/shipped/uk.trace.tro.jsonld',
    ...filesUnder('fixtures/policyengine-py/history-selected', '.trace.tro.jsonld'),
    ...filesUnder('fixtures/policyengine-py/generated', '.jsonld'),
  ])('accepts %s', (file) => {
    const r = pe(load(file));
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r).toMatchObject({ valid: true, dialect: 'pe-0.1', schema: 'urn:pe-trace:schema:pe-0.1.tro' });
  });

  it('accepts repository-bundle, which policyengine.py\'s own schema enum rejects', () => {
    expect(get(load(US), [...PERFORMANCE, 'pe:emittedIn'])).toBe('repository-bundle');
    expect(pe(load(US)).valid).toBe(true);
  });

  it('keeps the known pe:emittedIn list equal to the schema\'s examples', () => {
    const schema = JSON.parse(readFileSync(join(REPO, 'shapes/pe-0.1.tro.schema.json'), 'utf8')) as { $defs: { emittedIn: { examples: string[] } } };
    expect(schema.$defs.emittedIn.examples).toEqual([...KNOWN_EMITTED_IN]);
  });
});

describe('pe-0.1 schema: locations', () => {
  const dataset = [...LOCATIONS, 2, 'trov:hasLocation'];
  const pointer = '/@graph/0/trov:hasArrangement/0/trov:hasArtifactLocation/2/trov:hasLocation';

  it.each(['file:///tmp/leak.h5', 'http://huggingface.co/x.h5', 'hf://policyengine/populace-us/x.h5@1.0', 'gs://bucket/x.h5'])(
    'rejects the non-https location %s',
    (location) => {
      const r = pe(usWith(dataset, location));
      expect(r.valid).toBe(false);
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0]).toMatchObject({ pointer, keyword: 'pattern' });
      expect(r.errors[0]?.message).toMatch(/^trov:hasLocation must be an https:\/\/ URL or a known relative location \(.*\), got /);
      expect(r.errors[0]?.message).toContain(JSON.stringify(location));
    },
  );

  it.each([
    'https://huggingface.co/datasets/x/resolve/abc/y.h5',
    'data/bundle/manifest.json',
    'data/bundle/us.trace.tro.jsonld',
    'data/release_manifests/uk.json',
    'bundle.trace.tro.jsonld',
    `bundle.trace.tro.jsonld#${HEX64}`,
    'results.json',
    'runtime_env.json',
  ])('accepts the location %s', (location) => {
    expect(pe(usWith(dataset, location)).errors).toEqual([]);
  });

  it.each([
    ['bundle.trace.tro.jsonldXYZ', 'accepted by the reference schema (its bundle branch has no $)'],
    ['bundle.trace.tro.jsonld#abc', 'accepted by the reference schema (same unanchored branch)'],
    [`bundle.trace.tro.jsonld#${HEX64.toUpperCase()}`, 'fragment must be lowercase hex'],
    ['results.json\n', 'accepted by Python, whose $ matches before a final newline'],
    ['https://example.org/a b.h5', 'whitespace in a URL'],
    ['https://', 'no host'],
    ['my-results.json', 'hyphen'],
    ['Results.json', 'capital letter'],
    ['sub/results.json', 'sub-folder'],
    ['run.trace.tro.jsonld', 'not a known relative location'],
    ['data/release_manifests/united-states.json', 'country code is 2-3 letters'],
  ])('rejects the location %j (%s)', (location) => {
    const r = pe(usWith(dataset, location));
    expect(summary(r)).toEqual([`${pointer} pattern`]);
  });
});

describe('pe-0.1 schema: structural defects', () => {
  it('rejects an uppercase artifact hash, naming the artifact pointer and the value', () => {
    const upper = 'DD949BA3C4C7A56AFF8442C6DB5A031D2C84C3DA59F5D14832F468C358604506';
    const r = pe(usWith([...ARTIFACTS, 1, 'trov:sha256'], upper));
    expect(r.errors).toEqual([
      {
        pointer: '/@graph/0/trov:hasComposition/trov:hasArtifact/1/trov:sha256',
        keyword: 'pattern',
        message: `trov:sha256 must be 64 lowercase hex digits, got ${JSON.stringify(upper)}`,
      },
    ]);
  });

  it('rejects a 63-digit fingerprint', () => {
    const r = pe(usWith([...TRO, 'trov:hasComposition', 'trov:hasFingerprint', 'trov:sha256'], 'a'.repeat(63)));
    expect(summary(r)).toEqual(['/@graph/0/trov:hasComposition/trov:hasFingerprint/trov:sha256 pattern']);
  });

  it('truncates a long found value in the message', () => {
    const r = pe(usWith([...ARTIFACTS, 0, 'trov:sha256'], 'z'.repeat(500)));
    expect(r.errors[0]?.message.length).toBeLessThan(160);
    expect(r.errors[0]?.message).toMatch(/…$/);
  });

  it('rejects a missing pe:emittedIn at the performance node', () => {
    const r = pe(usWith([...PERFORMANCE, 'pe:emittedIn'], undefined));
    expect(r.errors).toEqual([
      { pointer: '/@graph/0/trov:hasPerformance', keyword: 'required', message: 'trov:hasPerformance is missing required key "pe:emittedIn"' },
    ]);
  });

  it('rejects a missing trov:wasConductedBy', () => {
    const r = pe(usWith([...PERFORMANCE, 'trov:wasConductedBy'], undefined));
    expect(r.errors).toEqual([
      { pointer: '/@graph/0/trov:hasPerformance', keyword: 'required', message: 'trov:hasPerformance is missing required key "trov:wasConductedBy"' },
    ]);
  });

  it('rejects a wrong @type, saying what was expected', () => {
    const r = pe(usWith([...TRO, 'trov:hasComposition', '@type'], 'trov:Composition'));
    expect(r.errors).toEqual([
      {
        pointer: '/@graph/0/trov:hasComposition/@type',
        keyword: 'const',
        message: '@type must be "trov:ArtifactComposition", got "trov:Composition"',
      },
    ]);
  });

  it('rejects the TROv 0.1 spelling trov:TrustedResearchSystem in a pe-0.1 TRO', () => {
    const r = pe(usWith([...TRO, 'trov:wasAssembledBy', '@type'], 'trov:TrustedResearchSystem'));
    expect(summary(r)).toEqual(['/@graph/0/trov:wasAssembledBy/@type const']);
  });

  it('rejects a TRO without a composition', () => {
    const r = pe(usWith([...TRO, 'trov:hasComposition'], undefined));
    expect(r.errors).toEqual([{ pointer: '/@graph/0', keyword: 'required', message: '@graph[0] is missing required key "trov:hasComposition"' }]);
  });

  it('rejects an empty trov:hasArtifact', () => {
    const r = pe(usWith([...ARTIFACTS], []));
    expect(r.errors).toEqual([
      { pointer: '/@graph/0/trov:hasComposition/trov:hasArtifact', keyword: 'minItems', message: 'trov:hasArtifact must not be empty' },
    ]);
  });

  it('rejects an artifact location that is not a list of objects', () => {
    const r = pe(usWith([...LOCATIONS, 0], 'data/bundle/manifest.json'));
    expect(r.errors).toEqual([
      {
        pointer: '/@graph/0/trov:hasArrangement/0/trov:hasArtifactLocation/0',
        keyword: 'type',
        message: 'trov:hasArtifactLocation[0] must be an object, got a string ("data/bundle/manifest.json")',
      },
    ]);
  });

  it('rejects a wrong trov context IRI, missing prefixes and an empty graph (like the reference CLI test)', () => {
    const r = pe(parseJson('{"@context":[{"trov":"wrong"}],"@graph":[]}'));
    expect(r.valid).toBe(false);
    expect(r.errors).toEqual([
      { pointer: '/@context/0', keyword: 'required', message: '@context[0] is missing required key "schema"' },
      { pointer: '/@context/0', keyword: 'required', message: '@context[0] is missing required key "pe"' },
      { pointer: '/@context/0/trov', keyword: 'const', message: 'trov must be "https://w3id.org/trace/trov/0.1#", got "wrong"' },
      { pointer: '/@graph', keyword: 'minItems', message: '@graph must not be empty' },
    ]);
  });

  it('rejects the retired 2023/05 trov namespace in a pe-0.1 context', () => {
    const r = pe(usWith(['@context', 0, 'trov'], 'https://w3id.org/trace/2023/05/trov#'));
    expect(summary(r)).toEqual(['/@context/0/trov const']);
  });

  it('rejects a document that is not an object', () => {
    expect(pe(parseJson('[1, 2]')).errors).toEqual([{ pointer: '', keyword: 'type', message: 'the document must be an object, got an array' }]);
  });

  it('accepts a null schema:softwareVersion and rejects a number', () => {
    const version = [...TRO, 'trov:createdWith', 'schema:softwareVersion'];
    expect(pe(usWith(version, null)).valid).toBe(true);
    expect(pe(usWith(version, parseJson('5'))).errors).toEqual([
      {
        pointer: '/@graph/0/trov:createdWith/schema:softwareVersion',
        keyword: 'type',
        message: 'schema:softwareVersion must be a string or null, got a number (5)',
      },
    ]);
  });

  it('does not assert format: uri on schema:url (as policyengine.py does not)', () => {
    expect(pe(usWith([...TRO, 'schema:creator', 'schema:url'], 'not a url')).valid).toBe(true);
  });

  it('rejects an empty pe:emittedIn', () => {
    expect(summary(pe(usWith([...PERFORMANCE, 'pe:emittedIn'], '')))).toEqual(['/@graph/0/trov:hasPerformance/pe:emittedIn minLength']);
  });

  it('reports every defect at once (allErrors)', () => {
    const doc = usWith([...ARTIFACTS, 0, 'trov:sha256'], 'x');
    edit(doc, [...LOCATIONS, 3, 'trov:hasLocation'], 'http://pypi.org/x.whl');
    edit(doc, [...PERFORMANCE, 'pe:emittedIn'], undefined);
    expect(summary(pe(doc))).toEqual([
      '/@graph/0/trov:hasComposition/trov:hasArtifact/0/trov:sha256 pattern',
      '/@graph/0/trov:hasArrangement/0/trov:hasArtifactLocation/3/trov:hasLocation pattern',
      '/@graph/0/trov:hasPerformance required',
    ]);
  });
});

describe('pe-0.1 schema: tolerated with a warning', () => {
  it('accepts an extra @graph node and warns about it', () => {
    const doc = load(US);
    (get(doc, ['@graph']) as JsonValue[]).push(parseJson('{"@id": "note", "@type": "schema:Comment"}'));
    const r = pe(doc);
    expect(r.valid).toBe(true);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([{ pointer: '/@graph/1', message: expect.stringContaining('extra @graph node') }]);
  });

  it('warns about an unknown pe:emittedIn and still accepts it', () => {
    const r = pe(usWith([...PERFORMANCE, 'pe:emittedIn'], 'cloud-run'));
    expect(r.valid).toBe(true);
    expect(r.warnings).toEqual([
      {
        pointer: '/@graph/0/trov:hasPerformance/pe:emittedIn',
        message: 'pe:emittedIn "cloud-run" is not a known emission context (local, github-actions, policyengine-api, repository-bundle); accepted as a free label',
      },
    ]);
  });

  it('rejects a graph with no TRO node, and warns about the node it has', () => {
    const r = pe(usWith([...TRO, '@type'], 'trov:Something'));
    expect(r.errors).toEqual([
      { pointer: '/@graph', keyword: 'contains', message: '@graph must contain a node whose @type is "trov:TransparentResearchObject"' },
    ]);
    expect(r.warnings.map((w) => w.pointer)).toEqual(['/@graph/0']);
  });

  it('does not recognise a TRO node whose @type is a list (policyengine.py compares the string)', () => {
    const r = pe(usWith([...TRO, '@type'], parseJson('["trov:TransparentResearchObject"]')));
    expect(summary(r)).toEqual(['/@graph contains']);
  });

  it('validates a second TRO node too, and warns that readers use the first', () => {
    const doc = load(US);
    const second = load(US);
    edit(second, [...TRO, 'schema:name'], '');
    (get(doc, ['@graph']) as JsonValue[]).push(get(second, TRO));
    const r = pe(doc);
    expect(r.errors).toEqual([{ pointer: '/@graph/1/schema:name', keyword: 'minLength', message: 'schema:name must not be an empty string' }]);
    expect(r.warnings).toEqual([{ pointer: '/@graph/1', message: 'another trov:TransparentResearchObject node: readers use the first one, /@graph/0' }]);
  });
});

describe('pe-0.1 schema: profile boundary', () => {
  it('checks the populace build TRO against the build schema (pop: namespace, urn: payload locations), which it passes', () => {
    const r = pe(load('fixtures/pe-data/microcosm/packages__populace-data__build__us__populace_us_2024.trace.tro.jsonld'));
    expect(r.errors).toEqual([]);
    expect(r.valid).toBe(true);
    expect(r.profile).toBe('build');
    expect(r.schema).toBe('urn:pe-trace:schema:pe-0.1-build.tro');
  });
});

describe('trov-0.1 schema', () => {
  const trov = (doc: JsonValue): SchemaReport => validateJsonSchema(doc, { dialect: 'trov-0.1' });
  const TRO_UTILS = 'fixtures/trace/tro-utils/GENERATED__tro-utils-HEAD-95ec41b-models-example.jsonld';

  it.each([
    TRO_UTILS,
    'fixtures/trace/spec-tro-checks/candidates__02-spec-example-2026-04-08-with-base-and-hashes.jsonld',
    'fixtures/trace/spec-tro-checks/candidates__03-spec-example-2026-04-08-with-node-ids.jsonld',
  ])('accepts %s', (file) => {
    const r = trov(load(file));
    expect(r.errors).toEqual([]);
    expect(r).toMatchObject({ valid: true, dialect: 'trov-0.1', schema: 'urn:pe-trace:schema:trov-0.1.tro', warnings: [] });
  });

  it('rejects the spec example\'s placeholder hashes (as tro-checks does)', () => {
    const r = trov(load('fixtures/trace/spec-tro-checks/candidates__01-spec-example-2026-04-08.jsonld'));
    expect(r.errors.map((e) => e.pointer)).toEqual([
      '/@graph/0/trov:hasComposition/trov:hasFingerprint/trov:hash/trov:hashValue',
      '/@graph/0/trov:hasComposition/trov:hasArtifact/0/trov:hash/trov:hashValue',
      '/@graph/0/trov:hasComposition/trov:hasArtifact/1/trov:hash/trov:hashValue',
      '/@graph/0/trov:hasComposition/trov:hasArtifact/2/trov:hash/trov:hashValue',
    ]);
    expect(r.errors[0]?.message).toBe('trov:hashValue must be 64 lowercase hex digits, got "a1b2c3d4..."');
  });

  it('rejects a declaration without trov:vocabularyVersion (trace-model examples)', () => {
    const r = trov(load('fixtures/trace/trace-model/demo__02-tro-examples__02-three-artifacts-one-trp__tro__tro.jsonld'));
    expect(r.errors).toEqual([{ pointer: '/@graph/0', keyword: 'required', message: '@graph[0] is missing required key "trov:vocabularyVersion"' }]);
  });

  it('checks the hash length for the named algorithm', () => {
    const hash = ['@graph', 0, 'trov:hasComposition', 'trov:hasArtifact', 0, 'trov:hash'];
    const doc = edit(load(TRO_UTILS), [...hash, 'trov:hashAlgorithm'], 'sha512');
    const r = trov(doc);
    expect(r.errors).toEqual([
      {
        pointer: '/@graph/0/trov:hasComposition/trov:hasArtifact/0/trov:hash/trov:hashValue',
        keyword: 'pattern',
        message: expect.stringMatching(/^trov:hashValue must be 128 lowercase hex digits, got "492d5ea4/),
      },
    ]);
    const md5 = trov(edit(load(TRO_UTILS), [...hash, 'trov:hashAlgorithm'], 'md5'));
    expect(md5.errors).toEqual([
      {
        pointer: '/@graph/0/trov:hasComposition/trov:hasArtifact/0/trov:hash/trov:hashAlgorithm',
        keyword: 'enum',
        message: expect.stringMatching(/^trov:hashAlgorithm must be one of "sha256", "sha384", .*"blake3", got "md5"$/),
      },
    ]);
  });

  it('accepts an array of hash objects and rejects an empty one', () => {
    const hash = ['@graph', 0, 'trov:hasComposition', 'trov:hasArtifact', 0, 'trov:hash'];
    const doc = load(TRO_UTILS);
    const one = get(doc, hash);
    expect(trov(edit(doc, hash, [one, parseJson(`{"trov:hashAlgorithm": "blake3", "trov:hashValue": "${HEX64}"}`)])).valid).toBe(true);
    expect(summary(trov(edit(load(TRO_UTILS), hash, [])))).toEqual(['/@graph/0/trov:hasComposition/trov:hasArtifact/0/trov:hash minItems']);
  });

  it('rejects an ArrangementBinding without trov:arrangement and a location without trov:path', () => {
    const doc = load(TRO_UTILS);
    edit(doc, ['@graph', 0, 'trov:hasPerformance', 0, 'trov:accessedArrangement', 'trov:arrangement'], undefined);
    edit(doc, ['@graph', 0, 'trov:hasArrangement', 1, 'trov:hasArtifactLocation', 2, 'trov:path'], undefined);
    expect(summary(trov(doc))).toEqual([
      '/@graph/0/trov:hasArrangement/1/trov:hasArtifactLocation/2 required',
      '/@graph/0/trov:hasPerformance/0/trov:accessedArrangement required',
    ]);
  });

  it('requires the TROV class in a type array, saying which', () => {
    const r = trov(edit(load(TRO_UTILS), ['@graph', 0, 'trov:wasAssembledBy', '@type'], parseJson('["schema:Organization"]')));
    expect(r.errors).toEqual([
      { pointer: '/@graph/0/trov:wasAssembledBy/@type', keyword: 'contains', message: '@type must contain "trov:TrustedResearchSystem"' },
    ]);
  });

  it('requires the trov prefix with the 0.1 IRI in an object context', () => {
    const r = trov(edit(load(TRO_UTILS), ['@context', 'trov'], undefined));
    expect(r.errors).toEqual([{ pointer: '/@context', keyword: 'required', message: '@context is missing required key "trov"' }]);
  });

  it('reads a policyengine-us-data style TRO (pe-0.1-hash) with the TROv 0.1 tree', () => {
    const doc = load(TRO_UTILS);
    edit(doc, ['@context', 'pe'], 'https://policyengine.org/trace/0.1#');
    edit(doc, ['@graph', 0, 'schema:creator'], 'policyengine-us-data');
    edit(doc, ['@graph', 0, 'trov:hasPerformance', 0, 'trov:accessedArrangement'], undefined);
    edit(doc, ['@graph', 0, 'trov:hasPerformance', 0, 'trov:contributedToArrangement'], parseJson('{"@id": "arrangement/1"}'));
    edit(doc, ['@graph', 0, 'trov:hasPerformance', 0, 'pe:emittedIn'], 'github-actions');
    const r = validateJsonSchema(doc, { dialect: 'pe-0.1-hash' });
    expect(r).toEqual({ valid: true, dialect: 'pe-0.1-hash', schema: 'urn:pe-trace:schema:trov-0.1.tro', errors: [], warnings: [] });
  });

  it('warns about extra @graph nodes', () => {
    const doc = load(TRO_UTILS);
    (get(doc, ['@graph']) as JsonValue[]).unshift(parseJson('{"@id": "trs2", "@type": "trov:TrustedResearchSystem"}'));
    const r = trov(doc);
    expect(r.valid).toBe(true);
    expect(r.warnings).toEqual([{ pointer: '/@graph/0', message: expect.stringContaining('tro-utils reads only @graph[0]') }]);
  });
});

describe('dialects without a schema, and detection', () => {
  it('reports the retired 2023/05 dialect as not validatable, saying what to use', () => {
    const r = validateJsonSchema(load('fixtures/trace/trov-demos/demo__02-tro-examples__01-two-artifacts-no-trp__tro__tro.jsonld'), { dialect: 'trov-2023-05' });
    expect(r).toMatchObject({ valid: false, dialect: 'trov-2023-05', schema: null, warnings: [] });
    expect(r.errors).toEqual([{ pointer: '', keyword: 'dialect', message: expect.stringContaining('use shacl-validate, or convert it to trov-0.1 first') }]);
  });

  it('detects the dialect when none is given', () => {
    expect(validateJsonSchema(load(US)).dialect).toBe('pe-0.1');
    expect(validateJsonSchema(load('fixtures/trace/tro-utils/GENERATED__tro-utils-HEAD-95ec41b-models-example.jsonld')).dialect).toBe('trov-0.1');
  });

  it('keeps big integers and floats from breaking validation (lossless values are converted first)', () => {
    const doc = usWith([...PERFORMANCE, 'pe:runCount'], parseJson('123456789012345678901234567890'));
    edit(doc, [...PERFORMANCE, 'pe:ratio'], parseJson('1.0'));
    expect(pe(doc).valid).toBe(true);
    expect(summary(pe(edit(doc, [...ARTIFACTS, 0, 'trov:sha256'], parseJson('1.5'))))).toEqual(['/@graph/0/trov:hasComposition/trov:hasArtifact/0/trov:sha256 type']);
  });
});
