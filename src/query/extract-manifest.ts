// Facts of the JSON manifests on the data side: release, bundle, build and country-bundle manifests, source stages.
import { type JsonObject, type JsonValue, JsonNumber, isJsonObject } from '../json/value.js';
import { pointerJoin } from '../tro/jsonld-view.js';
import {
  type ArtifactFact,
  type ArtifactRole,
  type DocumentKind,
  type EntityFact,
  type SignalFact,
  type SignalKind,
  type Stated,
  entity,
  normaliseSha256,
} from './facts.js';
import { hfArtifactUri, privateRepoId, privateRepoInUri } from './uri.js';

export interface ManifestFacts {
  readonly kind: DocumentKind;
  readonly entities: readonly EntityFact[];
  readonly artifacts: readonly ArtifactFact[];
  readonly signals: readonly SignalFact[];
  readonly warnings: readonly string[];
}

/** Which manifest a JSON object is, from the keys each producer always writes; undefined when none fits. */
export function manifestKind(doc: JsonValue): Exclude<DocumentKind, 'tro' | 'turtle' | 'other'> | undefined {
  if (!isJsonObject(doc)) return undefined;
  const has = (k: string): boolean => Object.hasOwn(doc, k);
  if (isJsonObject(doc['data_releases'])) return 'bundle-manifest';
  if (typeof doc['country_id'] === 'string' && isJsonObject(doc['datasets']) && has('bundle_version')) return 'country-bundle';
  if (isJsonObject(doc['data_package']) && (isJsonObject(doc['artifacts']) || isJsonObject(doc['build']))) return 'release-manifest';
  if (typeof doc['build_id'] === 'string' && isJsonObject(doc['dataset'])) return isJsonObject(doc['code']) ? 'build-manifest' : 'release-manifest';
  if (Array.isArray(doc['stages']) && has('version')) return 'source-stages';
  const dataset = doc['dataset'];
  const output = doc['output_dataset'];
  const isDatasetRef = (d: JsonValue | undefined): boolean => isJsonObject(d) && typeof d['sha256'] === 'string' && (typeof d['file'] === 'string' || typeof d['name'] === 'string');
  if ((isDatasetRef(dataset) && (has('extra_variables') || has('scoping_strategy') || has('dynamic'))) || isDatasetRef(output)) return 'run-payload';
  return undefined;
}

/** Node IRIs as the manifest lifts mint them (`<graph>#artifact/<name>`, name segments percent-encoded). */
function mint(graph: string, ...path: string[]): string {
  return `${graph}#${path.map((p) => p.split('/').map(encodeURIComponent).join('/')).join('/')}`;
}

/** Collects facts with JSON pointers; never throws on an unexpected shape (it notes a warning instead). */
class Reader {
  readonly entities: EntityFact[] = [];
  readonly artifacts: ArtifactFact[] = [];
  readonly signals: SignalFact[] = [];
  readonly warnings: string[] = [];

  str(o: JsonValue | undefined, key: string, pointer: string): Stated | undefined {
    if (!isJsonObject(o)) return undefined;
    const v = o[key];
    if (typeof v === 'string') return { value: v, pointer: pointerJoin(pointer, key) };
    if (v instanceof JsonNumber) return { value: v.kind === 'int' ? String(v.int) : String(v.float), pointer: pointerJoin(pointer, key) };
    return undefined;
  }

  strs(o: JsonValue | undefined, keys: readonly string[], pointer: string): Stated[] {
    return keys.flatMap((k) => {
      const s = this.str(o, k, pointer);
      return s === undefined ? [] : [s];
    });
  }

  sha(o: JsonValue | undefined, key: string, pointer: string): Stated[] {
    const s = this.str(o, key, pointer);
    if (s === undefined) return [];
    const hex = normaliseSha256(s.value);
    if (hex === undefined) {
      this.warnings.push(`${s.pointer}: "${s.value}" is not a sha256 (ignored for matching)`);
      return [];
    }
    return [{ value: hex, pointer: s.pointer }];
  }

  signal(artifact: string, kind: SignalKind, s: Stated): void {
    this.signals.push({ artifact, kind, value: s.value, pointer: s.pointer });
  }

  artifact(a: Omit<ArtifactFact, 'externalIds'> & { externalIds?: Stated[] }): ArtifactFact {
    const fact: ArtifactFact = { ...a, externalIds: a.externalIds ?? [] };
    this.artifacts.push(fact);
    return fact;
  }

  /** A release manifest an entity pins by sha256 and/or URI, as an artifact of role `release-manifest`. */
  manifestReference(iri: string, owner: string, pointer: string, sha256: Stated[], uris: Stated[]): void {
    if (sha256.length === 0 && uris.length === 0) return;
    const seen = new Set<string>();
    const dedupe = (xs: Stated[]): Stated[] => xs.filter((x) => !seen.has(x.value) && seen.add(x.value) !== undefined);
    this.artifact({ iri, entity: owner, pointer, key: 'release_manifest', role: 'release-manifest', sha256: dedupe(sha256), locations: dedupe(uris) });
  }

  /** A private repo id at `o[key]` marks `artifact`. */
  privateRepo(artifact: string, o: JsonValue | undefined, key: string, pointer: string): void {
    const repo = this.str(o, key, pointer);
    if (repo !== undefined && privateRepoId(repo.value) !== undefined) this.signal(artifact, 'private-repo', repo);
  }

  privateUris(artifact: string, uris: readonly Stated[]): void {
    for (const u of uris) {
      const repo = privateRepoInUri(u.value);
      if (repo !== undefined) this.signal(artifact, 'private-repo', { value: repo, pointer: u.pointer });
    }
  }

  done(kind: DocumentKind): ManifestFacts {
    return { kind, entities: this.entities, artifacts: this.artifacts, signals: this.signals, warnings: this.warnings };
  }
}

/** Reads the facts of a manifest of the given kind (see `manifestKind`). */
export function manifestFacts(doc: JsonObject, kind: NonNullable<ReturnType<typeof manifestKind>>, graph: string): ManifestFacts {
  const r = new Reader();
  switch (kind) {
    case 'release-manifest':
      if (isJsonObject(doc['data_package'])) releaseManifest(r, doc, graph);
      else unversionedRelease(r, doc, graph);
      break;
    case 'build-manifest':
      buildManifest(r, doc, graph);
      break;
    case 'bundle-manifest':
      bundleManifest(r, doc, graph);
      break;
    case 'country-bundle':
      countryBundle(r, doc, graph);
      break;
    case 'source-stages':
      sourceStages(r, doc, graph);
      break;
    case 'run-payload':
      runPayload(r, doc, graph);
      break;
  }
  return r.done(kind);
}

/** Schema-v1 data release manifest (us-data, uk-data, populace): the manifest lists artifacts and names its build. */
function releaseManifest(r: Reader, doc: JsonObject, graph: string): void {
  const build = doc['build'];
  const buildId = r.str(build, 'build_id', '/build');
  const pkg = doc['data_package'];
  const pkgName = r.str(pkg, 'name', '/data_package')?.value ?? '?';
  const pkgVersion = r.str(pkg, 'version', '/data_package')?.value ?? '?';
  const notes = r.strs(isJsonObject(build) ? build['metadata'] : undefined, ['construction'], '/build/metadata');
  r.entities.push({
    ...entity(graph, 'ReleaseManifest', `release manifest ${buildId?.value ?? `${pkgName} ${pkgVersion}`}`, ''),
    buildIds: buildId === undefined ? [] : [buildId],
    notes,
  });
  const metadata = doc['metadata'];
  const releaseVisibility = r.str(isJsonObject(metadata) ? metadata['artifact_release'] : undefined, 'visibility', '/metadata/artifact_release');
  const privateText = r.str(isJsonObject(build) ? build['metadata'] : undefined, 'private', '/build/metadata');
  const artifacts = doc['artifacts'];
  if (!isJsonObject(artifacts)) return;
  for (const key of Object.keys(artifacts)) {
    const a = artifacts[key];
    const p = pointerJoin('/artifacts', key);
    if (!isJsonObject(a)) continue;
    const iri = mint(graph, 'artifact', key);
    const repo = r.str(a, 'repo_id', p);
    const path = r.str(a, 'path', p);
    const revision = r.str(a, 'revision', p);
    const locations = r.strs(a, ['uri'], p);
    if (repo !== undefined && path !== undefined && revision !== undefined) locations.push({ value: hfArtifactUri(repo.value, path.value, revision.value), pointer: path.pointer });
    r.artifact({ iri, entity: graph, pointer: p, key, ...(path === undefined ? {} : { name: path.value }), role: 'listed', sha256: r.sha(a, 'sha256', p), locations, ...(buildId === undefined ? {} : { fromBuild: buildId }) });
    r.privateRepo(iri, a, 'repo_id', p);
    const vis = r.str(a['metadata'], 'visibility', pointerJoin(p, 'metadata'));
    if (vis?.value === 'private') r.signal(iri, 'visibility', vis);
    if (releaseVisibility?.value === 'private') r.signal(iri, 'visibility', releaseVisibility);
    if (privateText !== undefined) r.signal(iri, 'free-text', privateText);
  }
}

/** The early flat populace record (`build_id`, `dataset`, `calibration`, prose `construction`, no schema_version). */
function unversionedRelease(r: Reader, doc: JsonObject, graph: string): void {
  const buildId = r.str(doc, 'build_id', '');
  r.entities.push({
    ...entity(graph, 'ReleaseManifest', `release record ${buildId?.value ?? '?'} (unversioned populace shape)`, ''),
    buildIds: buildId === undefined ? [] : [buildId],
    notes: r.strs(doc, ['construction'], ''),
  });
  for (const key of ['dataset', 'calibration']) {
    const a = doc[key];
    if (!isJsonObject(a)) continue;
    const file = r.str(a, 'filename', `/${key}`);
    r.artifact({ iri: mint(graph, key), entity: graph, pointer: `/${key}`, key, ...(file === undefined ? {} : { name: file.value }), role: 'listed', sha256: r.sha(a, 'sha256', `/${key}`), locations: [] });
  }
}

/** A populace `build_manifest.json`: the build's outputs and code commits; it has no slot for data inputs. */
function buildManifest(r: Reader, doc: JsonObject, graph: string): void {
  const buildId = r.str(doc, 'build_id', '');
  const code = doc['code'];
  const notes: Stated[] = [];
  const repo = r.str(code, 'repository', '/code');
  const commit = r.str(code, 'git_commit', '/code');
  if (repo !== undefined && commit !== undefined) notes.push({ value: `code ${repo.value}@${commit.value}`, pointer: commit.pointer });
  const related = isJsonObject(code) ? code['related_repositories'] : undefined;
  if (Array.isArray(related)) {
    related.forEach((item, i) => {
      const p = `/code/related_repositories/${i}`;
      const rr = r.str(item, 'repository', p);
      const rc = r.str(item, 'git_commit', p);
      if (rr !== undefined && rc !== undefined) notes.push({ value: `related code ${rr.value}@${rc.value}`, pointer: rc.pointer });
    });
  }
  r.entities.push({ ...entity(graph, 'Build', `build manifest ${buildId?.value ?? '?'}`, ''), buildIds: buildId === undefined ? [] : [buildId], notes });
  for (const key of ['dataset', 'calibration']) {
    const a = doc[key];
    if (!isJsonObject(a)) continue;
    const file = r.str(a, 'filename', `/${key}`);
    r.artifact({ iri: mint(graph, key), entity: graph, pointer: `/${key}`, key, ...(file === undefined ? {} : { name: file.value }), role: 'output', sha256: r.sha(a, 'sha256', `/${key}`), locations: [] });
  }
}

/** policyengine.py's bundle manifest (schema 2): each `data_releases.<cc>` entry is a bundle pinning data. */
function bundleManifest(r: Reader, doc: JsonObject, graph: string): void {
  const releases = doc['data_releases'];
  if (!isJsonObject(releases)) return;
  const version = r.str(doc, 'bundle_version', '')?.value ?? r.str(doc, 'policyengine_version', '')?.value ?? '?';
  for (const cc of Object.keys(releases)) {
    const e = releases[cc];
    if (!isJsonObject(e)) continue;
    const p = pointerJoin('/data_releases', cc);
    const iri = mint(graph, 'release', cc);
    const cert = e['certification'];
    const certified = e['certified_data_artifact'];
    const bundleId = r.str(e, 'bundle_id', p)?.value ?? `${cc}-${version}`;
    r.entities.push({
      ...entity(iri, 'Bundle', `bundle manifest entry ${bundleId}`, p),
      dataBuildIds: [...r.strs(cert, ['data_build_id'], pointerJoin(p, 'certification')), ...r.strs(certified, ['build_id'], pointerJoin(p, 'certified_data_artifact')), ...r.strs(e, ['build_id'], p)],
    });
    r.manifestReference(`${iri}/release_manifest`, iri, p, [], r.strs(e, ['release_manifest_uri', 'source_manifest_uri'], p));
    const regional = r.strs(e, ['regional_release_manifest_uri', 'regional_source_manifest_uri'], p);
    if (regional.length > 0) r.manifestReference(`${iri}/regional_release_manifest`, iri, p, [], regional);
    const dataPackage = e['data_package'];
    const entryBuild = r.strs(cert, ['data_build_id'], pointerJoin(p, 'certification'))[0] ?? r.strs(e, ['build_id'], p)[0];
    const defaultName = r.str(e, 'default_dataset', p)?.value;
    // policyengine.py merges `dataset_overlays.<cc>` into the entry's datasets: both are datasets the bundle offers.
    const overlays = isJsonObject(doc['dataset_overlays']) ? doc['dataset_overlays'][cc] : undefined;
    const sources: [JsonValue | undefined, string][] = [
      [e['datasets'], pointerJoin(p, 'datasets')],
      [overlays, pointerJoin('/dataset_overlays', cc)],
    ];
    for (const [datasets, base] of sources) {
      if (!isJsonObject(datasets)) continue;
      for (const name of Object.keys(datasets)) {
        const d = datasets[name];
        const dp = pointerJoin(base, name);
        if (!isJsonObject(d)) continue;
        const artIri = `${base === pointerJoin(p, 'datasets') ? iri : mint(graph, 'overlays', cc)}/dataset/${name.split('/').map(encodeURIComponent).join('/')}`;
        const repo = r.str(d, 'repo_id', dp) ?? r.str(dataPackage, 'repo_id', pointerJoin(p, 'data_package'));
        const path = r.str(d, 'path', dp);
        const revision = r.str(d, 'revision', dp);
        const locations: Stated[] = [];
        if (repo !== undefined && path !== undefined && revision !== undefined) locations.push({ value: hfArtifactUri(repo.value, path.value, revision.value), pointer: path.pointer });
        if (name === defaultName) locations.push(...r.strs(e, ['default_dataset_uri'], p), ...r.strs(certified, ['uri'], pointerJoin(p, 'certified_data_artifact')));
        // Overlays come from other releases: the entry's data build does not vouch for them.
        const fromBuild = base === pointerJoin(p, 'datasets') ? entryBuild : undefined;
        r.artifact({ iri: artIri, entity: iri, pointer: dp, key: name, ...(path === undefined ? {} : { name: path.value }), role: 'dataset', sha256: r.sha(d, 'sha256', dp), locations, ...(fromBuild === undefined ? {} : { fromBuild }) });
        if (repo !== undefined && privateRepoId(repo.value) !== undefined) r.signal(artIri, 'private-repo', repo);
      }
    }
    const model = e['model_package'];
    const wheel = r.sha(model, 'sha256', pointerJoin(p, 'model_package'));
    if (wheel.length > 0) {
      const name = r.str(model, 'name', pointerJoin(p, 'model_package'))?.value ?? 'model';
      r.artifact({ iri: `${iri}/model_package`, entity: iri, pointer: pointerJoin(p, 'model_package'), key: 'model_wheel', name, role: 'model-wheel', sha256: wheel, locations: r.strs(model, ['wheel_url'], pointerJoin(p, 'model_package')) });
    }
  }
}

/** A bundles-repo country bundle (`bundles/<v>/countries/<cc>.json`): pins a release manifest by sha256 and URI. */
function countryBundle(r: Reader, doc: JsonObject, graph: string): void {
  const cc = r.str(doc, 'country_id', '')?.value ?? '?';
  const version = r.str(doc, 'bundle_version', '')?.value ?? '?';
  const release = doc['artifact_release'];
  const compat = doc['compatibility'];
  const dataBuild = r.strs(doc['certification'], ['data_build_id'], '/certification');
  r.entities.push({ ...entity(graph, 'Bundle', `country bundle ${version} ${cc}`, ''), dataBuildIds: dataBuild });
  r.manifestReference(
    mint(graph, 'release_manifest'),
    graph,
    isJsonObject(release) ? '/artifact_release' : '/compatibility',
    [...r.sha(release, 'release_manifest_sha256', '/artifact_release'), ...r.sha(compat, 'release_manifest_sha256', '/compatibility'), ...r.sha(doc['metadata'], 'input_release_manifest_sha256', '/metadata')],
    [...r.strs(release, ['release_manifest_uri'], '/artifact_release'), ...r.strs(compat, ['release_manifest_uri'], '/compatibility'), ...r.strs(doc['metadata'], ['input_release_manifest_uri'], '/metadata')],
  );
  const datasets = doc['datasets'];
  if (!isJsonObject(datasets)) return;
  for (const name of Object.keys(datasets)) {
    const d = datasets[name];
    const dp = pointerJoin('/datasets', name);
    if (!isJsonObject(d)) continue;
    const iri = mint(graph, 'dataset', name);
    const repo = r.str(d, 'repo_id', dp);
    const path = r.str(d, 'path', dp);
    const revision = r.str(d, 'revision', dp);
    const locations = r.strs(d, ['uri'], dp);
    if (repo !== undefined && path !== undefined && revision !== undefined) locations.push({ value: hfArtifactUri(repo.value, path.value, revision.value), pointer: path.pointer });
    const fromBuild = dataBuild[0];
    r.artifact({ iri, entity: graph, pointer: dp, key: name, ...(path === undefined ? {} : { name: path.value }), role: 'dataset', sha256: r.sha(d, 'sha256', dp), locations, ...(fromBuild === undefined ? {} : { fromBuild }) });
    r.privateRepo(iri, d, 'repo_id', dp);
    const vis = r.str(d['metadata'], 'visibility', pointerJoin(dp, 'metadata'));
    if (vis?.value === 'private') r.signal(iri, 'visibility', vis);
  }
}

const RESTRICTED_KINDS: ReadonlySet<string> = new Set(['licensed_microdata', 'private_microdata', 'restricted_microdata']);

/** `"SN 9422"`, `9422` → `9422` (UK Data Service study numbers are written both ways). */
function studyNumber(s: Stated): Stated {
  const m = /(\d+)/.exec(s.value);
  return { value: `ukds_study_number=${m?.[1] ?? s.value}`, pointer: s.pointer };
}

/** Microcosm source-stage manifests: the only registry of restricted input pins (kind, access, sha256, study number). */
function sourceStages(r: Reader, doc: JsonObject, graph: string): void {
  const country = r.str(doc, 'country', '')?.value ?? '?';
  r.entities.push(entity(graph, 'SourceRegistry', `source stages (${country})`, ''));
  const stages = doc['stages'];
  if (!Array.isArray(stages)) return;
  stages.forEach((stage, si) => {
    const sp = `/stages/${si}`;
    const stageName = r.str(stage, 'stage', sp)?.value ?? String(si);
    const arts = isJsonObject(stage) ? stage['artifacts'] : undefined;
    if (!Array.isArray(arts)) return;
    arts.forEach((a, ai) => {
      const p = `${sp}/artifacts/${ai}`;
      if (!isJsonObject(a)) return;
      const sha = r.sha(a, 'sha256', p);
      const kind = r.str(a, 'kind', p);
      const access = r.str(a, 'access', p);
      const locator = r.str(a, 'locator', p);
      const restricted = (kind !== undefined && RESTRICTED_KINDS.has(kind.value)) || access?.value === 'private_local_input' || (locator !== undefined && privateRepoInUri(locator.value) !== undefined);
      // Pins with neither a hash nor a restriction signal can be neither matched nor flagged: not facts.
      if (sha.length === 0 && !restricted) return;
      const iri = mint(graph, 'stage', stageName, 'artifact', String(ai));
      const key = r.str(a, 'table', p)?.value ?? r.str(a, 'filename', p)?.value ?? r.str(a, 'resource', p)?.value ?? r.str(a, 'role', p)?.value ?? String(ai);
      const externalIds: Stated[] = [];
      const sn = r.str(a, 'ukds_study_number', p);
      if (sn !== undefined) externalIds.push(studyNumber(sn));
      const doi = r.str(a, 'doi', p);
      if (doi !== undefined) externalIds.push({ value: `doi=${doi.value}`, pointer: doi.pointer });
      const role: ArtifactRole = 'source-pin';
      const survey = r.str(stage, 'survey', sp)?.value;
      r.artifact({ iri, entity: graph, pointer: p, key: `${stageName}/${key}`, ...(survey === undefined ? {} : { name: `${survey}: ${key}` }), role, sha256: sha, locations: locator === undefined ? [] : [locator], externalIds });
      if (kind !== undefined && RESTRICTED_KINDS.has(kind.value)) r.signal(iri, 'source-kind', kind);
      if (access?.value === 'private_local_input') r.signal(iri, 'private-local-input', access);
      if (locator !== undefined) r.privateUris(iri, [locator]);
    });
  });
}

/**
 * A policyengine.py run payload (`input.json` names the dataset the simulation read, `results.json` the one it
 * wrote, each by sha256 and basename): the run's own statement of which data it used.
 */
function runPayload(r: Reader, doc: JsonObject, graph: string): void {
  const isInput = isJsonObject(doc['dataset']);
  r.entities.push(entity(graph, 'RunPayload', `run ${isInput ? 'input' : 'results'} payload`, ''));
  for (const [key, role] of [['dataset', 'dataset'], ['output_dataset', 'run-output']] as const) {
    const d = doc[key];
    if (!isJsonObject(d)) continue;
    const p = `/${key}`;
    const file = r.str(d, 'file', p) ?? r.str(d, 'name', p);
    r.artifact({ iri: mint(graph, key), entity: graph, pointer: p, key: r.str(d, 'name', p)?.value ?? key, ...(file === undefined ? {} : { name: file.value }), role, sha256: r.sha(d, 'sha256', p), locations: [] });
  }
}
