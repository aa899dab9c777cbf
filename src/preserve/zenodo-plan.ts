// What a Zenodo mirror deposits (files, bytes, sha256, metadata) and the requests it will make: shared by the real run and --dry-run.
import { createHash } from 'node:crypto';
import { sha256Hex } from '../hash/index.js';
import { canonicalJsonBytes } from '../json/index.js';
import { hfToHttps } from '../manifest/index.js';
import type { CountryRelease, DataReleaseManifest } from '../manifest/index.js';
import type { FetchedDataset } from './licence-gate.js';
import { countryReleaseDump, dataReleaseManifestDump } from './model-dump.js';

/** One file of the deposit: its name in the bucket, bytes and digests (Zenodo reports md5; mirrors carry sha256). */
export interface DepositFile {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly sha256: string;
  readonly md5: string;
  readonly size: number;
}

/** The deposition metadata policyengine.py sends (interop §8.6). */
export interface DepositionMetadata {
  readonly title: string;
  readonly upload_type: 'dataset';
  readonly description: string;
  readonly creators: readonly { readonly name: string }[];
  readonly version: string;
  readonly keywords: readonly string[];
  readonly related_identifiers: readonly { readonly identifier: string; readonly relation: string }[];
  readonly license?: string;
}

export function depositFile(name: string, bytes: Uint8Array): DepositFile {
  return { name, bytes, sha256: sha256Hex(bytes), md5: createHash('md5').update(bytes).digest('hex'), size: bytes.length };
}

/**
 * The files, in upload order: `{cc}.bundle_manifest.json` (canonical model dump of the country entry, not
 * the manifest.json bytes), `{cc}.trace.tro.jsonld` (the TRO bytes as given), `{cc}.data_release_manifest.json`
 * (canonical model dump, after the revision rewrite) when there is one, then the dataset when included.
 */
export function depositFiles(release: CountryRelease, troBytes: Uint8Array, drm: DataReleaseManifest | undefined, dataset: FetchedDataset | undefined): DepositFile[] {
  const cc = release.country_id;
  const files = [depositFile(`${cc}.bundle_manifest.json`, canonicalJsonBytes(countryReleaseDump(release))), depositFile(`${cc}.trace.tro.jsonld`, troBytes)];
  if (drm !== undefined) files.push(depositFile(`${cc}.data_release_manifest.json`, canonicalJsonBytes(dataReleaseManifestDump(drm))));
  if (dataset !== undefined) files.push(depositFile(dataset.filename, dataset.bytes));
  return files;
}

/** `bundle_id` from the manifest, else `{cc}-{policyengine_version}`. */
export function bundleIdOf(release: CountryRelease): string {
  return release.bundle_id ?? `${release.country_id}-${release.policyengine_version}`;
}

/** Title, description sentences, creators, version, keywords, the dataset's https address as an alternate identifier, the licence when given. */
export function depositionMetadata(release: CountryRelease, drm: DataReleaseManifest | undefined, licenseId: string | undefined): DepositionMetadata {
  const cc = release.country_id;
  const bundleId = bundleIdOf(release);
  const cda = release.certified_data_artifact;
  const sentences = [
    `Certification record for the PolicyEngine ${cc} certified release bundle ${bundleId}.`,
    `Model package: ${release.model_package.name}==${release.model_package.version}.`,
    `Data package: ${release.data_package.name}==${release.data_package.version}.`,
  ];
  const buildId = drm?.build?.build_id;
  if (buildId !== undefined) sentences.push(`Data build: ${buildId}.`);
  if (cda?.sha256 !== undefined) sentences.push(`Certified dataset ${cda.dataset} sha256 ${cda.sha256}.`);
  sentences.push('The bundled TRACE Transparent Research Object pins every artifact by sha256; verify any copy with `policyengine trace-tro-verify`.');
  const location = cda === undefined ? undefined : hfToHttps(cda.uri, release.data_package.repo_type);
  return {
    title: `PolicyEngine ${cc} certified release ${bundleId} (certification record)`,
    upload_type: 'dataset',
    description: sentences.join(' '),
    creators: [{ name: 'PolicyEngine' }],
    version: release.policyengine_version,
    keywords: ['microsimulation', 'tax-benefit', 'replication', 'TRACE', 'provenance'],
    related_identifiers: location !== undefined && location.startsWith('https://') ? [{ identifier: location, relation: 'isAlternateIdentifier' }] : [],
    ...(licenseId === undefined ? {} : { license: licenseId }),
  };
}

/** One request of the plan; `{id}`, `{bucket}`, `{latest_draft}` stand for values only the server can give. */
export interface PlannedRequest {
  readonly step: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly url: string;
  /** For uploads: the file's size and sha256; for JSON requests: the body. */
  readonly body?: unknown;
}

/** Every request a mirror makes, in order, for `--dry-run`. */
export function plannedRequests(base: string, files: readonly DepositFile[], metadata: DepositionMetadata, options: { publish: boolean; newVersionOf?: string }): PlannedRequest[] {
  const out: PlannedRequest[] = [];
  if (options.newVersionOf === undefined) {
    out.push({ step: 'deposition creation', method: 'POST', url: `${base}/deposit/depositions`, body: {} });
  } else {
    out.push({ step: 'new version', method: 'POST', url: `${base}/deposit/depositions/${options.newVersionOf}/actions/newversion` });
    out.push({ step: 'new version draft lookup', method: 'GET', url: '{latest_draft}' });
    out.push({ step: 'removal of inherited files not in this deposit', method: 'DELETE', url: '{bucket}/{inherited file}' });
  }
  for (const f of files) out.push({ step: `upload of ${f.name}`, method: 'PUT', url: `{bucket}/${f.name}`, body: { size: f.size, sha256: f.sha256, md5: f.md5 } });
  out.push({ step: 'metadata update', method: 'PUT', url: `${base}/deposit/depositions/{id}`, body: { metadata } });
  if (options.publish) out.push({ step: 'publish', method: 'POST', url: `${base}/deposit/depositions/{id}/actions/publish` });
  return out;
}
