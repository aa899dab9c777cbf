// Lifts manifests (data release, bundle, country release) to RDF through the shipped pe-manifest JSON-LD context.
import { readAssetText } from '../assets.js';
import { PeTraceError } from '../errors.js';
import { canonicalJsonBytes } from '../json/canonical.js';
import { pyFloatRepr } from '../json/py-float.js';
import { JsonNumber, isJsonObject, newJsonObject } from '../json/value.js';
import type { JsonObject, JsonValue } from '../json/value.js';
import { documentBaseIri, liftJsonLd } from '../rdf/lift.js';
import type { LiftedDocument } from '../rdf/lift.js';
import type { CountryRelease } from './types.js';

export const PE_NAMESPACE = 'https://policyengine.org/trace/0.1#';
export const MANIFEST_CONTEXT_FILE = 'pe-manifest.context.jsonld';

const XSD = 'http://www.w3.org/2001/XMLSchema#';

/** Keys whose values are index maps (their keys are names, not terms). */
const INDEX_MAPS = new Set([
  'artifacts',
  'default_datasets',
  'datasets',
  'region_datasets',
  'packages',
  'data_releases',
  'countries',
  'dataset_overlays',
  // One country's overlays: dataset name → reference.
  'dataset_overlays[]',
]);

interface ManifestContext {
  /** The `@context` object to embed. */
  readonly context: JsonObject;
  /** Every term it defines: other keys are dropped (as pydantic drops them) rather than guessed. */
  readonly terms: ReadonlySet<string>;
  /** Terms typed `@json`: their values go in whole, as JSON literals. */
  readonly jsonTerms: ReadonlySet<string>;
}

let cached: ManifestContext | undefined;

/** The shipped context, parsed once. A broken asset is our packaging bug (exit 1). */
export function manifestContext(): ManifestContext {
  if (cached !== undefined) return cached;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readAssetText('vocab', MANIFEST_CONTEXT_FILE));
  } catch (e) {
    if (e instanceof PeTraceError) throw e;
    throw new PeTraceError('ASSET_BROKEN', `shipped asset vocab/${MANIFEST_CONTEXT_FILE} is not valid JSON`, { cause: e });
  }
  const ctx = typeof parsed === 'object' && parsed !== null ? (parsed as { '@context'?: unknown })['@context'] : undefined;
  if (typeof ctx !== 'object' || ctx === null || Array.isArray(ctx)) {
    throw new PeTraceError('ASSET_BROKEN', `shipped asset vocab/${MANIFEST_CONTEXT_FILE} has no @context object`);
  }
  const terms = new Set<string>();
  const jsonTerms = new Set<string>();
  for (const [term, def] of Object.entries(ctx as Record<string, unknown>)) {
    if (term.startsWith('@') || typeof def === 'string') continue;
    terms.add(term);
    if (typeof def === 'object' && def !== null && (def as { '@type'?: unknown })['@type'] === '@json') jsonTerms.add(term);
  }
  cached = { context: fromPlain(ctx) as JsonObject, terms, jsonTerms };
  return cached;
}

function fromPlain(v: unknown): JsonValue {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? JsonNumber.ofInt(v) : JsonNumber.ofFloat(v);
  if (Array.isArray(v)) return v.map(fromPlain);
  const o = newJsonObject();
  for (const [k, child] of Object.entries(v as Record<string, unknown>)) o[k] = fromPlain(child);
  return o;
}

/** A name as an IRI fragment segment: each `/`-separated part percent-encoded, `/` kept for readability. */
function iriSegment(name: string): string {
  return name.split('/').map(encodeURIComponent).join('/');
}

/** Node IRIs are minted under the document base with a fragment, so they never depend on JSON-LD base resolution. */
function mint(base: string, ...path: string[]): string {
  const root = base.includes('#') ? base.slice(0, base.indexOf('#')) : base;
  return `${root}#${path.map(iriSegment).join('/')}`;
}

export interface ManifestLiftOptions {
  /** Named graph and base IRI; default derived from the content (see `liftJsonLd`). */
  readonly base?: string;
  readonly label?: string;
  /** Recorded as `pe:sourceSha256` of the manifest node (the hash a TRO binds). */
  readonly sourceSha256?: string;
  /** Lift with jsonld.js only (the reference the fast lifter is checked against; see LiftOptions). */
  readonly jsonldOnly?: boolean;
}

/**
 * Rewrites manifest JSON into lift-ready JSON-LD: unknown keys and keys starting with `@` dropped, numbers as
 * typed literals (ints `xsd:integer`, floats `xsd:double` in Python repr), `@json` terms left whole. Index
 * maps keep their names (the context turns them into `pe:artifactKey`, `pe:datasetKey`, …).
 */
function annotate(v: JsonValue, ctx: ManifestContext, key: string | undefined): JsonValue {
  if (key !== undefined && ctx.jsonTerms.has(key)) return v;
  if (v instanceof JsonNumber) {
    if (v.kind === 'int') return valueObject(String(v.int), `${XSD}integer`);
    return valueObject(pyFloatRepr(v.float), `${XSD}double`);
  }
  if (Array.isArray(v)) return v.map((item) => annotate(item, ctx, key));
  if (!isJsonObject(v)) return v;
  const out = newJsonObject();
  const isIndexMap = key !== undefined && INDEX_MAPS.has(key);
  for (const k of Object.keys(v)) {
    if (k.startsWith('@')) continue;
    if (!isIndexMap && !ctx.terms.has(k)) continue;
    // Inside an index map the key is a name; its value is read as the map's own kind of node.
    out[k] = annotate(v[k] ?? null, ctx, isIndexMap ? `${key}[]` : k);
  }
  return out;
}

function valueObject(value: string, datatype: string): JsonObject {
  const o = newJsonObject();
  o['@value'] = value;
  o['@type'] = datatype;
  return o;
}

function setNode(o: JsonValue | undefined, id: string, type: string): void {
  if (!isJsonObject(o)) return;
  o['@id'] = id;
  o['@type'] = type;
}

function typeNode(o: JsonValue | undefined, type: string): void {
  if (isJsonObject(o)) o['@type'] = type;
}

function eachEntry(map: JsonValue | undefined, fn: (name: string, value: JsonValue | undefined) => void): void {
  if (!isJsonObject(map)) return;
  for (const name of Object.keys(map)) fn(name, map[name]);
}

/** Types the pins and build nodes shared by data release manifests and country entries. */
function typePins(o: JsonObject): void {
  for (const k of ['data_package', 'model_package', 'built_with_core_package', 'built_with_model_package']) typeNode(o[k], 'pe:PackagePin');
  for (const k of ['compatible_model_packages', 'compatible_core_packages']) {
    const list = o[k];
    if (Array.isArray(list)) list.forEach((item) => typeNode(item, 'pe:PackageSpecifier'));
  }
}

function annotateDrm(doc: JsonObject, base: string): void {
  doc['@id'] = base;
  doc['@type'] = 'pe:DataReleaseManifest';
  typePins(doc);
  const build = doc['build'];
  typeNode(build, 'pe:DataBuild');
  if (isJsonObject(build)) typePins(build);
  eachEntry(doc['artifacts'], (name, art) => {
    setNode(art, mint(base, 'artifact', name), 'pe:ReleaseArtifact');
    if (isJsonObject(art) && Array.isArray(art['preservation_mirrors'])) art['preservation_mirrors'].forEach((m) => typeNode(m, 'pe:PreservationMirror'));
  });
  // A default dataset names an artifact: link to that artifact's node (a missing artifact stays untyped, which the shapes catch).
  const defaults = doc['default_datasets'];
  if (isJsonObject(defaults)) {
    for (const role of Object.keys(defaults)) {
      const name = defaults[role];
      if (typeof name !== 'string') continue;
      const ref = newJsonObject();
      ref['@id'] = mint(base, 'artifact', name);
      defaults[role] = ref;
    }
  }
}

/** Annotates one country entry (`data_releases.{cc}` or a typed CountryRelease) whose node is `id`. */
function annotateCountryEntry(entry: JsonValue | undefined, id: string): void {
  if (!isJsonObject(entry)) return;
  entry['@id'] = id;
  entry['@type'] = 'pe:CountryRelease';
  typePins(entry);
  typeNode(entry['certified_data_artifact'], 'pe:CertifiedDataArtifact');
  if (isJsonObject(entry['certified_data_artifact'])) typePins(entry['certified_data_artifact']);
  typeNode(entry['certification'], 'pe:Certification');
  eachEntry(entry['datasets'], (name, ref) => setNode(ref, `${id}/dataset/${iriSegment(name)}`, 'pe:DatasetReference'));
  eachEntry(entry['region_datasets'], (_region, t) => typeNode(t, 'pe:RegionDatasetTemplate'));
}

function withContext(doc: JsonObject, ctx: ManifestContext, sourceSha256: string | undefined): JsonObject {
  const out = newJsonObject();
  out['@context'] = ctx.context;
  for (const k of Object.keys(doc)) out[k] = doc[k] ?? null;
  if (sourceSha256 !== undefined) out['source_sha256'] = sourceSha256;
  return out;
}

function defaultBase(doc: JsonValue): string {
  return documentBaseIri(canonicalJsonBytes(doc));
}

async function lift(doc: JsonObject, options: ManifestLiftOptions, base: string): Promise<LiftedDocument> {
  return liftJsonLd(doc, { base, label: options.label ?? '<manifest>', ...(options.jsonldOnly === true ? { jsonldOnly: true } : {}) });
}

/**
 * Lifts a data release manifest (any variant policyengine.py reads; unknown keys dropped). The manifest is
 * `<base>` of type pe:DataReleaseManifest; artifacts are `<base>#artifact/<name>` (pe:ReleaseArtifact) and
 * `pe:defaultDataset` links to them, each default carrying its `pe:defaultRole`.
 */
export async function liftDataReleaseManifest(doc: JsonValue, options: ManifestLiftOptions = {}): Promise<LiftedDocument> {
  const ctx = manifestContext();
  const base = options.base ?? defaultBase(doc);
  const annotated = annotate(doc, ctx, undefined);
  if (!isJsonObject(annotated)) throw new PeTraceError('MANIFEST_INVALID', 'a data release manifest must be a JSON object', { location: { file: options.label ?? '<manifest>' } });
  annotateDrm(annotated, base);
  return lift(withContext(annotated, ctx, options.sourceSha256), options, base);
}

/**
 * Lifts a bundle manifest: `<base>` (pe:BundleManifest), country entries `<base>#release/<cc>`, their
 * datasets `…/dataset/<name>`, overlays `<base>#overlays/<cc>` with their datasets, packages `<base>#package/<key>`.
 */
export async function liftBundleManifest(doc: JsonValue, options: ManifestLiftOptions = {}): Promise<LiftedDocument> {
  const ctx = manifestContext();
  const base = options.base ?? defaultBase(doc);
  const annotated = annotate(doc, ctx, undefined);
  if (!isJsonObject(annotated)) throw new PeTraceError('MANIFEST_INVALID', 'a bundle manifest must be a JSON object', { location: { file: options.label ?? '<manifest>' } });
  annotated['@id'] = base;
  annotated['@type'] = 'pe:BundleManifest';
  eachEntry(annotated['data_releases'], (cc, entry) => annotateCountryEntry(entry, mint(base, 'release', cc)));
  eachEntry(annotated['packages'], (key, p) => setNode(p, mint(base, 'package', key), 'pe:BundlePackage'));
  eachEntry(annotated['countries'], (cc, c) => setNode(c, mint(base, 'country', cc), 'pe:CountryModel'));
  const overlays = annotated['dataset_overlays'];
  if (isJsonObject(overlays)) {
    for (const cc of Object.keys(overlays)) {
      const set = overlays[cc];
      if (!isJsonObject(set)) continue;
      // The overlay map's keys are dataset names: wrap them as the `datasets` of an overlay node.
      const id = mint(base, 'overlays', cc);
      const node = newJsonObject();
      node['@id'] = id;
      node['@type'] = 'pe:DatasetOverlaySet';
      node['datasets'] = set;
      eachEntry(set, (name, ref) => setNode(ref, `${id}/dataset/${iriSegment(name)}`, 'pe:DatasetReference'));
      overlays[cc] = node;
    }
  }
  return lift(withContext(annotated, ctx, options.sourceSha256), options, base);
}

/** Lifts one country release (overlays merged) as `<base>` of type pe:CountryRelease. */
export async function liftCountryRelease(release: CountryRelease, options: ManifestLiftOptions = {}): Promise<LiftedDocument> {
  const ctx = manifestContext();
  const doc = fromPlain(release);
  const base = options.base ?? defaultBase(doc);
  const annotated = annotate(doc, ctx, undefined);
  if (!isJsonObject(annotated)) throw new PeTraceError('INTERNAL', 'a country release did not convert to a JSON object');
  annotateCountryEntry(annotated, base);
  return lift(withContext(annotated, ctx, options.sourceSha256 ?? release.source_sha256), options, base);
}
