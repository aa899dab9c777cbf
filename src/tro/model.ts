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

/** One hash of an artifact or fingerprint, with where it sits in the JSON document. */
export interface TroHash {
  /** Lower-case algorithm name as written (`sha256`, `sha3-256`, `blake3`, …). pe-0.1 `trov:sha256` gives `sha256`. */
  readonly algorithm: string;
  /** The value exactly as written (not re-cased, not validated). */
  readonly value: string;
  /** JSON pointer of the value in the document. */
  readonly pointer: string;
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
  readonly pointer: string;
}

export interface TroArrangement {
  readonly id?: string;
  readonly comment?: string;
  readonly locations: readonly TroLocation[];
  readonly pointer: string;
}

export interface TroPerformance {
  readonly id?: string;
  readonly pointer: string;
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
  readonly compositionId?: string;
  /** The claimed composition fingerprint (absent when the document has none). */
  readonly fingerprint?: TroHash;
  /** Artifacts in composition order. */
  readonly artifacts: readonly TroArtifact[];
  readonly arrangements: readonly TroArrangement[];
  readonly performances: readonly TroPerformance[];
  readonly findings: readonly ReadFinding[];
}
