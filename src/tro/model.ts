// The typed TRO model every dialect is read into: artifacts with their hashes, locations, fingerprint, dialect label.

/** The TRO dialects pe-trace reads. `pe-0.1-hash` is the mixed form (pe: namespace + TROv 0.1 hash objects). */
export type DialectId = 'pe-0.1' | 'pe-0.1-hash' | 'trov-0.1' | 'trov-2023-05';

/**
 * How a composition fingerprint is computed from the artifact hash values:
 * `sha256-newline` = sha256(utf8(sorted(values).join("\n"))) (policyengine.py, populace, us-data);
 * `sha256-concat`  = sha256(utf8(sorted(values).join(""))) (TROv 0.1 spec, tro-utils).
 */
export type FingerprintAlgorithm = 'sha256-newline' | 'sha256-concat';

export interface Dialect {
  readonly id: DialectId;
  /** The trov namespace IRI the document uses. */
  readonly trovNamespace: string;
  readonly fingerprintAlgorithm: FingerprintAlgorithm;
  /** Human-readable reasons for the label (which spellings were seen), for reports. */
  readonly evidence: readonly string[];
}

/** How a hash is spelled: pe-0.1's bare `trov:sha256` literal, or TROv 0.1's `trov:hash` {hashAlgorithm, hashValue} object. */
export type HashSpelling = 'trov:sha256' | 'trov:hash';

/** One hash of an artifact or fingerprint, with where it sits in the JSON document. */
export interface TroHash {
  /** Lower-case algorithm name as written (`sha256`, `sha3-256`, `blake3`, …). pe-0.1 `trov:sha256` gives `sha256`. */
  readonly algorithm: string;
  /** The value exactly as written (not re-cased, not validated). */
  readonly value: string;
  /** JSON pointer of the value in the document. */
  readonly pointer: string;
  /** How the document spells it (set by the reader; absent on hand-built hashes). */
  readonly spelling?: HashSpelling;
}

export interface TroArtifact {
  /** The artifact's `@id` as written (relative ids stay relative). */
  readonly id: string;
  /** The text after the first `/artifact/` in the id, or the whole id (policyengine.py's `--skip` key). */
  readonly shortId: string;
  /** Zero, one or several hashes (TROv 0.1 allows an array of hash objects). */
  readonly hashes: readonly TroHash[];
  readonly mimeType?: string;
  readonly name?: string;
  readonly pointer: string;
}

export interface TroLocation {
  readonly id?: string;
  /** The `@id` of the artifact this location places (`trov:hasArtifact` / `trov:artifact`). */
  readonly artifactId: string;
  /** The location string (`trov:hasLocation` / `trov:path`). */
  readonly location: string;
  /** Further locations the same node gives (several values, or both keys); each must hold the same bytes. */
  readonly others?: readonly string[];
  readonly pointer: string;
}

export interface TroArrangement {
  readonly id?: string;
  readonly comment?: string;
  readonly locations: readonly TroLocation[];
  readonly pointer: string;
}

/**
 * A performance's link to an arrangement: direct (`{"@id": "arrangement/1"}`, policyengine.py, us-data,
 * trace-model) or through a `trov:ArrangementBinding` (`{"trov:arrangement": {"@id": …}, "trov:boundTo": …}`,
 * TROv 0.1 spec since 2026-04-08, tro-utils, uk-data draft).
 */
export interface TroArrangementLink {
  /** The `@id` of the arrangement (relative ids stay relative). */
  readonly arrangementId: string;
  readonly viaBinding: boolean;
  readonly bindingId?: string;
  /** The binding's `trov:boundTo` mount path. */
  readonly boundTo?: string;
  readonly pointer: string;
}

export interface TroPerformance {
  readonly id?: string;
  readonly pointer: string;
  /** `@type` values as written (e.g. `trov:TransparentResearchPerformance`). Set by the reader. */
  readonly types?: readonly string[];
  readonly comment?: string;
  readonly startedAtTime?: string;
  readonly endedAtTime?: string;
  /** `trov:accessedArrangement` links, in document order. Set by the reader (possibly empty). */
  readonly accessed?: readonly TroArrangementLink[];
  /** `trov:contributedToArrangement` links (and the pre-release `trov:modifiedArrangement`). Set by the reader. */
  readonly contributed?: readonly TroArrangementLink[];
}

/** A data-quality observation made while reading (not an error): e.g. extra @graph nodes, duplicate locations. */
export interface ReadFinding {
  readonly severity: 'warning' | 'info';
  readonly message: string;
  readonly pointer: string;
}

export interface TroModel {
  readonly dialect: Dialect;
  /** The TRO node's `@id`, and its JSON pointer (`/@graph/0`). */
  readonly troId: string;
  readonly troPointer: string;
  readonly name?: string;
  /** `trov:vocabularyVersion` as written (TROv 0.1 requires `"0.1"`; pe-0.1 documents have none). */
  readonly vocabularyVersion?: string;
  /** The document's own `@base` from its top-level context (`null` = explicitly none), when it sets one. */
  readonly documentBase?: string | null;
  readonly compositionId?: string;
  /** The claimed composition fingerprint (absent when the document has none). */
  readonly fingerprint?: TroHash;
  /** Artifacts in composition order. */
  readonly artifacts: readonly TroArtifact[];
  readonly arrangements: readonly TroArrangement[];
  readonly performances: readonly TroPerformance[];
  readonly findings: readonly ReadFinding[];
}
