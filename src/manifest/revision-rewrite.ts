// The runtime revision rewrite of interop §4.5: artifacts pinned to the data version move to the release manifest revision.
import type { DataPackagePin, DataReleaseManifest, ReleaseArtifact } from './types.js';

/**
 * When the country's `data_package.release_manifest_revision` is set, every artifact in the data package's
 * own repo whose revision equals the data package version gets that revision instead (a tag becomes the
 * commit the manifest was read at). Artifact URIs change; `source_sha256` does not (it is of the raw bytes).
 * Returns the same object when nothing changes.
 */
export function rewriteArtifactRevisions(drm: DataReleaseManifest, dataPackage: Pick<DataPackagePin, 'repo_id' | 'version' | 'release_manifest_revision'>): DataReleaseManifest {
  const target = dataPackage.release_manifest_revision;
  if (target === undefined || target === '') return drm;
  let changed = false;
  const artifacts = Object.create(null) as Record<string, ReleaseArtifact>;
  for (const [name, art] of Object.entries(drm.artifacts)) {
    if (art.repo_id === dataPackage.repo_id && art.revision === dataPackage.version && art.revision !== target) {
      artifacts[name] = { ...art, revision: target };
      changed = true;
    } else {
      artifacts[name] = art;
    }
  }
  return changed ? { ...drm, artifacts } : drm;
}
