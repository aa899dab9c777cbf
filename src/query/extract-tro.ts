// Facts of a TRO document (any dialect): its entity (build, bundle, run), artifacts with hashes, locations, signals.
import type { DialectId } from '../tro/model.js';
import { KNOWN_TROV_NAMESPACES } from '../tro/scan.js';
import { type ArtifactFact, type ArtifactRole, type EntityFact, type SignalFact, type Stated, entity, normaliseSha256 } from './facts.js';
import { type MapNode, type NodeMap, literals, refNodes } from './json-nodes.js';
import { PE_NS, POP_ALIASES, SCHEMA_NAME, TROV_2023_05_NS } from './namespaces.js';
import { privateRepoInUri } from './uri.js';

export interface TroFacts {
  readonly dialect: DialectId;
  readonly entity: EntityFact;
  readonly artifacts: readonly ArtifactFact[];
  readonly signals: readonly SignalFact[];
  readonly warnings: readonly string[];
}

const pe = (local: string): string => `${PE_NS}${local}`;
/** pop: terms on a restricted input that identify it for an auditor (vocab/pop-inputs.ttl). */
const EXTERNAL_ID_TERMS: ReadonlySet<string> = new Set(['ukdsStudyNumber', 'ukdsEdition', 'doi', 'irsAgreementId', 'sourceKind', 'licence', 'sourceRecord']);
const popIris = new Map<string, string[]>();
/** Both spellings of a pop: term (populace.dev and microcosm.institute), memoised: called per node per document. */
const pop = (local: string): string[] => {
  let iris = popIris.get(local);
  if (iris === undefined) {
    iris = POP_ALIASES.map((ns) => `${ns}${local}`);
    popIris.set(local, iris);
  }
  return iris;
};

/** The TRO node: the first top-level node typed `…TransparentResearchObject` in a trov namespace we read. */
export function findTroNode(map: NodeMap): { node: MapNode; ns: string } | undefined {
  for (const key of map.top) {
    const node = map.nodes.get(key);
    if (node === undefined) continue;
    for (const t of node.types) {
      for (const ns of KNOWN_TROV_NAMESPACES) if (t === `${ns}TransparentResearchObject`) return { node, ns };
    }
  }
  return undefined;
}

/** The text after the first `/artifact/` of an `@id` (policyengine.py's short id), else the id or a name. */
function shortId(node: MapNode, name: string | undefined): string {
  const id = node.id ?? '';
  const at = id.indexOf('/artifact/');
  if (at >= 0) return id.slice(at + '/artifact/'.length);
  return id !== '' ? id : name ?? node.pointer;
}

interface ScannedArtifact {
  readonly node: MapNode;
  readonly key: string;
  readonly name: string | undefined;
  readonly sha256: Stated[];
  readonly spelling: 'pe' | 'trov' | undefined;
  readonly locations: Stated[];
  readonly restricted: Stated[];
  readonly externalIds: Stated[];
}

/** Reads a TRO's facts. `graph` is its named graph (used for a blank TRO node's IRI). */
export function troFacts(map: NodeMap, found: { node: MapNode; ns: string }, graph: string): TroFacts {
  const { node: tro, ns } = found;
  const t = (local: string): string => `${ns}${local}`;
  const warnings: string[] = [];
  const comp = refNodes(map, tro, [t('hasComposition')])[0];
  const artifacts: ScannedArtifact[] = [];
  const byKey = new Map<string, ScannedArtifact>();
  for (const a of comp === undefined ? [] : refNodes(map, comp, [t('hasArtifact')])) {
    const { values, spelling } = hashesOf(map, a, t);
    const name = literals(a, SCHEMA_NAME)[0]?.value;
    const scanned: ScannedArtifact = { node: a, key: shortId(a, name), name, sha256: values, spelling, locations: [], restricted: [], externalIds: [] };
    artifacts.push(scanned);
    byKey.set(a.key, scanned);
  }
  let locSpelling: 'pe' | 'trov' | undefined;
  for (const arr of refNodes(map, tro, [t('hasArrangement')])) {
    for (const loc of refNodes(map, arr, [t('hasArtifactLocation'), t('hasLocus')])) {
      const target = refNodes(map, loc, [t('hasArtifact'), t('artifact')])[0];
      const where = literals(loc, [t('hasLocation'), t('path')]);
      locSpelling ??= loc.props.has(t('hasLocation')) || loc.props.has(t('hasArtifact')) ? 'pe' : loc.props.has(t('path')) || loc.props.has(t('artifact')) ? 'trov' : undefined;
      const art = target === undefined ? undefined : byKey.get(target.key);
      if (art === undefined) {
        if (where.length > 0) warnings.push(`location ${loc.id ?? loc.pointer} places no artifact of the composition`);
        continue;
      }
      art.locations.push(...where);
      // The flag's value names every basis the emitter recorded (pop:restrictionBasis), so the signal carries its reasons.
      const bases = literals(loc, pop('restrictionBasis')).map((b) => b.value);
      for (const flag of literals(loc, pop('accessRestricted'))) {
        if (flag.value === 'true') art.restricted.push(bases.length === 0 ? flag : { value: `true (${bases.join('; ')})`, pointer: flag.pointer });
      }
    }
  }
  for (const a of artifacts) {
    for (const [iri, values] of a.node.props) {
      const ns = POP_ALIASES.find((p) => iri.startsWith(p));
      const local = ns === undefined ? undefined : iri.slice(ns.length);
      if (local === undefined || !EXTERNAL_ID_TERMS.has(local)) continue;
      for (const v of values) if (v.kind === 'literal') a.externalIds.push({ value: `pop:${local}=${v.value}`, pointer: v.pointer });
    }
  }
  const perfs = refNodes(map, tro, [t('hasPerformance')]);
  const perfLits = (iris: readonly string[]): Stated[] => perfs.flatMap((p) => literals(p, iris));
  const fpNode = comp === undefined ? undefined : refNodes(map, comp, [t('hasFingerprint')])[0];
  const fp = fpNode === undefined ? undefined : hashesOf(map, fpNode, t);
  const role = troRole(tro, perfs, artifacts, ns);
  const name = literals(tro, SCHEMA_NAME)[0]?.value;
  const iri = tro.iri ?? `${graph}#tro`;
  const buildIds = [...perfLits(pop('buildId')), ...(role === 'Build' ? perfLits([pe('dataBuildId')]) : [])];
  const fingerprint = fp?.values[0];
  const facts: EntityFact = {
    ...entity(iri, role, name ?? `${role.toLowerCase()} TRO`, tro.pointer),
    buildIds,
    dataBuildIds: role === 'Build' ? [] : perfLits([pe('dataBuildId')]),
    ...(fingerprint === undefined ? {} : { fingerprint }),
    bundleFingerprints: perfLits([pe('bundleFingerprint')]).map((s) => ({ value: s.value.toLowerCase(), pointer: s.pointer })),
    bundleTroUrls: perfLits([pe('bundleTroUrl')]),
    selfUrls: literals(tro, [pe('selfUrl'), ...pop('selfUrl')]),
  };
  const artifactFacts: ArtifactFact[] = [];
  const signals: SignalFact[] = [];
  const dataBuild = facts.dataBuildIds[0];
  for (const a of artifacts) {
    const artIri = a.node.iri ?? `${iri}#artifact/${encodeURIComponent(a.key)}`;
    const role = artifactRole(facts.type, a);
    const fromBuild = role === 'dataset' ? dataBuild : role === 'output' ? buildIds[0] : undefined;
    artifactFacts.push({
      iri: artIri,
      entity: iri,
      pointer: a.node.pointer,
      key: a.key,
      ...(a.name === undefined ? {} : { name: a.name }),
      role,
      sha256: a.sha256,
      locations: a.locations,
      externalIds: a.externalIds,
      ...(fromBuild === undefined ? {} : { fromBuild }),
    });
    for (const flag of a.restricted) signals.push({ artifact: artIri, kind: 'access-restricted-flag', value: flag.value, pointer: flag.pointer });
    // A private repo marks data (datasets, inputs, outputs); a manifest or TRO file stored there is not restricted data.
    const aRole = artifactFacts[artifactFacts.length - 1]?.role;
    if (aRole !== 'release-manifest' && aRole !== 'bundle-manifest' && aRole !== 'model-wheel' && aRole !== 'bundle-tro') {
      for (const loc of a.locations) {
        const repo = privateRepoInUri(loc.value);
        if (repo !== undefined) signals.push({ artifact: artIri, kind: 'private-repo', value: repo, pointer: loc.pointer });
      }
    }
    if (a.sha256.length === 0) warnings.push(`artifact ${a.node.id ?? a.node.pointer} has no sha256 (it cannot be matched by hash)`);
  }
  return { dialect: dialectOf(map, ns, artifacts, fp?.spelling, locSpelling, perfs, tro, t), entity: facts, artifacts: artifactFacts, signals, warnings };
}

/** sha256 values of an artifact or fingerprint node: `trov:sha256` literals or `trov:hash` objects (sha256 only). */
function hashesOf(map: NodeMap, node: MapNode, t: (l: string) => string): { values: Stated[]; spelling: 'pe' | 'trov' | undefined } {
  const values: Stated[] = [];
  let spelling: 'pe' | 'trov' | undefined;
  // Key order decides the first spelling, as the dialect rule reads it.
  for (const [iri, vals] of node.props) {
    if (iri === t('sha256')) {
      spelling ??= 'pe';
      for (const v of vals) {
        const hex = v.kind === 'literal' ? normaliseSha256(v.value) : undefined;
        if (hex !== undefined) values.push({ value: hex, pointer: v.pointer });
      }
    } else if (iri === t('hash')) {
      spelling ??= 'trov';
      for (const v of vals) {
        const h = v.kind === 'ref' ? map.nodes.get(v.key) : undefined;
        if (h === undefined) continue;
        const alg = literals(h, [t('hashAlgorithm')])[0]?.value.toLowerCase().replace(/[-_]/g, '');
        const val = literals(h, [t('hashValue')])[0];
        const hex = val === undefined ? undefined : normaliseSha256(val.value);
        if (alg === 'sha256' && hex !== undefined && val !== undefined) values.push({ value: hex, pointer: val.pointer });
      }
    }
  }
  return { values, spelling };
}

function troRole(tro: MapNode, perfs: readonly MapNode[], artifacts: readonly ScannedArtifact[], ns: string): EntityFact['type'] {
  const perfHas = (iris: readonly string[]): boolean => perfs.some((p) => iris.some((i) => p.props.has(i)));
  const keys = new Set(artifacts.map((a) => a.key));
  if (perfHas([pe('bundleFingerprint'), pe('bundleTroUrl')]) || keys.has('bundle_tro')) return 'Run';
  if (perfHas([pe('certifiedForModelVersion'), pe('compatibilityBasis'), pe('dataReleaseManifestStatus')]) || keys.has('bundle_manifest')) return 'Bundle';
  if (perfHas([...pop('buildId'), pe('dataBuildId')])) return 'Build';
  const tool = tro.props.get(`${ns}createdWith`);
  if (tool !== undefined && artifacts.some((a) => a.restricted.length > 0)) return 'Build';
  return 'Other';
}

function artifactRole(role: EntityFact['type'], a: ScannedArtifact): ArtifactRole {
  switch (role) {
    case 'Run':
      if (a.key === 'bundle_tro') return 'bundle-tro';
      if (a.key === 'results') return 'run-output';
      return 'run-input';
    case 'Bundle':
      if (a.key === 'bundle_manifest') return 'bundle-manifest';
      if (a.key === 'data_release_manifest') return 'release-manifest';
      if (a.key === 'dataset') return 'dataset';
      if (a.key === 'model_wheel') return 'model-wheel';
      return 'other';
    case 'Build':
      if (a.restricted.length > 0 || a.node.types.some((t) => pop('RestrictedInput').includes(t))) return 'input';
      if (a.locations.some((l) => l.value.startsWith('urn:pop:payload:'))) return 'payload';
      return 'output';
    default:
      return 'other';
  }
}

/**
 * The dialect label, by the same rule as `analyseDialect` (src/tro/dialect.ts): the TRO node's namespace,
 * then the first spelling seen — first hashed artifact, fingerprint, first location, class names,
 * vocabularyVersion — and pe-0.1-hash when a trov-spelled document declares the pe: namespace.
 */
function dialectOf(
  map: NodeMap,
  ns: string,
  artifacts: readonly ScannedArtifact[],
  fpSpelling: 'pe' | 'trov' | undefined,
  locSpelling: 'pe' | 'trov' | undefined,
  perfs: readonly MapNode[],
  tro: MapNode,
  t: (l: string) => string,
): DialectId {
  if (ns === TROV_2023_05_NS) return 'trov-2023-05';
  let family = artifacts.find((a) => a.spelling !== undefined)?.spelling ?? fpSpelling ?? locSpelling;
  if (family === undefined) {
    const systems = refNodes(map, tro, [t('wasAssembledBy')]);
    for (const type of [...perfs, ...systems].flatMap((n) => n.types)) {
      if (type === t('TransparentResearchPerformance') || type === t('TransparentResearchSystem')) {
        family = 'pe';
        break;
      }
      if (type === t('TrustedResearchPerformance') || type === t('TrustedResearchSystem')) {
        family = 'trov';
        break;
      }
    }
  }
  family ??= 'trov';
  if (family === 'pe') return 'pe-0.1';
  const peDeclared = [...map.rootCtx.terms.values()].some((d) => d.iri === PE_NS);
  return peDeclared ? 'pe-0.1-hash' : 'trov-0.1';
}
