// Certifies a data release for a model version and rewrites the bundle manifest entry (interop §4.3, populace strategy), atomically.
import { sha256Hex } from '../hash/digest.js';
import { readDocumentFile } from '../io/read-file.js';
import { canonicalJsonBytes } from '../json/canonical.js';
import { isJsonObject, newJsonObject } from '../json/value.js';
import type { JsonObject } from '../json/value.js';
import { writeFileAtomic } from './atomic-write.js';
import { parseBundleManifest, readBundleManifest, readCountryRelease } from './bundle-manifest.js';
import { applyToBundle, modelPin } from './certify-bundle.js';
import { fetchManifest, headStatus, reachableOnHub } from './certify-hub.js';
import { buildBundleDataReleasePayload, buildCountryManifestPayload, isUsPopulace, releaseDir } from './certify-payload.js';
import { mergeRegionalManifest } from './certify-regional.js';
import { CertificationError, validateReleaseManifest } from './certify-rules.js';
import type { CompatibilityBasis } from './certify-rules.js';
import { checkShapes } from './certify-shapes.js';
import { parseDataReleaseManifest } from './data-release-manifest.js';
import type { ReadDataReleaseManifest } from './data-release-manifest.js';
import { ManifestError } from './fields.js';
import { buildHfUri, hubBase, parseManifestUri, resolveUrl } from './hf-uri.js';
import type { ManifestUri } from './hf-uri.js';
import type { HttpClient } from './http.js';
import { unifiedDiff } from '../text/unified-diff.js';

/** The country model package certification pins, per country. */
export const MODEL_PACKAGES: Readonly<Record<string, string>> = { us: 'policyengine-us', uk: 'policyengine-uk' };

/** policyengine.py's default strategy per country (`legacy` is refused, so the US needs `populace` named). */
const DEFAULT_PRODUCER: Readonly<Record<string, string>> = { us: 'legacy', uk: 'populace' };

export interface CertifyOptions {
  readonly country: string;
  /** `hf://(dataset|model)/{repo_id}@{revision}/{path}`: where the manifest is published. */
  readonly manifestUri: string;
  /** The manifest's bytes, already at hand (a local copy): then nothing is fetched for it. */
  readonly manifestBytes?: Uint8Array;
  /** How the manifest is named in messages (default: the URI). */
  readonly manifestLabel?: string;
  readonly modelVersion: string;
  readonly bundlePath: string;
  /** How the bundle is named in messages and in `wrote` (default: bundlePath). */
  readonly bundleLabel?: string;
  /** Write the certified bundle here instead of rewriting bundlePath in place (parents created, atomic). */
  readonly outPath?: string;
  /** How outPath is named in `wrote` (default: outPath). */
  readonly outLabel?: string;
  /** `populace` or `legacy`; default per country (uk populace, us legacy). */
  readonly dataProducer?: string;
  /** Hugging Face token, sent as `Authorization: Bearer` to the hub only. */
  readonly token?: string;
  /**
   * HEAD the default dataset (and, for populace-us, every vendored dataset and the supplemental
   * us_source_coverage.json); default true. With false and a local manifest (manifestBytes) and skipPypi,
   * certification makes no network request at all.
   */
  readonly checkArtifacts?: boolean;
  readonly regionalManifestUri?: string;
  readonly regionalArtifactPrefix?: string;
  readonly regionalPathTemplate?: string;
  /** The runtime model's data-build fingerprint, enabling the `matching_data_build_fingerprint` basis. */
  readonly dataBuildFingerprint?: string;
  readonly http: HttpClient;
  /** Base replacing https://huggingface.co for requests (tests); written URIs always name the real hub. */
  readonly hubUrl?: string;
  readonly pypiUrl?: string;
  /** Do not ask PyPI for the wheel; keep the bundle's wheel pin when it is for the same version. */
  readonly skipPypi?: boolean;
  readonly certifiedBy?: string;
}

export interface CertificationResult {
  readonly country: string;
  readonly bundleId: string;
  readonly buildId: string;
  readonly defaultDataset: string;
  readonly datasetCount: number;
  readonly manifestUri: string;
  readonly manifestSha256: string;
  /** `pkg==version`. */
  readonly model: string;
  readonly dataProducer: string;
  readonly basis: CompatibilityBasis;
  readonly warnings: readonly string[];
  /** The bundle file as named by the caller. */
  readonly wrote: string;
}

export interface CertificationPlan {
  readonly result: CertificationResult;
  /** The new `data_releases.{cc}` entry. */
  readonly entry: JsonObject;
  /** The whole bundle manifest, canonical. */
  readonly bundleBytes: Uint8Array;
  /** The bundle manifest as read, in the same canonical form (what a preview diffs bundleBytes against). */
  readonly previousBytes: Uint8Array;
}

/** The summary lines policyengine.py prints. */
export function certificationSummary(r: CertificationResult): string[] {
  return [
    `certified ${r.country}: ${r.defaultDataset} (${r.datasetCount} datasets, build ${r.buildId})`,
    `  manifest: ${r.manifestUri}`,
    `  manifest sha256: ${r.manifestSha256}`,
    `  model: ${r.model}`,
    `  data-producer: ${r.dataProducer}`,
    `  wrote: ${r.wrote}`,
    ...r.warnings.map((w) => `  WARNING: ${w}`),
  ];
}

/**
 * Runs the whole certification without writing: returns the result and the new canonical bundle bytes.
 * Refusals are CertificationError (exit 4); bad URIs, manifests and bundles are MANIFEST_INVALID /
 * JSON_SYNTAX (exit 3); an unknown country or producer is USAGE (exit 2).
 */
export async function planCertification(options: CertifyOptions): Promise<CertificationPlan> {
  const cc = options.country;
  const pkg = MODEL_PACKAGES[cc];
  if (pkg === undefined || !Object.hasOwn(MODEL_PACKAGES, cc)) throw new CertificationError(`Unknown country '${cc}'.`, 'USAGE');
  const producer = options.dataProducer ?? DEFAULT_PRODUCER[cc] ?? 'populace';
  if (producer === 'legacy') {
    throw new CertificationError('Legacy data-producer certification updates are not implemented; only a populace data release can be certified (data producer populace).');
  }
  if (producer !== 'populace') throw new CertificationError(`Unknown data-producer '${producer}'.`, 'USAGE');
  if (options.regionalManifestUri !== undefined && cc !== 'us') throw new CertificationError('A regional manifest can only be merged for the US.', 'USAGE');

  const bundleLabel = options.bundleLabel ?? options.bundlePath;
  const bundle = parseBundleManifest(await readDocumentFile(options.bundlePath, { label: bundleLabel }), { label: bundleLabel });
  const peVersion = bundle.policyengine_version;
  if (peVersion === undefined || peVersion === '') {
    throw new ManifestError(bundleLabel, [{ severity: 'error', pointer: '/policyengine_version', message: 'the bundle manifest has no policyengine_version (the bundle id needs it)' }]);
  }

  const uri = parseManifestUri(options.manifestUri);
  const manifestLabel = options.manifestLabel ?? options.manifestUri;
  const bytes = options.manifestBytes ?? (await fetchManifest(uri, options)).bytes;
  const manifestSha256 = sha256Hex(bytes);
  const primary = parseDataReleaseManifest(bytes, { label: manifestLabel });
  let drm = primary.manifest;
  const warnings: string[] = [];
  let regional: { read: ReadDataReleaseManifest; uri: ManifestUri } | undefined;
  if (options.regionalManifestUri !== undefined) {
    const regionalUri = parseManifestUri(options.regionalManifestUri);
    const fetched = await fetchManifest(regionalUri, options);
    const read = parseDataReleaseManifest(fetched.bytes, { label: options.regionalManifestUri });
    const merged = mergeRegionalManifest(drm, read.manifest, {
      ...(options.regionalArtifactPrefix === undefined ? {} : { prefix: options.regionalArtifactPrefix }),
      ...(options.regionalPathTemplate === undefined ? {} : { pathTemplate: options.regionalPathTemplate }),
    });
    drm = merged.manifest;
    warnings.push(...merged.warnings);
    regional = { read, uri: regionalUri };
  }

  const verdict = validateReleaseManifest(drm, pkg, options.modelVersion, options.dataBuildFingerprint === undefined ? {} : { dataBuildFingerprint: options.dataBuildFingerprint });
  warnings.push(...verdict.warnings);
  await checkShapes(primary, manifestLabel);
  if (regional !== undefined) await checkShapes(regional.read, options.regionalManifestUri ?? '<regional manifest>');

  const populaceUs = isUsPopulace(cc, drm) && uri.repoId === 'policyengine/populace-us';
  const checkArtifacts = options.checkArtifacts !== false;
  if (populaceUs && checkArtifacts) {
    const dir = releaseDir(uri.path);
    const path = dir === '' ? 'us_source_coverage.json' : `${dir}/us_source_coverage.json`;
    const url = resolveUrl(hubBase(options.hubUrl), uri.repoType, uri.repoId, uri.revision, path);
    if ((await headStatus(options, url)) !== 200) throw new CertificationError(`Required supplemental release file is not reachable: ${url}`);
  }
  const defaultArtifact = drm.artifacts[verdict.defaultDataset];
  if (checkArtifacts && defaultArtifact !== undefined && !(await reachableOnHub(options, defaultArtifact.repo_id, defaultArtifact.revision, defaultArtifact.path))) {
    throw new CertificationError(`Certified dataset artifact is not reachable: ${buildHfUri(defaultArtifact.repo_id, defaultArtifact.path, defaultArtifact.revision)}`);
  }

  const modelPackage = await modelPin(options, pkg, bundle, warnings);
  const countryPayload = buildCountryManifestPayload({
    country: cc,
    manifestUri: uri,
    drm,
    drmLabel: manifestLabel,
    basis: verdict.basis,
    defaultDataset: verdict.defaultDataset,
    modelPackage,
    policyengineVersion: peVersion,
    ...(options.certifiedBy === undefined ? {} : { certifiedBy: options.certifiedBy }),
  });
  const datasets = isJsonObject(countryPayload['datasets']) ? countryPayload['datasets'] : newJsonObject();
  if (checkArtifacts && populaceUs) {
    for (const name of Object.keys(datasets)) {
      const d = datasets[name];
      if (!isJsonObject(d)) continue;
      const repoId = typeof d['repo_id'] === 'string' ? d['repo_id'] : uri.repoId;
      const revision = typeof d['revision'] === 'string' ? d['revision'] : uri.revision;
      const path = typeof d['path'] === 'string' ? d['path'] : '';
      if (!(await reachableOnHub(options, repoId, revision, path))) {
        throw new CertificationError(`Vendored artifact '${name}' is not reachable at ${buildHfUri(repoId, path, revision)}`);
      }
    }
  }
  const entry = buildBundleDataReleasePayload(countryPayload, {
    dataProducer: producer,
    sourceManifestUri: options.manifestUri,
    ...(regional === undefined || options.regionalManifestUri === undefined
      ? {}
      : { regional: { sourceManifestUri: options.regionalManifestUri, manifestUri: regional.uri } }),
  });

  const newBundle = applyToBundle(bundle.raw, cc, entry, pkg, options.modelVersion);
  const bundleBytes = canonicalJsonBytes(newBundle);
  // The rewritten bundle must still read: overlays may now clash with the new datasets.
  readCountryRelease(readBundleManifest(newBundle, { label: bundleLabel, sourceSha256: sha256Hex(bundleBytes) }), cc);
  const buildId = typeof entry['build_id'] === 'string' ? entry['build_id'] : '';
  return {
    result: {
      country: cc,
      bundleId: `${cc}-${peVersion}`,
      buildId,
      defaultDataset: verdict.defaultDataset,
      datasetCount: Object.keys(datasets).length,
      manifestUri: options.manifestUri,
      manifestSha256,
      model: `${pkg}==${options.modelVersion}`,
      dataProducer: producer,
      basis: verdict.basis,
      warnings,
      wrote: bundleLabel,
    },
    entry,
    bundleBytes,
    previousBytes: canonicalJsonBytes(bundle.raw),
  };
}

/**
 * Certifies and writes the bundle manifest atomically (in place, or to outPath leaving the input untouched); on
 * any failure nothing is written. For a preview that writes nothing, use planCertification and certificationDiff.
 */
export async function certifyDataRelease(options: CertifyOptions): Promise<CertificationResult> {
  const plan = await planCertification(options);
  const out = options.outPath ?? options.bundlePath;
  const wrote = options.outPath === undefined ? plan.result.wrote : (options.outLabel ?? options.outPath);
  await writeFileAtomic(out, plan.bundleBytes, { label: wrote });
  return { ...plan.result, wrote };
}

/** The change a certification plan makes to the bundle manifest, as a unified diff of its canonical form. */
export function certificationDiff(plan: CertificationPlan, label: string): string[] {
  const decode = (b: Uint8Array): string => new TextDecoder().decode(b);
  return unifiedDiff(decode(plan.previousBytes), decode(plan.bundleBytes), { from: `${label} (canonical)`, to: `${label} (certified)` });
}
