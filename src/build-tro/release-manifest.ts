// Reads a populace/microcosm release manifest (both published shapes) and its build manifest into the facts of a build TRO.
import { basename } from 'node:path';
import { optional } from '../manifest/data-release-manifest.js';
import { ManifestError, ManifestReader, childPointer } from '../manifest/fields.js';
import { isJsonObject } from '../json/value.js';
import type { JsonObject, JsonValue } from '../json/value.js';
import { IdentifierError, normaliseSha256 } from './identifiers.js';
import { isPrivateRepoId, type RestrictionSignal } from './signals.js';

/** The early flat populace record (`build/us/release_manifest.json`), or the schema-version-1 release manifest. */
export type ReleaseManifestShape = 'populace-unversioned' | 'schema-v1';

/** Hugging Face repo kinds: they decide the `datasets/` or `spaces/` segment of a resolve URL. */
export type HfRepoType = 'dataset' | 'model' | 'space';

/** One artifact the build produced, located at its Hugging Face resolve URL. */
export interface BuildOutput {
  /** The TRO id segment: `dataset`/`calibration` (flat shape) or the manifest artifact key. */
  readonly id: string;
  /** The file name inside the repo (the artifact's `schema:name`). */
  readonly path: string;
  readonly sha256: string;
  readonly repoId: string;
  readonly repoType: HfRepoType;
  /** The revision the manifest names (absent in the flat shape). */
  readonly revision?: string;
  readonly kind?: string;
  /** Evidence that the location is not public (a private repo, `visibility: private`). */
  readonly signals: readonly RestrictionSignal[];
}

/** A JSON value bound as a payload, with where it came from (for reports). */
export interface PayloadSource {
  readonly value: JsonValue;
  readonly origin: string;
}

export interface BuildFacts {
  readonly shape: ReleaseManifestShape;
  readonly buildId: string;
  readonly builder?: string;
  readonly buildSha?: string;
  /** `YYYY-MM-DD`. */
  readonly buildDate?: string;
  /** `data_package.name` (schema v1), e.g. `populace-data`. */
  readonly dataPackage?: string;
  readonly outputs: readonly BuildOutput[];
  /** `{"construction": …}`: the build_config payload (pe-data §2.3). */
  readonly buildConfig?: PayloadSource;
  readonly gateReport?: PayloadSource;
  readonly stageRecords?: PayloadSource;
  /** Free-text restriction signals of the whole release (`build.metadata.private`). */
  readonly releaseSignals: readonly RestrictionSignal[];
  /** Observations that are not errors (a defaulted repo, a build-manifest cross-check). */
  readonly notes: readonly string[];
}

export interface ReadReleaseManifestOptions {
  readonly label?: string;
  /** Repo of outputs that name none (the flat shape never does). Default `policyengine/populace-us`, populace's own default. */
  readonly hfRepo?: string;
  /** Repo type of outputs whose manifest does not say. Default: dataset (populace publishes dataset repos). */
  readonly hfRepoType?: HfRepoType;
  /** The populace `build_manifest.json` of the same release, already parsed: gates, build sha, cross-checks. */
  readonly buildManifest?: { readonly doc: JsonValue; readonly label: string };
}

/** populace's default repo for the flat shape (`DEFAULT_HF_REPO` in its trace module). */
export const DEFAULT_POPULACE_REPO = 'policyengine/populace-us';

const ARTIFACT_BUILD_DATE = /^(\d{4}-\d{2}-\d{2})/;

/**
 * Reads the facts a build TRO is made of. Every output needs a sha256: one without is an error ("provenance
 * without a hash is not provenance"), located by JSON pointer. Nothing is fetched; the repo and revision of the
 * resolve URLs are decided by the planner (see `planBuildTro`).
 */
export function readBuildFacts(doc: JsonValue, options: ReadReleaseManifestOptions = {}): BuildFacts {
  const r = new ManifestReader(options.label ?? '<release manifest>');
  if (!isJsonObject(doc)) throw new ManifestError(r.label, [{ severity: 'error', pointer: '', message: 'expected a JSON object' }]);
  const shape: ReleaseManifestShape = Object.hasOwn(doc, 'schema_version') || Object.hasOwn(doc, 'build') ? 'schema-v1' : 'populace-unversioned';
  const facts = shape === 'schema-v1' ? readSchemaV1(r, doc, options) : readFlat(r, doc, options);
  r.throwIfErrors();
  return options.buildManifest === undefined ? facts : withBuildManifest(facts, options.buildManifest);
}

function readFlat(r: ManifestReader, doc: JsonObject, options: ReadReleaseManifestOptions): BuildFacts {
  const notes: string[] = [];
  const buildId = r.str(doc, 'build_id', '', { required: true }) ?? '';
  const repoId = options.hfRepo ?? DEFAULT_POPULACE_REPO;
  if (options.hfRepo === undefined) notes.push(`the manifest names no repo: outputs are located in ${repoId} (populace's default; pass a repo to change it)`);
  const outputs: BuildOutput[] = [];
  for (const key of ['dataset', 'calibration']) {
    const entry = r.obj(doc, key, '');
    if (entry === undefined) continue;
    const here = childPointer('', key);
    const path = r.str(entry, 'filename', here) ?? r.str(entry, 'path', here);
    if (path === undefined) {
      r.error(childPointer(here, 'filename'), 'required field is missing (the output needs a file name to be located)');
      continue;
    }
    const sha256 = outputSha(r, entry, here, key);
    if (sha256 === undefined) continue;
    outputs.push({ id: key, path, sha256, repoId, repoType: options.hfRepoType ?? 'dataset', signals: repoSignals(repoId, options.hfRepo === undefined ? 'the populace default repo' : 'the repo given to the emitter') });
  }
  const construction = Object.hasOwn(doc, 'construction') ? doc['construction'] : undefined;
  const gates = Object.hasOwn(doc, 'gates') ? doc['gates'] : undefined;
  const stageRecords = Object.hasOwn(doc, 'stage_records') ? doc['stage_records'] : undefined;
  const buildDate = r.str(doc, 'build_date', '');
  return {
    shape: 'populace-unversioned',
    buildId,
    ...optional('builder', r.str(doc, 'builder', '')),
    ...optional('buildSha', r.str(doc, 'build_sha', '')),
    ...optional('buildDate', buildDate),
    outputs,
    ...optional('buildConfig', construction === undefined ? undefined : { value: constructionPayload(construction), origin: 'release manifest #/construction' }),
    ...optional('gateReport', gateSource(r, gates, '/gates', 'release manifest')),
    ...optional('stageRecords', stageRecordsSource(r, stageRecords, '/stage_records')),
    releaseSignals: [],
    notes,
  };
}

function readSchemaV1(r: ManifestReader, doc: JsonObject, options: ReadReleaseManifestOptions): BuildFacts {
  const notes: string[] = [];
  const build = r.obj(doc, 'build', '', { required: true });
  const buildId = build === undefined ? '' : (r.str(build, 'build_id', '/build', { required: true }) ?? '');
  const metadata = build === undefined ? undefined : r.obj(build, 'metadata', '/build');
  const builtAt = build === undefined ? undefined : r.str(build, 'built_at', '/build');
  const dataPackageObj = r.obj(doc, 'data_package', '');
  const dataPackage = dataPackageObj === undefined ? undefined : r.str(dataPackageObj, 'name', '/data_package');
  const topMetadata = r.obj(doc, 'metadata', '');
  const release = topMetadata === undefined ? undefined : r.obj(topMetadata, 'artifact_release', '/metadata');
  const releaseRepoType = release === undefined ? undefined : repoTypeOf(r.str(release, 'repo_type', '/metadata/artifact_release'));
  const producerRepoType: HfRepoType = dataPackage === 'policyengine-us-data' || dataPackage === 'policyengine-uk-data' ? 'model' : 'dataset';

  const outputs: BuildOutput[] = [];
  const artifacts = r.obj(doc, 'artifacts', '');
  for (const key of artifacts === undefined ? [] : Object.keys(artifacts)) {
    const here = childPointer('/artifacts', key);
    const entry = r.asObject(artifacts?.[key], here);
    if (entry === undefined) continue;
    const path = r.str(entry, 'path', here, { required: true });
    const sha256 = outputSha(r, entry, here, key);
    const artifactRepo = r.str(entry, 'repo_id', here);
    const repoId = artifactRepo ?? options.hfRepo;
    if (repoId === undefined) r.error(childPointer(here, 'repo_id'), 'required field is missing (no repo to locate the output in; pass one)');
    const artifactMeta = r.obj(entry, 'metadata', here);
    const metaHere = childPointer(here, 'metadata');
    const repoType = repoTypeOf(artifactMeta === undefined ? undefined : r.str(artifactMeta, 'repo_type', metaHere)) ?? releaseRepoType ?? options.hfRepoType ?? producerRepoType;
    const signals = repoId === undefined ? [] : repoSignals(repoId, `${basename(r.label)}#${childPointer(here, 'repo_id')}`);
    const visibility = artifactMeta === undefined ? undefined : r.str(artifactMeta, 'visibility', metaHere);
    const visibilitySignals: RestrictionSignal[] =
      visibility === 'private' ? [{ kind: 'visibility', detail: 'manifest artifact visibility private', record: `${basename(r.label)}#${childPointer(metaHere, 'visibility')}` }] : [];
    const revision = r.str(entry, 'revision', here);
    const kind = r.str(entry, 'kind', here);
    if (path === undefined || sha256 === undefined || repoId === undefined) continue;
    outputs.push({
      id: key,
      path,
      sha256,
      repoId,
      repoType,
      ...optional('revision', revision),
      ...optional('kind', kind),
      signals: [...signals, ...visibilitySignals],
    });
  }

  const releaseSignals: RestrictionSignal[] = [];
  const privateText = metadata === undefined ? undefined : metadata['private'];
  if (typeof privateText === 'string' && privateText.trim() !== '') {
    releaseSignals.push({ kind: 'free-text', detail: `release says "${privateText.trim()}"`, record: `${basename(r.label)}#/build/metadata/private` });
  }
  const construction = metadata !== undefined && Object.hasOwn(metadata, 'construction') ? metadata['construction'] : Object.hasOwn(doc, 'construction') ? doc['construction'] : undefined;
  const constructionWhere = metadata !== undefined && Object.hasOwn(metadata, 'construction') ? '#/build/metadata/construction' : '#/construction';
  const builder = metadata === undefined ? undefined : r.str(metadata, 'builder', '/build/metadata');
  const buildSha = metadata === undefined ? undefined : r.str(metadata, 'build_sha', '/build/metadata');
  const buildDate = builtAt === undefined ? undefined : ARTIFACT_BUILD_DATE.exec(builtAt)?.[1];
  if (builtAt !== undefined && buildDate === undefined) notes.push(`build.built_at "${builtAt}" does not start with a YYYY-MM-DD date: the TRO carries no build date`);
  const gates = Object.hasOwn(doc, 'gates') ? doc['gates'] : undefined;
  return {
    shape: 'schema-v1',
    buildId,
    ...optional('builder', builder),
    ...optional('buildSha', buildSha),
    ...optional('buildDate', buildDate),
    ...optional('dataPackage', dataPackage),
    outputs,
    ...optional('buildConfig', construction === undefined ? undefined : { value: constructionPayload(construction), origin: `release manifest ${constructionWhere}` }),
    ...optional('gateReport', gateSource(r, gates, '/gates', 'release manifest')),
    ...optional('stageRecords', stageRecordsSource(r, Object.hasOwn(doc, 'stage_records') ? doc['stage_records'] : undefined, '/stage_records')),
    releaseSignals,
    notes,
  };
}

/**
 * Adds what the populace build manifest knows: the gates (when the release manifest has none, as in schema v1),
 * the build sha, and cross-checks (the same build id; its dataset and calibration hashes among the outputs).
 */
function withBuildManifest(facts: BuildFacts, source: { readonly doc: JsonValue; readonly label: string }): BuildFacts {
  const r = new ManifestReader(source.label);
  const doc = r.asObject(source.doc, '');
  r.throwIfErrors();
  if (doc === undefined) return facts;
  const buildId = r.str(doc, 'build_id', '', { required: true });
  if (buildId !== undefined && buildId !== facts.buildId) {
    r.error('/build_id', `build_id "${buildId}" is not the release manifest's build id "${facts.buildId}": they describe different builds`);
  }
  const buildSha = r.str(doc, 'build_sha', '');
  const gates = Object.hasOwn(doc, 'gates') ? doc['gates'] : undefined;
  const gateReport = facts.gateReport ?? gateSource(r, gates, '/gates', 'build manifest');
  const notes = [...facts.notes];
  for (const key of ['dataset', 'calibration']) {
    const entry = r.obj(doc, key, '');
    const sha = entry === undefined ? undefined : r.str(entry, 'sha256', childPointer('', key));
    if (sha !== undefined && !facts.outputs.some((o) => o.sha256 === sha.toLowerCase())) {
      notes.push(`the build manifest's ${key} sha256 ${sha} is not the hash of any output of the release manifest`);
    }
  }
  if (facts.gateReport !== undefined && gates !== undefined) notes.push("the build manifest's gates were not used: the release manifest has its own");
  r.throwIfErrors();
  return {
    ...facts,
    ...optional('buildSha', facts.buildSha ?? buildSha),
    ...optional('gateReport', gateReport),
    notes,
  };
}

function outputSha(r: ManifestReader, entry: JsonObject, pointer: string, key: string): string | undefined {
  const raw = entry['sha256'];
  if (raw === undefined || raw === null || raw === '') {
    r.error(childPointer(pointer, 'sha256'), `output artifact '${key}' has no sha256: provenance without a hash is not provenance`);
    return undefined;
  }
  if (typeof raw !== 'string') {
    r.error(childPointer(pointer, 'sha256'), 'expected a string');
    return undefined;
  }
  try {
    return normaliseSha256(raw);
  } catch (e) {
    r.error(childPointer(pointer, 'sha256'), e instanceof IdentifierError ? e.message : String(e));
    return undefined;
  }
}

function gateSource(r: ManifestReader, gates: JsonValue | undefined, pointer: string, where: string): PayloadSource | undefined {
  if (gates === undefined || gates === null) return undefined;
  if (!isJsonObject(gates)) {
    r.error(pointer, 'expected an object of gates');
    return undefined;
  }
  return { value: gates, origin: `${where} #${pointer}` };
}

function stageRecordsSource(r: ManifestReader, records: JsonValue | undefined, pointer: string): PayloadSource | undefined {
  if (records === undefined || records === null) return undefined;
  if (!Array.isArray(records)) {
    r.error(pointer, 'expected an array of stage records');
    return undefined;
  }
  return { value: records, origin: `release manifest #${pointer}` };
}

/** The build_config preimage when converting a manifest: exactly `{"construction": <construction>}`. */
function constructionPayload(construction: JsonValue): JsonObject {
  const out = Object.create(null) as JsonObject;
  out['construction'] = construction;
  return out;
}

function repoSignals(repoId: string, record: string): RestrictionSignal[] {
  return isPrivateRepoId(repoId) ? [{ kind: 'private-repo', detail: `Hugging Face repo ${repoId} is private`, record }] : [];
}

function repoTypeOf(value: string | undefined): HfRepoType | undefined {
  return value === 'dataset' || value === 'model' || value === 'space' ? value : undefined;
}

