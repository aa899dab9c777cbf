// Answering a parsed query over a directory (in-process) or a SPARQL endpoint, and rendering the answer.
import { readAssetText } from '../assets.js';
import { InputError } from '../errors.js';
import { ANSWER_STORE_MAX_ROWS, type CompleteScan, type Question, answerOverDirectory, storedAnswerOverDirectory } from './answers.js';
import { type CorpusScan, type LoadOptions, type LoadProblem } from './corpus.js';
import { type EndpointOptions, endpointAsk, endpointConstruct, endpointSelect } from './endpoint.js';
import { type GraphSelection, VIEW_QUERY_FILE, buildDatasetNQuads, datasetFromKept, keptFiles } from './graph.js';
import { type QueryAnswer, ROW_BATCH, answerOnNQuads } from './ox-engine.js';
import type { ParsedQuery } from './parse.js';
import { filterLines } from './line-plan.js';
import { liveChunks } from './partitions.js';
import { type ScanPlan, scanPlan, scanSelect } from './scan.js';
import {
  type ResultFormat,
  type SparqlBinding,
  type SparqlJsonResults,
  askToJson,
  askToText,
  quadsToNQuads,
  selectToCsv,
  selectToJson,
  selectToTable,
  selectToTsv,
} from './results.js';

/** Runs a parsed query on a SPARQL 1.1 Protocol endpoint. */
export async function answerOnEndpoint(url: string, query: ParsedQuery, options: EndpointOptions = {}): Promise<QueryAnswer> {
  if (query.form === 'SELECT') return { form: 'SELECT', results: await endpointSelect(url, query.text, options) };
  if (query.form === 'ASK') return { form: 'ASK', boolean: await endpointAsk(url, query.text, options) };
  return { form: query.form, nquads: quadsToNQuads(await endpointConstruct(url, query.text, options)) };
}

export interface DirectoryQueryOptions extends LoadOptions {
  readonly graphs?: GraphSelection;
  readonly onGraphProgress?: (done: number, total: number) => void;
  /**
   * Receives every row of a SELECT answer, in order and in batches, before the answer is returned: while the
   * engine computes them when the query can be paged (see queryPages), else once the answer is known (a stored
   * answer, a sorted or grouped one). A promise it returns holds back the reading of more rows where the rows are
   * read from the index (scan.ts); oxigraph's pages do not wait.
   */
  readonly onRows?: (rows: readonly SparqlBinding[]) => void | Promise<void>;
  /**
   * Load only the lines the question can match (its line plan, line-plan.ts: constants and joins on shared
   * variables) into oxigraph; default true. `false` loads every line of the partitions its predicates name, as
   * before: the reference the differential tests compare with.
   */
  readonly lineFilter?: boolean;
}

export interface DirectoryAnswer {
  readonly answer: QueryAnswer;
  /** Distinct documents loaded, and the files that could not be (reported, not fatal unless `strict`). */
  readonly documents: number;
  readonly problems: readonly LoadProblem[];
  readonly warnings: readonly string[];
  /** True when the answer came from the answer cache (same corpus digest, same query text and graphs). */
  readonly cached: boolean;
  /**
   * True when a SELECT's rows went to `onRows` only: more than ANSWER_STORE_MAX_ROWS were read from the index, so
   * none are kept in the answer (its bindings are empty) and it is not stored in the answer cache.
   */
  readonly rowsNotKept?: boolean;
}

/**
 * Loads `dir` (facts, links, graphs) and answers the query in-process. An empty directory answers empty.
 * With a cache directory, the answer is kept under the corpus digest and the exact query: asking again over
 * an unchanged directory costs a stat of each file and one read. `strict` runs never use stored answers
 * (a malformed file must raise its error).
 */
export async function queryDirectory(dir: string, query: ParsedQuery, options: DirectoryQueryOptions = {}): Promise<DirectoryAnswer> {
  const { onRows } = options;
  if (onRows === undefined) return answerDirectory(dir, query, options);
  let delivered = 0;
  const counted = (rows: readonly SparqlBinding[]): void | Promise<void> => {
    delivered += rows.length;
    return onRows(rows);
  };
  const r = await answerDirectory(dir, query, { ...options, onRows: counted });
  if (r.answer.form === 'SELECT') {
    const rest = r.answer.results.results.bindings;
    for (let i = delivered; i < rest.length; i += ROW_BATCH) await onRows(rest.slice(i, i + ROW_BATCH));
  }
  return r;
}

/** A query as the answer cache knows it: its text and graph selection (with the view rules it is read through). */
function queryQuestion(query: ParsedQuery, graphs: GraphSelection): Question<DirectoryAnswer> {
  return { kind: 'query', params: [graphs, graphs === 'all' ? readAssetText('queries', VIEW_QUERY_FILE) : '', query.text], toStored, fromStored: storedAnswer };
}

/**
 * The answer the cache holds for this query over `dir` as it is now (or undefined), and the scan that found it:
 * pass that back as `scan` to queryDirectory so the directory is not scanned twice.
 */
export async function storedDirectoryAnswer(dir: string, query: ParsedQuery, options: DirectoryQueryOptions = {}): Promise<{ readonly answer: DirectoryAnswer | undefined; readonly scan: CorpusScan | undefined }> {
  return storedAnswerOverDirectory(dir, options, queryQuestion(query, options.graphs ?? 'all'));
}

async function answerDirectory(dir: string, query: ParsedQuery, options: DirectoryQueryOptions): Promise<DirectoryAnswer> {
  const graphs = options.graphs ?? 'all';
  const question = queryQuestion(query, graphs);
  const needs = query.needs === undefined ? {} : { needs: query.needs };
  const rowOptions = options.onRows === undefined ? {} : { onRows: options.onRows };
  // One quad pattern (the export question among them): its rows are read from the index's lines, not from a store.
  const plan = scanPlan(query);
  // The lines of the loaded partitions the question can match (all of them without a line plan, or when turned off).
  const lines = options.lineFilter === false ? undefined : query.lines;
  const matchable = (parts: readonly string[]): readonly string[] => (lines === undefined ? parts : filterLines(parts, lines).parts);
  const scan = async (chunks: Iterable<string>, plan: ScanPlan): Promise<{ answer: QueryAnswer; rowsNotKept?: boolean }> => {
    const r = await scanSelect(chunks, plan, query, { ...rowOptions, keepRows: ANSWER_STORE_MAX_ROWS });
    return r.complete ? { answer: r.answer } : { answer: r.answer, rowsNotKept: true };
  };
  // An unchanged directory whose graphs the cache keeps: answered from them, without loading the corpus.
  const quick = async (complete: CompleteScan, cacheDir: string): Promise<DirectoryAnswer | undefined> => {
    const keptOptions = { dir, graphs, ...needs, cacheDir, scan: complete, ...(options.workers === undefined ? {} : { workers: options.workers }) };
    const kept = plan === undefined ? undefined : await keptFiles(keptOptions);
    if (plan !== undefined && kept !== undefined && oneDocumentPerGraph(kept.summary.documents.map(([, sha]) => sha))) {
      const answered = await scan(chunksOf(kept.files), plan);
      return { ...answered, documents: kept.summary.documents.length, problems: kept.summary.problems, warnings: kept.warnings, cached: false };
    }
    if (plan !== undefined && kept === undefined) return undefined;
    const dataset = await datasetFromKept(keptOptions);
    if (dataset === undefined) return undefined;
    const answer = await answerOnNQuads(matchable(dataset.parts), query, rowOptions);
    return { answer, documents: dataset.summary.documents.length, problems: dataset.summary.problems, warnings: dataset.warnings, cached: false };
  };
  return answerOverDirectory(dir, options, question, async (corpus) => {
    const datasetOptions = {
      dir,
      graphs,
      ...needs,
      ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir, keepDerived: true }),
      ...(options.onGraphProgress === undefined ? {} : { onProgress: options.onGraphProgress }),
      ...(options.workers === undefined ? {} : { workers: options.workers }),
    };
    const base = { documents: corpus.documents.length, problems: corpus.problems, cached: false };
    const scannable = plan !== undefined && oneDocumentPerGraph(corpus.documents.map((d) => d.sha256));
    if (scannable && options.cacheDir !== undefined && corpus.digest !== undefined) {
      // The index and the kept pack brought to this corpus without reading any of it into memory, then read file by file.
      const prepared = await buildDatasetNQuads(corpus, { ...datasetOptions, needs: NOTHING });
      // The corpus as a scan (its documents' files): a document whose graph failed is lifted again from its facts there.
      const files = corpus.documents.flatMap((d) => d.paths.map((rel) => ({ rel, format: d.format, sha256: d.sha256, bytes: d.bytes })));
      const kept = await keptFiles({ dir, graphs, ...needs, cacheDir: options.cacheDir, scan: { files, skipped: [], digest: corpus.digest }, ...(options.workers === undefined ? {} : { workers: options.workers }) });
      if (kept !== undefined) return { ...base, ...(await scan(chunksOf(kept.files), plan)), warnings: prepared.warnings };
    }
    // No n3 Store is built (its indexing and GC were most of a repeated query): the N-Quads text goes to oxigraph.
    const dataset = await buildDatasetNQuads(corpus, datasetOptions);
    if (scannable) return { ...base, ...(await scan(dataset.parts, plan)), warnings: dataset.warnings };
    const answer = await answerOnNQuads(matchable(dataset.parts), query, rowOptions);
    return { ...base, answer, warnings: dataset.warnings };
  }, quick);
}

/** Needs that keep no triple: the dataset is built (index written, pack kept) and nothing of it is returned. */
const NOTHING = { predicates: new Set<string>() };

/**
 * Whether every document graph belongs to one document: the same bytes under two formats (two documents, one graph
 * named by their sha256) could put equal lines apart in the index, which the scan would give twice where oxigraph
 * gives one row; such a directory is left to oxigraph.
 */
function oneDocumentPerGraph(shas: readonly string[]): boolean {
  return new Set(shas).size === shas.length;
}

/** The lines of the kept files, one file and one chunk at a time. */
function* chunksOf(files: readonly { readonly path: string; readonly dead: ReadonlySet<string> }[]): Generator<string> {
  for (const f of files) yield* liveChunks(f.path, f.dead);
}

/**
 * An answer as the answer cache keeps it: all but `cached`; `undefined` (not stored) for an answer past the cache's
 * bound (ANSWER_STORE_MAX_ROWS rows, or N-Quads of as many lines' worth), which would cost more to keep and read back
 * than to compute, and would have to be held whole in memory.
 */
function toStored({ cached, ...stored }: DirectoryAnswer): Omit<DirectoryAnswer, 'cached'> | undefined {
  if (stored.rowsNotKept === true) return undefined;
  const a = stored.answer;
  if (a.form === 'SELECT' && a.results.results.bindings.length > ANSWER_STORE_MAX_ROWS) return undefined;
  if ((a.form === 'CONSTRUCT' || a.form === 'DESCRIBE') && a.nquads.length > ANSWER_STORE_MAX_ROWS * 200) return undefined;
  return stored;
}

/** A stored answer back, or undefined when the entry is not one (then the answer is computed again). */
function storedAnswer(v: unknown): DirectoryAnswer | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Partial<Record<keyof DirectoryAnswer, unknown>>;
  if (typeof o.documents !== 'number' || !Array.isArray(o.problems) || !Array.isArray(o.warnings) || !o.warnings.every((w) => typeof w === 'string')) return undefined;
  if (!isAnswer(o.answer)) return undefined;
  return { documents: o.documents, problems: o.problems as LoadProblem[], warnings: o.warnings as string[], answer: o.answer, cached: true };
}

function isAnswer(v: unknown): v is QueryAnswer {
  const a = (typeof v === 'object' && v !== null ? v : {}) as { form?: unknown; results?: unknown; boolean?: unknown; nquads?: unknown };
  if (a.form === 'SELECT') return isSelectResults(a.results);
  if (a.form === 'ASK') return typeof a.boolean === 'boolean';
  return (a.form === 'CONSTRUCT' || a.form === 'DESCRIBE') && typeof a.nquads === 'string';
}

function isSelectResults(v: unknown): v is SparqlJsonResults {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as { head?: { vars?: unknown }; results?: { bindings?: unknown } };
  return Array.isArray(o.head?.vars) && Array.isArray(o.results?.bindings);
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
      return answer.nquads;
  }
}
