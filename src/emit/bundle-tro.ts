// The certified bundle TRO (interop §2.1): inputs resolved into the TRO's values, then lifted, CONSTRUCTed and framed.
import { InputError } from '../errors.js';
import { hfToHttps, httpsReleaseManifestUri } from '../manifest/hf-uri.js';
import type { Certification, CountryRelease } from '../manifest/types.js';
import { type EmissionContext, SCHEMA_EMITTED_IN, checkEmissionContext } from './emission-context.js';
import { mimeTypeOf } from './mime.js';
import { type EmitFinding, type EmittedTro, emitTro } from './pipeline.js';
import type { EmissionRequest, PerformanceValue, RequestArtifact } from './request-graph.js';

/**
 * What a bundle TRO needs from a data release manifest (a `DataReleaseManifest` from the manifest area fits):
 * the sha256 of the bytes it was read from, its build time, its artifacts and its preservation DOIs.
 */
export interface ReleaseManifestFacts {
  readonly source_sha256?: string;
  readonly build?: { readonly built_at?: string } | null;
  readonly artifacts: Readonly<Record<string, { readonly path: string; readonly sha256?: string }>>;
  readonly preservation_dois?: readonly string[];
}

/** A PyPI-style lookup of a wheel's sha256 and URL (the CLI wraps `fetchPypiWheelMetadata`); a rejection means "unknown", noted as a finding. */
export type PypiLookup = (name: string, version: string) => Promise<{ readonly sha256?: string | null; readonly url?: string | null }>;

export interface BundleTroInput {
  /** The `data_releases.{cc}` entry with overlays merged; `source_sha256` is the bundle manifest file's hash. */
  readonly country: CountryRelease;
  /** The data release manifest; absent for a limited TRO (`pe:dataReleaseManifestStatus: "unavailable"`). */
  readonly dataReleaseManifest?: ReleaseManifestFacts | undefined;
  /** Overrides the country's own certification (e.g. a runtime certification). */
  readonly certification?: Certification | undefined;
  /** Default `data/bundle/manifest.json` (relative to the package root). */
  readonly bundleManifestLocation?: string | undefined;
  /** Default: the https release manifest URI the country entry names. */
  readonly dataReleaseManifestLocation?: string | undefined;
  readonly modelWheelSha256?: string | undefined;
  readonly modelWheelUrl?: string | undefined;
  /** Asked only when the wheel's sha256 or URL is missing from the arguments and the manifest. */
  readonly pypi?: PypiLookup | undefined;
  /** Recorded as `pe:selfUrl` on the TRO node. */
  readonly selfUrl?: string | undefined;
  /** Required and explicit: the library never reads the environment (see `emissionContextFromEnvironment`). */
  readonly emissionContext: EmissionContext;
}

/** A resolved bundle request and what was noticed on the way. */
export interface BundleTroPlan {
  readonly request: EmissionRequest;
  readonly findings: readonly EmitFinding[];
}

/** Builds the certified bundle TRO of `input.country`: canonical bytes byte-identical to policyengine.py. */
export async function emitBundleTro(input: BundleTroInput): Promise<EmittedTro> {
  const { request, findings } = await planBundleTro(input);
  return emitTro(request, findings);
}

/**
 * §2.1 in TS: resolves the inputs (certified artifact, drm fallback, hashes, locations, wheel, dates,
 * certification) into the values of the TRO. Where each value goes is queries/construct-bundle-tro.rq's job.
 */
export async function planBundleTro(input: BundleTroInput): Promise<BundleTroPlan> {
  const { country } = input;
  const findings: EmitFinding[] = [];
  const where = `data_releases.${country.country_id}`;
  checkEmissionContext(input.emissionContext);

  // Steps 1–3: the certified artifact, the drm entry for it, and the dataset hash.
  const ca = country.certified_data_artifact;
  if (ca === undefined) throw manifestError(where, 'the country release does not define a certified_data_artifact');
  let drm = input.dataReleaseManifest;
  let releaseArtifact = drm !== undefined && Object.hasOwn(drm.artifacts, ca.dataset) ? drm.artifacts[ca.dataset] : undefined;
  if (drm !== undefined && releaseArtifact === undefined) {
    if (!ca.sha256) throw manifestError(where, `the data release manifest does not include the certified dataset '${ca.dataset}'`);
    // policyengine.py drops such a drm silently and then calls it "unavailable" (§11.9): same bytes, but we say so.
    findings.push({
      severity: 'warning',
      code: 'DRM_DROPPED',
      message: `the data release manifest does not list the certified dataset '${ca.dataset}': it was left out of the TRO, which therefore says pe:dataReleaseManifestStatus "unavailable" although a manifest was supplied`,
    });
    drm = undefined;
    releaseArtifact = undefined;
  }
  const datasetSha = ca.sha256 || releaseArtifact?.sha256;
  if (!datasetSha) throw manifestError(where, `no sha256 for the certified dataset '${ca.dataset}' (neither certified_data_artifact nor the data release manifest has one)`);
  // Step 5: both manifests are bound by the bytes they were read from (never re-serialised).
  if (!country.source_sha256) throw manifestError(where, 'the sha256 of the bundle manifest file is unknown (source_sha256)');
  if (drm !== undefined && !drm.source_sha256) throw manifestError('data release manifest', 'the sha256 of its source bytes is unknown (source_sha256)');

  // Steps 4–7: the artifacts, in emission order.
  const model = country.model_package;
  const dataPackage = country.data_package;
  const artifacts: RequestArtifact[] = [
    {
      shortId: 'bundle_manifest',
      sha256: country.source_sha256,
      location: input.bundleManifestLocation ?? 'data/bundle/manifest.json',
      mimeType: 'application/json',
      name: `policyengine.py bundle manifest for ${country.country_id}`,
    },
  ];
  if (drm?.source_sha256) {
    artifacts.push({
      shortId: 'data_release_manifest',
      sha256: drm.source_sha256,
      location: input.dataReleaseManifestLocation ?? httpsReleaseManifestUri(dataPackage),
      mimeType: 'application/json',
      name: `${dataPackage.name} release manifest ${dataPackage.version}`,
    });
  }
  artifacts.push({
    shortId: 'dataset',
    sha256: datasetSha,
    // Always from the certified URI, never from the drm's artifact (§2.1 step 4).
    location: hfToHttps(ca.uri, dataPackage.repo_type),
    // The quirk: without a drm artifact the rule sees `…h5@rev` and finds no type (§2.1 step 7).
    mimeType: mimeTypeOf(releaseArtifact !== undefined ? releaseArtifact.path : ca.uri),
    name: ca.dataset,
  });
  const wheel = await resolveWheel(input, findings);
  if (wheel.sha256) {
    artifacts.push({
      shortId: 'model_wheel',
      sha256: wheel.sha256,
      location: wheel.url ?? `https://pypi.org/project/${model.name}/${model.version}/`,
      mimeType: (wheel.url === undefined ? undefined : mimeTypeOf(wheel.url)) ?? 'application/zip',
      name: `${model.name}==${model.version} wheel`,
    });
  }

  // Steps 9–11: names, comments, dates, certification fields, emission context, drm status.
  const label = country.bundle_id || country.country_id;
  const certification = input.certification ?? country.certification;
  const build = certification?.data_build_id || ca.build_id || `${dataPackage.name}-${dataPackage.version}`;
  const drmBuild = drm?.build ?? undefined;
  const performance: [string, PerformanceValue][] = [];
  if (certification !== undefined) {
    performance.push(['pe:certifiedForModelVersion', certification.certified_for_model_version]);
    performance.push(['pe:compatibilityBasis', certification.compatibility_basis]);
    const optional: [string, string | undefined][] = [
      ['pe:builtWithModelVersion', certification.built_with_model_version],
      ['pe:builtWithModelGitSha', certification.built_with_model_git_sha],
      ['pe:dataBuildFingerprint', certification.data_build_fingerprint],
      ['pe:dataBuildId', certification.data_build_id],
      ['pe:certifiedBy', certification.certified_by],
    ];
    for (const [key, value] of optional) if (value !== undefined) performance.push([key, value]);
  }
  for (const [key, value] of Object.entries(input.emissionContext)) performance.push([key, value]);
  if (drm === undefined) performance.push(['pe:dataReleaseManifestStatus', 'unavailable']);
  else if (drm.preservation_dois !== undefined && drm.preservation_dois.length > 0) {
    performance.push(['pe:preservationDoi', distinctDois(drm.preservation_dois, findings)]);
  }
  noteDates(country.published_at, drm, findings);
  noteEmittedIn(input.emissionContext, findings);

  const request: EmissionRequest = {
    kind: 'BundleTroRequest',
    troName: `policyengine ${country.country_id} certified bundle TRO`,
    troDescription: `TRACE TRO for certified runtime bundle ${label} covering the bundle manifest, the certified dataset artifact, the country model wheel, and the country data release manifest when it is available.`,
    softwareVersion: country.policyengine_version,
    dateCreated: country.published_at ?? drmBuild?.built_at,
    selfUrl: input.selfUrl,
    artifacts,
    arrangementComment: `Certified arrangement for bundle ${label}.`,
    performanceComment: `Certification of build ${build} for ${model.name} ${model.version}.`,
    // With a drm build its built_at is the start even when absent (then omitted); else published_at.
    startedAt: drmBuild !== undefined ? drmBuild.built_at : country.published_at,
    endedAt: country.published_at,
    performance,
  };
  return { request, findings };
}

/** §2.1 step 6: the arguments, then the manifest, then (only for what is still missing) the PyPI lookup. */
async function resolveWheel(input: BundleTroInput, findings: EmitFinding[]): Promise<{ sha256?: string; url?: string }> {
  const pkg = input.country.model_package;
  let sha256 = input.modelWheelSha256 || pkg.sha256 || undefined;
  let url = input.modelWheelUrl || pkg.wheel_url || undefined;
  if ((!sha256 || !url) && input.pypi !== undefined) {
    try {
      const found = await input.pypi(pkg.name, pkg.version);
      sha256 ||= found.sha256 || undefined;
      url ||= found.url || undefined;
    } catch (e) {
      findings.push({
        severity: 'warning',
        code: 'PYPI_UNAVAILABLE',
        message: `the PyPI lookup of ${pkg.name}==${pkg.version} failed (${e instanceof Error ? e.message : String(e)})`,
      });
    }
  }
  if (!sha256) {
    findings.push({ severity: 'warning', code: 'WHEEL_OMITTED', message: `no sha256 is known for the ${pkg.name}==${pkg.version} wheel: the model_wheel artifact is omitted` });
  }
  return { ...(sha256 ? { sha256 } : {}), ...(url ? { url } : {}) };
}

/** The DOIs keep their published order; an exact repeat would collapse in RDF, so it is dropped and noted. */
function distinctDois(dois: readonly string[], findings: EmitFinding[]): string[] {
  const out: string[] = [];
  for (const doi of dois) {
    if (out.includes(doi)) findings.push({ severity: 'warning', code: 'DUPLICATE_DOI', message: `preservation DOI ${doi} is listed twice; it is recorded once` });
    else out.push(doi);
  }
  return out;
}

/** §11.10: the bundle TRO's dates are the data build time, not the emission time (or absent altogether). */
function noteDates(publishedAt: string | undefined, drm: ReleaseManifestFacts | undefined, findings: EmitFinding[]): void {
  const builtAt = drm?.build?.built_at;
  if (publishedAt === undefined && builtAt !== undefined) {
    findings.push({
      severity: 'info',
      code: 'DATES_ARE_BUILD_TIME',
      message: `schema:dateCreated and trov:startedAtTime record the data build time (${builtAt}), not when this TRO was emitted`,
    });
  } else if (publishedAt === undefined) {
    findings.push({ severity: 'info', code: 'NO_DATES', message: 'the TRO carries no timestamps: the country release has no published_at and no data build time is known' });
  }
}

function noteEmittedIn(context: EmissionContext, findings: EmitFinding[]): void {
  const value = context['pe:emittedIn'] ?? '';
  if (!SCHEMA_EMITTED_IN.includes(value)) {
    findings.push({
      severity: 'info',
      code: 'EMITTED_IN_OUTSIDE_SCHEMA',
      message: `pe:emittedIn "${value}" is outside the enum of policyengine.py's JSON Schema (${SCHEMA_EMITTED_IN.join(', ')})`,
    });
  }
}

function manifestError(where: string, message: string): InputError {
  return new InputError('MANIFEST_INVALID', `${where}: ${message}`);
}
