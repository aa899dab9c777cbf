// The gaps of a restricted-input audit: where the corpus cannot answer the auditor's question, stated, never hidden.
import { compareCodePoints } from '../json/canonical.js';
import type { Corpus } from '../query/corpus.js';
import { CONSUMER_ROLES, type EntityType } from '../query/facts.js';
import { type ArtifactInfo, type EntityInfo, type Flow, where } from '../query/flow.js';
import type { SignalEvidence } from './restricted-inputs.js';

/** The provenance nodes a path may end at. */
export const TERMINAL: ReadonlySet<EntityType> = new Set(['Bundle', 'Run']);

export type GapKind =
  | 'build-without-inputs'
  | 'dataset-inputs-unknown'
  | 'release-manifest-missing'
  | 'bundle-tro-missing'
  | 'restricted-input-unlinked'
  | 'restricted-without-hash';

export interface Gap {
  readonly kind: GapKind;
  /** What the gap is about: a document path, or a hash. */
  readonly subject: string;
  readonly message: string;
  readonly documents: readonly string[];
  /** Bundles and runs whose provenance the gap leaves incomplete. */
  readonly affects: readonly string[];
}


/** What the gap finder needs to know of each piece of restricted content. */
export interface GapInput {
  readonly id: string;
  readonly sha256?: string;
  readonly names: readonly string[];
  readonly signals: readonly SignalEvidence[];
  readonly occurrences: readonly string[];
  readonly consumed: boolean;
  readonly hasHash: boolean;
}

/** The gaps: where an auditor's question cannot be answered from the corpus, stated rather than hidden. */
export function findGaps(corpus: Corpus, flow: Flow, inputs: readonly GapInput[]): Gap[] {
  const gaps: Gap[] = [];
  const artifactsByHash = new Map<string, ArtifactInfo[]>();
  for (const info of flow.artifacts.values()) {
    for (const h of info.artifact.sha256) {
      const list = artifactsByHash.get(h.value);
      if (list === undefined) artifactsByHash.set(h.value, [info]);
      else list.push(info);
    }
  }
  const incoming = new Map<string, string[]>();
  for (const [from, tos] of flow.edges) for (const to of tos.keys()) incoming.set(to, [...(incoming.get(to) ?? []), from]);
  const entitiesByBuildId = new Map<string, EntityInfo[]>();
  for (const info of flow.entities.values()) for (const b of info.entity.buildIds) entitiesByBuildId.set(b.value, [...(entitiesByBuildId.get(b.value) ?? []), info]);
  const bindsBundle = new Set(corpus.links.filter((l) => l.relation === 'binds-bundle').map((l) => l.source.node));
  const downstream = (groupKey: string): string[] => {
    const seen = new Set<string>([groupKey]);
    const queue = [groupKey];
    const out: string[] = [];
    while (queue.length > 0) {
      const k = queue.shift() as string;
      for (const next of flow.edges.get(k)?.keys() ?? []) {
        if (seen.has(next)) continue;
        seen.add(next);
        queue.push(next);
        const g = flow.groups.get(next);
        if (g !== undefined && TERMINAL.has(g.type)) out.push(...g.members.flatMap((m) => m.doc.paths));
      }
    }
    return [...new Set(out)].sort(compareCodePoints);
  };
  const groupHasInputs = (key: string): boolean =>
    flow.groups.get(key)?.members.some((m) => m.doc.artifacts.some((a) => a.entity === m.entity.iri && a.role === 'input')) === true;

  // 1. Build records that name no inputs.
  for (const [iri, info] of flow.entities) {
    if (info.entity.type !== 'Build') continue;
    const own = info.doc.artifacts.filter((a) => a.entity === iri);
    if (own.some((a) => a.role === 'input')) continue;
    const outputs = own.filter((a) => a.role === 'output').length;
    const payloads = own.filter((a) => a.role === 'payload').length;
    const what = info.doc.facts.kind === 'tro' ? `its composition binds ${outputs} output(s) and ${payloads} payload(s) and no input` : 'it records outputs and code commits but has no slot for data inputs';
    const notes = info.entity.notes.map((n) => n.value);
    const key = flow.groupOf.get(iri);
    gaps.push({
      kind: 'build-without-inputs',
      subject: info.doc.path,
      message: `${info.entity.label} declares no inputs: ${what}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`,
      documents: [...info.doc.paths],
      affects: key === undefined ? [] : downstream(key),
    });
  }

  // 2. Datasets bundles pin whose producing build declares no inputs (or is absent from the corpus).
  const tracedBy = (hash: string): boolean => {
    for (const info of artifactsByHash.get(hash) ?? []) {
      const a = info.artifact;
      if (CONSUMER_ROLES.has(a.role)) continue;
      const key = flow.groupOf.get(a.entity);
      if (key === undefined) continue;
      if (groupHasInputs(key)) return true;
      // A manifest listing the content, fed by a build that declares inputs.
      if ((incoming.get(key) ?? []).some((from) => flow.groups.get(from)?.type === 'Build' && groupHasInputs(from))) return true;
    }
    return false;
  };
  // Grouped by the build the bundles say made them (or by bundle, when they name none): one gap per build.
  const byBuild = new Map<string, { docs: Set<string>; affects: Set<string>; builds: Set<string>; names: Set<string>; hashes: Set<string> }>();
  for (const info of flow.artifacts.values()) {
    const a = info.artifact;
    const owner = flow.entities.get(a.entity);
    if (a.role !== 'dataset' || owner?.entity.type !== 'Bundle') continue;
    const untraced = a.sha256.filter((h) => !tracedBy(h.value));
    if (untraced.length === 0) continue;
    const builds = a.fromBuild === undefined ? [] : [a.fromBuild.value];
    const groupKey = builds.length > 0 ? builds.join(' ') : info.doc.path;
    const entry = byBuild.get(groupKey) ?? { docs: new Set<string>(), affects: new Set<string>(), builds: new Set(builds), names: new Set<string>(), hashes: new Set<string>() };
    for (const p of info.doc.paths) entry.docs.add(p);
    entry.names.add(a.name ?? a.key);
    for (const h of untraced) entry.hashes.add(h.value);
    const key = flow.groupOf.get(a.entity);
    if (key !== undefined) for (const p of [...info.doc.paths, ...downstream(key)]) entry.affects.add(p);
    byBuild.set(groupKey, entry);
  }
  for (const [groupKey, use] of byBuild) {
    const builds = [...use.builds];
    const records = builds.flatMap((b) => (entitiesByBuildId.get(b) ?? []).map((e) => e.doc.path));
    const why =
      builds.length === 0
        ? 'the bundle does not say which build made them'
        : records.length === 0
          ? `no build record for ${builds.join(', ')} is in the corpus`
          : `the build records (${[...new Set(records)].sort(compareCodePoints).join(', ')}) declare no inputs`;
    const names = [...use.names].sort(compareCodePoints);
    gaps.push({
      kind: 'dataset-inputs-unknown',
      subject: builds.length > 0 ? `build ${groupKey}` : groupKey,
      message: `inputs of ${names.length} dataset(s) pinned by bundles (${names.join(', ')}) are unknown: ${why}`,
      documents: [...use.docs].sort(compareCodePoints),
      affects: [...use.affects].sort(compareCodePoints),
    });
  }

  // 3/4. Pinned release manifests and bound bundle TROs that are not in the corpus.
  const linked = new Set(corpus.links.filter((l) => l.relation === 'file-content' || l.relation === 'same-content' || l.relation === 'binds-bundle').map((l) => l.source.node));
  for (const l of corpus.links) if (l.relation === 'same-content') linked.add(l.target.node);
  for (const [, info] of flow.artifacts) {
    const a = info.artifact;
    const owner = flow.entities.get(a.entity);
    if (owner === undefined) continue;
    const missingManifest = a.role === 'release-manifest' && owner.entity.type === 'Bundle' && a.sha256.length > 0 && !linked.has(a.iri);
    const missingBundle = a.role === 'bundle-tro' && !linked.has(a.iri) && !bindsBundle.has(owner.entity.iri);
    if (!missingManifest && !missingBundle) continue;
    const hash = a.sha256[0]?.value ?? '';
    const key = flow.groupOf.get(a.entity);
    gaps.push({
      kind: missingManifest ? 'release-manifest-missing' : 'bundle-tro-missing',
      subject: where(info.doc, a.pointer),
      message: missingManifest
        ? `${owner.entity.label} pins a data release manifest (sha256 ${hash.slice(0, 12)}…${a.locations[0] === undefined ? '' : ` at ${a.locations[0].value}`}) that is not in the corpus: its artifacts and build cannot be followed`
        : `${owner.entity.label} binds a bundle TRO (sha256 ${hash.slice(0, 12)}…) that is not in the corpus (no file with that hash, no bundle with its fingerprint)`,
      documents: [...info.doc.paths],
      affects: key === undefined ? [] : [...new Set([...(TERMINAL.has(owner.entity.type) ? info.doc.paths : []), ...downstream(key)])].sort(compareCodePoints),
    });
  }

  // 5/6. Restricted content no build record binds, and restricted content named without a hash.
  for (const input of inputs) {
    if (!input.hasHash) {
      gaps.push({
        kind: 'restricted-without-hash',
        subject: input.occurrences[0] ?? input.id,
        message: `restricted input ${input.names.join(' / ')} is named without a sha256 (${input.signals.map((s) => `${s.kind} ${s.value}`).join('; ')}): no document can bind it by hash`,
        documents: [...new Set(input.signals.map((s) => s.at.split(/[# ]/)[0] ?? s.at))].sort(compareCodePoints),
        affects: [],
      });
    } else if (!input.consumed && input.occurrences.every((o) => o.startsWith('source-pin '))) {
      gaps.push({
        kind: 'restricted-input-unlinked',
        subject: input.id,
        message: `restricted input ${input.names.join(' / ')} (sha256 ${input.sha256?.slice(0, 12) ?? ''}…) is pinned in a source registry but bound by no build record in the corpus`,
        documents: [...new Set(input.signals.map((s) => s.at.split(/[# ]/)[0] ?? s.at))].sort(compareCodePoints),
        affects: [],
      });
    }
  }
  const order: Readonly<Record<GapKind, number>> = {
    'build-without-inputs': 0,
    'dataset-inputs-unknown': 1,
    'release-manifest-missing': 2,
    'bundle-tro-missing': 3,
    'restricted-input-unlinked': 4,
    'restricted-without-hash': 5,
  };
  return gaps.sort((a, b) => order[a.kind] - order[b.kind] || compareCodePoints(a.subject, b.subject));
}
