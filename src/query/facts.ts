// The link-relevant facts extracted from one document (JSON-serialisable, cached by file sha256).
import type { DialectId } from '../tro/model.js';

/** What a file under --dir is, judged from its content (never from its name alone). */
export type DocumentKind =
  | 'tro'
  | 'release-manifest'
  | 'bundle-manifest'
  | 'build-manifest'
  | 'source-stages'
  | 'country-bundle'
  | 'run-payload'
  | 'turtle'
  | 'other';

/** The provenance node types of pe-data §6 that documents declare. */
export type EntityType = 'Build' | 'ReleaseManifest' | 'Bundle' | 'RunPayload' | 'Run' | 'SourceRegistry' | 'Other';

/**
 * An artifact's role inside the entity that lists it. Consumer roles say the entity depends on the content
 * (a build's input, a bundle's pinned dataset, a run's bundle TRO); producer roles say the entity made or
 * publishes it (a build's output, a release manifest's listing).
 */
export type ArtifactRole =
  | 'input'
  | 'output'
  | 'payload'
  | 'listed'
  | 'bundle-manifest'
  | 'release-manifest'
  | 'dataset'
  | 'model-wheel'
  | 'bundle-tro'
  | 'run-input'
  | 'run-output'
  | 'source-pin'
  | 'other';

export const CONSUMER_ROLES: ReadonlySet<ArtifactRole> = new Set(['input', 'bundle-manifest', 'release-manifest', 'dataset', 'model-wheel', 'bundle-tro', 'run-input']);
export const PRODUCER_ROLES: ReadonlySet<ArtifactRole> = new Set(['output', 'listed', 'run-output', 'payload']);

/** How a document marks content as restricted (pe-data §6): any one signal is enough. */
export type SignalKind =
  | 'access-restricted-flag'
  | 'source-kind'
  | 'private-local-input'
  | 'visibility'
  | 'private-repo'
  | 'free-text';

/** A string value and where the document says it (a JSON pointer, or an IRI for RDF documents). */
export interface Stated {
  readonly value: string;
  readonly pointer: string;
}

export interface EntityFact {
  /** The entity's node IRI in the document's graph (TRO node, manifest node, country entry …). */
  readonly iri: string;
  readonly type: EntityType;
  /** A short human label (`bundle TRO us-5.0.3`, `release manifest populace-uk-2023-…`). */
  readonly label: string;
  readonly pointer: string;
  /** Build ids this entity declares as its own (`pop:buildId`, `build.build_id`, a build manifest's `build_id`). */
  readonly buildIds: readonly Stated[];
  /** Build ids whose data this entity consumes (`pe:dataBuildId`, `certification.data_build_id`, …). */
  readonly dataBuildIds: readonly Stated[];
  /** The composition fingerprint (TROs only). */
  readonly fingerprint?: Stated;
  /** A run's `pe:bundleFingerprint`. */
  readonly bundleFingerprints: readonly Stated[];
  /** A run's `pe:bundleTroUrl`. */
  readonly bundleTroUrls: readonly Stated[];
  /** Where the document says it is published (`pe:selfUrl`, `pop:selfUrl`). */
  readonly selfUrls: readonly Stated[];
  /** Free-text remarks an auditor should see (e.g. the prose `construction` naming sources). */
  readonly notes: readonly Stated[];
}

export interface ArtifactFact {
  /** The artifact's node IRI (absent for blank-node artifacts of RDF documents). */
  readonly iri: string;
  /** IRI of the entity listing it. */
  readonly entity: string;
  readonly pointer: string;
  /** The short id / manifest key (`dataset`, `populace_uk_2023`, `accounts`). */
  readonly key: string;
  readonly name?: string;
  readonly role: ArtifactRole;
  /** Lower-case sha256 hex values (other algorithms are not join keys here). */
  readonly sha256: readonly Stated[];
  /** Locations and URIs as written (TRO locations, `uri`, hf:// forms built from repo/revision/path). */
  readonly locations: readonly Stated[];
  /** External identifiers stated for it (`ukds_study_number=9563`, `doi=10.5255/…`), for auditors. */
  readonly externalIds: readonly Stated[];
  /** The build the listing document says made it (a bundle's data build id for its datasets), when it says. */
  readonly fromBuild?: Stated;
}

export interface SignalFact {
  /** IRI of the artifact the signal marks. */
  readonly artifact: string;
  readonly kind: SignalKind;
  /** The value that carries the signal (`true`, `licensed_microdata`, `policyengine/x-private`, the prose). */
  readonly value: string;
  readonly pointer: string;
}

/** Everything the loader keeps about one document; a pure function of the file's bytes (hence cacheable). */
export interface DocumentFacts {
  readonly kind: DocumentKind;
  readonly dialect?: DialectId;
  /** The document's named graph (its base IRI, derived from the bytes' sha256). */
  readonly graph: string;
  readonly entities: readonly EntityFact[];
  readonly artifacts: readonly ArtifactFact[];
  readonly signals: readonly SignalFact[];
  /** Why the document was read the way it was, and what could not be read (never fatal). */
  readonly warnings: readonly string[];
}

/** An empty entity record, to be spread with what a reader knows. */
export function entity(iri: string, type: EntityType, label: string, pointer: string): EntityFact {
  return {
    iri,
    type,
    label,
    pointer,
    buildIds: [],
    dataBuildIds: [],
    bundleFingerprints: [],
    bundleTroUrls: [],
    selfUrls: [],
    notes: [],
  };
}

const SHA256_RE = /^[0-9a-f]{64}$/;

/** A bare lower-case 64-hex sha256, or `sha256:<hex>` stripped to hex; anything else undefined. */
export function normaliseSha256(value: string): string | undefined {
  const v = value.trim().toLowerCase();
  const hex = v.startsWith('sha256:') ? v.slice(7) : v;
  return SHA256_RE.test(hex) ? hex : undefined;
}
