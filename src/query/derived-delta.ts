// The exact line difference of the index and links graphs between two versions of a corpus, computed from the changed documents and the link groups they are in.
import type { Corpus, LoadedDocument } from './corpus.js';
import { type Link, deriveLinks, groupsOf } from './links.js';
import { derivedLineWriter, emitFlow, emitIndex, emitLinks } from './graph.js';
import { escapeNQuadsText } from '../rdf/nquads-text.js';
import { LINKS_GRAPH, ptq } from './namespaces.js';
import { DisjointSets } from './union-find.js';

/** Lines (N-Quads, no line end, index and links graphs mixed) to remove and to add; a line is one exact triple. */
export interface DerivedDelta {
  readonly removed: readonly string[];
  readonly added: readonly string[];
}

/**
 * What the graphs of a corpus depend on per document: its content (key), its size and every path it is found
 * under (`ptq:path` lines depend on a document's duplicates, not only on its bytes).
 */
export function documentEntry(doc: LoadedDocument): string {
  return `${doc.sha256}.${doc.format}\n${doc.bytes}\n${doc.paths.join('\n')}`;
}

/**
 * The lines that turn the index and links graphs of `before` (documents in corpus order, with `beforeFlow`, its
 * `ptq:feeds`/`ptq:sameBuildAs` lines) into those of `after`, equal as sets of lines to the difference between two
 * fresh computations (graph.ts indexAndLinkLines). Costs the changed documents, the link groups they are in, and
 * the flow (a function of all the links, recomputed whole); never the unchanged documents' lines.
 * - Index: the changed documents' old and new lines; a line one of them stated that an unchanged document states too
 *   (a shared absolute `@id`) is neither removed nor added: the unchanged documents that could state such a
 *   subject are found by their facts and their lines computed.
 * - Links: a link belongs to one group (a hash, a location, a build id, a fingerprint or bundle URL, or a document's
 *   declared links); the groups holding a changed document are derived again over their members alone, before and
 *   after. A direct triple (`source ptq:<relation> target`) two groups can state: the groups of every document
 *   holding either end are added until none is new, so a triple stated by an untouched group stays.
 */
export function derivedDelta(before: readonly LoadedDocument[], beforeFlow: ReadonlySet<string>, after: Corpus, flowRegionShare = FLOW_REGION_SHARE): DerivedDelta & { readonly flow: ReadonlySet<string> } {
  const beforeEntries = new Set(before.map(documentEntry));
  const afterEntries = new Set(after.documents.map(documentEntry));
  const gone = before.filter((d) => !afterEntries.has(documentEntry(d)));
  const come = after.documents.filter((d) => !beforeEntries.has(documentEntry(d)));
  const unchanged = after.documents.filter((d) => beforeEntries.has(documentEntry(d)));
  const removed: string[] = [];
  const added: string[] = [];
  diffInto(indexLines(gone), indexLines(come), indexLines(indexStaters(unchanged, gone, come)), removed, added);
  const keys = linksDelta(before, after.documents, gone, come, removed, added);
  const flow = flowAfter(beforeFlow, after, gone, come, keys, flowRegionShare) ?? flowLines(after);
  for (const l of beforeFlow) if (!flow.has(l)) removed.push(l);
  for (const l of flow) if (!beforeFlow.has(l)) added.push(l);
  return { removed, added, flow };
}

/** Past this share of the corpus, the flow's region costs about what the whole flow does: it is computed whole. */
const FLOW_REGION_SHARE = 0.25;

const FLOW_TAIL = ` <${escapeNQuadsText(LINKS_GRAPH)}> .`;

/**
 * The subject and object of a flow line (`<s> <p> <o> <links graph> .`), as their N-Quads text; undefined when the
 * split is ambiguous (an IRI may hold a space, `>` and even a predicate's text: then the flow is computed whole).
 */
function endsOf(line: string): [string, string] | undefined {
  if (!line.endsWith(FLOW_TAIL)) return undefined;
  for (const p of FLOW_PREDICATES) {
    const at = line.indexOf(p);
    if (at < 0) continue;
    if (line.indexOf(p, at + 1) >= 0 || FLOW_PREDICATES.some((q) => q !== p && line.includes(q))) return undefined;
    return [line.slice(0, at), line.slice(at + p.length, line.length - FLOW_TAIL.length)];
  }
  return undefined;
}

/**
 * The flow lines of `after` computed from the region a change can reach, the rest kept from `beforeFlow`; undefined
 * when the region grows past `share` of the corpus (the caller then computes the flow whole). Exact because the
 * transitive reduction works within one weakly connected component of the edges (and in their order), the reduced
 * flow has the components of the unreduced one (reachability is kept), and `deriveLinks(members, groups)` yields
 * the links of those groups in the same relative order as the whole corpus's derivation. The region: the components
 * (of the flow before) holding an entity of a changed document, of a document stating one of their entity or artifact
 * IRIs, or of a member of a changed link group; its flow is recomputed from the documents stating its entities (and
 * every member of their groups, and every document stating one of those documents' IRIs, since the flow takes the
 * first document stating an IRI); a new line leaving the region pulls that component in, until none does.
 */
function flowAfter(beforeFlow: ReadonlySet<string>, after: Corpus, gone: readonly LoadedDocument[], come: readonly LoadedDocument[], keys: ReadonlySet<string>, share: number): Set<string> | undefined {
  const text = (iri: string): string => `<${escapeNQuadsText(iri)}>`;
  // Components of the flow before, over entity IRIs (as N-Quads text).
  const components = new DisjointSets();
  const ends = new Map<string, [string, string]>();
  for (const line of beforeFlow) {
    const pair = endsOf(line);
    if (pair === undefined) return undefined;
    const [a, b] = pair;
    ends.set(line, pair);
    components.union(a, b);
  }
  const members = new Map<string, string[]>();
  for (const x of components.elements()) {
    const r = components.find(x);
    const list = members.get(r);
    if (list === undefined) members.set(r, [x]);
    else list.push(x);
  }
  const docs = after.documents;
  const limit = docs.length * share;
  // A change in a group most documents share (one input every build reads) makes the region most of the corpus: say
  // so before building the maps below (the region would only grow from these).
  const inChangedGroups = docs.filter((d) => groupsOfDoc(d).some((k) => keys.has(k)));
  if (inChangedGroups.length > limit) return undefined;
  // Documents by each entity and artifact IRI they state (and artifacts by the entity they name).
  const staters = new Map<string, LoadedDocument[]>();
  const stated = (iri: string, d: LoadedDocument): void => {
    const list = staters.get(iri);
    if (list === undefined) staters.set(iri, [d]);
    else if (list[list.length - 1] !== d) list.push(d);
  };
  for (const d of docs) {
    for (const e of d.entities) stated(text(e.iri), d);
    for (const a of d.artifacts) {
      stated(`a${a.iri}`, d);
      stated(text(a.entity), d);
    }
  }
  const region = new Set<string>();
  const pull = (t: string): boolean => {
    if (region.has(t)) return false;
    for (const x of components.has(t) ? (members.get(components.find(t)) ?? [t]) : [t]) region.add(x);
    return true;
  };
  const seedDoc = (d: LoadedDocument): void => {
    for (const e of d.entities) pull(text(e.iri));
    for (const a of d.artifacts) {
      pull(text(a.entity));
      for (const o of staters.get(`a${a.iri}`) ?? []) for (const e of o.entities) pull(text(e.iri));
    }
    for (const e of d.entities) for (const o of staters.get(text(e.iri)) ?? []) for (const e2 of o.entities) pull(text(e2.iri));
  };
  for (const d of [...gone, ...come]) seedDoc(d);
  for (const d of inChangedGroups) seedDoc(d);
  for (;;) {
    const inRegion = new Set<LoadedDocument>();
    for (const t of region) for (const d of staters.get(t) ?? []) inRegion.add(d);
    if (inRegion.size > limit) return undefined;
    const groups = new Set<string>();
    for (const d of inRegion) for (const k of groupsOfDoc(d)) if (!k.startsWith('d:')) groups.add(k);
    const chosen = new Set<LoadedDocument>();
    for (const d of docs) if (inRegion.has(d) || groupsOfDoc(d).some((k) => groups.has(k))) chosen.add(d);
    // The flow keeps the first document stating an IRI: every document stating one of the chosen ones' IRIs comes too.
    for (const d of [...chosen]) {
      for (const e of d.entities) for (const o of staters.get(text(e.iri)) ?? []) chosen.add(o);
      for (const a of d.artifacts) for (const o of staters.get(`a${a.iri}`) ?? []) chosen.add(o);
    }
    if (chosen.size > limit) return undefined;
    const subset = docs.filter((d) => chosen.has(d));
    const lines = flowLines({ documents: subset, links: [], flowLinks: deriveLinks(subset, groups, true), problems: [], skipped: [], cacheHits: 0 });
    let grew = false;
    const inside: string[] = [];
    for (const line of lines) {
      const pair = endsOf(line);
      if (pair === undefined) return undefined;
      const [a, b] = pair;
      const [ia, ib] = [region.has(a), region.has(b)];
      if (ia && ib) inside.push(line);
      else if (ia || ib) grew = (ia ? pull(b) : pull(a)) || grew;
    }
    if (grew) continue;
    const out = new Set<string>();
    for (const [line, [a]] of ends) if (!region.has(a)) out.add(line);
    for (const line of inside) out.add(line);
    return out;
  }
}

/** The flow lines of a corpus (ptq:feeds and ptq:sameBuildAs): what `derivedDelta` needs of the version before. */
export function flowLines(corpus: Corpus): Set<string> {
  const out = new Set<string>();
  emitFlow(corpus, derivedLineWriter((_, line) => out.add(line)).links);
  return out;
}

const FLOW_PREDICATES = [` <${ptq('feeds')}> `, ` <${ptq('sameBuildAs')}> `];

/** The flow lines (ptq:feeds, ptq:sameBuildAs) among the index and links graphs' N-Quads parts (one partition each). */
export function flowOfParts(parts: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const part of parts) {
    if (!FLOW_PREDICATES.some((p) => part.includes(p))) continue;
    for (const line of part.split('\n')) if (line !== '' && FLOW_PREDICATES.some((p) => line.includes(p))) out.add(line);
  }
  return out;
}

/** More changed documents than this (or than an eighth of the directory) and computing the graphs whole is cheaper. */
export function deltaDocumentLimit(documents: number): number {
  return Math.min(256, Math.max(8, documents / 8));
}

/** Lines of `old` not in `now` nor stated by others (`kept`) go to `removed`; of `now` not in `old` nor `kept`, to `added`. */
function diffInto(old: ReadonlyMap<string, string>, now: ReadonlyMap<string, string>, kept: ReadonlyMap<string, string>, removed: string[], added: string[]): void {
  for (const l of old.keys()) if (!now.has(l) && !kept.has(l)) removed.push(l);
  for (const l of now.keys()) if (!old.has(l) && !kept.has(l)) added.push(l);
}

/** The index lines of `docs`, each with its subject. */
function indexLines(docs: readonly LoadedDocument[]): Map<string, string> {
  const out = new Map<string, string>();
  emitIndex(docs, derivedLineWriter((_, line, subject) => out.set(line, subject)).index);
  return out;
}

/**
 * The unchanged documents that may state an index triple about a subject the changed documents' lines name: the
 * subjects a document's index lines have are its graph, its signals (`<graph>#signal/<i>`), and its entities',
 * artifacts' and restricted artifacts' IRIs.
 */
function indexStaters(unchanged: readonly LoadedDocument[], gone: readonly LoadedDocument[], come: readonly LoadedDocument[]): LoadedDocument[] {
  const subjects = new Set<string>();
  for (const s of [...indexLines(gone).values(), ...indexLines(come).values()]) subjects.add(s);
  const signalGraphs = new Set<string>();
  for (const s of subjects) {
    const cut = s.lastIndexOf('#signal/');
    if (cut > 0) signalGraphs.add(s.slice(0, cut));
  }
  return unchanged.filter(
    (d) =>
      subjects.has(d.graph) ||
      signalGraphs.has(d.graph) ||
      d.entities.some((e) => subjects.has(e.iri)) ||
      d.artifacts.some((a) => subjects.has(a.iri)) ||
      d.facts.signals.some((s) => subjects.has(s.artifact)),
  );
}

/**
 * The link groups a document is a member of (links.ts groupsOf), memoised per facts object: serve hands the same facts
 * to every reload's corpus, and a facts object is one content (one sha256, one graph).
 */
const groupsMemo = new WeakMap<LoadedDocument['facts'], readonly string[]>();

function groupsOfDoc(doc: LoadedDocument): readonly string[] {
  let memo = groupsMemo.get(doc.facts);
  if (memo === undefined) groupsMemo.set(doc.facts, (memo = groupsOf(doc)));
  return memo;
}

/** The links of the groups `keys` over `docs` (their members taken in corpus order), by `linkId`. */
function groupLinks(docs: readonly LoadedDocument[], keys: ReadonlySet<string>): Map<string, Link> {
  const members = docs.filter((d) => groupsOfDoc(d).some((k) => keys.has(k)));
  return new Map(deriveLinks(members, keys).map((l) => [linkId(l), l]));
}

/** What a link states: its IRI (relation, method, both ends' nodes and pointers, value) and its ends' documents. */
const linkId = (l: Link): string => `${l.iri}\n${l.source.document}\n${l.target.document}`;

/** The direct triple a link states (`source ptq:<relation> target`), which other links may state too. */
const directKey = (l: Link): string => `${l.source.node}\n${l.relation}\n${l.target.node}`;

/** The links lines of `links`, each with its link. */
function linkLines(links: readonly Link[]): Map<string, Link> {
  const out = new Map<string, Link>();
  let current: Link | undefined;
  const writer = derivedLineWriter((_, line) => out.set(line, current as Link));
  for (const l of links) {
    current = l;
    emitLinks([l], writer.links);
  }
  return out;
}

/** Appends the links lines' difference; returns the link groups derived again (those holding a change, and their closure). */
function linksDelta(before: readonly LoadedDocument[], after: readonly LoadedDocument[], gone: readonly LoadedDocument[], come: readonly LoadedDocument[], removed: string[], added: string[]): ReadonlySet<string> {
  const keys = new Set<string>();
  for (const d of [...gone, ...come]) for (const k of groupsOfDoc(d)) keys.add(k);
  if (keys.size === 0) return keys;
  for (;;) {
    const old = groupLinks(before, keys);
    const now = groupLinks(after, keys);
    const lost = [...old].filter(([id]) => !now.has(id)).map(([, l]) => l);
    const found = [...now].filter(([id]) => !old.has(id)).map(([, l]) => l);
    const oldDirect = new Set([...old.values()].map(directKey));
    const nowDirect = new Set([...now.values()].map(directKey));
    // A direct triple that comes or goes here may be stated by a group not derived yet: such a group holds both ends.
    const changing = [...lost.filter((l) => !nowDirect.has(directKey(l))), ...found.filter((l) => !oldDirect.has(directKey(l)))];
    const more = groupsHoldingBoth(after, changing, keys);
    if (more.length > 0) {
      for (const k of more) keys.add(k);
      continue;
    }
    const lostLines = linkLines(lost);
    const foundLines = linkLines(found);
    const direct = (line: string, l: Link): boolean => !line.startsWith(`<${l.iri}>`);
    for (const [line, l] of lostLines) if (!foundLines.has(line) && !(direct(line, l) && nowDirect.has(directKey(l)))) removed.push(line);
    for (const [line, l] of foundLines) if (!lostLines.has(line) && !(direct(line, l) && oldDirect.has(directKey(l)))) added.push(line);
    return keys;
  }
}

/** Groups not in `keys` that hold both ends of one of `links` (the documents of `docs` holding each end are theirs). */
function groupsHoldingBoth(docs: readonly LoadedDocument[], links: readonly Link[], keys: ReadonlySet<string>): string[] {
  if (links.length === 0) return [];
  const ends = new Set<string>();
  for (const l of links) ends.add(l.source.node).add(l.target.node);
  const groupsOfNode = new Map<string, Set<string>>();
  for (const d of docs) {
    for (const node of nodesOf(d)) {
      if (!ends.has(node)) continue;
      let set = groupsOfNode.get(node);
      if (set === undefined) groupsOfNode.set(node, (set = new Set()));
      for (const k of groupsOfDoc(d)) set.add(k);
    }
  }
  const out = new Set<string>();
  for (const l of links) {
    const t = groupsOfNode.get(l.target.node);
    for (const k of groupsOfNode.get(l.source.node) ?? []) if (!keys.has(k) && t?.has(k) === true) out.add(k);
  }
  return [...out];
}

/** The nodes a document's links can end at: its graph (a file-content link's target), its entities and artifacts. */
function* nodesOf(d: LoadedDocument): Generator<string> {
  yield d.graph;
  for (const e of d.entities) yield e.iri;
  for (const a of d.artifacts) yield a.iri;
}
