// The downstream flow between provenance nodes (build → release manifest → bundle → run), read off the link edges.
import { type ArtifactFact, CONSUMER_ROLES, type EntityFact, type EntityType } from './facts.js';
import type { Corpus, LoadedDocument } from './corpus.js';
import type { Link, LinkMethod, LinkRelation } from './links.js';
import { DisjointSets } from './union-find.js';

/** One piece of evidence for a step: how a link was established, and where each side states it. */
export interface Evidence {
  readonly method: LinkMethod;
  readonly relation: LinkRelation;
  readonly value: string;
  /** `path#/json/pointer` (or `path <iri>` for Turtle) of each side. */
  readonly from: string;
  readonly to: string;
}

/** The flow ranks: data moves up this order (a bundle entry feeding its bundle TRO shares rank 2; a run's payload files feed the run). */
const RANK: Readonly<Partial<Record<EntityType, number>>> = { Build: 0, ReleaseManifest: 1, Bundle: 2, RunPayload: 3, Run: 4 };

export interface EntityInfo {
  readonly entity: EntityFact;
  readonly doc: LoadedDocument;
}

export interface ArtifactInfo {
  readonly artifact: ArtifactFact;
  readonly doc: LoadedDocument;
}

/** Nodes of the flow: builds with the same id merged into one group (a build TRO and its build manifest). */
export interface FlowGroup {
  readonly key: string;
  readonly type: EntityType;
  readonly members: readonly EntityInfo[];
}

export interface Flow {
  readonly entities: ReadonlyMap<string, EntityInfo>;
  readonly artifacts: ReadonlyMap<string, ArtifactInfo>;
  readonly groups: ReadonlyMap<string, FlowGroup>;
  /** Entity IRI → its group key. */
  readonly groupOf: ReadonlyMap<string, string>;
  /** Downstream edges between groups, each with every piece of evidence found for it. */
  readonly edges: ReadonlyMap<string, ReadonlyMap<string, readonly Evidence[]>>;
  /** Builds merged by id, with the evidence (for reports). */
  readonly merges: readonly Evidence[];
}

/** `path#pointer` for a JSON document, `path <iri>` for RDF subjects, `path` for the whole file. */
export function where(doc: LoadedDocument, pointer: string): string {
  if (pointer === '') return doc.path;
  if (pointer.startsWith('<') || pointer.startsWith('_:')) return `${doc.path} ${pointer}`;
  return `${doc.path}#${pointer}`;
}

export function evidenceOf(link: Link, docs: ReadonlyMap<string, LoadedDocument>): Evidence {
  const s = docs.get(link.source.document);
  const t = docs.get(link.target.document);
  return {
    method: link.method,
    relation: link.relation,
    value: link.value,
    from: s === undefined ? link.source.node : where(s, link.source.pointer),
    to: t === undefined ? link.target.node : where(t, link.target.pointer),
  };
}

/** Builds the flow graph of a loaded corpus. */
export function buildFlow(corpus: Corpus): Flow {
  // Every link the flow reads is a derived one; declared links fall through both loops below.
  const links = corpus.flowLinks ?? corpus.links;
  const docs = new Map(corpus.documents.map((d) => [d.graph, d]));
  const entities = new Map<string, EntityInfo>();
  const artifacts = new Map<string, ArtifactInfo>();
  for (const doc of corpus.documents) {
    for (const e of doc.entities) if (!entities.has(e.iri)) entities.set(e.iri, { entity: e, doc });
    for (const a of doc.artifacts) if (!artifacts.has(a.iri)) artifacts.set(a.iri, { artifact: a, doc });
  }
  const inFlow = (iri: string): EntityInfo | undefined => {
    const info = entities.get(iri);
    return info !== undefined && RANK[info.entity.type] !== undefined ? info : undefined;
  };

  // Builds sharing an id are one build seen through several documents: union them.
  const builds = new DisjointSets();
  const merges: Evidence[] = [];
  for (const link of links) {
    if (link.relation !== 'same-build') continue;
    const a = inFlow(link.source.node);
    const b = inFlow(link.target.node);
    if (a?.entity.type === 'Build' && b?.entity.type === 'Build') {
      builds.union(a.entity.iri, b.entity.iri);
      merges.push(evidenceOf(link, docs));
    }
  }
  const groups = new Map<string, FlowGroup>();
  const groupOf = new Map<string, string>();
  for (const [iri, info] of entities) {
    if (RANK[info.entity.type] === undefined) continue;
    const key = builds.find(iri);
    groupOf.set(iri, key);
    const g = groups.get(key);
    groups.set(key, { key, type: info.entity.type, members: [...(g?.members ?? []), info] });
  }

  const edges = new Map<string, Map<string, Evidence[]>>();
  const addEdge = (from: EntityInfo, to: EntityInfo, link: Link): void => {
    const f = groupOf.get(from.entity.iri);
    const t = groupOf.get(to.entity.iri);
    if (f === undefined || t === undefined || f === t) return;
    const rf = RANK[from.entity.type] ?? 0;
    const rt = RANK[to.entity.type] ?? 0;
    // Data never flows down the ranks; equal ranks only for a bundle entry feeding a bundle TRO.
    if (rt < rf || (rt === rf && from.entity.type !== 'Bundle')) return;
    let out = edges.get(f);
    if (out === undefined) {
      out = new Map();
      edges.set(f, out);
    }
    const list = out.get(t) ?? [];
    list.push(evidenceOf(link, docs));
    out.set(t, list);
  };
  const ownerOf = (artifactIri: string): { owner: EntityInfo; artifact: ArtifactFact } | undefined => {
    const a = artifacts.get(artifactIri);
    const owner = a === undefined ? undefined : inFlow(a.artifact.entity);
    return a === undefined || owner === undefined ? undefined : { owner, artifact: a.artifact };
  };
  const byRank = (x: EntityInfo, y: EntityInfo, link: Link): void => {
    const rx = RANK[x.entity.type] ?? 0;
    const ry = RANK[y.entity.type] ?? 0;
    if (rx < ry) addEdge(x, y, link);
    else if (ry < rx) addEdge(y, x, link);
  };
  /** Producer → consumer when exactly one side consumes; two producers by rank; two consumers state nothing. */
  const byRoles = (x: { owner: EntityInfo; artifact: ArtifactFact }, y: { owner: EntityInfo; artifact: ArtifactFact }, link: Link): void => {
    const xc = CONSUMER_ROLES.has(x.artifact.role);
    const yc = CONSUMER_ROLES.has(y.artifact.role);
    if (xc && !yc) addEdge(y.owner, x.owner, link);
    else if (!xc && yc) addEdge(x.owner, y.owner, link);
    else if (!xc && !yc) byRank(x.owner, y.owner, link);
  };

  for (const link of links) {
    switch (link.relation) {
      case 'same-content':
      case 'same-location': {
        const x = ownerOf(link.source.node);
        const y = ownerOf(link.target.node);
        if (x !== undefined && y !== undefined) byRoles(x, y, link);
        break;
      }
      case 'file-content': {
        const x = ownerOf(link.source.node);
        const file = docs.get(link.target.document);
        if (x === undefined || file === undefined) break;
        for (const f of fileEntities(file, x.owner, inFlow)) {
          if (CONSUMER_ROLES.has(x.artifact.role)) addEdge(f, x.owner, link);
          else addEdge(x.owner, f, link);
        }
        break;
      }
      case 'same-build': {
        const x = inFlow(link.source.node);
        const y = inFlow(link.target.node);
        if (x !== undefined && y !== undefined) byRank(x, y, link);
        break;
      }
      case 'uses-build':
      case 'binds-bundle': {
        const consumer = inFlow(link.source.node);
        const provider = inFlow(link.target.node);
        if (consumer !== undefined && provider !== undefined) addEdge(provider, consumer, link);
        break;
      }
      default:
        break;
    }
  }
  reduceTransitively(edges, groups);
  return { entities, artifacts, groups, groupOf, edges, merges };
}

/**
 * Drops an edge u → w when w is also reached from u through another node (build → manifest → bundle makes
 * build → bundle redundant): paths then run through every intermediate document instead of skipping it.
 * The dropped edge's links stay in the links graph; only the flow is reduced.
 */
function reduceTransitively(edges: Map<string, Map<string, Evidence[]>>, groups: ReadonlyMap<string, FlowGroup>): void {
  const rank = (k: string): number => RANK[groups.get(k)?.type ?? 'Other'] ?? 0;
  const reaches = (from: string, target: string): boolean => {
    const seen = new Set<string>([from]);
    const stack = [from];
    while (stack.length > 0) {
      const k = stack.pop() as string;
      if (k === target) return true;
      for (const next of edges.get(k)?.keys() ?? []) {
        if (seen.has(next) || rank(next) > rank(target)) continue;
        seen.add(next);
        stack.push(next);
      }
    }
    return false;
  };
  // One edge at a time against the current graph, so reachability is never lost (even around a cycle).
  for (const out of edges.values()) {
    for (const w of [...out.keys()]) {
      if ([...out.keys()].some((v) => v !== w && reaches(v, w))) out.delete(w);
    }
  }
}

/**
 * The entities a whole file stands for when an artifact is that file: its single entity, or — for a bundle
 * manifest with one entry per country — the entries sharing a dataset hash, a data build id or a URI with
 * the entity that binds the file (a certified bundle TRO binds the whole manifest but certifies one entry).
 */
function fileEntities(file: LoadedDocument, binder: EntityInfo, inFlow: (iri: string) => EntityInfo | undefined): EntityInfo[] {
  const candidates = file.entities.flatMap((e) => {
    const info = inFlow(e.iri);
    return info === undefined ? [] : [info];
  });
  if (candidates.length <= 1) return candidates;
  const binderArtifacts = binder.doc.artifacts.filter((a) => a.entity === binder.entity.iri);
  const hashes = new Set(binderArtifacts.flatMap((a) => a.sha256.map((h) => h.value)));
  const builds = new Set(binder.entity.dataBuildIds.map((b) => b.value));
  return candidates.filter((c) => {
    if (c.entity.dataBuildIds.some((b) => builds.has(b.value))) return true;
    return file.artifacts.some((a) => a.entity === c.entity.iri && a.sha256.some((h) => hashes.has(h.value)));
  });
}
