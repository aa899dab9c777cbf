// URI normalisation for link matching: the several spellings of one Hugging Face file, and private repo ids.

/** The parts of a Hugging Face file reference, whichever of the three published spellings it uses. */
export interface HfFile {
  readonly repoId: string;
  readonly revision: string;
  readonly path: string;
}

const HTTPS_RE = /^https:\/\/huggingface\.co\/(?:datasets\/)?([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/;
const MANIFEST_RE = /^hf:\/\/(?:(?:model|dataset|datasets)\/)?([^/@]+\/[^/@]+)@([^/]+)\/(.+)$/;

/**
 * Reads `https://huggingface.co/[datasets/]owner/repo/resolve/REV/path`, `hf://[model|dataset/]owner/repo@REV/path`
 * and `hf://owner/repo/path@REV` (the artifact form). Undefined for anything else or an unpinned reference.
 */
export function parseHfFile(uri: string): HfFile | undefined {
  const https = HTTPS_RE.exec(uri);
  if (https !== null) return { repoId: https[1] ?? '', revision: decodeURIComponent(https[2] ?? ''), path: https[3] ?? '' };
  const manifest = MANIFEST_RE.exec(uri);
  if (manifest !== null) return { repoId: manifest[1] ?? '', revision: manifest[2] ?? '', path: manifest[3] ?? '' };
  if (!uri.startsWith('hf://')) return undefined;
  let body = uri.slice(5);
  for (const type of ['model/', 'dataset/', 'datasets/']) if (body.startsWith(type)) body = body.slice(type.length);
  const at = body.lastIndexOf('@');
  if (at < 0) return undefined;
  const location = body.slice(0, at);
  const revision = body.slice(at + 1);
  const parts = location.split('/');
  if (parts.length < 3 || revision === '' || revision.includes('/')) return undefined;
  return { repoId: `${parts[0] ?? ''}/${parts[1] ?? ''}`, revision, path: parts.slice(2).join('/') };
}

/** One key per pinned Hugging Face file (`hf:owner/repo@rev/path`); other URIs are their own key. */
export function uriKey(uri: string): string {
  const hf = parseHfFile(uri);
  return hf === undefined ? uri : `hf:${hf.repoId}@${hf.revision}/${hf.path}`;
}

/** The hf:// artifact URI of a manifest entry's repo/revision/path (the form policyengine.py builds). */
export function hfArtifactUri(repoId: string, path: string, revision: string): string {
  return `hf://${repoId}/${path}@${revision}`;
}

/** Repository ids pe-data §6 names as restricted regardless of their name. */
const RESTRICTED_REPOS: ReadonlySet<string> = new Set(['policyengine/irs-soi-puf']);

/** The repo id when it names a private repository (`*-private`, or a known restricted one). */
export function privateRepoId(repoId: string): string | undefined {
  const id = repoId.trim();
  return /-private$/i.test(id) || RESTRICTED_REPOS.has(id.toLowerCase()) ? id : undefined;
}

/** The private repo a URI points into (any HF spelling, or a `release://owner/repo/…` locator), if any. */
export function privateRepoInUri(uri: string): string | undefined {
  const hf = parseHfFile(uri);
  if (hf !== undefined) return privateRepoId(hf.repoId);
  const loose = /^(?:https:\/\/huggingface\.co\/(?:datasets\/)?|hf:\/\/(?:(?:model|dataset|datasets)\/)?|release:\/\/)([^/@]+\/[^/@;\s]+)/.exec(uri);
  return loose === null ? undefined : privateRepoId(loose[1] ?? '');
}
