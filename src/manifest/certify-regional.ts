// The US regional overlay of certification: a second manifest's 51 state artifacts merged into the primary one (interop §4.3).
import { isJsonObject, newJsonObject } from '../json/value.js';
import type { JsonObject } from '../json/value.js';
import { CertificationError } from './certify-rules.js';
import type { DataReleaseManifest, ReleaseArtifact } from './types.js';

/** The 50 states and DC, by postal code. */
export const US_STATE_CODES: readonly string[] = [
  'AK', 'AL', 'AR', 'AZ', 'CA', 'CO', 'CT', 'DC', 'DE', 'FL', 'GA', 'HI', 'IA', 'ID', 'IL', 'IN', 'KS',
  'KY', 'LA', 'MA', 'MD', 'ME', 'MI', 'MN', 'MO', 'MS', 'MT', 'NC', 'ND', 'NE', 'NH', 'NJ', 'NM', 'NV',
  'NY', 'OH', 'OK', 'OR', 'PA', 'RI', 'SC', 'SD', 'TN', 'TX', 'UT', 'VA', 'VT', 'WA', 'WI', 'WV', 'WY',
];

export const DEFAULT_REGIONAL_PREFIX = 'states/';
export const DEFAULT_REGIONAL_PATH_TEMPLATE = 'states/{state_code}.h5';

export interface RegionalMergeOptions {
  readonly prefix?: string;
  readonly pathTemplate?: string;
}

export interface RegionalMerge {
  readonly manifest: DataReleaseManifest;
  readonly warnings: readonly string[];
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Merges the state artifacts of `regional` (names or paths under the prefix) into `primary`. Each must be
 * `{prefix}<STATE>.h5` for one of the 51 codes, carry a sha256 and not reuse a primary artifact name; a
 * second artifact for a state is ignored with a warning; all 51 must be present. Adds
 * `metadata.region_datasets.national` (if absent: the default artifact's path) and `.state`.
 */
export function mergeRegionalManifest(primary: DataReleaseManifest, regional: DataReleaseManifest, options: RegionalMergeOptions = {}): RegionalMerge {
  const prefix = options.prefix ?? DEFAULT_REGIONAL_PREFIX;
  const template = options.pathTemplate ?? DEFAULT_REGIONAL_PATH_TEMPLATE;
  const pathRe = new RegExp(`^${escapeRegExp(prefix)}([A-Z]{2})\\.h5$`);
  const states = new Set(US_STATE_CODES);
  const artifacts = Object.create(null) as Record<string, ReleaseArtifact>;
  for (const [name, art] of Object.entries(primary.artifacts)) artifacts[name] = art;
  const seen = new Map<string, string>();
  const warnings: string[] = [];
  for (const [name, art] of Object.entries(regional.artifacts)) {
    if (!name.startsWith(prefix) && !art.path.startsWith(prefix)) continue;
    const code = pathRe.exec(art.path)?.[1];
    if (code === undefined || !states.has(code)) {
      throw new CertificationError(`US state artifact path must match ${prefix}<STATE>.h5; got '${art.path}'.`);
    }
    if (art.sha256 === undefined || art.sha256 === '') throw new CertificationError(`US state artifact '${name}' has no sha256.`);
    if (Object.hasOwn(primary.artifacts, name)) throw new CertificationError(`US state artifact '${name}' collides with an artifact of the primary manifest.`);
    const first = seen.get(code);
    if (first !== undefined) {
      warnings.push(`Duplicate US state artifact for ${code}: keeping '${first}', ignoring '${name}'`);
      continue;
    }
    seen.set(code, name);
    artifacts[name] = art;
  }
  const missing = US_STATE_CODES.filter((c) => !seen.has(c));
  if (missing.length > 0) throw new CertificationError(`Missing US state artifacts: ${missing.join(', ')}`);
  const metadata = withRegionTemplates(primary, template);
  return { manifest: { ...primary, artifacts, metadata }, warnings };
}

function copyObject(o: JsonObject): JsonObject {
  const out = newJsonObject();
  for (const k of Object.keys(o)) out[k] = o[k] ?? null;
  return out;
}

function template(path: string): JsonObject {
  const o = newJsonObject();
  o['path_template'] = path;
  return o;
}

function withRegionTemplates(primary: DataReleaseManifest, stateTemplate: string): JsonObject {
  const metadata = isJsonObject(primary.metadata as JsonObject | undefined) ? copyObject(primary.metadata as JsonObject) : newJsonObject();
  const existing = metadata['region_datasets'];
  const regions = isJsonObject(existing) ? copyObject(existing) : newJsonObject();
  const national = primary.default_datasets['national'];
  const defaultArtifact = national === undefined ? undefined : primary.artifacts[national];
  if (!Object.hasOwn(regions, 'national') && defaultArtifact !== undefined) regions['national'] = template(defaultArtifact.path);
  regions['state'] = template(stateTemplate);
  metadata['region_datasets'] = regions;
  return metadata;
}
