// The exact line difference of the index and links graphs between two versions of a corpus, computed from the changed documents and the link groups they are in.
import type { Corpus, LoadedDocument } from './corpus.js';
import { type Link, deriveLinks, groupsOf } from './links.js';
import { derivedLineWriter, emitFlow, emitIndex, emitLinks } from './graph.js';
import { ptq } from './namespaces.js';

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
export function derivedDelta(before: readonly LoadedDocument[], beforeFlow: ReadonlySet<string>, after: Corpus): DerivedDelta & { readonly flow: ReadonlySet<string> } {
  const beforeEntries = new Set(before.map(documentEntry));
  const afterEntries = new Set(after.documents.map(documentEntry));
  const gone = before.filter((d) => !afterEntries.has(documentEntry(d)));
  const come = after.documents.filter((d) => !beforeEntries.has(documentEntry(d)));
  const unchanged = after.documents.filter((d) => beforeEntries.has(documentEntry(d)));
  const removed: string[] = [];
  const added: string[] = [];
  diffInto(indexLines(gone), indexLines(come), indexLines(indexStaters(unchanged, gone, come)), removed, added);
  linksDelta(before, after.documents, gone, come, removed, added);
  const flow = flowLines(after);
  for (const l of beforeFlow) if (!flow.has(l)) removed.push(l);
  for (const l of flow) if (!beforeFlow.has(l)) added.push(l);
  return { removed, added, flow };
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

function linksDelta(before: readonly LoadedDocument[], after: readonly LoadedDocument[], gone: readonly LoadedDocument[], come: readonly LoadedDocument[], removed: string[], added: string[]): void {
  const keys = new Set<string>();
  for (const d of [...gone, ...come]) for (const k of groupsOfDoc(d)) keys.add(k);
  if (keys.size === 0) return;
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
    return;
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
