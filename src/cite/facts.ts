// The facts of a citation, derived from a record summary: keyed by the composition fingerprint, deterministic.
import { normaliseDoi } from '../build-tro/identifiers.js';
import { InputError } from '../errors.js';
import type { RecordSummary, ReleaseFacts } from '../summary/types.js';

export interface CitationFacts {
  /** The citation key: `pe-<first 16 hex of the fingerprint>` (BibTeX key, CSL id, RIS ID). */
  readonly key: string;
  /** The composition fingerprint (hex) and its algorithm. */
  readonly fingerprint: string;
  readonly fingerprintAlgorithm: string;
  /** The institution: the record's creator, else the bundle manifest's publisher, else PolicyEngine. */
  readonly institution: string;
  readonly institutionUrl?: string;
  readonly title: string;
  readonly kind: RecordSummary['kind'];
  /** Creation date as written, and its parts (year always when any date is known). */
  readonly date?: string;
  readonly dateParts?: readonly [number, number?, number?];
  readonly modelPackage?: string;
  readonly modelVersion?: string;
  readonly dataPackage?: string;
  readonly dataVersion?: string;
  readonly dataBuild?: string;
  readonly dataset?: string;
  readonly bundleId?: string;
  readonly bundleFingerprint?: string;
  /** https addresses of what the record pins (the certified dataset, the model wheel, the bundle TRO), when recorded. */
  readonly datasetUrl?: string;
  readonly modelWheelUrl?: string;
  readonly bundleTroUrl?: string;
  readonly softwareVersion?: string;
  readonly doi?: string;
  readonly url?: string;
  /** The bundle manifest's own `citation` text ("PolicyEngine bundle 5.0.3, PolicyEngine, software-bundle 5.0.3"). */
  readonly manifestCitation?: string;
  /** One sentence listing what the record pins (model, data, build, dataset, bundle, fingerprint). */
  readonly description: string;
}

export interface CitationOptions {
  /** A DOI to cite (overrides a DOI mirrored in the record). Bare (`10.5281/…`) or as a doi.org URL. */
  readonly doi?: string;
  /** A URL to cite (overrides a URL recorded in the record). */
  readonly url?: string;
  /** How the record is named in error messages. */
  readonly label?: string;
}

const DOI = /^10\.[0-9]{4,9}\/\S+$/;

/** A `--doi` value (`10.x/y`, `doi:10.x/y`, `https://doi.org/10.x/y`) through the one DOI normaliser; malformed is a usage error. */
function citationDoi(raw: string): string {
  try {
    return normaliseDoi(raw);
  } catch {
    throw new InputError('USAGE', `not a DOI: ${JSON.stringify(raw)} (expected 10.NNNN/suffix)`);
  }
}

function checkUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new InputError('USAGE', `not a URL: ${JSON.stringify(raw)}`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new InputError('USAGE', `the citation URL must be http(s): ${JSON.stringify(raw)}`);
  return raw;
}

function dateParts(date: string | undefined): [number, number?, number?] | undefined {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(date ?? '');
  if (m === null) return undefined;
  const parts: [number, number?, number?] = [Number(m[1])];
  if (m[2] !== undefined) parts[1] = Number(m[2]);
  if (m[3] !== undefined) parts[2] = Number(m[3]);
  return parts;
}

/** The citation facts of a TRO or run record. A record without a composition fingerprint cannot be cited (exit 3). */
export function citationFacts(s: RecordSummary, options: CitationOptions = {}): CitationFacts {
  if (s.fingerprint === undefined) {
    throw new InputError('RECORD_UNRECOGNISED', 'the record has no composition fingerprint, so there is nothing to key a citation on (cite reads a TRO or a run record folder)', options.label === undefined ? {} : { location: { file: options.label } });
  }
  const fp = s.fingerprint.value;
  const release: ReleaseFacts | undefined = s.releases[0];
  const institution = s.creator?.name ?? s.citation?.['publisher'] ?? 'PolicyEngine';
  const date = s.dates.created ?? s.dates.started ?? s.bundle?.summary?.dates.created;
  const mirroredDoi = s.preservationDois[0] ?? s.bundle?.summary?.preservationDois[0];
  const doi = options.doi !== undefined ? citationDoi(options.doi) : mirroredDoi !== undefined && DOI.test(mirroredDoi) ? mirroredDoi : undefined;
  const recordedUrl = s.links.find((l) => l.kind === 'self-url')?.target;
  const url = options.url !== undefined ? checkUrl(options.url) : recordedUrl;
  const model = release?.model.name === undefined ? undefined : `${release.model.name}${release.model.version === undefined ? '' : ` ${release.model.version}`}`;
  const data = release?.data.package === undefined ? undefined : `${release.data.package}${release.data.version === undefined ? '' : ` ${release.data.version}`}`;
  const dataset = release?.data.dataset?.name;
  const what =
    s.kind === 'bundle'
      ? `PolicyEngine certified runtime bundle${release?.bundleId === undefined ? '' : ` ${release.bundleId}`}`
      : s.kind === 'run' || s.kind === 'results'
        ? `PolicyEngine simulation${s.simulationId === undefined ? '' : ` ${s.simulationId}`}${release?.bundleId === undefined ? '' : ` on bundle ${release.bundleId}`}`
        : (s.name ?? 'Transparent Research Object');
  const pins = [model, dataset ?? data].filter((x) => x !== undefined);
  const title = `${what}${pins.length === 0 ? '' : ` (${pins.join(', ')})`}`;
  const parts: string[] = [];
  if (model !== undefined) parts.push(`model ${model}`);
  if (data !== undefined) parts.push(`data ${data}`);
  if (release?.data.buildId !== undefined) parts.push(`build ${release.data.buildId}`);
  if (dataset !== undefined) parts.push(`dataset ${dataset}`);
  if (release?.bundleId !== undefined) parts.push(`bundle ${release.bundleId}`);
  if (s.bundle?.fingerprint !== undefined) parts.push(`bundle fingerprint sha256:${s.bundle.fingerprint}`);
  const description = `Transparent Research Object (TRACE TROv 0.1) with composition fingerprint ${s.fingerprint.algorithm}:${fp}${parts.length === 0 ? '' : `; ${parts.join('; ')}`}.`;
  const c = s.citation;
  const manifestCitation =
    c === undefined ? undefined : [c['title'], c['publisher'], [c['type'], c['version']].filter((x) => x !== undefined).join(' ') || undefined].filter((x) => x !== undefined && x !== '').join(', ');
  const dp = dateParts(date);
  return {
    key: `pe-${fp.slice(0, 16)}`,
    fingerprint: fp,
    fingerprintAlgorithm: s.fingerprint.algorithm,
    institution,
    ...(s.creator?.url === undefined ? {} : { institutionUrl: s.creator.url }),
    title,
    kind: s.kind,
    ...(date === undefined ? {} : { date }),
    ...(dp === undefined ? {} : { dateParts: dp }),
    ...(release?.model.name === undefined ? {} : { modelPackage: release.model.name }),
    ...(release?.model.version === undefined ? {} : { modelVersion: release.model.version }),
    ...(release?.data.package === undefined ? {} : { dataPackage: release.data.package }),
    ...(release?.data.version === undefined ? {} : { dataVersion: release.data.version }),
    ...(release?.data.buildId === undefined ? {} : { dataBuild: release.data.buildId }),
    ...(dataset === undefined ? {} : { dataset }),
    ...(release?.bundleId === undefined ? {} : { bundleId: release.bundleId }),
    ...(s.bundle?.fingerprint === undefined ? {} : { bundleFingerprint: s.bundle.fingerprint }),
    ...https('datasetUrl', release?.data.dataset?.location),
    ...https('modelWheelUrl', release?.model.wheelUrl),
    ...https('bundleTroUrl', s.bundle?.url),
    ...(s.producer?.version === undefined ? {} : { softwareVersion: s.producer.version }),
    ...(doi === undefined ? {} : { doi }),
    ...(url === undefined ? {} : { url }),
    ...(manifestCitation === undefined || manifestCitation === '' ? {} : { manifestCitation }),
    description,
  };
}

/** `{key: url}` for an https URL (other locations, e.g. `hf://` or relative paths, are not citable addresses). */
function https<K extends string>(key: K, url: string | undefined): { [P in K]?: string } {
  return (url !== undefined && /^https:\/\/\S+$/.test(url) ? { [key]: url } : {}) as { [P in K]?: string };
}
