// The TROV 0.1 names the conformance expectations know, written out from trace-trov.md §1 and §5.
import { TROV_01_NS } from '../tro/scan.js';

export { TROV_01_NS };
export const RDF_NS = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
export const RDFS_NS = 'http://www.w3.org/2000/01/rdf-schema#';
export const SCHEMA_NS = 'https://schema.org/';

/** Prefixes whose namespace is fixed when they are declared at all (§5 core-prefixes-pinned; `trov` must be declared). */
export const PINNED_PREFIXES: ReadonlyMap<string, string> = new Map([
  ['trov', TROV_01_NS],
  ['rdf', RDF_NS],
  ['rdfs', RDFS_NS],
  ['schema', SCHEMA_NS],
]);

/** §1.2: the classes (including the `*Type` superclasses and signing classes only tro-checks names). */
const CLASSES = [
  'TrustedResearchElement',
  'TransparentResearchObject',
  'TrustedResearchSystem',
  'TrustedResearchPerformance',
  'TimeStampingAuthority',
  'ArtifactCollection',
  'ArtifactComposition',
  'ResearchArtifact',
  'CompositionFingerprint',
  'ArtifactArrangement',
  'ArtifactLocation',
  'ArrangementBinding',
  'TREAttribute',
  'TRSAttribute',
  'TRSCapability',
  'TRSPolicy',
  'TRPAttribute',
  'TROAttribute',
  'TRSCapabilityType',
  'TRPAttributeType',
  'SigningMechanism',
  'GPGSigning',
  'X509CMSSigning',
] as const;

/** §1.2: the two implemented capabilities and the fifteen under discussion. */
export const PREDEFINED_CAPABILITIES: ReadonlySet<string> = new Set([
  'CanProvideInternetIsolation',
  'CanRecordInternetAccess',
  'CanIsolateEnvironment',
  'CanPreventAuthorIntervention',
  'CanExcludeInputs',
  'CanExcludeOutputs',
  'CanEnsureInputDataIncludedInTROPackage',
  'CanRequireInputDataExistsBeforeRun',
  'CanRequireInputDataLocalBeforeRun',
  'CanEnsureInputDataPersistsAfterRun',
  'CanEnsureOutputDataIncludedInTROPackage',
  'CanEnsureCodeIncludedInTROPackage',
  'CanRecordSoftwareEnvironment',
  'CanDetectInternetAccess',
  'CanEnforceInternetIsolation',
  'CanPreventUserInteractionDuringRun',
  'CanEnforceCapabilitiesTechnically',
]);

export const PREDEFINED_PERFORMANCE_ATTRIBUTES: ReadonlySet<string> = new Set(['InternetIsolation', 'InternetAccessRecording']);
export const PREDEFINED_TRO_ATTRIBUTES: ReadonlySet<string> = new Set(['IncludesAllInputData']);
export const PREDEFINED_SIGNING_MECHANISMS: ReadonlySet<string> = new Set(['GPGSigning', 'X509CMSSigning']);
/** The only superclasses a custom term may name (§9 "Where pe: should attach"). */
export const EXTENSIBLE_SUPERCLASSES: ReadonlySet<string> = new Set(['TRSCapabilityType', 'TRPAttributeType']);

/** §1.3: the properties. */
const PROPERTIES = [
  'vocabularyVersion',
  'wasAssembledBy',
  'createdWith',
  'wasTimestampedBy',
  'hasComposition',
  'hasArrangement',
  'hasPerformance',
  'hasAttribute',
  'hasCapability',
  'publicKey',
  'customTerm',
  'wasConductedBy',
  'accessedArrangement',
  'contributedToArrangement',
  'arrangement',
  'boundTo',
  'hasPerformanceAttribute',
  'startedAtTime',
  'endedAtTime',
  'hasArtifact',
  'hasFingerprint',
  'hash',
  'hashAlgorithm',
  'hashValue',
  'mimeType',
  'hasArtifactLocation',
  'artifact',
  'path',
  'warrantedBy',
  'signingMechanism',
  'hasPolicy',
] as const;

/** Pre-release TRS properties the first tagged release still tolerated (§1.3, last paragraph). */
const PRERELEASE_TRS_PROPERTIES = ['contact', 'description', 'name', 'owner', 'url'] as const;

/** trace-main's known names: 74 (§9 fact 1). */
export const KNOWN_TERMS_MAIN: ReadonlySet<string> = new Set<string>([
  ...CLASSES,
  ...PREDEFINED_CAPABILITIES,
  ...PREDEFINED_PERFORMANCE_ATTRIBUTES,
  ...PREDEFINED_TRO_ATTRIBUTES,
  ...PROPERTIES,
]);

/** trace-2026-04-19's known names: the 74 plus the five pre-release TRS properties, 79 (§5 trov-terms-known). */
export const KNOWN_TERMS_2026_04_19: ReadonlySet<string> = new Set<string>([...KNOWN_TERMS_MAIN, ...PRERELEASE_TRS_PROPERTIES]);

/** §5 hash-algorithms-permitted and hash-values-correct-form: permitted algorithms and their hex digest lengths. */
export const HASH_HEX_LENGTHS: ReadonlyMap<string, number> = new Map([
  ['sha256', 64],
  ['sha384', 96],
  ['sha512', 128],
  ['sha3-256', 64],
  ['sha3-384', 96],
  ['sha3-512', 128],
  ['blake2b', 128],
  ['blake2s', 64],
  ['blake3', 64],
]);
