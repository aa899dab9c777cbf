// Restricted-ness signals (pe-data §6): each names what made an artifact restricted and the record that says so.

/**
 * The kinds of evidence that an artifact's bytes are not publicly reachable. Any one is enough; each keeps
 * its provenance because the sources disagree (microcosm calls the IRS PUF `public_microdata`).
 */
export type RestrictionSignalKind =
  /** A source-stage artifact `kind` of licensed_, private_ or restricted_microdata. */
  | 'source-kind'
  /** A source-stage `access` of private_local_input. */
  | 'access'
  /** A Hugging Face repo id that is private by name (`*-private`, `policyengine/irs-soi-puf`). */
  | 'private-repo'
  /** A manifest artifact `metadata.visibility` of private. */
  | 'visibility'
  /** Free text such as a populace manifest's `build.metadata.private`. */
  | 'free-text'
  /** A curator said so (a `--restricted-input` or an inputs file). */
  | 'curated';

export interface RestrictionSignal {
  readonly kind: RestrictionSignalKind;
  /** What was seen, e.g. `source-stage kind licensed_microdata`. */
  readonly detail: string;
  /** Where: `<file name>#<JSON pointer>`, or `command line`. */
  readonly record: string;
}

export const RESTRICTED_SOURCE_KINDS: readonly string[] = ['licensed_microdata', 'private_microdata', 'restricted_microdata'];
export const RESTRICTED_ACCESS: readonly string[] = ['private_local_input'];

/** Repo ids PolicyEngine keeps private without saying so in the name (pe-data §0 item 2). */
const KNOWN_PRIVATE_REPOS: readonly string[] = ['policyengine/irs-soi-puf'];

/** Whether a Hugging Face repo id is private by name. */
export function isPrivateRepoId(repoId: string): boolean {
  return repoId.endsWith('-private') || KNOWN_PRIVATE_REPOS.includes(repoId);
}

/** The private repo ids named in a free-text locator (`release://policyengine/irs-soi-puf/1.8.0/puf_2024.h5`, `hf://…`). */
export function privateReposIn(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(/(?:release|hf):\/\/(?:(?:datasets|models|dataset|model)\/)?([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+)/g)) {
    const repo = m[1];
    if (repo !== undefined && isPrivateRepoId(repo)) found.add(repo);
  }
  for (const repo of KNOWN_PRIVATE_REPOS) if (text.includes(repo)) found.add(repo);
  for (const m of text.matchAll(/\b([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+-private)\b/g)) if (m[1] !== undefined) found.add(m[1]);
  return [...found].sort();
}

/** A signal as the one-line `pop:restrictionBasis` text: what, then where. */
export function basisText(signal: RestrictionSignal): string {
  return `${signal.detail} (${signal.record})`;
}
