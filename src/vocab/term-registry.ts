// The dialect term registry: every spelling pe-trace reads (pe-0.1, pe-0.1-hash, trov-2023-05, trov-0.1) and the TROv 0.1 term it becomes; vocab/term-map.ttl says the same in RDF.
import type { DialectId } from '../tro/model.js';
import { MICROCOSM_NS, PE_NS, POP_NS, SCHEMA_NS, TROV_01_NS, TROV_2023_05_NS } from './namespaces.js';

/**
 * What happens to a spelling when a document is converted to TROv 0.1:
 * - `unchanged`: already the TROv 0.1 term;
 * - `namespace-moved`: the same local name, moved from the retired 2023/05 namespace to 0.1;
 * - `renamed`: another name for the same meaning;
 * - `restructured`: the value changes shape (a bare `trov:sha256` literal becomes a hash object);
 * - `generalised`: a class with no 0.1 counterpart is replaced by its 0.1 superclass (the subclass is lost);
 * - `dropped`: no counterpart; the triples are removed and reported;
 * - `kept-as-extension`: not a TROv term; kept under its own namespace (pe:, pop:).
 */
export type TermChange = 'unchanged' | 'namespace-moved' | 'renamed' | 'restructured' | 'generalised' | 'dropped' | 'kept-as-extension';

export type TermKind = 'class' | 'property';

/** Which TROv 0.1 source defines a term (trace-trov.md §9 fact 1: they disagree, so we say which). */
export type TrovSource = 'trov.ttl' | 'reference' | 'tro-checks';

export interface TermMapping {
  /** Local name of the mapping in term-map.ttl's mapping namespace (`v01-sha256`). */
  readonly id: string;
  /** The spelling as read (full IRI). */
  readonly from: string;
  /** The term(s) it becomes (full IRIs); empty when dropped. */
  readonly to: readonly string[];
  readonly change: TermChange;
  readonly kind: TermKind;
  /** The dialects whose documents use this spelling. */
  readonly dialects: readonly DialectId[];
  /** The mapping applies only on subjects of this (converted) class; without it, everywhere. */
  readonly subjectClass?: string;
  /** For TROv 0.1 terms: the sources that define it. */
  readonly definedBy?: readonly TrovSource[];
  /** Why, in a sentence (absent on plain `unchanged` entries). */
  readonly note?: string;
}

/** A rule for every term of a namespace that has no entry of its own. */
export interface NamespaceMapping {
  readonly id: string;
  readonly from: string;
  /** The namespace the local name moves to; absent when such terms are dropped or kept. */
  readonly to?: string;
  readonly change: TermChange;
  readonly dialects: readonly DialectId[];
  readonly note: string;
}

/** A structural change that is not about one term (identifiers, bindings, the fingerprint). */
export interface ConversionRule {
  readonly id: string;
  readonly note: string;
}

export interface TermMap {
  readonly terms: readonly TermMapping[];
  readonly namespaces: readonly NamespaceMapping[];
  readonly rules: readonly ConversionRule[];
}

const T1 = TROV_01_NS;
const T5 = TROV_2023_05_NS;
const ALL_01: readonly DialectId[] = ['trov-0.1', 'pe-0.1-hash', 'pe-0.1'];
const PE01: readonly DialectId[] = ['pe-0.1'];
const V2305: readonly DialectId[] = ['trov-2023-05'];

type Def = readonly [local: string, kind: TermKind, sources: readonly TrovSource[]];
const ALL3: readonly TrovSource[] = ['trov.ttl', 'reference', 'tro-checks'];
const REF_CHK: readonly TrovSource[] = ['reference', 'tro-checks'];
const CHK: readonly TrovSource[] = ['tro-checks'];

/**
 * The 74 TROv 0.1 terms: the union tro-checks `trace-main` knows (trace-trov.md §1.2, §1.3), with the sources
 * that define each. These are the spellings a converted document may use in the trov: namespace.
 */
const TROV_01_TERMS: readonly Def[] = [
  ['TrustedResearchElement', 'class', ALL3],
  ['TransparentResearchObject', 'class', ALL3],
  ['TrustedResearchSystem', 'class', ALL3],
  ['TrustedResearchPerformance', 'class', ALL3],
  ['TimeStampingAuthority', 'class', ALL3],
  ['ArtifactCollection', 'class', ALL3],
  ['ArtifactComposition', 'class', ALL3],
  ['ResearchArtifact', 'class', ALL3],
  ['CompositionFingerprint', 'class', ALL3],
  ['ArtifactArrangement', 'class', ALL3],
  ['ArtifactLocation', 'class', ALL3],
  ['ArrangementBinding', 'class', REF_CHK],
  ['TREAttribute', 'class', ALL3],
  ['TRSAttribute', 'class', ALL3],
  ['TRSCapability', 'class', ALL3],
  ['TRSPolicy', 'class', ALL3],
  ['TRPAttribute', 'class', ALL3],
  ['TROAttribute', 'class', ALL3],
  ['TRSCapabilityType', 'class', CHK],
  ['TRPAttributeType', 'class', CHK],
  ['SigningMechanism', 'class', CHK],
  ['GPGSigning', 'class', CHK],
  ['X509CMSSigning', 'class', CHK],
  ['CanProvideInternetIsolation', 'class', ALL3],
  ['CanRecordInternetAccess', 'class', ALL3],
  ['CanIsolateEnvironment', 'class', REF_CHK],
  ['CanPreventAuthorIntervention', 'class', REF_CHK],
  ['CanExcludeInputs', 'class', REF_CHK],
  ['CanExcludeOutputs', 'class', REF_CHK],
  ['CanEnsureInputDataIncludedInTROPackage', 'class', REF_CHK],
  ['CanRequireInputDataExistsBeforeRun', 'class', REF_CHK],
  ['CanRequireInputDataLocalBeforeRun', 'class', REF_CHK],
  ['CanEnsureInputDataPersistsAfterRun', 'class', REF_CHK],
  ['CanEnsureOutputDataIncludedInTROPackage', 'class', REF_CHK],
  ['CanEnsureCodeIncludedInTROPackage', 'class', REF_CHK],
  ['CanRecordSoftwareEnvironment', 'class', REF_CHK],
  ['CanDetectInternetAccess', 'class', REF_CHK],
  ['CanEnforceInternetIsolation', 'class', REF_CHK],
  ['CanPreventUserInteractionDuringRun', 'class', REF_CHK],
  ['CanEnforceCapabilitiesTechnically', 'class', REF_CHK],
  ['InternetIsolation', 'class', ALL3],
  ['InternetAccessRecording', 'class', ALL3],
  ['IncludesAllInputData', 'class', ALL3],
  ['vocabularyVersion', 'property', ALL3],
  ['wasAssembledBy', 'property', ALL3],
  ['createdWith', 'property', ALL3],
  ['wasTimestampedBy', 'property', ALL3],
  ['hasComposition', 'property', ALL3],
  ['hasArrangement', 'property', ALL3],
  ['hasPerformance', 'property', ALL3],
  ['hasAttribute', 'property', ALL3],
  ['hasCapability', 'property', ALL3],
  ['publicKey', 'property', ALL3],
  ['customTerm', 'property', ALL3],
  ['wasConductedBy', 'property', ALL3],
  ['accessedArrangement', 'property', ALL3],
  ['contributedToArrangement', 'property', ALL3],
  ['arrangement', 'property', REF_CHK],
  ['boundTo', 'property', REF_CHK],
  ['hasPerformanceAttribute', 'property', ALL3],
  ['startedAtTime', 'property', ALL3],
  ['endedAtTime', 'property', ALL3],
  ['hasArtifact', 'property', ALL3],
  ['hasFingerprint', 'property', ALL3],
  ['hash', 'property', ALL3],
  ['hashAlgorithm', 'property', ALL3],
  ['hashValue', 'property', ALL3],
  ['mimeType', 'property', ALL3],
  ['hasArtifactLocation', 'property', ALL3],
  ['artifact', 'property', ALL3],
  ['path', 'property', ALL3],
  ['warrantedBy', 'property', ALL3],
  ['signingMechanism', 'property', CHK],
  ['hasPolicy', 'property', CHK],
];

const unchanged: readonly TermMapping[] = TROV_01_TERMS.map(([local, kind, definedBy]) => ({
  id: `v01-${local}`,
  from: T1 + local,
  to: [T1 + local],
  change: 'unchanged',
  kind,
  dialects: ALL_01,
  definedBy,
}));

/** Irregular spellings: the 0.1 namespace as policyengine.py / populace write it, and the 2023/05 namespace. */
/** Pre-release research-system properties and their schema.org counterparts (written in both the 2023/05 and the 0.1 namespace). */
const RESEARCH_SYSTEM_PROPERTIES = [
  ['name', 'name', 'Short name of the research system.'],
  ['description', 'description', 'Description of the research system.'],
  ['url', 'url', 'Home page of the research system.'],
  ['contact', 'email', 'Contact e-mail address of the research system.'],
  ['owner', 'maintainer', 'Who owns the research system; schema.org has no owner property for an organization, maintainer is the nearest.'],
] as const;

const irregular: readonly TermMapping[] = [
  {
    id: 'v01-sha256',
    from: `${T1}sha256`,
    to: [`${T1}hash`, `${T1}hashAlgorithm`, `${T1}hashValue`],
    change: 'restructured',
    kind: 'property',
    dialects: PE01,
    note: 'A bare hex literal becomes a hash object {trov:hashAlgorithm "sha256", trov:hashValue <hex>} with its own @id. On the fingerprint the old value is replaced by the recomputed TROv fingerprint and kept as pe:originalFingerprint.',
  },
  {
    id: 'v01-hasLocation',
    from: `${T1}hasLocation`,
    to: [`${T1}path`],
    change: 'renamed',
    kind: 'property',
    dialects: PE01,
    note: 'The pre-release name of the location string of an artifact location.',
  },
  {
    id: 'v01-hasArtifact-on-location',
    from: `${T1}hasArtifact`,
    to: [`${T1}artifact`],
    change: 'renamed',
    kind: 'property',
    dialects: PE01,
    subjectClass: `${T1}ArtifactLocation`,
    note: 'On an artifact location the link to the placed artifact is trov:artifact in 0.1; trov:hasArtifact stays only on compositions.',
  },
  {
    id: 'v01-TransparentResearchSystem',
    from: `${T1}TransparentResearchSystem`,
    to: [`${T1}TrustedResearchSystem`],
    change: 'renamed',
    kind: 'class',
    dialects: PE01,
    note: 'The pre-release name of the research system class; 0.1 calls systems and performances "Trusted".',
  },
  {
    id: 'v01-TransparentResearchPerformance',
    from: `${T1}TransparentResearchPerformance`,
    to: [`${T1}TrustedResearchPerformance`],
    change: 'renamed',
    kind: 'class',
    dialects: PE01,
    note: 'The pre-release name of the research performance class.',
  },
  {
    id: 'v01-TransparentResearchElement',
    from: `${T1}TransparentResearchElement`,
    to: [`${T1}TrustedResearchElement`],
    change: 'renamed',
    kind: 'class',
    dialects: PE01,
    note: 'The pre-release name of the common base class; only the research object itself stays "Transparent".',
  },
  {
    id: 'v01-ArtifactLocus',
    from: `${T1}ArtifactLocus`,
    to: [`${T1}ArtifactLocation`],
    change: 'renamed',
    kind: 'class',
    dialects: PE01,
    note: 'The early name of the artifact location class (trov.ttl before 2026-03).',
  },
  {
    id: 'v01-hasLocus',
    from: `${T1}hasLocus`,
    to: [`${T1}hasArtifactLocation`],
    change: 'renamed',
    kind: 'property',
    dialects: PE01,
    note: 'The early name of the arrangement-to-location link.',
  },
  {
    id: 'v01-modifiedArrangement',
    from: `${T1}modifiedArrangement`,
    to: [`${T1}contributedToArrangement`],
    change: 'renamed',
    kind: 'property',
    dialects: PE01,
    note: 'A stale spelling of the link from a performance to an arrangement it wrote.',
  },
  {
    id: 'v01-hadPerformanceAttribute',
    from: `${T1}hadPerformanceAttribute`,
    to: [`${T1}hasPerformanceAttribute`],
    change: 'renamed',
    kind: 'property',
    dialects: PE01,
    note: 'A stale spelling of the link from a performance to its attributes.',
  },
  {
    id: 'v2305-sha256',
    from: `${T5}sha256`,
    to: [`${T1}hash`, `${T1}hashAlgorithm`, `${T1}hashValue`],
    change: 'restructured',
    kind: 'property',
    dialects: V2305,
    note: 'A bare hex literal becomes a hash object {trov:hashAlgorithm "sha256", trov:hashValue <hex>} with its own @id.',
  },
  {
    id: 'v2305-hasLocation',
    from: `${T5}hasLocation`,
    to: [`${T1}path`],
    change: 'renamed',
    kind: 'property',
    dialects: V2305,
    note: 'The pre-release name of the location string of an artifact location.',
  },
  {
    id: 'v2305-hasArtifact-on-location',
    from: `${T5}hasArtifact`,
    to: [`${T1}artifact`],
    change: 'renamed',
    kind: 'property',
    dialects: V2305,
    subjectClass: `${T1}ArtifactLocation`,
    note: 'The pre-release vocabulary used trov:hasArtifact both on compositions and on loci; on a location it becomes trov:artifact.',
  },
  {
    id: 'v2305-ArtifactLocus',
    from: `${T5}ArtifactLocus`,
    to: [`${T1}ArtifactLocation`],
    change: 'renamed',
    kind: 'class',
    dialects: V2305,
    note: 'The pre-release name of the artifact location class.',
  },
  {
    id: 'v2305-hasLocus',
    from: `${T5}hasLocus`,
    to: [`${T1}hasArtifactLocation`],
    change: 'renamed',
    kind: 'property',
    dialects: V2305,
    note: 'The pre-release name of the arrangement-to-location link.',
  },
  {
    id: 'v2305-TransparentResearchSystem',
    from: `${T5}TransparentResearchSystem`,
    to: [`${T1}TrustedResearchSystem`],
    change: 'renamed',
    kind: 'class',
    dialects: V2305,
    note: 'The pre-release demos\' name of the research system class.',
  },
  {
    id: 'v2305-TransparentResearchPerformance',
    from: `${T5}TransparentResearchPerformance`,
    to: [`${T1}TrustedResearchPerformance`],
    change: 'renamed',
    kind: 'class',
    dialects: V2305,
    note: 'The pre-release demos\' name of the research performance class.',
  },
  {
    id: 'v2305-TransparentResearchElement',
    from: `${T5}TransparentResearchElement`,
    to: [`${T1}TrustedResearchElement`],
    change: 'renamed',
    kind: 'class',
    dialects: V2305,
    note: 'The pre-release demos\' name of the common base class.',
  },
  {
    id: 'v2305-TRSTrustedResearchSystem',
    from: `${T5}TRSTrustedResearchSystem`,
    to: [`${T1}TrustedResearchSystem`],
    change: 'renamed',
    kind: 'class',
    dialects: V2305,
    note: 'A misspelling of the research system class in a trov-demos TRS description.',
  },
  {
    id: 'v2305-modifiedArrangement',
    from: `${T5}modifiedArrangement`,
    to: [`${T1}contributedToArrangement`],
    change: 'renamed',
    kind: 'property',
    dialects: V2305,
    note: 'The pre-release demos\' link from a performance to an arrangement it wrote.',
  },
  {
    id: 'v2305-hadPerformanceAttribute',
    from: `${T5}hadPerformanceAttribute`,
    to: [`${T1}hasPerformanceAttribute`],
    change: 'renamed',
    kind: 'property',
    dialects: V2305,
    note: 'The pre-release demos\' link from a performance to its attributes.',
  },
  ...RESEARCH_SYSTEM_PROPERTIES.map(
    ([local, target, what]): TermMapping => ({
      id: `v01-${local}`,
      from: T1 + local,
      to: [SCHEMA_NS + target],
      change: 'renamed',
      kind: 'property',
      dialects: ALL_01,
      note: `${what} A pre-release research-system property written in the 0.1 namespace (tro-checks trace-2026-04-19 still knows it, trace-main no longer does); schema:${target} says the same.`,
    }),
  ),
  ...RESEARCH_SYSTEM_PROPERTIES.map(
    ([local, target, what]): TermMapping => ({
      id: `v2305-${local}`,
      from: T5 + local,
      to: [SCHEMA_NS + target],
      change: 'renamed',
      kind: 'property',
      dialects: V2305,
      note: `${what} The pre-release research-system property has no TROv 0.1 counterpart; schema:${target} says the same.`,
    }),
  ),
  ...(['DataArtifact', 'HTMLArtifact', 'ImageArtifact', 'ComputationalNotebookArtifact'] as const).map(
    (local): TermMapping => ({
      id: `v2305-${local}`,
      from: T5 + local,
      to: [`${T1}ResearchArtifact`],
      change: 'generalised',
      kind: 'class',
      dialects: V2305,
      note: 'A custom artifact subclass of the pre-release demos with no TROv 0.1 counterpart: the artifact stays a trov:ResearchArtifact and the subclass is dropped.',
    }),
  ),
  ...(['LocalFilesystemArtifactArrangement', 'WebResourceArtifactArrangement', 'ZipArtifactArrangement'] as const).map(
    (local): TermMapping => ({
      id: `v2305-${local}`,
      from: T5 + local,
      to: [`${T1}ArtifactArrangement`],
      change: 'generalised',
      kind: 'class',
      dialects: V2305,
      note: 'A custom arrangement subclass of the pre-release demos with no TROv 0.1 counterpart: the arrangement stays a trov:ArtifactArrangement and the subclass is dropped.',
    }),
  ),
  ...(['EnforcesInternetIsolation', 'EnforcesEnvironmentIsolation', 'EnforcesNoninteractiveExecution'] as const).map(
    (local): TermMapping => ({
      id: `v2305-${local}`,
      from: T5 + local,
      to: [],
      change: 'dropped',
      kind: 'class',
      dialects: V2305,
      note: 'A research-system policy of the pre-release vocabulary, removed from TROv 0.1 (policies are deferred to 0.2): no counterpart.',
    }),
  ),
  {
    id: 'v2305-InternetIsolationCapability',
    from: `${T5}InternetIsolationCapability`,
    to: [],
    change: 'dropped',
    kind: 'class',
    dialects: V2305,
    note: 'Not a TROv term in any version (a misspelling in trace-model and trov-demos TRS files); which capability was meant is not ours to guess.',
  },
];

/**
 * The registry. Resolution order (`resolveTerm`): an entry with a matching `subjectClass`, then an entry without
 * one, then the namespace rule; a 0.1-namespace term found nowhere is dropped.
 */
export const TERM_MAP: TermMap = {
  terms: [...unchanged, ...irregular],
  namespaces: [
    {
      id: 'ns-2023-05',
      from: T5,
      to: T1,
      change: 'namespace-moved',
      dialects: V2305,
      note: 'Every other term of the retired 2023/05 namespace keeps its local name in the 0.1 namespace; when that name is not a TROv 0.1 term the term is dropped.',
    },
    {
      id: 'ns-0.1-unknown',
      from: T1,
      change: 'dropped',
      dialects: ALL_01,
      note: 'A term in the 0.1 namespace that no TROv 0.1 source defines (e.g. a misspelling) has no counterpart: dropped, so the converted document uses known terms only.',
    },
    {
      id: 'ns-pe',
      from: PE_NS,
      change: 'kept-as-extension',
      dialects: ['pe-0.1', 'pe-0.1-hash'],
      note: 'PolicyEngine\'s extension terms (vocab/pe.ttl) have no TROv counterpart and stay as they are.',
    },
    {
      id: 'ns-pop',
      from: POP_NS,
      change: 'kept-as-extension',
      dialects: ['pe-0.1'],
      note: 'Populace\'s extension terms (vocab/pop.ttl) have no TROv counterpart and stay as they are.',
    },
    {
      id: 'ns-microcosm',
      from: MICROCOSM_NS,
      change: 'kept-as-extension',
      dialects: ['pe-0.1'],
      note: 'Microcosm\'s namespace for the pop: terms (an alias of the populace.dev namespace) stays as written.',
    },
  ],
  rules: [
    {
      id: 'rule-arrangement-binding',
      note: 'A trov:accessedArrangement or trov:contributedToArrangement that points straight at an arrangement becomes a link to a new trov:ArrangementBinding node whose trov:arrangement is that arrangement (TROv 0.1 since 2026-04-08).',
    },
    {
      id: 'rule-node-identifiers',
      note: 'Every node object without an @id (hash objects, createdWith, creator, …) gets one, derived from its parent\'s @id and the property that holds it, e.g. composition/1/artifact/x/hash; a JSON-LD processor would otherwise make them blank nodes.',
    },
    {
      id: 'rule-base',
      note: 'The converted document declares an @base so relative @ids resolve to stable IRIs; the base comes from --base, else the document\'s own @base, else the directory of its pe:selfUrl / pop:selfUrl, else a non-resolvable placeholder that is reported.',
    },
    {
      id: 'rule-vocabulary-version',
      note: 'trov:vocabularyVersion "0.1" is stated on the research object.',
    },
    {
      id: 'rule-fingerprint',
      note: 'The composition fingerprint is recomputed with the TROv 0.1 rule (sha256 over the sorted artifact hash values concatenated without separator); the original value, its method, the original dialect and the original document\'s sha256 are kept as pe:originalFingerprint, pe:originalFingerprintMethod, pe:originalDialect and pe:originalDocumentSha256.',
    },
    {
      id: 'rule-positional-types',
      note: 'A core node without a TROv type gets the class its position implies (an object of trov:hasArtifactLocation is a trov:ArtifactLocation, and so on).',
    },
    {
      id: 'rule-times',
      note: 'Times are kept as written; a time without a zone is reported, never given an invented zone.',
    },
  ],
};

const byFrom = new Map<string, TermMapping[]>();
for (const t of TERM_MAP.terms) {
  const list = byFrom.get(t.from);
  if (list === undefined) byFrom.set(t.from, [t]);
  else list.push(t);
}

/** How one spelling resolves: the entry or namespace rule that decided, and the final term(s). */
export interface TermResolution {
  readonly from: string;
  readonly to: readonly string[];
  readonly change: TermChange;
  /** The deciding entry's id (`v01-sha256`) or namespace rule id (`ns-2023-05`); absent for foreign namespaces. */
  readonly by?: string;
}

/**
 * Resolves a spelling to its TROv 0.1 term(s). `subjectClasses` are the (converted) classes of the node it is
 * a property of, for contextual entries such as `trov:hasArtifact` on a location. Terms outside the trov, pe and
 * pop namespaces (schema:, rdfs:, anything else) are kept unchanged.
 */
export function resolveTerm(iri: string, subjectClasses: readonly string[] = []): TermResolution {
  const entries = byFrom.get(iri) ?? [];
  const contextual = entries.find((e) => e.subjectClass !== undefined && subjectClasses.includes(e.subjectClass));
  const plain = entries.find((e) => e.subjectClass === undefined);
  const hit = contextual ?? plain;
  if (hit !== undefined) return { from: iri, to: hit.to, change: hit.change, by: hit.id };
  const ns = TERM_MAP.namespaces.find((n) => iri.startsWith(n.from) && iri.length > n.from.length);
  if (ns === undefined) return { from: iri, to: [iri], change: 'unchanged' };
  if (ns.to !== undefined) {
    const moved = ns.to + iri.slice(ns.from.length);
    const again = resolveTerm(moved, subjectClasses);
    // Only a known 0.1 term survives the move: anything else has no counterpart.
    if (again.change === 'unchanged' && again.by !== undefined) return { from: iri, to: again.to, change: ns.change, by: ns.id };
    if (again.change !== 'dropped' && again.by !== undefined) return { from: iri, to: again.to, change: again.change, by: again.by };
    return { from: iri, to: [], change: 'dropped', by: ns.id };
  }
  return { from: iri, to: ns.change === 'dropped' ? [] : [iri], change: ns.change, by: ns.id };
}

/** The TROv 0.1 terms (full IRIs) a converted document may use in the trov: namespace. */
export function knownTrov01Terms(): ReadonlySet<string> {
  return new Set(unchanged.map((t) => t.from));
}
