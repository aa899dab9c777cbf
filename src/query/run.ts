// Answering a parsed query over a directory (in-process) or a SPARQL endpoint, and rendering the answer.
import type { Quad } from '@rdfjs/types';
import type { Quad as N3Quad, Store } from 'n3';
import { InputError } from '../errors.js';
import { type Corpus, type LoadOptions, loadCorpus } from './corpus.js';
import { type EndpointOptions, endpointAsk, endpointConstruct, endpointSelect, putGraphs, quadsByGraph } from './endpoint.js';
import { askQuery, constructQuery, selectBindings } from './engine.js';
import { type GraphSelection, buildDataset, buildDatasetNQuads } from './graph.js';
import { answerOnNQuads, oxigraphCanAnswer } from './ox-engine.js';
import type { ParsedQuery } from './parse.js';
import {
  type ResultFormat,
  type SparqlJsonResults,
  askToJson,
  askToText,
  quadsToNQuads,
  selectToCsv,
  selectToJson,
  selectToTable,
  selectToTsv,
} from './results.js';

export type QueryAnswer =
  | { readonly form: 'SELECT'; readonly results: SparqlJsonResults }
  | { readonly form: 'ASK'; readonly boolean: boolean }
  | { readonly form: 'CONSTRUCT' | 'DESCRIBE'; readonly quads: readonly Quad[] };

/** Runs a parsed query over an in-memory store. */
export async function answerQuery(store: Store, query: ParsedQuery): Promise<QueryAnswer> {
  if (oxigraphCanAnswer(query)) return answerOnNQuads(quadsToNQuads(store.getQuads(null, null, null, null)), query);
  if (query.form === 'SELECT') return { form: 'SELECT', results: await selectBindings(store, query.text, query.label) };
  if (query.form === 'ASK') return { form: 'ASK', boolean: await askQuery(store, query.text, query.label) };
  return { form: query.form, quads: await constructQuery(store, query.text, query.label) };
}

/** Runs a parsed query on a SPARQL 1.1 Protocol endpoint. */
export async function answerOnEndpoint(url: string, query: ParsedQuery, options: EndpointOptions = {}): Promise<QueryAnswer> {
  if (query.form === 'SELECT') return { form: 'SELECT', results: await endpointSelect(url, query.text, options) };
  if (query.form === 'ASK') return { form: 'ASK', boolean: await endpointAsk(url, query.text, options) };
  return { form: query.form, quads: await endpointConstruct(url, query.text, options) };
}

export interface DirectoryQueryOptions extends LoadOptions {
  readonly graphs?: GraphSelection;
  readonly onGraphProgress?: (done: number, total: number) => void;
}

export interface DirectoryAnswer {
  readonly answer: QueryAnswer;
  readonly corpus: Corpus;
  readonly warnings: readonly string[];
}

/** Loads `dir` (facts, links, graphs) and answers the query in-process. An empty directory answers empty. */
export async function queryDirectory(dir: string, query: ParsedQuery, options: DirectoryQueryOptions = {}): Promise<DirectoryAnswer> {
  const corpus = await loadCorpus(dir, options);
  const datasetOptions = {
    dir,
    graphs: options.graphs ?? 'all',
    ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }),
    ...(options.onGraphProgress === undefined ? {} : { onProgress: options.onGraphProgress }),
  };
  // No n3 Store is built (its indexing and GC were most of a repeated query), and oxigraph answers the named
  // queries in milliseconds where Comunica took seconds at 10,000 documents (docs/decisions.md).
  if (oxigraphCanAnswer(query)) {
    const dataset = await buildDatasetNQuads(corpus, datasetOptions);
    return { answer: await answerOnNQuads(dataset.nquads, query), corpus, warnings: dataset.warnings };
  }
  const dataset = await buildDataset(corpus, datasetOptions);
  return { answer: await answerQuery(dataset.store, query), corpus, warnings: dataset.warnings };
}

export interface LoadReport {
  readonly documents: number;
  readonly graphs: number;
  readonly triples: number;
  readonly warnings: readonly string[];
}

/** Loads a directory's graphs into a Graph Store (each named graph replaced with PUT). */
export async function loadDirectoryIntoGraphStore(dir: string, graphStoreUrl: string, options: DirectoryQueryOptions & EndpointOptions = {}): Promise<LoadReport> {
  const corpus = await loadCorpus(dir, options);
  const dataset = await buildDataset(corpus, { dir, graphs: options.graphs ?? 'all', ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }) });
  const graphs = quadsByGraph(dataset.store.getQuads(null, null, null, null) as N3Quad[]);
  const triples = await putGraphs(graphStoreUrl, graphs, options);
  return { documents: corpus.documents.length, graphs: graphs.size, triples, warnings: dataset.warnings };
}

/** The formats each query form can be written in (the first is the default). */
export const FORMATS_BY_FORM: Readonly<Record<QueryAnswer['form'], readonly ResultFormat[]>> = {
  SELECT: ['table', 'json', 'csv', 'tsv'],
  ASK: ['table', 'json', 'csv', 'tsv'],
  CONSTRUCT: ['nquads'],
  DESCRIBE: ['nquads'],
};

/** Renders an answer; a format the form has no representation in is a usage error (exit 2). */
export function formatAnswer(answer: QueryAnswer, format: ResultFormat | undefined, prefixes: Readonly<Record<string, string>> = {}): string {
  const chosen = format ?? FORMATS_BY_FORM[answer.form][0] ?? 'table';
  if (!FORMATS_BY_FORM[answer.form].includes(chosen)) {
    throw new InputError('USAGE', `--format ${chosen} does not apply to a ${answer.form} query (use ${FORMATS_BY_FORM[answer.form].join(', ')})`);
  }
  switch (answer.form) {
    case 'SELECT':
      if (chosen === 'json') return selectToJson(answer.results);
      if (chosen === 'csv') return selectToCsv(answer.results);
      if (chosen === 'tsv') return selectToTsv(answer.results);
      return selectToTable(answer.results, prefixes);
    case 'ASK':
      return chosen === 'json' ? askToJson(answer.boolean) : askToText(answer.boolean);
    default:
      return quadsToNQuads(answer.quads);
  }
}
