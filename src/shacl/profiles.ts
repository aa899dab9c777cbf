// Validation profiles: which shipped shapes graphs apply to a document (by dialect and TRO kind), compiled once.
import { PeTraceError, isPeTraceError } from '../errors.js';
import { readAssetText } from '../assets.js';
import type { DialectId, FingerprintAlgorithm } from '../tro/model.js';
import type { DataIndex } from './data-index.js';
import { type CompiledShapes, type ShaclEngineName, compileShapes } from './engine.js';

/** What `--profile` accepts. `auto` picks the graphs from the document's dialect and content. */
export type ShaclProfile = 'auto' | 'trov-0.1' | 'pe-0.1' | 'trov-2023-05' | 'bundle' | 'run' | 'build';
export const SHACL_PROFILES: readonly ShaclProfile[] = ['auto', 'trov-0.1', 'pe-0.1', 'trov-2023-05', 'bundle', 'run', 'build'];

/** The three PolicyEngine TRO kinds that have a profile of their own. */
export type TroKind = 'bundle' | 'run' | 'build';

/** The shipped shapes graphs, each a Turtle file in `shapes/`. */
export type ShapesGraphName = 'trov-0.1' | 'pe-0.1' | 'trov-2023-05' | 'pe-extension' | 'profile-bundle' | 'profile-run' | 'profile-build';

export const SHAPES_FILES: Readonly<Record<ShapesGraphName, string>> = {
  'trov-0.1': 'trov-0.1.shape.ttl',
  'pe-0.1': 'pe-0.1.shape.ttl',
  'trov-2023-05': 'trov-2023-05.shape.ttl',
  'pe-extension': 'pe-extension.shape.ttl',
  'profile-bundle': 'profile-bundle.shape.ttl',
  'profile-run': 'profile-run.shape.ttl',
  'profile-build': 'profile-build.shape.ttl',
};

const PE = 'https://policyengine.org/trace/0.1#';
const POP = ['https://populace.dev/trace/0.1#', 'https://microcosm.institute/trace/0.1#'];
const TROV = 'https://w3id.org/trace/trov/0.1#';

/** The shapes graph that describes a dialect's own spelling. */
export function dialectGraph(dialect: DialectId): ShapesGraphName {
  if (dialect === 'pe-0.1') return 'pe-0.1';
  if (dialect === 'trov-2023-05') return 'trov-2023-05';
  // pe-0.1-hash (policyengine-us-data) spells everything the TROv 0.1 way; only its namespace set differs.
  return 'trov-0.1';
}

/**
 * The graphs a profile applies to a document:
 * - `trov-0.1`, `trov-2023-05`: that graph alone (the TROv verdict, untouched by extension terms);
 * - `pe-0.1`: the pe-0.1 graph and the pe:/pop: extension graph;
 * - `bundle` / `run` / `build`: the document's dialect graph, the extension graph and that kind's profile;
 * - `auto`: the dialect graph; for documents in the 0.1 namespace also the extension graph and the profile of
 *   the kind guessed from the content (none when it looks like no PolicyEngine kind).
 */
export function shapesGraphsFor(profile: ShaclProfile, dialect: DialectId, kind: TroKind | undefined): ShapesGraphName[] {
  switch (profile) {
    case 'trov-0.1':
    case 'trov-2023-05':
      return [profile];
    case 'pe-0.1':
      return ['pe-0.1', 'pe-extension'];
    case 'bundle':
    case 'run':
    case 'build':
      return [dialectGraph(dialect), 'pe-extension', `profile-${profile}`];
    case 'auto':
      if (dialect === 'trov-2023-05') return ['trov-2023-05'];
      return [dialectGraph(dialect), 'pe-extension', ...(kind === undefined ? [] : [`profile-${kind}` as const])];
  }
}

/**
 * Which PolicyEngine TRO a document is, from what it carries (policyengine-interop.md §2, pe-data.md §2):
 * run = pins a bundle TRO or records pe:bundleFingerprint; bundle = pins a bundle manifest or records a
 * certification; build = names a populace/microcosm build (pop:buildId) or a data build without certification.
 */
export function guessTroKind(index: DataIndex): TroKind | undefined {
  const artifacts = index.objectsOf(`${TROV}hasArtifact`).map((t) => t.value);
  const has = (iri: string): boolean => index.subjectsWith(iri).length > 0;
  if (has(`${PE}bundleFingerprint`) || artifacts.some((a) => a.endsWith('/artifact/bundle_tro'))) return 'run';
  const bundle = has(`${PE}certifiedForModelVersion`) || has(`${PE}compatibilityBasis`) || has(`${PE}dataReleaseManifestStatus`);
  if (bundle || artifacts.some((a) => a.endsWith('/artifact/bundle_manifest'))) return 'bundle';
  if (POP.some((ns) => has(`${ns}buildId`)) || has(`${PE}dataBuildId`)) return 'build';
  return undefined;
}

/**
 * The fingerprint rules a document may follow. The TROv profiles use the TROv rule (no separator) whatever the
 * dialect: a pe-0.1 TRO checked as TROv 0.1 is told its fingerprint follows PolicyEngine's rule. pe-0.1 uses the
 * newline rule. Otherwise the dialect decides; pe-0.1-hash (TROv spellings plus the pe: namespace) may be
 * policyengine-us-data's newline rule or a TROv document carrying pe: metadata, so either rule is accepted.
 */
export function fingerprintRules(profile: ShaclProfile, dialect: DialectId): readonly FingerprintAlgorithm[] {
  if (profile === 'trov-0.1' || profile === 'trov-2023-05') return ['sha256-concat'];
  if (profile === 'pe-0.1' || dialect === 'pe-0.1') return ['sha256-newline'];
  if (dialect === 'pe-0.1-hash') return ['sha256-newline', 'sha256-concat'];
  return ['sha256-concat'];
}

const cache = new Map<string, Promise<CompiledShapes>>();

/** The compiled union of shipped shapes graphs (parsed and compiled once per process and engine). */
export function loadShapesGraphs(names: readonly ShapesGraphName[], options: { engine?: ShaclEngineName } = {}): Promise<CompiledShapes> {
  const engine = options.engine ?? 'pe-trace';
  const key = `${engine}:${names.join('+')}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const compiled = compile(names, engine);
  cache.set(key, compiled);
  return compiled;
}

async function compile(names: readonly ShapesGraphName[], engine: ShaclEngineName): Promise<CompiledShapes> {
  try {
    return await compileShapes(
      names.map((n) => ({ name: SHAPES_FILES[n], text: readAssetText('shapes', SHAPES_FILES[n]) })),
      { engine },
    );
  } catch (e) {
    if (isPeTraceError(e) && e.code === 'ASSET_BROKEN') throw e;
    // A shipped shapes file that does not parse or compile is our bug, not the user's input.
    throw new PeTraceError('ASSET_BROKEN', `shipped shapes ${names.map((n) => SHAPES_FILES[n]).join(', ')} are broken: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}
