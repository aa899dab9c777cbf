// Every TRACE and PolicyEngine fixture TRO gets the verdict the specs imply (trace-trov.md §3–§5, pe-data.md §2).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PTC_FINGERPRINT } from '../../../src/shacl/index.js';
import { DEMO_2023, POP_BUILD, PE_BUNDLE, PE_RUN, SPEC_EXAMPLE, TRO_UTILS, clone, fixtureBytes, fixtureJson, get, goodPrerelease, lines, set, validate } from './support.js';

/** The fingerprint result of a report: the declared value (sh:value) and the recomputed one (in the message). */
function fingerprintFinding(report: Awaited<ReturnType<typeof validate>>): { declared: string; computed: string } | undefined {
  const r = report.results.find((x) => x.sourceConstraintComponent === PTC_FINGERPRINT);
  if (r === undefined) return undefined;
  const computed = /is ([0-9a-f]{64})$/.exec(r.messages[0] ?? '')?.[1];
  return { declared: r.value?.value ?? '', computed: computed ?? '' };
}

describe('TRACE fixtures', () => {
  it('the tro-utils serialisation conforms to TROv 0.1 (its fingerprint is real)', async () => {
    const report = await validate(fixtureBytes(TRO_UTILS), 'trov-0.1');
    expect(report.dialect).toBe('trov-0.1');
    expect(lines(report)).toEqual([]);
    expect(report.conforms).toBe(true);
  });

  it('the spec Complete Example: its placeholder hashes break the hash shapes and its fingerprint is recomputed', async () => {
    const report = await validate(fixtureBytes(SPEC_EXAMPLE));
    expect(report.conforms).toBe(false);
    const patterns = report.results.filter((r) => r.display.component === 'sh:PatternConstraintComponent').map((r) => r.value?.value);
    expect(patterns.sort()).toEqual(['a1b2c3d4...', 'aaa1...', 'bbb2...', 'ccc3...']);
    expect(report.results.filter((r) => r.display.component === 'sh:OrConstraintComponent').map((r) => r.display.focus).sort()).toEqual([
      'trov:hash of composition/1/artifact/0',
      'trov:hash of composition/1/artifact/1',
      'trov:hash of composition/1/artifact/2',
      'trov:hash of fingerprint',
    ]);
    expect(fingerprintFinding(report)?.declared).toBe('a1b2c3d4...');
    const fp = report.results.find((r) => r.sourceConstraintComponent === PTC_FINGERPRINT);
    expect(fp?.display).toMatchObject({ focus: 'fingerprint', path: 'trov:hash/trov:hashValue', pointer: '/@graph/0/trov:hasComposition/trov:hasFingerprint' });
  });

  it.each([
    ['spec-tro-checks candidate 02', 'trace/spec-tro-checks/candidates__02-spec-example-2026-04-08-with-base-and-hashes.jsonld'],
    ['spec-tro-checks candidate 03', 'trace/spec-tro-checks/candidates__03-spec-example-2026-04-08-with-node-ids.jsonld'],
  ])('%s: well-formed hashes, but the fake fingerprint sha256("fingerprint") is caught (§3: correct 0dfa6508…)', async (_name, file) => {
    const report = await validate(fixtureBytes(file), 'trov-0.1');
    expect(lines(report)).toEqual(['fingerprint | trov:hash/trov:hashValue | ptc:FingerprintConstraintComponent']);
    expect(fingerprintFinding(report)).toEqual({
      declared: '44863b03e9909b7100e05b02526909a346fd7455183f6619e0fe6198c89981e0',
      computed: '0dfa6508d3840c1972433ca95f84c2dd2eb75282ca6e3d3b25506b2e5bf0e07d',
    });
  });

  it.each([
    ['01-two-artifacts-no-trp', 'a2a88b91598c4264109f61067abed42de9ac7225a7e08bd1a9a0cc2b3aac1e1b'],
    ['02-three-artifacts-one-trp', '37f857afd3e37a9cdcb05c2192507b8ddb689ec8897a61930838743401c2d847'],
  ])('trace-model %s: the placeholder fingerprint 218d9c33… is caught, and the missing vocabularyVersion', async (name, correct) => {
    const tro = `trace/trace-model/demo__02-tro-examples__${name}__tro__tro.jsonld`;
    const report = await validate(fixtureBytes(tro), 'trov-0.1');
    expect(lines(report)).toEqual([
      'fingerprint | trov:hash/trov:hashValue | ptc:FingerprintConstraintComponent',
      'tro | trov:vocabularyVersion | sh:MinCountConstraintComponent',
    ]);
    expect(fingerprintFinding(report)).toEqual({ declared: '218d9c33959c89013ca3f0f9dfa9479e0df8d5e4a53bb319b5bfab87f506dadc', computed: correct });
  });

  it('2023/05 documents are recognised and validated under their own profile', async () => {
    const report = await validate(fixtureBytes(DEMO_2023));
    expect(report.dialect).toBe('trov-2023-05');
    expect(report.shapesGraphs).toEqual(['trov-2023-05']);
    // Only the placeholder fingerprint is wrong: the pre-release spellings (hadPerformanceAttribute, modifiedArrangement) are its own.
    expect(lines(report)).toEqual(['fingerprint | trov:sha256 | ptc:FingerprintConstraintComponent']);
    const fixed = await validate(goodPrerelease());
    expect(fixed.conforms).toBe(true);
  });

  it('the 2023/05 negative demos (dangling artifact, missing and duplicate sha256) are each caught', async () => {
    const dir = 'trace/trace-model/demo__03-trace-explorations__05-validate-tro-declaration__data__';
    const tro2 = await validate(fixtureBytes(`${dir}tro2.jsonld`));
    expect(lines(tro2)).toContain('arrangement/1/location/2 | trov:hasArtifact | ptc:ReferenceDefinedConstraintComponent');
    expect(lines(tro2)).toContain('arrangement/1/location/2 | trov:hasArtifact | ptc:LocationInCompositionConstraintComponent');
    const tro4 = await validate(fixtureBytes(`${dir}tro4.jsonld`));
    expect(lines(tro4)).toContain('fp1 | trov:sha256 | sh:MinCountConstraintComponent');
    const tro5 = await validate(fixtureBytes(`${dir}tro5.jsonld`));
    expect(lines(tro5)).toContain('fp1 | trov:sha256 | sh:MaxCountConstraintComponent');
  });

  it('a TRS description is not a TRO: bad input, not a verdict', async () => {
    await expect(validate(fixtureBytes('trace/trace-model/demo__02-tro-examples__01-two-artifacts-no-trp__trs__trs.jsonld'))).rejects.toMatchObject({
      code: 'TRO_UNKNOWN_DIALECT',
    });
  });
});

describe('PolicyEngine fixtures', () => {
  it.each([
    [PE_BUNDLE, 'bundle'],
    ['policyengine-py/generated/us.limited.bundle.trace.tro.jsonld', 'bundle'],
    [PE_RUN, 'run'],
    ['policyengine-py/generated/web-run.simulation.trace.tro.jsonld', 'run'],
    [POP_BUILD, 'build'],
  ])('%s conforms under auto, which applies the %s profile', async (file, kind) => {
    const report = await validate(fixtureBytes(file));
    expect(report.kind).toBe(kind);
    expect(report.shapesGraphs).toEqual(['pe-0.1', 'pe-extension', `profile-${kind}`]);
    expect(lines(report)).toEqual([]);
  });

  it('a bundle TRO is not a run TRO: the run profile names what is missing', async () => {
    const report = await validate(fixtureBytes(PE_BUNDLE), 'run');
    expect(lines(report)).toEqual([
      'tro | trov:hasComposition/trov:hasArtifact | sh:QualifiedMinCountConstraintComponent',
      'tro | trov:hasComposition/trov:hasArtifact | sh:QualifiedMinCountConstraintComponent',
      'trp/1 | pe:bundleFingerprint | sh:MinCountConstraintComponent',
    ]);
  });
});

describe('the fingerprint rule follows the dialect', () => {
  /** A policyengine-us-data style TRO: TROv 0.1 spellings, the pe: namespace, a newline-joined fingerprint. */
  function usDataStyle(join: string) {
    const doc = clone(fixtureJson(TRO_UTILS));
    set(doc, '/@context/pe', 'https://policyengine.org/trace/0.1#');
    const trp = get(doc, '/@graph/0/trov:hasPerformance/0') as { [key: string]: unknown };
    trp['pe:dataBuildId'] = 'policyengine-us-data-1.2.3';
    trp['pe:emittedIn'] = 'github-actions';
    const values = [0, 1, 2].map((i) => get(doc, `/@graph/0/trov:hasComposition/trov:hasArtifact/${i}/trov:hash/trov:hashValue`) as string).sort();
    set(doc, '/@graph/0/trov:hasComposition/trov:hasFingerprint/trov:hash/trov:hashValue', createHash('sha256').update(values.join(join)).digest('hex'));
    return doc;
  }

  it('a pe-0.1-hash document (us-data) conforms with the newline rule, and its build profile applies', async () => {
    const report = await validate(usDataStyle('\n'));
    expect(report.dialect).toBe('pe-0.1-hash');
    expect(report.shapesGraphs).toEqual(['trov-0.1', 'pe-extension', 'profile-build']);
    expect(lines(report)).toEqual([]);
  });

  it('…and so does one carrying pe: metadata with the TROv rule (no separator), as §9 recommends; a fingerprint of neither rule is caught', async () => {
    expect(lines(await validate(usDataStyle('')))).toEqual([]);
    const report = await validate(usDataStyle(','));
    expect(lines(report)).toEqual(['fingerprint | trov:hash/trov:hashValue | ptc:FingerprintConstraintComponent']);
    expect(report.results[0]?.messages[0]).toMatch(/joined with newlines .*, is [0-9a-f]{64}; or, concatenated without a separator/);
  });

  it('checked as TROv 0.1, the newline rule is a dialect difference and the message says which rule the value follows', async () => {
    const report = await validate(usDataStyle('\n'), 'trov-0.1');
    expect(lines(report)).toEqual(['fingerprint | trov:hash/trov:hashValue | ptc:FingerprintConstraintComponent']);
    expect(report.results[0]?.messages[0]).toContain('the claimed value follows the other rule: hash values joined with newlines');
  });
});
