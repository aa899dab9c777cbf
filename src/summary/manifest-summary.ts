// Summarises a policyengine.py bundle manifest (manifest.json, schema v2): one release per country, the citation block.
import { isJsonObject, type JsonObject } from '../json/value.js';
import { sha256Hex } from '../hash/digest.js';
import { displayValue, obj, str } from './json-fields.js';
import { opt } from './tro-summary.js';
import type { ReleaseFacts, RecordSummary, SummaryLink } from './types.js';

/** True when a JSON object looks like a bundle manifest (has `data_releases` or `countries` + `packages`). */
export function looksLikeBundleManifest(doc: JsonObject): boolean {
  return isJsonObject(doc['data_releases']) || (isJsonObject(doc['countries']) && isJsonObject(doc['packages']));
}

/** The manifest's `citation` block as display strings (publisher, title, type, version), when present. */
export function manifestCitation(doc: JsonObject): Record<string, string> | undefined {
  const c = doc['citation'];
  if (!isJsonObject(c)) return undefined;
  const out: Record<string, string> = {};
  for (const k of Object.keys(c).sort()) {
    const v = c[k];
    if (v !== undefined && v !== null) out[k] = displayValue(v);
  }
  return out;
}

/** The release facts of each `data_releases.{cc}` entry, countries sorted. */
export function manifestReleases(doc: JsonObject): ReleaseFacts[] {
  const releases = doc['data_releases'];
  if (!isJsonObject(releases)) return [];
  return Object.keys(releases)
    .sort()
    .flatMap((cc): ReleaseFacts[] => {
      const r = releases[cc];
      if (!isJsonObject(r)) return [];
      const mp = obj(r, 'model_package');
      const dp = obj(r, 'data_package');
      const ca = obj(r, 'certified_data_artifact');
      const cert = obj(r, 'certification');
      const datasetName = str(ca, 'dataset') ?? str(r, 'default_dataset');
      return [
        {
          country: str(r, 'country_id') ?? cc,
          ...opt('bundleId', str(r, 'bundle_id')),
          model: { ...opt('name', str(mp, 'name')), ...opt('version', str(mp, 'version')), ...opt('wheelSha256', str(mp, 'sha256')), ...opt('wheelUrl', str(mp, 'wheel_url')) },
          data: {
            ...opt('package', str(dp, 'name')),
            ...opt('version', str(dp, 'version')),
            ...opt('buildId', str(cert, 'data_build_id') ?? str(ca, 'build_id') ?? str(r, 'build_id')),
            ...opt('buildFingerprint', str(cert, 'data_build_fingerprint')),
            ...opt('builtWithModelVersion', str(cert, 'built_with_model_version')),
            ...opt('builtWithModelGitSha', str(cert, 'built_with_model_git_sha')),
            ...(datasetName === undefined && ca === undefined ? {} : { dataset: { ...opt('name', datasetName), ...opt('sha256', str(ca, 'sha256')), ...opt('location', str(ca, 'uri')) } }),
            ...(str(r, 'release_manifest_uri') === undefined ? {} : { releaseManifest: { location: str(r, 'release_manifest_uri') as string } }),
          },
          certification: {
            ...opt('compatibilityBasis', str(cert, 'compatibility_basis')),
            ...opt('certifiedForModelVersion', str(cert, 'certified_for_model_version')),
            ...opt('certifiedBy', str(cert, 'certified_by')),
          },
        },
      ];
    });
}

/** The summary of a bundle manifest file: its bytes' sha256 is the bundle TROs' `bundle_manifest` artifact hash. */
export function summarizeBundleManifest(doc: JsonObject, bytes: Uint8Array, fileName: string): RecordSummary {
  const releases = manifestReleases(doc);
  const citation = manifestCitation(doc);
  const links: SummaryLink[] = [];
  for (const r of releases) {
    if (r.data.releaseManifest?.location !== undefined) links.push({ kind: 'data-release-manifest', target: r.data.releaseManifest.location });
    if (r.data.buildId !== undefined) links.push({ kind: 'build', target: r.data.buildId });
  }
  const text = new TextDecoder().decode(bytes).replace(/\r\n?/g, '\n');
  const sha = sha256Hex(text);
  const version = str(doc, 'bundle_version') ?? str(doc, 'policyengine_version');
  const extra: Record<string, string> = {};
  for (const k of ['schema_version', 'bundle_version', 'policyengine_version']) {
    const v = doc[k];
    if (v !== undefined && v !== null) extra[k] = displayValue(v);
  }
  return {
    source: 'bundle-manifest',
    kind: 'bundle-manifest',
    name: version === undefined ? fileName : `policyengine.py bundle manifest ${version}`,
    ...(citation?.['publisher'] === undefined ? {} : { creator: { name: citation['publisher'] } }),
    ...(str(doc, 'policyengine_version') === undefined ? {} : { producer: { name: 'policyengine', version: str(doc, 'policyengine_version') as string } }),
    dates: {},
    artifacts: [
      { id: 'bundle_manifest', role: 'bundle-manifest', name: fileName, mimeType: 'application/json', hash: { algorithm: 'sha256', value: sha }, shortHash: sha.slice(0, 12), locations: [fileName], restricted: false },
    ],
    releases,
    runtimeEnvironment: {},
    preservationDois: [],
    ...(citation === undefined ? {} : { citation }),
    links,
    extra,
  };
}
