// Compares two record summaries and classifies what changed: rules, data, reform, inputs, results, runtime, metadata.
import { InputError } from '../errors.js';
import type { SummaryArtifactRole, ArtifactSummary, RecordKind, RecordSummary, ReleaseFacts } from '../summary/types.js';

/** The categories of change, in their fixed report order. `metadata` alone means "identical in substance". */
export const DIFF_CATEGORIES = ['rules', 'data', 'reform', 'inputs', 'results', 'runtime', 'metadata'] as const;
export type DiffCategory = (typeof DIFF_CATEGORIES)[number];

/** One changed field: where it is (`release us: model version`), its category, and the values on each side. */
export interface FieldChange {
  readonly category: DiffCategory;
  readonly field: string;
  readonly a?: string;
  readonly b?: string;
}

export interface ArtifactChange {
  readonly id: string;
  readonly role: SummaryArtifactRole;
  readonly category: DiffCategory;
  readonly status: 'same' | 'changed' | 'added' | 'removed';
  readonly a?: { readonly hash?: string; readonly locations: readonly string[] };
  readonly b?: { readonly hash?: string; readonly locations: readonly string[] };
  /** Same content, different location(s): a metadata change. */
  readonly locationChanged: boolean;
}

export interface RecordDiff {
  readonly a: { readonly kind: RecordKind; readonly fingerprint?: string };
  readonly b: { readonly kind: RecordKind; readonly fingerprint?: string };
  /** The categories that changed, in DIFF_CATEGORIES order. */
  readonly changed: readonly DiffCategory[];
  /** True when nothing but metadata changed (diff exits 0). */
  readonly identicalInSubstance: boolean;
  /** The categories that apply to this kind of record (what the text report lists as changed/unchanged). */
  readonly applicable: readonly DiffCategory[];
  readonly categories: Readonly<Record<DiffCategory, readonly FieldChange[]>>;
  readonly artifacts: readonly ArtifactChange[];
}

const CATEGORY_BY_ROLE: Readonly<Record<SummaryArtifactRole, DiffCategory>> = {
  'model-wheel': 'rules',
  'data-release-manifest': 'data',
  dataset: 'data',
  'restricted-input': 'data',
  'build-payload': 'data',
  // The bundle manifest file holds every country, packages and overlays: its hash moves with any edit, so it is
  // metadata unless a release fact (compared separately) says the rules or the data moved.
  'bundle-manifest': 'metadata',
  'bundle-tro': 'metadata',
  reform: 'reform',
  input: 'inputs',
  request: 'inputs',
  runtime: 'runtime',
  results: 'results',
  // An artifact we cannot name (e.g. a build output such as `calibration`) is content: counted as data.
  other: 'data',
};

function applicableFor(kind: RecordKind): DiffCategory[] {
  if (kind === 'run' || kind === 'results') return [...DIFF_CATEGORIES];
  return ['rules', 'data', 'metadata'];
}

function sameFamily(a: RecordKind, b: RecordKind): boolean {
  const fam = (k: RecordKind): string => (k === 'run' || k === 'results' ? 'run' : k === 'unknown' ? 'build' : k);
  return fam(a) === fam(b);
}

/** Compares A and B. Records of different families (a bundle TRO and a run, a manifest and a TRO) are refused (exit 3). */
export function diffRecords(a: RecordSummary, b: RecordSummary, labels: { a: string; b: string } = { a: 'A', b: 'B' }): RecordDiff {
  if (!sameFamily(a.kind, b.kind)) {
    throw new InputError('RECORD_UNRECOGNISED', `cannot compare a ${a.kind} record (${labels.a}) with a ${b.kind} record (${labels.b}); diff compares two TROs of the same kind, two run records or two bundle manifests`, { location: { file: labels.b } });
  }
  const changes: FieldChange[] = [];
  const artifacts = diffArtifacts(a.artifacts, b.artifacts);
  for (const art of artifacts) {
    if (art.status === 'same') {
      if (art.locationChanged) changes.push({ category: 'metadata', field: `artifact ${art.id} location`, ...opt('a', art.a?.locations.join(' ')), ...opt('b', art.b?.locations.join(' ')) });
      continue;
    }
    if (art.role === 'bundle-tro' && a.bundle?.summary !== undefined && b.bundle?.summary !== undefined) continue;
    if (art.role === 'bundle-tro') {
      // The bundle TROs were not available to look inside: say so, and count both sides of the bundle as moved.
      changes.push({ category: 'rules', field: 'bundle TRO (contents not read: rules may have changed)', ...opt('a', art.a?.hash), ...opt('b', art.b?.hash) });
      changes.push({ category: 'data', field: 'bundle TRO (contents not read: data may have changed)', ...opt('a', art.a?.hash), ...opt('b', art.b?.hash) });
      continue;
    }
    changes.push({ category: art.category, field: `artifact ${art.id}`, ...opt('a', art.a?.hash), ...opt('b', art.b?.hash) });
  }
  // A run's releases come from its bundle TRO: compared only when both bundles were read (else the bundle_tro
  // artifact hash above speaks for them, and an unread bundle is never mistaken for a removed release).
  const isRun = (s: RecordSummary): boolean => s.kind === 'run' || s.kind === 'results';
  if (!isRun(a) || (a.bundle?.summary !== undefined && b.bundle?.summary !== undefined)) changes.push(...diffReleases(a.releases, b.releases));
  if (a.bundle !== undefined || b.bundle !== undefined) {
    field(changes, 'metadata', 'bundle TRO URL', a.bundle?.url, b.bundle?.url);
    const sa = a.bundle?.summary;
    const sb = b.bundle?.summary;
    if (sa !== undefined && sb !== undefined) {
      // Inside the bundles: their releases are already compared above; the rest of the bundle is metadata.
      for (const c of diffTop(sa, sb)) changes.push({ ...c, field: `bundle: ${c.field}` });
      const bundleArtifacts = diffArtifacts(sa.artifacts, sb.artifacts);
      for (const art of bundleArtifacts) {
        if (art.status !== 'same') changes.push({ category: art.category, field: `bundle artifact ${art.id}`, ...opt('a', art.a?.hash), ...opt('b', art.b?.hash) });
        else if (art.locationChanged) changes.push({ category: 'metadata', field: `bundle artifact ${art.id} location`, ...opt('a', art.a?.locations.join(' ')), ...opt('b', art.b?.locations.join(' ')) });
      }
    }
  }
  for (const [key, cat] of [['reform', 'reform'], ['input', 'inputs'], ['request', 'inputs'], ['runtime', 'runtime'], ['results', 'results']] as const) {
    const fa = a[key]?.facts ?? {};
    const fb = b[key]?.facts ?? {};
    for (const k of unionKeys(fa, fb)) field(changes, cat, `${key} ${k}`, fa[k], fb[k]);
  }
  for (const k of unionKeys(a.runtimeEnvironment, b.runtimeEnvironment)) field(changes, 'runtime', `runtime ${k}`, a.runtimeEnvironment[k], b.runtimeEnvironment[k]);
  changes.push(...diffTop(a, b));

  const categories = Object.fromEntries(DIFF_CATEGORIES.map((c) => [c, dedupe(changes.filter((x) => x.category === c))])) as Record<DiffCategory, FieldChange[]>;
  const changed = DIFF_CATEGORIES.filter((c) => categories[c].length > 0);
  const applicable = [...new Set([...applicableFor(a.kind), ...applicableFor(b.kind)])];
  return {
    a: { kind: a.kind, ...opt('fingerprint', a.fingerprint?.value) },
    b: { kind: b.kind, ...opt('fingerprint', b.fingerprint?.value) },
    changed,
    identicalInSubstance: changed.every((c) => c === 'metadata'),
    applicable: DIFF_CATEGORIES.filter((c) => applicable.includes(c)),
    categories,
    artifacts,
  };
}

/** Top-level descriptive facts: all metadata (names, producer, dates, emission context, CI, citation, DOIs). */
function diffTop(a: RecordSummary, b: RecordSummary): FieldChange[] {
  const out: FieldChange[] = [];
  field(out, 'metadata', 'kind', a.kind, b.kind);
  field(out, 'metadata', 'dialect', a.dialect, b.dialect);
  field(out, 'metadata', 'name', a.name, b.name);
  field(out, 'metadata', 'description', a.description, b.description);
  field(out, 'metadata', 'creator', a.creator?.name, b.creator?.name);
  field(out, 'metadata', 'producer', a.producer?.name, b.producer?.name);
  field(out, 'metadata', 'producer version', a.producer?.version, b.producer?.version);
  field(out, 'metadata', 'research system', a.system, b.system);
  field(out, 'metadata', 'emitted in', a.emittedIn, b.emittedIn);
  field(out, 'metadata', 'date created', a.dates.created, b.dates.created);
  field(out, 'metadata', 'started', a.dates.started, b.dates.started);
  field(out, 'metadata', 'ended', a.dates.ended, b.dates.ended);
  field(out, 'metadata', 'simulation id', a.simulationId, b.simulationId);
  field(out, 'metadata', 'preservation DOIs', a.preservationDois.join(' ') || undefined, b.preservationDois.join(' ') || undefined);
  for (const k of unionKeys(a.extra, b.extra)) field(out, 'metadata', k, a.extra[k], b.extra[k]);
  const links = (s: RecordSummary): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const l of s.links) out[`link ${l.kind}`] = out[`link ${l.kind}`] === undefined ? l.target : `${out[`link ${l.kind}`] as string} ${l.target}`;
    return out;
  };
  const la = links(a);
  const lb = links(b);
  for (const k of unionKeys(la, lb)) field(out, 'metadata', k, la[k], lb[k]);
  for (const k of unionKeys(a.citation ?? {}, b.citation ?? {})) field(out, 'metadata', `citation ${k}`, a.citation?.[k], b.citation?.[k]);
  return out;
}

function diffReleases(a: readonly ReleaseFacts[], b: readonly ReleaseFacts[]): FieldChange[] {
  const out: FieldChange[] = [];
  const key = (r: ReleaseFacts, i: number, all: readonly ReleaseFacts[]): string => (all.length === 1 ? '' : (r.country ?? `#${i}`));
  const ma = new Map(a.map((r, i) => [key(r, i, a), r]));
  const mb = new Map(b.map((r, i) => [key(r, i, b), r]));
  // A single release on each side is compared whatever its country (a us and a uk bundle differ in rules and data).
  for (const k of [...new Set([...ma.keys(), ...mb.keys()])].sort()) {
    const ra = ma.get(k);
    const rb = mb.get(k);
    const p = k === '' ? '' : `release ${k}: `;
    if (ra === undefined || rb === undefined) {
      const present = (ra ?? rb) as ReleaseFacts;
      const side = ra === undefined ? 'b' : 'a';
      out.push({ category: 'rules', field: `${p}release`, [side]: present.model.name ?? 'present' });
      out.push({ category: 'data', field: `${p}release`, [side]: present.data.package ?? 'present' });
      continue;
    }
    field(out, 'metadata', `${p}country`, ra.country, rb.country);
    field(out, 'metadata', `${p}bundle id`, ra.bundleId, rb.bundleId);
    field(out, 'rules', `${p}model package`, ra.model.name, rb.model.name);
    field(out, 'rules', `${p}model version`, ra.model.version, rb.model.version);
    field(out, 'rules', `${p}model wheel sha256`, ra.model.wheelSha256, rb.model.wheelSha256);
    field(out, 'metadata', `${p}model wheel URL`, ra.model.wheelUrl, rb.model.wheelUrl);
    const da = ra.data;
    const db = rb.data;
    field(out, 'data', `${p}data package`, da.package, db.package);
    field(out, 'data', `${p}data version`, da.version, db.version);
    field(out, 'data', `${p}data build id`, da.buildId, db.buildId);
    field(out, 'data', `${p}data build fingerprint`, da.buildFingerprint, db.buildFingerprint);
    field(out, 'data', `${p}data built with model version`, da.builtWithModelVersion, db.builtWithModelVersion);
    field(out, 'data', `${p}data built with model git sha`, da.builtWithModelGitSha, db.builtWithModelGitSha);
    field(out, 'data', `${p}dataset`, da.dataset?.name, db.dataset?.name);
    field(out, 'data', `${p}dataset sha256`, da.dataset?.sha256, db.dataset?.sha256);
    field(out, 'metadata', `${p}dataset location`, da.dataset?.location, db.dataset?.location);
    field(out, 'data', `${p}data release manifest sha256`, da.releaseManifest?.sha256, db.releaseManifest?.sha256);
    field(out, 'data', `${p}data release manifest status`, da.releaseManifest?.status, db.releaseManifest?.status);
    field(out, 'metadata', `${p}data release manifest location`, da.releaseManifest?.location, db.releaseManifest?.location);
    field(out, 'metadata', `${p}compatibility basis`, ra.certification.compatibilityBasis, rb.certification.compatibilityBasis);
    field(out, 'metadata', `${p}certified for model version`, ra.certification.certifiedForModelVersion, rb.certification.certifiedForModelVersion);
    field(out, 'metadata', `${p}certified by`, ra.certification.certifiedBy, rb.certification.certifiedBy);
  }
  return out;
}

function diffArtifacts(a: readonly ArtifactSummary[], b: readonly ArtifactSummary[]): ArtifactChange[] {
  const mb = new Map(b.map((x) => [x.id, x]));
  const seen = new Set<string>();
  const out: ArtifactChange[] = [];
  const side = (x: ArtifactSummary): { hash?: string; locations: readonly string[] } => ({ ...opt('hash', x.hash?.value), locations: x.locations });
  for (const x of a) {
    seen.add(x.id);
    const y = mb.get(x.id);
    if (y === undefined) {
      out.push({ id: x.id, role: x.role, category: CATEGORY_BY_ROLE[x.role], status: 'removed', a: side(x), locationChanged: false });
      continue;
    }
    const same = x.hash?.value === y.hash?.value && x.hash?.algorithm === y.hash?.algorithm;
    const locationChanged = x.locations.join('\n') !== y.locations.join('\n');
    out.push({ id: x.id, role: y.role, category: CATEGORY_BY_ROLE[y.role], status: same ? 'same' : 'changed', a: side(x), b: side(y), locationChanged });
  }
  for (const y of b) if (!seen.has(y.id)) out.push({ id: y.id, role: y.role, category: CATEGORY_BY_ROLE[y.role], status: 'added', b: side(y), locationChanged: false });
  return out;
}

function field(out: FieldChange[], category: DiffCategory, name: string, a: string | undefined, b: string | undefined): void {
  if (a !== b) out.push({ category, field: name, ...opt('a', a), ...opt('b', b) });
}

function unionKeys(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
}

function dedupe(list: FieldChange[]): FieldChange[] {
  const seen = new Set<string>();
  return list.filter((c) => {
    const k = `${c.field}\0${c.a ?? ''}\0${c.b ?? ''}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
