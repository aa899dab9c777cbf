// Several graphs per SPARQL 1.1 Update request for sync's first load: the INSERT DATA text, blank nodes kept apart per document, and the check of what landed.
import type { SparqlJsonResults } from './results.js';

/** One graph to insert: its IRI and N-Triples body (one triple per line, each line ending in a newline). */
export interface InsertGraph {
  readonly graph: string;
  readonly ntriples: string;
}

/**
 * Virtuoso's own pragma before a SPARQL text: its `/sparql` endpoint otherwise compiles every constant triple of an
 * INSERT DATA into SQL (~7 ms of server CPU per graph of ~45 triples, more than a Graph Store PUT, and refused
 * beyond ~1,000 triples per operation: "generated SQL text has exceeded 10000 lines"); with it neither limit nor
 * cost (~2 ms a graph, docs/decisions.md, sync round 4). Sent only as a capability: a server that
 * refuses the text (any other server: it is not SPARQL) is sent the same standard INSERT DATA without it.
 */
export const BIG_DATA_PRAGMA = 'define sql:big-data-const 1';

/** Whether an N-Triples line's subject or object is a blank node (not text inside a literal that looks like one). */
function lineHasBlankNode(line: string): boolean {
  if (line.startsWith('_:')) return true;
  const object = objectStart(line);
  return object >= 0 && line.startsWith('_:', object);
}

/** Where the object term of an N-Triples line starts: after the subject (no spaces) and the predicate IRI. */
function objectStart(line: string): number {
  const afterSubject = line.indexOf(' ');
  if (afterSubject < 0) return -1;
  const afterPredicate = line.indexOf(' ', afterSubject + 1);
  return afterPredicate < 0 ? -1 : afterPredicate + 1;
}

export function hasBlankNode(ntriples: string): boolean {
  if (!ntriples.includes('_:')) return false;
  return ntriples.split('\n').some(lineHasBlankNode);
}

/**
 * The triples with every blank node label prefixed by `tag`. In one INSERT DATA a label names ONE node across all
 * its GRAPH blocks, so two documents' labels must not meet; one document's own graph and its view keep sharing a
 * node, as they do in the dataset `query --dir` builds (one N-Quads document per lift, where the same holds).
 */
export function relabelBlankNodes(ntriples: string, tag: string): string {
  if (!ntriples.includes('_:')) return ntriples;
  return ntriples
    .split('\n')
    .map((line) => {
      if (!lineHasBlankNode(line)) return line;
      let out = line.startsWith('_:') ? `_:${tag}${line.slice(2)}` : line;
      const object = objectStart(out);
      if (object >= 0 && out.startsWith('_:', object)) out = `${out.slice(0, object)}_:${tag}${out.slice(object + 2)}`;
      return out;
    })
    .join('\n');
}

/**
 * One INSERT DATA operation of several documents' graphs: `groups` are documents (a document's graphs share blank
 * nodes), each relabelled apart from the others. With `pragma`, Virtuoso's big-data pragma comes first. Undefined
 * when the graphs hold no triple at all (nothing to send).
 */
export function insertDataText(groups: readonly (readonly InsertGraph[])[], pragma: boolean): string | undefined {
  const blocks: string[] = [];
  groups.forEach((group, i) => {
    // An empty graph is left out: it has nothing to insert (and Virtuoso refuses an empty GRAPH block).
    for (const g of group) if (g.ntriples !== '') blocks.push(`GRAPH <${g.graph}> {\n${relabelBlankNodes(g.ntriples, `d${i}x`)}}`);
  });
  if (blocks.length === 0) return undefined;
  return `${pragma ? `${BIG_DATA_PRAGMA}\n` : ''}INSERT DATA {\n${blocks.join('\n')}\n}\n`;
}

/** Distinct triples of an N-Triples body: what the server holds after inserting it into an empty graph. */
export function distinctTriples(ntriples: string): number {
  if (ntriples === '') return 0;
  return new Set(ntriples.split('\n').filter((l) => l !== '')).size;
}

/** A query for the triples each of `graphs` holds on the server (graphs holding none have no row). */
export function countQuery(graphs: readonly string[]): string {
  return `SELECT ?g (COUNT(*) AS ?n) WHERE { VALUES ?g { ${graphs.map((g) => `<${g}>`).join(' ')} } GRAPH ?g { ?s ?p ?o } } GROUP BY ?g`;
}

/** The answer of `countQuery` as graph → triples; undefined when the answer does not have that shape. */
export function parseCounts(results: SparqlJsonResults): Map<string, number> | undefined {
  const out = new Map<string, number>();
  for (const row of results.results.bindings) {
    const g = row['g'];
    const n = row['n'];
    // One row without ?g (and a count of 0, or none) is how some servers (RDF::Endpoint) answer when no graph holds anything.
    if (g === undefined && (n === undefined || n.value === '0')) continue;
    if (g?.type !== 'uri' || n === undefined) return undefined;
    const count = Number(n.value);
    if (!Number.isInteger(count) || count < 0) return undefined;
    out.set(g.value, count);
  }
  return out;
}
