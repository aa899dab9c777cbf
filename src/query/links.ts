// Derives the link edges between documents (hash, id, URI and fingerprint matches), each labelled with its method.
import { createHash } from 'node:crypto';
import { type ArtifactFact, type ArtifactRole, CONSUMER_ROLES, type EntityFact, PRODUCER_ROLES, type Stated } from './facts.js';
import { LINK_IRI_PREFIX } from './namespaces.js';
import { uriKey } from './uri.js';

/** How a link was established (pe-data §6: hash match, id string match, curated/declared, …). */
export type LinkMethod = 'declared' | 'hash-match' | 'id-match' | 'uri-match' | 'fingerprint-match';

/**
 * What a link states.
 * - declared inside one document: `consumed` (a build's input), `produced` (a build's output), `lists`
 *   (a manifest's or registry's artifact), `pins` (a bundle's or run's bound artifact);
 * - derived across documents: `same-content` (equal sha256), `file-content` (an artifact is that file's
 *   bytes), `same-location` (one URI, in any of its spellings), `same-build` and `uses-build` (build id
 *   strings), `binds-bundle` (a run's bundle fingerprint or URL).
 */
export type LinkRelation = 'consumed' | 'produced' | 'lists' | 'pins' | 'same-content' | 'file-content' | 'same-location' | 'same-build' | 'uses-build' | 'binds-bundle';

/** One end of a link: a node of some document's graph, and where in that document it is stated. */
export interface LinkEnd {
  readonly node: string;
  /** The document's graph IRI. */
  readonly document: string;
  readonly pointer: string;
}

export interface Link {
  /** A content-derived IRI (same statement → same IRI), so link sets diff cleanly. */
  readonly iri: string;
  readonly relation: LinkRelation;
  readonly method: LinkMethod;
  readonly source: LinkEnd;
  readonly target: LinkEnd;
  /** The matched value (hash, id string, URI, fingerprint) or, for declared links, the artifact key. */
  readonly value: string;
}

/** The part of a loaded document link derivation needs. */
export interface LinkableDocument {
  readonly graph: string;
  readonly sha256: string;
  readonly entities: readonly EntityFact[];
  readonly artifacts: readonly ArtifactFact[];
}

/** Groups larger than this are linked as a star around their first member instead of pairwise (no n² blow-up). */
const PAIRWISE_LIMIT = 16;

function linkStatement(relation: string, method: string, source: LinkEnd, target: LinkEnd, value: string): string {
  return `${relation}\n${method}\n${source.node}\n${source.pointer}\n${target.node}\n${target.pointer}\n${value}`;
}

function linkIri(relation: string, method: string, source: LinkEnd, target: LinkEnd, value: string): string {
  const h = createHash('sha256').update(linkStatement(relation, method, source, target, value)).digest('hex');
  return `${LINK_IRI_PREFIX}${h.slice(0, 32)}`;
}

/**
 * The links the flow reads (flow.ts buildFlow), cheaper than `deriveLinks`: the derived links alone (the flow skips
 * declared ones), in the same order, each with its unhashed statement where `deriveLinks` puts its IRI (so two links
 * are one exactly when their IRIs are). Not for the links graph: these IRIs are not the published ones.
 */
export function flowLinks(docs: readonly LinkableDocument[]): Link[] {
  return deriveLinks(docs, undefined, true);
}

function declaredRelation(role: ArtifactRole): LinkRelation {
  if (role === 'input') return 'consumed';
  if (PRODUCER_ROLES.has(role)) return 'produced';
  if (CONSUMER_ROLES.has(role)) return 'pins';
  return 'lists';
}

interface Located<T> {
  readonly doc: LinkableDocument;
  readonly item: T;
  readonly stated: Stated;
}

/**
 * Builds every link; deterministic for a given document order. With `only`, the links of those groups (see
 * `linkGroup`) alone: given every member of a group (documents whose `groupsOf` names it), in corpus order, the
 * group's links are exactly those of the whole corpus. With `forFlow`, see `flowLinks`.
 */
export function deriveLinks(docs: readonly LinkableDocument[], only?: ReadonlySet<string>, forFlow = false): Link[] {
  const links: Link[] = [];
  const seen = new Set<string>();
  const wanted = (family: string, key: string): boolean => only === undefined || only.has(`${family}${key}`);
  const add = (relation: LinkRelation, method: LinkMethod, source: LinkEnd, target: LinkEnd, value: string): void => {
    if (only !== undefined && !only.has(linkGroup(relation, method, source.document, value))) return;
    if (forFlow && method === 'declared') return;
    // The flow never reads a link's IRI: its statement itself names it (what the IRI hashes), unhashed.
    const iri = forFlow ? linkStatement(relation, method, source, target, value) : linkIri(relation, method, source, target, value);
    if (seen.has(iri)) return;
    seen.add(iri);
    links.push({ iri, relation, method, source, target, value });
  };
  const artEnd = (doc: LinkableDocument, a: ArtifactFact, pointer = a.pointer): LinkEnd => ({ node: a.iri, document: doc.graph, pointer });
  const entEnd = (doc: LinkableDocument, e: EntityFact, pointer = e.pointer): LinkEnd => ({ node: e.iri, document: doc.graph, pointer });

  const byHash = new Map<string, Located<ArtifactFact>[]>();
  const byUri = new Map<string, Located<ArtifactFact>[]>();
  const byFile = new Map<string, LinkableDocument>();
  const byBuildId = new Map<string, Located<EntityFact>[]>();
  const byFingerprint = new Map<string, Located<EntityFact>[]>();
  const bySelfUrl = new Map<string, Located<EntityFact>[]>();
  const push = <K, V>(m: Map<K, V[]>, k: K, v: V): void => {
    const list = m.get(k);
    if (list === undefined) m.set(k, [v]);
    else list.push(v);
  };

  for (const doc of docs) {
    if (!byFile.has(doc.sha256)) byFile.set(doc.sha256, doc);
    const owners = new Map(doc.entities.map((e) => [e.iri, e]));
    for (const a of doc.artifacts) {
      const owner = owners.get(a.entity);
      if (owner !== undefined) add(declaredRelation(a.role), 'declared', entEnd(doc, owner), artEnd(doc, a), a.key);
      for (const h of a.sha256) if (wanted('h:', h.value)) push(byHash, h.value, { doc, item: a, stated: h });
      for (const l of a.locations) {
        if (!URL_RE.test(l.value)) continue;
        const key = uriKey(l.value);
        if (wanted('u:', key)) push(byUri, key, { doc, item: a, stated: l });
      }
    }
    for (const e of doc.entities) {
      for (const b of e.buildIds) if (wanted('b:', b.value)) push(byBuildId, b.value, { doc, item: e, stated: b });
      if (e.fingerprint !== undefined && wanted('f:', e.fingerprint.value)) push(byFingerprint, e.fingerprint.value, { doc, item: e, stated: e.fingerprint });
      for (const u of e.selfUrls) {
        const key = uriKey(u.value);
        if (wanted('s:', key)) push(bySelfUrl, key, { doc, item: e, stated: u });
      }
    }
  }

  // Equal sha256 across documents: producer/producer and producer→consumer pairs (two consumers of one
  // content, e.g. a thousand bundles sharing a wheel, state nothing about each other).
  for (const [hash, group] of byHash) {
    if (!wanted('h:', hash)) continue;
    const producers = group.filter((x) => !CONSUMER_ROLES.has(x.item.role));
    const consumers = group.filter((x) => CONSUMER_ROLES.has(x.item.role));
    const sameContent = (s: Located<ArtifactFact>, t: Located<ArtifactFact>): void => {
      if (s.doc !== t.doc) add('same-content', 'hash-match', artEnd(s.doc, s.item, s.stated.pointer), artEnd(t.doc, t.item, t.stated.pointer), hash);
    };
    pairs(producers, sameContent);
    for (const p of producers) for (const c of consumers) sameContent(p, c);
    for (const x of group) {
      const file = byFile.get(hash);
      if (file === undefined || file === x.doc) continue;
      const main = mainNode(file);
      add('file-content', 'hash-match', artEnd(x.doc, x.item, x.stated.pointer), { node: main, document: file.graph, pointer: '' }, hash);
    }
  }
  for (const [key, group] of byUri) {
    if (!wanted('u:', key)) continue;
    pairs(group, (x, y) => {
      if (x.doc === y.doc) return;
      add('same-location', 'uri-match', artEnd(x.doc, x.item, x.stated.pointer), artEnd(y.doc, y.item, y.stated.pointer), key);
    });
  }
  for (const [id, group] of byBuildId) {
    if (!wanted('b:', id)) continue;
    pairs(group, (x, y) => {
      if (x.doc !== y.doc) add('same-build', 'id-match', entEnd(x.doc, x.item, x.stated.pointer), entEnd(y.doc, y.item, y.stated.pointer), id);
    });
  }
  for (const doc of docs) {
    for (const e of doc.entities) {
      for (const d of e.dataBuildIds) {
        for (const b of byBuildId.get(d.value) ?? []) {
          if (b.doc !== doc) add('uses-build', 'id-match', entEnd(doc, e, d.pointer), entEnd(b.doc, b.item, b.stated.pointer), d.value);
        }
      }
      for (const f of e.bundleFingerprints) {
        for (const b of byFingerprint.get(f.value) ?? []) {
          if (b.doc !== doc) add('binds-bundle', 'fingerprint-match', entEnd(doc, e, f.pointer), entEnd(b.doc, b.item, b.stated.pointer), f.value);
        }
      }
      for (const u of e.bundleTroUrls) {
        for (const b of bySelfUrl.get(uriKey(u.value)) ?? []) {
          if (b.doc !== doc) add('binds-bundle', 'uri-match', entEnd(doc, e, u.pointer), entEnd(b.doc, b.item, b.stated.pointer), u.value);
        }
      }
    }
  }
  return links;
}

/**
 * Every pair of a group in order; a large group as a star around its hub (see `hubOf`), the others in order.
 * The hub used to be the first member in corpus order, so a change to the first chain's files (a path sorting
 * first) re-wired every star it was in: a 10-file change altered a fifth of a 10,000-document links graph.
 */
function pairs<T extends Located<ArtifactFact | EntityFact>>(group: readonly T[], fn: (x: T, y: T) => void): void {
  if (group.length <= PAIRWISE_LIMIT) {
    for (let i = 0; i < group.length; i++) for (let j = i + 1; j < group.length; j++) fn(group[i] as T, group[j] as T);
    return;
  }
  const hub = hubOf(group);
  for (const y of group) if (y !== hub) fn(hub, y);
}

/**
 * The hub of a large group: the member with the smallest sha256 of (document sha256, node, pointer). The rank
 * depends on each member's own content only, never on the corpus order or the other members, so a changed member
 * is the hub with probability 1/n: a change re-wires one star in n, and otherwise changes only the links naming the
 * changed member. (Whichever member is the hub, a change to the hub changes every link of its star.)
 */
function hubOf<T extends Located<ArtifactFact | EntityFact>>(group: readonly T[]): T {
  let best = group[0] as T;
  let bestRank = hubRank(best);
  for (let i = 1; i < group.length; i++) {
    const x = group[i] as T;
    const rank = hubRank(x);
    if (rank < bestRank) {
      best = x;
      bestRank = rank;
    }
  }
  return best;
}

function hubRank(x: Located<ArtifactFact | EntityFact>): string {
  return createHash('sha256').update(`${x.doc.sha256}\n${x.item.iri}\n${x.stated.pointer}`).digest('hex');
}

/**
 * The group a link is derived in: a document's declared links (`d:`), one sha256 (`h:`: same content, file content),
 * one location (`u:`), one build id (`b:`: same build, uses build), one bundle fingerprint (`f:`) or bundle URL
 * (`s:`). A link's statement depends only on the members of its group (and, for a large group, its hub, one of them).
 */
export function linkGroup(relation: LinkRelation, method: LinkMethod, sourceDocument: string, value: string): string {
  if (method === 'declared') return `d:${sourceDocument}`;
  if (method === 'hash-match') return `h:${value}`;
  if (method === 'id-match') return `b:${value}`;
  if (method === 'fingerprint-match') return `f:${value}`;
  return relation === 'same-location' ? `u:${value}` : `s:${uriKey(value)}`;
}

const URL_RE = /^[a-z][a-z0-9+.-]*:\/\//i;

/** Every group (see `linkGroup`) a document is a member of. */
export function groupsOf(doc: LinkableDocument): string[] {
  const out = new Set<string>([`d:${doc.graph}`, `h:${doc.sha256}`]);
  for (const a of doc.artifacts) {
    for (const h of a.sha256) out.add(`h:${h.value}`);
    for (const l of a.locations) if (URL_RE.test(l.value)) out.add(`u:${uriKey(l.value)}`);
  }
  for (const e of doc.entities) {
    for (const b of e.buildIds) out.add(`b:${b.value}`);
    for (const b of e.dataBuildIds) out.add(`b:${b.value}`);
    if (e.fingerprint !== undefined) out.add(`f:${e.fingerprint.value}`);
    for (const f of e.bundleFingerprints) out.add(`f:${f.value}`);
    for (const u of e.selfUrls) out.add(`s:${uriKey(u.value)}`);
    for (const u of e.bundleTroUrls) out.add(`s:${uriKey(u.value)}`);
  }
  return [...out];
}

/** The node a whole file stands for: its single entity, else its graph. */
export function mainNode(doc: LinkableDocument): string {
  return doc.entities.length === 1 ? (doc.entities[0]?.iri ?? doc.graph) : doc.graph;
}
