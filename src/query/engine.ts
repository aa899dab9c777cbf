// SELECT / ASK / CONSTRUCT over an in-memory n3 Store through one lazily loaded Comunica engine (union default graph).
import type { Quad, Term } from '@rdfjs/types';
import type { Store } from 'n3';
import { PeTraceError } from '../errors.js';
import type { SparqlJsonResults, SparqlTermJson } from './results.js';

/** The slice of Comunica's QueryEngine this module uses (typed locally so the module loads only on first query). */
interface BindingsLike {
  get(variable: string): Term | undefined;
}
interface QueryResultLike {
  readonly resultType: 'bindings' | 'quads' | 'boolean' | 'void';
  execute(): Promise<unknown>;
  metadata?(): Promise<{ variables: ({ value: string } | { variable: { value: string } })[] }>;
}
interface StreamLike<T> {
  toArray(): Promise<T[]>;
}
interface Engine {
  query(query: string, context: { sources: [Store]; unionDefaultGraph: boolean; baseIRI?: string }): Promise<QueryResultLike>;
}

let engine: Promise<Engine> | undefined;

/** One engine per process: building it costs far more than a small query (hundreds of modules). */
function queryEngine(): Promise<Engine> {
  engine ??= import('@comunica/query-sparql-rdfjs').then((m) => new m.QueryEngine() as unknown as Engine);
  return engine;
}

/** Loads the engine now, so benchmarks do not count its one-off start-up against the first query. */
export async function warmUpQueryEngine(): Promise<void> {
  await queryEngine();
}

/**
 * Runs a query the caller has already parsed (see `parseUserQuery`), so an engine error here is a query
 * the engine cannot evaluate (an unsupported feature, a type error at run time), not a syntax error.
 * The default graph is the union of all named graphs, as on Virtuoso and most stores.
 */
async function run(store: Store, query: string, label: string): Promise<QueryResultLike> {
  const qe = await queryEngine();
  try {
    return await qe.query(query, { sources: [store], unionDefaultGraph: true });
  } catch (e) {
    throw new PeTraceError('QUERY_FAILED', `${label}: the query could not be evaluated: ${firstLine(e)}`, { cause: e });
  }
}

async function execute<T>(result: QueryResultLike, label: string): Promise<T> {
  try {
    return (await result.execute()) as T;
  } catch (e) {
    throw new PeTraceError('QUERY_FAILED', `${label}: the query failed while running: ${firstLine(e)}`, { cause: e });
  }
}

/** SELECT → W3C SPARQL 1.1 Query Results JSON (variables in projection order). */
export async function selectBindings(store: Store, query: string, label = '<query>'): Promise<SparqlJsonResults> {
  const result = await run(store, query, label);
  if (result.resultType !== 'bindings') throw new PeTraceError('QUERY_FAILED', `${label}: not a SELECT query`);
  // Comunica 5 lists Variable terms; older versions wrapped them as {variable}.
  const vars = ((await result.metadata?.())?.variables ?? []).map((v) => ('variable' in v ? v.variable.value : v.value));
  const rows = await (await execute<StreamLike<BindingsLike>>(result, label)).toArray();
  const bindings = rows.map((row) => {
    const out: Record<string, SparqlTermJson> = {};
    for (const v of vars) {
      const term = row.get(v);
      if (term !== undefined) out[v] = termToJson(term);
    }
    return out;
  });
  return { head: { vars }, results: { bindings } };
}

/** ASK → true / false. */
export async function askQuery(store: Store, query: string, label = '<query>'): Promise<boolean> {
  const result = await run(store, query, label);
  if (result.resultType !== 'boolean') throw new PeTraceError('QUERY_FAILED', `${label}: not an ASK query`);
  return execute<boolean>(result, label);
}

/** CONSTRUCT / DESCRIBE → distinct triples in first-seen order (Comunica repeats template triples per solution). */
export async function constructQuery(store: Store, query: string, label = '<query>'): Promise<Quad[]> {
  const result = await run(store, query, label);
  if (result.resultType !== 'quads') throw new PeTraceError('QUERY_FAILED', `${label}: not a CONSTRUCT or DESCRIBE query`);
  const quads = await (await execute<StreamLike<Quad>>(result, label)).toArray();
  const seen = new Set<string>();
  return quads.filter((q) => {
    const key = `${termKey(q.subject)} ${termKey(q.predicate)} ${termKey(q.object)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const XSD_STRING = 'http://www.w3.org/2001/XMLSchema#string';
const RDF_LANG_STRING = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString';

/** An RDF/JS term as a W3C results-JSON term (simple literals carry no datatype, language ones `xml:lang`). */
export function termToJson(term: Term): SparqlTermJson {
  switch (term.termType) {
    case 'NamedNode':
      return { type: 'uri', value: term.value };
    case 'BlankNode':
      return { type: 'bnode', value: term.value };
    case 'Literal':
      if (term.language !== '') return { type: 'literal', value: term.value, 'xml:lang': term.language };
      if (term.datatype.value === XSD_STRING || term.datatype.value === RDF_LANG_STRING) return { type: 'literal', value: term.value };
      return { type: 'literal', value: term.value, datatype: term.datatype.value };
    default:
      return { type: 'literal', value: term.value };
  }
}

function termKey(t: Term): string {
  if (t.termType === 'Literal') return `"${t.value}"@${t.language}^^${t.datatype.value}`;
  return `${t.termType}:${t.value}`;
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
}
