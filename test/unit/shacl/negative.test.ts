// Negative fixtures: a good document mutated one way each, and the result it must produce (focus node, path, component).
import { describe, expect, it } from 'vitest';
import { POP_BUILD, PE_BUNDLE, PE_RUN, type Json, clone, del, fixtureJson, get, goodPrerelease, lines, richTrov, set, validate } from './support.js';
import type { ShaclProfile } from '../../../src/shacl/index.js';

type Base = 'trov' | 'pe' | 'run' | 'build' | 'pre';

const BASES: Readonly<Record<Base, () => Json>> = {
  trov: richTrov,
  pe: () => fixtureJson(PE_BUNDLE),
  run: () => fixtureJson(PE_RUN),
  build: () => fixtureJson(POP_BUILD),
  pre: goodPrerelease,
};

const T = '/@graph/0';
const TRS = `${T}/trov:wasAssembledBy`;
const COMP = `${T}/trov:hasComposition`;
const ART0 = `${COMP}/trov:hasArtifact/0`;
const LOC = `${T}/trov:hasArrangement/0/trov:hasArtifactLocation/0`;
const TRP = `${T}/trov:hasPerformance/0`;
const PE_TRP = `${T}/trov:hasPerformance`;
const PE_LOC = `${T}/trov:hasArrangement/0/trov:hasArtifactLocation/0`;

interface Case {
  readonly name: string;
  readonly base: Base;
  readonly profile?: ShaclProfile;
  readonly mutate: (d: Json) => void;
  /** `focus | path | component` (display names) that must be among the results. */
  readonly expect: string;
}

const CASES: readonly Case[] = [
  // TROv 0.1: the TRO
  { name: 'no vocabularyVersion', base: 'trov', mutate: (d) => del(d, `${T}/trov:vocabularyVersion`), expect: 'tro | trov:vocabularyVersion | sh:MinCountConstraintComponent' },
  { name: 'vocabularyVersion 0.2', base: 'trov', mutate: (d) => set(d, `${T}/trov:vocabularyVersion`, '0.2'), expect: 'tro | trov:vocabularyVersion | sh:InConstraintComponent' },
  { name: 'no assembling system', base: 'trov', mutate: (d) => del(d, TRS), expect: 'tro | trov:wasAssembledBy | sh:MinCountConstraintComponent' },
  { name: 'system not typed as a TRS', base: 'trov', mutate: (d) => set(d, `${TRS}/@type`, 'schema:Organization'), expect: 'tro | trov:wasAssembledBy | sh:ClassConstraintComponent' },
  { name: 'createdWith as a string', base: 'trov', mutate: (d) => set(d, `${T}/trov:createdWith`, 'tro-utils'), expect: 'tro | trov:createdWith | sh:NodeKindConstraintComponent' },
  {
    name: 'two compositions',
    base: 'trov',
    mutate: (d) => set(d, `${T}/trov:hasComposition`, [get(d, COMP), { '@id': 'composition/2', '@type': 'trov:ArtifactComposition' }]),
    expect: 'tro | trov:hasComposition | sh:MaxCountConstraintComponent',
  },
  { name: 'no arrangement', base: 'trov', mutate: (d) => del(d, `${T}/trov:hasArrangement`), expect: 'tro | trov:hasArrangement | sh:MinCountConstraintComponent' },
  { name: 'TSA of the wrong type', base: 'trov', mutate: (d) => set(d, `${T}/trov:wasTimestampedBy/@type`, 'schema:Organization'), expect: 'tro | trov:wasTimestampedBy | sh:ClassConstraintComponent' },
  { name: 'TRO attribute of a TRP attribute type', base: 'trov', mutate: (d) => set(d, `${T}/trov:hasAttribute/0/@type`, 'trov:InternetIsolation'), expect: 'tro | trov:hasAttribute | sh:NodeConstraintComponent' },
  { name: 'dateCreated not ISO 8601', base: 'trov', mutate: (d) => set(d, `${T}/schema:dateCreated`, '15/06/2024'), expect: 'tro | schema:dateCreated | sh:PatternConstraintComponent' },
  { name: 'unknown TROv signing mechanism', base: 'trov', mutate: (d) => set(d, `${T}/trov:signingMechanism`, { '@id': 'trov:PaperSigning' }), expect: 'tro | trov:signingMechanism | sh:OrConstraintComponent' },
  { name: 'GPG signing without a public key', base: 'trov', mutate: (d) => del(d, `${TRS}/trov:publicKey`), expect: 'tro |  | sh:OrConstraintComponent' },
  // the system
  { name: 'two public keys', base: 'trov', mutate: (d) => set(d, `${TRS}/trov:publicKey`, ['k1', 'k2']), expect: 'trs | trov:publicKey | sh:MaxCountConstraintComponent' },
  { name: 'capability of an unknown TROv type', base: 'trov', mutate: (d) => set(d, `${TRS}/trov:hasCapability/0/@type`, 'trov:CanFly'), expect: 'trs | trov:hasCapability | sh:NodeConstraintComponent' },
  { name: 'custom term in the TROv namespace', base: 'trov', mutate: (d) => set(d, `${TRS}/trov:customTerm/0/@id`, 'trov:CanPin'), expect: 'trs | trov:customTerm | sh:NotConstraintComponent' },
  {
    name: 'custom term extending a non-extensible class',
    base: 'trov',
    mutate: (d) => set(d, `${TRS}/trov:customTerm/0/rdfs:subClassOf`, { '@id': 'trov:TRPAttribute' }),
    expect: 'trs | trov:customTerm/rdfs:subClassOf | sh:InConstraintComponent',
  },
  { name: 'system without @id', base: 'trov', mutate: (d) => del(d, `${TRS}/@id`), expect: 'trov:wasAssembledBy of tro |  | sh:NodeKindConstraintComponent' },
  // composition, fingerprint, artifacts, hashes
  {
    name: 'fingerprint with two hashes',
    base: 'trov',
    mutate: (d) => set(d, `${COMP}/trov:hasFingerprint/trov:hash`, [get(d, `${COMP}/trov:hasFingerprint/trov:hash`), { 'trov:hashAlgorithm': 'sha512', 'trov:hashValue': 'ab'.repeat(64) }]),
    expect: 'fingerprint | trov:hash | sh:MaxCountConstraintComponent',
  },
  { name: 'artifact without a hash', base: 'trov', mutate: (d) => del(d, `${ART0}/trov:hash`), expect: 'composition/1/artifact/0 | trov:hash | sh:MinCountConstraintComponent' },
  { name: 'artifact with a path', base: 'trov', mutate: (d) => set(d, `${ART0}/trov:path`, 'data/input.csv'), expect: 'composition/1/artifact/0 | trov:path | sh:MaxCountConstraintComponent' },
  { name: 'MIME type with parameters', base: 'trov', mutate: (d) => set(d, `${ART0}/trov:mimeType`, 'text/csv; charset=utf-8'), expect: 'composition/1/artifact/0 | trov:mimeType | sh:PatternConstraintComponent' },
  { name: 'hash algorithm md5', base: 'trov', mutate: (d) => set(d, `${ART0}/trov:hash/trov:hashAlgorithm`, 'md5'), expect: 'trov:hash of composition/1/artifact/0 | trov:hashAlgorithm | sh:InConstraintComponent' },
  {
    name: 'upper-case hash value',
    base: 'trov',
    mutate: (d) => set(d, `${ART0}/trov:hash/trov:hashValue`, (get(d, `${ART0}/trov:hash/trov:hashValue`) as string).toUpperCase()),
    expect: 'trov:hash of composition/1/artifact/0 | trov:hashValue | sh:PatternConstraintComponent',
  },
  { name: 'sha256 with a sha512-long value', base: 'trov', mutate: (d) => set(d, `${ART0}/trov:hash/trov:hashValue`, 'ab'.repeat(64)), expect: 'trov:hash of composition/1/artifact/0 |  | sh:OrConstraintComponent' },
  { name: 'hash without a value', base: 'trov', mutate: (d) => del(d, `${ART0}/trov:hash/trov:hashValue`), expect: 'trov:hash of composition/1/artifact/0 | trov:hashValue | sh:MinCountConstraintComponent' },
  { name: 'hash as a bare string', base: 'trov', mutate: (d) => set(d, `${ART0}/trov:hash`, 'abc'), expect: '"abc" |  | sh:NodeKindConstraintComponent' },
  { name: 'pe-0.1 hash spelling in a TROv document', base: 'trov', mutate: (d) => set(d, `${ART0}/trov:sha256`, 'ab'.repeat(32)), expect: 'composition/1/artifact/0 | trov:sha256 | sh:MaxCountConstraintComponent' },
  // arrangements, locations, bindings
  { name: 'location without a path', base: 'trov', mutate: (d) => del(d, `${LOC}/trov:path`), expect: 'arrangement/0/location/0 | trov:path | sh:MinCountConstraintComponent' },
  { name: 'empty path', base: 'trov', mutate: (d) => set(d, `${LOC}/trov:path`, ''), expect: 'arrangement/0/location/0 | trov:path | sh:MinLengthConstraintComponent' },
  { name: 'artifact given as a string', base: 'trov', mutate: (d) => set(d, `${LOC}/trov:artifact`, 'composition/1/artifact/0'), expect: 'arrangement/0/location/0 | trov:artifact | sh:NodeKindConstraintComponent' },
  { name: 'empty arrangement', base: 'trov', mutate: (d) => set(d, `${T}/trov:hasArrangement/0/trov:hasArtifactLocation`, []), expect: 'arrangement/0 | trov:hasArtifactLocation | sh:MinCountConstraintComponent' },
  { name: 'binding without an arrangement', base: 'trov', mutate: (d) => del(d, `${TRP}/trov:contributedToArrangement/trov:arrangement`), expect: 'trp/0/binding/1 | trov:arrangement | sh:MinCountConstraintComponent' },
  { name: 'mount path as a number', base: 'trov', mutate: (d) => set(d, `${TRP}/trov:accessedArrangement/trov:boundTo`, 3), expect: 'trp/0/binding/0 | trov:boundTo | sh:DatatypeConstraintComponent' },
  // performances and attributes
  { name: 'performance without a system', base: 'trov', mutate: (d) => del(d, `${TRP}/trov:wasConductedBy`), expect: 'trp/0 | trov:wasConductedBy | sh:MinCountConstraintComponent' },
  { name: 'start time in words', base: 'trov', mutate: (d) => set(d, `${TRP}/trov:startedAtTime`, 'yesterday'), expect: 'trp/0 | trov:startedAtTime|trov:endedAtTime | sh:PatternConstraintComponent' },
  { name: 'performance accessing the composition', base: 'trov', mutate: (d) => set(d, `${TRP}/trov:accessedArrangement`, { '@id': 'composition/1' }), expect: 'trp/0 | trov:accessedArrangement | sh:OrConstraintComponent' },
  {
    name: 'performance attribute of a TRO attribute type',
    base: 'trov',
    mutate: (d) => set(d, `${TRP}/trov:hasPerformanceAttribute/1/@type`, 'trov:IncludesAllInputData'),
    expect: 'trp/0 | trov:hasPerformanceAttribute | sh:NodeConstraintComponent',
  },
  { name: 'warrant given as a string', base: 'trov', mutate: (d) => set(d, `${TRP}/trov:hasPerformanceAttribute/0/trov:warrantedBy`, 'trs/capability/0'), expect: 'trp/0/attribute/0 | trov:warrantedBy | sh:NodeKindConstraintComponent' },
  // integrity checks (pe-trace constraint components)
  {
    name: 'fingerprint that does not match',
    base: 'trov',
    mutate: (d) => set(d, `${COMP}/trov:hasFingerprint/trov:hash/trov:hashValue`, 'ab'.repeat(32)),
    expect: 'fingerprint | trov:hash/trov:hashValue | ptc:FingerprintConstraintComponent',
  },
  { name: 'artifact changed after fingerprinting', base: 'pe', mutate: (d) => set(d, `${COMP}/trov:hasArtifact/1/trov:sha256`, 'ab'.repeat(32)), expect: 'composition/1/fingerprint | trov:sha256 | ptc:FingerprintConstraintComponent' },
  { name: 'location of an undefined artifact (reference)', base: 'trov', mutate: (d) => set(d, `${LOC}/trov:artifact/@id`, 'composition/1/artifact/9'), expect: 'arrangement/0/location/0 | trov:artifact | ptc:ReferenceDefinedConstraintComponent' },
  { name: 'location of an undefined artifact (composition)', base: 'trov', mutate: (d) => set(d, `${LOC}/trov:artifact/@id`, 'composition/1/artifact/9'), expect: 'arrangement/0/location/0 | trov:artifact | ptc:LocationInCompositionConstraintComponent' },
  { name: 'location of a node outside the composition', base: 'trov', mutate: (d) => set(d, `${LOC}/trov:artifact/@id`, 'trs'), expect: 'arrangement/0/location/0 | trov:artifact | ptc:LocationInCompositionConstraintComponent' },
  {
    name: 'pe location of an artifact outside the composition',
    base: 'pe',
    mutate: (d) => set(d, `${PE_LOC}/trov:hasArtifact/@id`, 'arrangement/1'),
    expect: 'arrangement/1/location/bundle_manifest | trov:hasArtifact | ptc:LocationInCompositionConstraintComponent',
  },
  {
    name: 'warrant that resolves to nothing',
    base: 'trov',
    mutate: (d) => set(d, `${TRP}/trov:hasPerformanceAttribute/0/trov:warrantedBy/@id`, 'trs/capability/9'),
    expect: 'trp/0/attribute/0 | trov:warrantedBy | ptc:WarrantChainConstraintComponent',
  },
  {
    name: 'performance attribute warranted by a performance attribute',
    base: 'trov',
    mutate: (d) => set(d, `${TRP}/trov:hasPerformanceAttribute/0/trov:warrantedBy/@id`, 'trp/0/attribute/1'),
    expect: 'trp/0/attribute/0 | trov:warrantedBy | ptc:WarrantChainConstraintComponent',
  },
  {
    name: 'InternetIsolation warranted by CanRecordInternetAccess',
    base: 'trov',
    mutate: (d) => set(d, `${TRP}/trov:hasPerformanceAttribute/0/trov:warrantedBy/@id`, 'trs/capability/1'),
    expect: 'trp/0/attribute/0 | trov:warrantedBy | ptc:WarrantChainConstraintComponent',
  },
  { name: 'TRO attribute warranted by a capability', base: 'trov', mutate: (d) => set(d, `${T}/trov:hasAttribute/0/trov:warrantedBy/@id`, 'trs/capability/0'), expect: 'tro/attribute/0 | trov:warrantedBy | ptc:WarrantChainConstraintComponent' },
  {
    name: 'TRO attribute warranted by nothing defined',
    base: 'trov',
    mutate: (d) => set(d, `${T}/trov:hasAttribute/0/trov:warrantedBy/@id`, 'trp/9/attribute/0'),
    expect: 'tro/attribute/0 | trov:warrantedBy | ptc:ReferenceDefinedConstraintComponent',
  },
  // pe-0.1 and the extension graph
  { name: 'pe: no TRO name', base: 'pe', profile: 'pe-0.1', mutate: (d) => del(d, `${T}/schema:name`), expect: 'tro | schema:name | sh:MinCountConstraintComponent' },
  { name: 'pe: creator as a string', base: 'pe', profile: 'pe-0.1', mutate: (d) => set(d, `${T}/schema:creator`, 'PolicyEngine'), expect: 'tro | schema:creator | sh:NodeConstraintComponent' },
  { name: 'pe: upper-case sha256', base: 'pe', profile: 'pe-0.1', mutate: (d) => set(d, `${ART0}/trov:sha256`, 'AB'.repeat(32)), expect: 'composition/1/artifact/bundle_manifest | trov:sha256 | sh:PatternConstraintComponent' },
  { name: 'pe: location without hasLocation', base: 'pe', profile: 'pe-0.1', mutate: (d) => del(d, `${PE_LOC}/trov:hasLocation`), expect: 'arrangement/1/location/bundle_manifest | trov:hasLocation | sh:MinCountConstraintComponent' },
  { name: 'pe: performance without an accessed arrangement', base: 'pe', profile: 'pe-0.1', mutate: (d) => del(d, `${PE_TRP}/trov:accessedArrangement`), expect: 'trp/1 | trov:accessedArrangement | sh:MinCountConstraintComponent' },
  { name: 'pe: TROv class name for the system', base: 'pe', profile: 'pe-0.1', mutate: (d) => set(d, `${TRS}/@type`, 'trov:TrustedResearchSystem'), expect: 'trs | rdf:type | sh:NotConstraintComponent' },
  { name: 'pe: TROv hash spelling', base: 'pe', profile: 'pe-0.1', mutate: (d) => set(d, `${ART0}/trov:hash`, { 'trov:hashAlgorithm': 'sha256', 'trov:hashValue': 'ab'.repeat(32) }), expect: 'composition/1/artifact/bundle_manifest | trov:hash | sh:MaxCountConstraintComponent' },
  { name: 'pe: short CI commit id', base: 'pe', profile: 'pe-0.1', mutate: (d) => set(d, `${PE_TRP}/pe:ciGitSha`, 'abc1234'), expect: 'trp/1 | pe:ciGitSha|pop:ciGitSha|mic:ciGitSha | sh:PatternConstraintComponent' },
  { name: 'pe: performance term on the TRO node', base: 'pe', profile: 'pe-0.1', mutate: (d) => set(d, `${T}/pe:certifiedBy`, 'someone'), expect: 'tro |  | sh:OrConstraintComponent' },
  { name: 'pe: unknown manifest status', base: 'pe', profile: 'pe-0.1', mutate: (d) => set(d, `${PE_TRP}/pe:dataReleaseManifestStatus`, 'missing'), expect: 'trp/1 | pe:dataReleaseManifestStatus | sh:InConstraintComponent' },
  { name: 'pop: restriction flag as a string', base: 'build', profile: 'pe-0.1', mutate: (d) => set(d, `${PE_LOC}/pop:accessRestricted`, 'yes'), expect: 'arrangement/1/location/dataset | pop:accessRestricted|mic:accessRestricted | sh:DatatypeConstraintComponent' },
  // 2023/05
  { name: 'pre-release performance without a system', base: 'pre', mutate: (d) => del(d, `${T}/trov:hasPerformance/trov:wasConductedBy`), expect: 'trp/1 | trov:wasConductedBy | sh:MinCountConstraintComponent' },
  { name: 'pre-release artifact hash not hex', base: 'pre', mutate: (d) => set(d, `${ART0}/trov:sha256`, 'art.sha256.1'), expect: 'composition/1/artifact/1 | trov:sha256 | sh:PatternConstraintComponent' },
  // profiles
  { name: 'bundle: no certified model version', base: 'pe', mutate: (d) => del(d, `${PE_TRP}/pe:certifiedForModelVersion`), expect: 'trp/1 | pe:certifiedForModelVersion | sh:MinCountConstraintComponent' },
  {
    name: 'bundle: data release manifest neither pinned nor declared unavailable',
    base: 'pe',
    mutate: (d) => {
      del(d, `${COMP}/trov:hasArtifact/1`);
      del(d, `${T}/trov:hasArrangement/0/trov:hasArtifactLocation/1`);
    },
    expect: 'tro |  | sh:OrConstraintComponent',
  },
  { name: 'bundle: no dataset', base: 'pe', profile: 'bundle', mutate: (d) => set(d, `${COMP}/trov:hasArtifact/2/@id`, 'composition/1/artifact/data'), expect: 'tro | trov:hasComposition/trov:hasArtifact | sh:QualifiedMinCountConstraintComponent' },
  { name: 'run: no bundle fingerprint', base: 'run', profile: 'run', mutate: (d) => del(d, `${PE_TRP}/pe:bundleFingerprint`), expect: 'trp/1 | pe:bundleFingerprint | sh:MinCountConstraintComponent' },
  { name: 'build: no build id', base: 'build', profile: 'build', mutate: (d) => del(d, `${PE_TRP}/pop:buildId`), expect: 'trp/1 | pop:buildId|mic:buildId|pe:dataBuildId | sh:MinCountConstraintComponent' },
  {
    name: 'build: a restricted input placed at a payload URN',
    base: 'build',
    profile: 'build',
    mutate: (d) => set(d, '/@graph/0/trov:hasArrangement/0/trov:hasArtifactLocation/2/pop:accessRestricted', true),
    expect: 'arrangement/1/location/build_config | trov:path|trov:hasLocation | sh:NotConstraintComponent',
  },
];

describe('negative fixtures: one mutation, one expected result', () => {
  it.each(Object.keys(BASES) as Base[])('the %s base document conforms before mutation', async (base) => {
    expect(lines(await validate(BASES[base]()))).toEqual([]);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const doc = clone(BASES[c.base]());
    c.mutate(doc);
    const report = await validate(doc, c.profile ?? 'auto');
    expect(report.conforms).toBe(false);
    expect(lines(report)).toContain(c.expect);
  });

  it('every pe-trace integrity component and every core constraint component kind used by the shapes has a case', () => {
    const components = new Set(CASES.map((c) => c.expect.split(' | ')[2]));
    for (const c of [
      'ptc:FingerprintConstraintComponent', 'ptc:ReferenceDefinedConstraintComponent', 'ptc:LocationInCompositionConstraintComponent', 'ptc:WarrantChainConstraintComponent',
      'sh:MinCountConstraintComponent', 'sh:MaxCountConstraintComponent', 'sh:ClassConstraintComponent', 'sh:DatatypeConstraintComponent', 'sh:NodeKindConstraintComponent',
      'sh:PatternConstraintComponent', 'sh:InConstraintComponent', 'sh:MinLengthConstraintComponent', 'sh:NodeConstraintComponent', 'sh:NotConstraintComponent',
      'sh:OrConstraintComponent', 'sh:QualifiedMinCountConstraintComponent',
    ]) {
      expect([c, components.has(c)]).toEqual([c, true]);
    }
  });
});
