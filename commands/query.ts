// `pe-trace query (FILE.rq | NAME | --sparql TEXT) --dir DIR`: SPARQL over a directory of TROs and manifests, or an endpoint.
import { homedir } from 'node:os';
import { extraThreads } from '../src/cli/threads.js';
import { Args, Flags } from '@oclif/core';
import { BaseCommand, type Outcome, type StdoutChunk, type StreamedOutcome } from '../src/cli/base-command.js';
import { displayPath } from '../src/cli/paths.js';
import { ttyProgress } from '../src/cli/progress.js';
import { defaultSyncStatePath, syncSummary } from '../src/cli/sync-cli.js';
import {
  EXIT,
  type GraphSelection,
  InputError,
  type ParsedQuery,
  type QueryAnswer,
  type DirectoryAnswer,
  type ResultFormat,
  type ResultPiece,
  type SparqlBinding,
  type SparqlJsonResults,
  FORMATS_BY_FORM,
  selectStreamWriter,
  answerOnEndpoint,
  defaultGraphStoreUrl,
  findNamedQuery,
  formatAnswer,
  listNamedQueries,
  syncDirectory,
  type SyncReport,
  parseUserQuery,
  DEFAULT_QUERY_MAX_MEMORY_MB,
  DEFAULT_QUERY_TIMEOUT_S,
  queryDirectoryGuarded,
  queryHeader,
  withLimit,
  readDocumentFile,
  resolveCacheDirectory,
  escapeTerminalText,
  DEFAULT_CACHE_MAX_MB,
  pruneCache,
} from '../src/index.js';

interface QueryResult {
  readonly query?: string;
  readonly form?: QueryAnswer['form'];
  /** SELECT: the W3C SPARQL results JSON. */
  readonly results?: SparqlJsonResults;
  readonly boolean?: boolean;
  /** CONSTRUCT/DESCRIBE: the triples as N-Quads. */
  readonly nquads?: string;
  readonly documents?: number;
  /** With --load: what the sync before the query did (as `pe-trace sync --json` reports it). */
  readonly loaded?: Omit<SyncReport, 'warnings'>;
  readonly named?: readonly { readonly name: string; readonly file: string; readonly description: string }[];
}

export default class Query extends BaseCommand<QueryResult> {
  static override summary = 'Run SPARQL over a directory of TROs, manifests and Turtle files (or on a SPARQL endpoint).';
  static override description = [
    'QUERY is a .rq file or the name of a shipped query (see --list). Every .json/.jsonld/.ttl/.nt file under --dir',
    'is loaded into its own named graph, TROs also into a TROv 0.1 view graph, plus an index graph and a links graph',
    'of derived edges (hash, id, URI and fingerprint matches, each typed with how it was established; vocab/links.ttl).',
    'The default graph is the union of all graphs (unless the query says FROM / FROM NAMED). SELECT/ASK results are',
    'written as an aligned table, or in the W3C SPARQL 1.1 Query Results JSON, CSV or TSV formats; CONSTRUCT/DESCRIBE',
    'as N-Quads (each triple once; DESCRIBE follows blank-node objects).',
    'With --endpoint the query goes to a SPARQL 1.1 Protocol endpoint instead; --load first brings the endpoint\'s graphs',
    'in step with --dir exactly as `pe-trace sync` does (same state file in the cache: only changed documents are sent,',
    'removed files\' graphs are dropped; Graph Store Protocol at --graph-store, default Virtuoso\'s /sparql-graph-crud',
    'next to /sparql, else SPARQL 1.1 Update). For --state, --full or --concurrency, run `pe-trace sync` first.',
    'In-process queries run on a worker thread bounded by --timeout (default 120 s) and --max-memory (default 1024 MB):',
    'past either bound the query is stopped with a one-line error (exit 3). SERVICE (federated) queries are refused.',
    'SELECT rows are written as the engine finds them (json, csv, tsv at once; the table once it holds 1,000 rows,',
    'aligned on those): a query stopped by --timeout or --max-memory may already have written some rows before its',
    'error line. --json never streams: its one envelope is written at the end. ORDER BY, GROUP BY, aggregates,',
    'sub-selects and p*/p+ paths are answered whole before their first row is written. SELECT * lists its columns',
    'in a fixed order: the variables in scope, sorted (a, A, b, B, …).',
    'A SELECT that is one triple pattern (in GRAPH ?g, GRAPH <iri> or the default graph; constants anywhere; LIMIT/OFFSET;',
    'no DISTINCT, FILTER or FROM), such as the export of every quad, is read straight from the directory index, file by',
    'file, in bounded memory: its first rows come at once. Its answer is not kept in the cache past 100,000 rows, and',
    'with --json (which holds the whole answer) past 1,000,000 rows it ends with exit 3: write csv, tsv or json instead.',
  ].join('\n');
  static override examples = [
    '<%= config.bin %> query --list',
    '<%= config.bin %> query bundles --dir fixtures/corpus',
    '<%= config.bin %> query restricted-inputs --dir fixtures/corpus --format csv',
    '<%= config.bin %> query --sparql "SELECT ?path WHERE { ?d <https://w3id.org/pe-trace/query#path> ?path }" --dir fixtures/corpus',
    '<%= config.bin %> query bundles --dir fixtures/corpus --endpoint http://127.0.0.1:18890/sparql --load',
    '<%= config.bin %> query --sparql "SELECT ?s WHERE { ?s ?p ?o }" --dir fixtures/corpus --timeout 10 --max-memory 512',
    '<%= config.bin %> query --sparql "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }" --dir fixtures/corpus --format csv > everything.csv',
  ];
  static override args = { query: Args.string({ description: 'a .rq file or a named query', required: false, ignoreStdin: true }) };
  static override flags = {
    dir: Flags.string({ description: 'directory to load (recursively)' }),
    sparql: Flags.string({ description: 'the query text itself, instead of QUERY' }),
    format: Flags.string({ description: 'output format (default: table for SELECT/ASK, nquads for CONSTRUCT)', options: ['table', 'json', 'csv', 'tsv', 'nquads'] }),
    list: Flags.boolean({ description: 'list the shipped named queries', default: false }),
    graphs: Flags.string({ description: 'graphs to build: all, or index (index and links only; fast). Default: all, or what a named query declares', options: ['all', 'index'] }),
    endpoint: Flags.string({ description: 'SPARQL 1.1 Protocol endpoint URL to query instead of loading --dir in-process' }),
    load: Flags.boolean({ description: 'with --endpoint: first sync the graphs of --dir to it (as `pe-trace sync` does: only changes are sent)', default: false }),
    'graph-store': Flags.string({ description: 'Graph Store Protocol URL for --load (default: <endpoint>-graph-crud when the endpoint ends in /sparql; otherwise SPARQL Update)' }),
    cache: Flags.string({ description: 'cache directory for facts, lifted graphs, the directory snapshot and answers (default: $XDG_CACHE_HOME/pe-trace, else ~/.cache/pe-trace; "auto" says the same). An unchanged file is never lifted twice' }),
    'no-cache': Flags.boolean({ description: 'read and lift everything afresh, and write no cache', default: false }),
    'cache-max-mb': Flags.integer({ description: `bound of the cache in MB: least-recently-used entries are evicted past it. Default ${DEFAULT_CACHE_MAX_MB}`, default: DEFAULT_CACHE_MAX_MB, min: 1 }),
    strict: Flags.boolean({ description: 'fail on the first unreadable or malformed file (default: report it and go on)', default: false }),
    timeout: Flags.integer({
      description: `stop the query after this many seconds (in-process: the evaluation is stopped; with --endpoint: the HTTP request). Default ${DEFAULT_QUERY_TIMEOUT_S}`,
      default: DEFAULT_QUERY_TIMEOUT_S,
      min: 1,
    }),
    limit: Flags.integer({ description: 'at most this many rows (SELECT) or triples (CONSTRUCT/DESCRIBE); the query\'s own LIMIT wins when smaller', min: 0 }),
    'max-memory': Flags.integer({
      description: `heap bound in MB for an in-process query; a question needing more ends with an error (exit 3) instead of exhausting the machine. Default ${DEFAULT_QUERY_MAX_MEMORY_MB}`,
      default: DEFAULT_QUERY_MAX_MEMORY_MB,
      min: 16,
    }),
  };

  protected async exec(): Promise<Outcome<QueryResult> | StreamedOutcome<QueryResult>> {
    const { args, flags } = await this.parse(Query);
    if (flags.list) return this.list();
    const read = await this.readQuery(args.query, flags.sparql);
    const query = read === undefined || flags.limit === undefined ? read : { ...read, parsed: withLimit(read.parsed, flags.limit) };
    const format = flags.format as ResultFormat | undefined;
    if (flags['no-cache'] && flags.cache !== undefined) throw new InputError('USAGE', 'give either --cache DIR or --no-cache, not both');
    const cacheDir = flags['no-cache'] ? undefined : resolveCacheDirectory(flags.cache ?? 'auto', { xdgCacheHome: process.env['XDG_CACHE_HOME'], home: homedir() });
    const options = { ...(cacheDir === undefined ? {} : { cacheDir }), strict: flags.strict, workers: extraThreads() };
    const graphs = (flags.graphs ?? query?.graphs ?? 'all') as GraphSelection;
    const warnings: string[] = [];
    let loaded: QueryResult['loaded'];

    if (flags.endpoint !== undefined) {
      if (flags.load) {
        if (flags.dir === undefined) throw new InputError('USAGE', '--load needs --dir (the directory whose graphs to load)');
        if (cacheDir === undefined) throw new InputError('USAGE', '--load keeps its sync state in the cache, so it cannot run with --no-cache: run `pe-trace sync --no-cache --state FILE` first, then query with --endpoint');
        const graphStore = flags['graph-store'] ?? defaultGraphStoreUrl(flags.endpoint);
        const progress = ttyProgress(!this.wantsJson);
        const report = await syncDirectory(flags.dir, {
          endpoint: flags.endpoint,
          ...(graphStore === undefined ? {} : { graphStore }),
          statePath: defaultSyncStatePath(cacheDir, flags.dir, graphStore ?? flags.endpoint),
          cacheDir,
          strict: flags.strict,
          workers: options.workers,
          timeoutMs: flags.timeout * 1000,
          ...(progress === undefined ? {} : { onProgress: (d: number, t: number) => progress.update(`syncing ${d}/${t} documents`) }),
        });
        progress?.done();
        const { warnings: syncWarnings, ...rest } = report;
        warnings.push(...syncWarnings);
        loaded = rest;
      } else if (flags.dir !== undefined) {
        throw new InputError('USAGE', '--dir with --endpoint needs --load (the query runs on the endpoint, not on --dir)');
      }
      if (query === undefined) {
        if (loaded === undefined) throw new InputError('USAGE', 'give a QUERY (a .rq file or a named query), --sparql TEXT, or --list');
        return { result: { loaded }, status: EXIT.OK, text: [syncSummary(loaded)], warnings };
      }
      const answer = await answerOnEndpoint(flags.endpoint, query.parsed, { timeoutMs: flags.timeout * 1000 });
      return this.outcome(query, answer, format, { ...(loaded === undefined ? {} : { loaded }) }, warnings);
    }

    if (query === undefined) throw new InputError('USAGE', 'give a QUERY (a .rq file or a named query), --sparql TEXT, or --list');
    if (flags.dir === undefined) throw new InputError('USAGE', 'give --dir DIR (the directory to query) or --endpoint URL');
    if (flags.load) throw new InputError('USAGE', '--load needs --endpoint');
    const progress = ttyProgress(!this.wantsJson);
    const run = (onRows?: (rows: readonly SparqlBinding[]) => void): Promise<DirectoryAnswer> =>
      queryDirectoryGuarded(flags.dir ?? '', query.parsed, {
        ...options,
        graphs,
        timeoutMs: flags.timeout * 1000,
        maxMemoryMb: flags['max-memory'],
        ...(progress === undefined ? {} : { onProgress: (d: number, t: number) => progress.update(`reading ${d}/${t} files`), onGraphProgress: (d: number, t: number) => progress.update(`lifting ${d}/${t} documents`) }),
        ...(onRows === undefined ? {} : { onRows }),
      });
    const settle = (r: DirectoryAnswer): void => {
      progress?.done();
      // A run that computed its answer may have added entries: keep the cache within its bound (LRU).
      if (cacheDir !== undefined && !r.cached) pruneCache(cacheDir, flags['cache-max-mb'] * 1024 * 1024);
      for (const p of r.problems) warnings.push(`skipped ${p.message}`);
      warnings.push(...r.warnings);
    };
    // Human output of a SELECT streams (--json keeps its one envelope at the end).
    const chosen = format ?? 'table';
    if (!this.wantsJson && query.parsed.form === 'SELECT' && chosen !== 'nquads' && FORMATS_BY_FORM.SELECT.includes(chosen)) {
      return { stream: this.streamSelect(query, chosen, run, settle, { warnings, clearProgress: () => progress?.done() }) };
    }
    const r = await run();
    settle(r);
    return this.outcome(query, r.answer, format, { documents: r.documents }, warnings);
  }

  /**
   * Writes a SELECT's rows as the worker posts them (selectStreamWriter: the same bytes as the whole answer), then
   * returns the usual outcome without stdout of its own. A timeout or memory stop rejects `run`: the error is
   * raised after the rows already written.
   */
  private async *streamSelect(
    query: { name: string; parsed: ParsedQuery },
    format: Exclude<ResultFormat, 'nquads'>,
    run: (onRows: (rows: readonly SparqlBinding[]) => void) => Promise<DirectoryAnswer>,
    settle: (r: DirectoryAnswer) => void,
    context: { warnings: string[]; clearProgress: () => void },
  ): AsyncGenerator<StdoutChunk, Outcome<QueryResult>, void> {
    const writer = selectStreamWriter(format, query.parsed.variables, query.parsed.prefixes);
    const batches: (readonly SparqlBinding[])[] = [];
    let wake: (() => void) | undefined;
    let finished = false;
    const answer = run((rows) => {
      batches.push(rows);
      wake?.();
    });
    // Observed here so a rejection is never unhandled; `await answer` below raises it.
    void answer.then(
      () => undefined,
      () => undefined,
    ).finally(() => {
      finished = true;
      wake?.();
    });
    let progressCleared = false;
    for (;;) {
      const rows = batches.shift();
      if (rows !== undefined) {
        if (!progressCleared) context.clearProgress();
        progressCleared = true;
        const piece = writer.push(format === 'table' ? rows.map(escapeBinding) : rows);
        if (piece !== undefined) yield chunk(piece);
        continue;
      }
      if (finished) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
    const r = await answer;
    settle(r);
    yield chunk(writer.end());
    const result: QueryResult = { query: query.name, form: 'SELECT', documents: r.documents, ...(r.answer.form === 'SELECT' ? { results: r.answer.results } : {}) };
    return { result, status: EXIT.OK, warnings: context.warnings };
  }

  private list(): Outcome<QueryResult> {
    const named = listNamedQueries().map((q) => ({ name: q.name, file: q.file, description: q.description }));
    const width = Math.max(0, ...named.map((q) => q.name.length));
    return { result: { named }, status: EXIT.OK, text: named.map((q) => `${q.name.padEnd(width)}  ${q.description}`) };
  }

  /** The query from a .rq file, a named query, or --sparql; parsed first so syntax errors are located (exit 3). */
  private async readQuery(arg: string | undefined, sparql: string | undefined): Promise<{ name: string; parsed: ParsedQuery; graphs: GraphSelection } | undefined> {
    if (arg !== undefined && sparql !== undefined) throw new InputError('USAGE', 'give either QUERY or --sparql, not both');
    if (sparql !== undefined && sparql.trim() === '') throw new InputError('USAGE', '--sparql is empty: give the query text (or a .rq file or named query as QUERY)');
    if (sparql !== undefined) return { name: '--sparql', parsed: parseUserQuery(sparql, '--sparql'), graphs: queryHeader(sparql).graphs };
    if (arg === undefined) return undefined;
    const looksLikeFile = arg.endsWith('.rq') || arg.endsWith('.sparql') || arg.includes('/');
    if (looksLikeFile) {
      const shown = displayPath(arg);
      let text: string;
      try {
        // The one reader: a FIFO or a device given as the query file is refused, not read forever.
        text = new TextDecoder('utf-8', { fatal: true }).decode(await readDocumentFile(arg, { label: shown }));
      } catch (e) {
        const named = findNamedQuery(arg);
        if (named !== undefined) return { name: named.name, parsed: parseUserQuery(named.text, named.file), graphs: named.graphs };
        if (e instanceof InputError) throw e;
        throw new InputError('INPUT_UNREADABLE', 'the query file is not valid UTF-8', { location: { file: shown } });
      }
      return { name: shown, parsed: parseUserQuery(text, shown), graphs: queryHeader(text).graphs };
    }
    const named = findNamedQuery(arg);
    if (named === undefined) {
      throw new InputError('USAGE', `no named query "${arg}" (known: ${listNamedQueries().map((q) => q.name).join(', ')}); a query file must end in .rq`);
    }
    return { name: named.name, parsed: parseUserQuery(named.text, named.file), graphs: named.graphs };
  }

  private outcome(
    query: { name: string; parsed: ParsedQuery },
    answer: QueryAnswer,
    format: ResultFormat | undefined,
    extra: Pick<QueryResult, 'documents' | 'loaded'>,
    warnings: string[],
  ): Outcome<QueryResult> {
    const text = formatAnswer(forTerminal(answer, format), format, query.parsed.prefixes);
    const base = { query: query.name, form: answer.form, ...extra };
    const result: QueryResult =
      answer.form === 'SELECT'
        ? { ...base, results: answer.results }
        : answer.form === 'ASK'
          ? { ...base, boolean: answer.boolean }
          : { ...base, nquads: answer.nquads };
    return { result, status: EXIT.OK, bytes: new TextEncoder().encode(text), warnings };
  }
}

/**
 * The answer with every term value escaped for the terminal when it is printed as the human table (the table goes
 * out as bytes, past the renderer's escaping): an IRI or literal holding a newline or an ESC cannot forge a line.
 * Data formats (JSON, CSV, TSV, N-Quads) keep the values and their own standard escaping.
 */
function forTerminal(answer: QueryAnswer, format: ResultFormat | undefined): QueryAnswer {
  if (answer.form !== 'SELECT' || (format ?? 'table') !== 'table') return answer;
  const bindings = answer.results.results.bindings.map(escapeBinding);
  return { ...answer, results: { ...answer.results, results: { bindings } } };
}

/** A row with every term value escaped for the terminal (the human table). */
function escapeBinding(b: SparqlBinding): SparqlBinding {
  return Object.fromEntries(Object.entries(b).map(([k, t]) => [k, { ...t, value: escapeTerminalText(t.value) }]));
}

/** A streamed piece as the base command writes it: data formats raw, table lines escaped line by line. */
function chunk(piece: ResultPiece): StdoutChunk {
  return 'data' in piece ? { raw: piece.data } : { lines: piece.lines };
}
