// Brings serve's resident store up to date with a changed directory in place: changed documents' graphs swapped, index and links graphs patched by line.
import { DOCUMENT_IRI_PREFIX } from '../rdf/lift.js';
import { type OxQuad, type OxStore, oxigraph } from '../rdf/sparql.js';
import { PeTraceError } from '../errors.js';
import type { Corpus, LoadedDocument } from './corpus.js';
import { derivedDelta } from './derived-delta.js';
import { documentKey, documentsNQuads } from './graph.js';
import { viewGraphIri } from './namespaces.js';
import { loadNQuads } from './ox-engine.js';
import { lineOwner } from './partitions.js';

/** What a resident store holds, as far as an in-place update needs to know. */
export interface ResidentDataset {
  /** `<sha256>.<format>` of every distinct document whose graphs are in the store (or failed to lift). */
  readonly keys: ReadonlySet<string>;
  /**
   * The corpus the store's index and links graphs were computed from (its documents in order, those unchanged in
   * `current` taken from it) and its flow lines: what their difference to the next version starts from (see
   * derived-delta.ts). `undefined` when it cannot be known (facts missing from the cache): a fresh load follows.
   */
  derivedBasis(current: Corpus): DerivedBasis | undefined;
  /**
   * Which documents' lines are not all in their own graph and view (a JSON-LD node with `@graph` puts triples in a
   * graph the document names), and the sha256s whose graphs those lines name. A document can be dropped by its two
   * graphs only if it is not one of the first and its graphs are not among the second. `undefined`: not known (a
   * store loaded without the directory index), so a removal means a fresh load.
   */
  readonly ownership: { readonly unowned: ReadonlySet<string>; readonly claimed: ReadonlySet<string> } | undefined;
}

/** The documents and flow lines (ptq:feeds, ptq:sameBuildAs) the index and links graphs in a store were computed from. */
export interface DerivedBasis {
  readonly documents: readonly LoadedDocument[];
  readonly flow: ReadonlySet<string>;
}

/** A store the patch can change: oxigraph's update (DROP GRAPH) and delete, next to what queries use. */
interface MutableStore extends OxStore {
  update(query: string): void;
  delete(quad: OxQuad): void;
  match(): OxQuad[];
}

/** More changed documents than this (or than a quarter of the directory) and a fresh load is cheaper than a patch. */
export const PATCH_MAX_DOCUMENTS = 256;

export interface PatchPlan {
  readonly added: Corpus['documents'];
  readonly removed: readonly string[];
}

/**
 * Which documents a patch would add and drop, or `undefined` when only a fresh load is right: too many changes, or
 * a sha256 shared between a document that goes and one that stays or comes (same bytes under another format: both
 * name one graph, so dropping it would take the survivor's triples too).
 */
export function planPatch(before: ResidentDataset, corpus: Corpus): PatchPlan | undefined {
  const now = new Set(corpus.documents.map(documentKey));
  const removed = [...before.keys].filter((k) => !now.has(k));
  const added = corpus.documents.filter((d) => !before.keys.has(documentKey(d)));
  if (removed.length + added.length > Math.min(PATCH_MAX_DOCUMENTS, Math.max(8, now.size / 4))) return undefined;
  const ownership = before.ownership;
  if (removed.length > 0 && (ownership === undefined || removed.some((k) => ownership.unowned.has(k) || ownership.claimed.has(shaOfKey(k))))) return undefined;
  const going = new Set(removed.map(shaOfKey));
  const staying = [...now].filter((k) => before.keys.has(k)).map(shaOfKey);
  if (staying.some((s) => going.has(s)) || added.some((d) => going.has(d.sha256))) return undefined;
  return { added, removed };
}

/**
 * Applies `plan` to `store` so it holds what a fresh load of `corpus` would: the removed documents' own graphs and
 * views dropped, the added ones lifted and loaded, and the index and links graphs changed by exactly the lines that
 * differ (both hold IRIs and literals only, so a line is one exact triple). Everything that can fail or wait (lifting,
 * computing the graphs) happens first; the store is then changed in one synchronous step, so no request sees it
 * half-way. Returns what the store now holds.
 */
export async function patchResident(store: OxStore, before: ResidentDataset, corpus: Corpus, plan: PatchPlan, dir: string, cacheDir: string | undefined): Promise<ResidentDataset> {
  const basis = before.derivedBasis(corpus);
  if (basis === undefined) throw new PeTraceError('INTERNAL', 'the corpus the resident index and links graphs were computed from is not known');
  const documents = await documentsNQuads(plan.added, { dir, graphs: 'all', ...(cacheDir === undefined ? {} : { cacheDir }), workers: 0 });
  // Only the changed documents' index lines, their link groups and the flow: never the whole graphs.
  const { removed: gone, added: come, flow } = derivedDelta(basis.documents, basis.flow, corpus);
  const ox = await oxigraph();
  // The lines to remove, read by oxigraph's own parser into a scratch store: its quads are the stored terms exactly.
  const scratch = new ox.Store() as MutableStore;
  try {
    if (gone.length > 0) loadNQuads(scratch, [`${gone.join('\n')}\n`]);
    const mutable = store as MutableStore;
    for (const key of plan.removed) {
      const sha256 = shaOfKey(key);
      mutable.update(`DROP SILENT GRAPH <${DOCUMENT_IRI_PREFIX}${sha256}/> ; DROP SILENT GRAPH <${viewGraphIri(sha256)}>`);
    }
    for (const q of scratch.match()) mutable.delete(q);
    const load = [...documents.map((d) => d.text), ...(come.length > 0 ? [`${come.join('\n')}\n`] : [])];
    // Each document is its own load (its blank nodes are its own); the new index and links lines go in last.
    for (const part of load) loadNQuads(store, [part]);
  } finally {
    scratch.free?.();
  }
  const keys = new Set(corpus.documents.map(documentKey));
  let ownership: ResidentDataset['ownership'];
  if (before.ownership !== undefined) {
    const unowned = new Set([...before.ownership.unowned].filter((k) => keys.has(k)));
    const claimed = new Set(before.ownership.claimed);
    for (const d of documents) {
      const foreign = foreignOwners(d.sha256, d.text);
      if (foreign === undefined) continue;
      unowned.add(d.key);
      for (const s of foreign) claimed.add(s);
    }
    ownership = { unowned, claimed };
  }
  return { keys, derivedBasis: () => ({ documents: corpus.documents, flow }), ownership };
}

/** The sha256 a document key (`<sha256>.<format>`) names. */
const shaOfKey = (key: string): string => key.slice(0, key.indexOf('.'));

/**
 * `undefined` when every line of a document's text is in its own graph or view (both name its sha256); else the
 * sha256s of the other documents whose graphs its lines name (empty when they name only graphs of no document,
 * e.g. blank nodes).
 */
function foreignOwners(sha256: string, text: string): Set<string> | undefined {
  let out: Set<string> | undefined;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const owner = lineOwner(line);
    if (owner === sha256) continue;
    out ??= new Set();
    if (owner !== undefined) out.add(owner);
  }
  return out;
}



