// The record summary: the facts a human wants from a TRO, a run record folder or a bundle manifest (typed, JSON-safe).
import type { DialectId } from '../tro/model.js';

/** What a document is: certified bundle TRO, simulation/results TRO, run-record TRO, data build TRO, bundle manifest. */
export type RecordKind = 'bundle' | 'results' | 'run' | 'build' | 'bundle-manifest' | 'unknown';

/** Where the summary was read from. */
export type SummarySource = 'tro' | 'run-record' | 'bundle-manifest';

/** What an artifact is for, from its short id (policyengine.py and populace ids are semantic). */
export type SummaryArtifactRole =
  | 'bundle-manifest'
  | 'data-release-manifest'
  | 'dataset'
  | 'model-wheel'
  | 'bundle-tro'
  | 'reform'
  | 'input'
  | 'request'
  | 'runtime'
  | 'results'
  | 'restricted-input'
  | 'build-payload'
  | 'other';

export interface SummaryHash {
  readonly algorithm: string;
  readonly value: string;
}

export interface ArtifactSummary {
  /** Short id (the text after `/artifact/`). */
  readonly id: string;
  readonly role: SummaryArtifactRole;
  readonly name?: string;
  readonly mimeType?: string;
  /** The first hash (absent when the artifact has none). */
  readonly hash?: SummaryHash;
  /** The first 12 hex digits of the hash, for display. */
  readonly shortHash?: string;
  /** Every location of the artifact across arrangements, in document order. */
  readonly locations: readonly string[];
  /** True when a location is marked `pop:accessRestricted`. */
  readonly restricted: boolean;
}

/** A package pin: `policyengine-us` 1.764.6, its wheel hash and URL when known. */
export interface PackageFacts {
  readonly name?: string;
  readonly version?: string;
  readonly wheelSha256?: string;
  readonly wheelUrl?: string;
}

/** The data side of a release: data package, build, certified dataset, data release manifest. */
export interface DataFacts {
  readonly package?: string;
  readonly version?: string;
  readonly buildId?: string;
  readonly buildFingerprint?: string;
  /** Model version and git sha the data was built with (facts about the data build). */
  readonly builtWithModelVersion?: string;
  readonly builtWithModelGitSha?: string;
  readonly dataset?: { readonly name?: string; readonly sha256?: string; readonly location?: string };
  readonly releaseManifest?: { readonly sha256?: string; readonly location?: string; readonly status?: string };
}

/** The certification statement of a bundle (who certified what, on which basis). */
export interface CertificationFacts {
  readonly compatibilityBasis?: string;
  readonly certifiedForModelVersion?: string;
  readonly certifiedBy?: string;
}

/** One certified pairing of a country model and a data release (one per bundle TRO; one per country in a manifest). */
export interface ReleaseFacts {
  readonly country?: string;
  readonly bundleId?: string;
  readonly model: PackageFacts;
  readonly data: DataFacts;
  readonly certification: CertificationFacts;
}

/** A content payload of a run (reform, input, request, runtime, results): its hash and a few readable facts. */
export interface PayloadFacts {
  readonly sha256?: string;
  readonly location?: string;
  /** Short readable facts read from the payload bytes when the payload file was available. */
  readonly facts: Readonly<Record<string, string>>;
}

export type LinkKind = 'signature' | 'bundle-tro' | 'bundle-tro-url' | 'bundle-fingerprint' | 'data-release-manifest' | 'dataset' | 'build' | 'self-url' | 'preservation-doi' | 'ci-run';

export interface SummaryLink {
  readonly kind: LinkKind;
  readonly target: string;
}

export interface RecordSummary {
  readonly source: SummarySource;
  readonly kind: RecordKind;
  readonly dialect?: DialectId;
  readonly name?: string;
  readonly description?: string;
  /** The institution: `schema:creator` name (PolicyEngine for policyengine.py records). */
  readonly creator?: { readonly name?: string; readonly url?: string };
  /** The producing software (`trov:createdWith`): name and version (policyengine.py's version, or a build tool). */
  readonly producer?: { readonly name?: string; readonly version?: string };
  /** The research system that assembled it (`trov:wasAssembledBy` name). */
  readonly system?: string;
  /** `pe:emittedIn` (local, github-actions, repository-bundle, policyengine-api, …). */
  readonly emittedIn?: string;
  readonly dates: { readonly created?: string; readonly started?: string; readonly ended?: string };
  readonly fingerprint?: SummaryHash;
  readonly artifacts: readonly ArtifactSummary[];
  /** Certified pairings (a bundle TRO has one; a run has its bundle's; a manifest one per country). */
  readonly releases: readonly ReleaseFacts[];
  readonly reform?: PayloadFacts;
  readonly input?: PayloadFacts;
  readonly request?: PayloadFacts;
  readonly runtime?: PayloadFacts;
  readonly results?: PayloadFacts;
  /** Runtime facts recorded on the performance (`pe:runId`, `pe:containerImageSha`, …), as display strings. */
  readonly runtimeEnvironment: Readonly<Record<string, string>>;
  readonly simulationId?: string;
  /** For a run/results record: the bundle it consumed (its fingerprint, and its summary when the bundle TRO was read). */
  readonly bundle?: { readonly fingerprint?: string; readonly url?: string; readonly sha256?: string; readonly summary?: RecordSummary };
  readonly preservationDois: readonly string[];
  /** A bundle manifest's own `citation` block (publisher, title, type, version), when present. */
  readonly citation?: Readonly<Record<string, string>>;
  readonly links: readonly SummaryLink[];
  /** Other `pe:`/`pop:` performance fields, as display strings (certification and CI details, gate verdicts). */
  readonly extra: Readonly<Record<string, string>>;
}
