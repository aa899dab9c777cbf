// Barrel of the query area: directory loading (facts, links, graphs), SPARQL in-process and over HTTP.
export * from './namespaces.js';
export * from './facts.js';
export { type SourceFormat, FACTS_VERSION, sourceFormat, extractFacts } from './extract.js';
export { type HfFile, parseHfFile, uriKey, privateRepoId, privateRepoInUri } from './uri.js';
export { type LinkMethod, type LinkRelation, type LinkEnd, type Link, type LinkableDocument, deriveLinks } from './links.js';
export { type LoadedDocument, type LoadProblem, type Corpus, type CorpusScan, type ScannedFile, type LoadOptions, GRAPH_CACHE_VERSION, loadCorpus, scanDirectory } from './corpus.js';
export { ANSWER_CACHE_VERSION, ANSWER_STORE_MAX_ROWS, AnswerCache, type Question, answerKey, answerOverDirectory } from './answers.js';
export { DirectorySnapshot, type FileIdentity } from './snapshot.js';
export { type DatasetNeeds, type QuadKeep, datasetNeeds, keepFilter } from './needs.js';
export { ContentCache, resolveCacheDirectory } from './cache.js';
export { type Evidence, type Flow, type FlowGroup, type EntityInfo, type ArtifactInfo, buildFlow, where } from './flow.js';
export { type QueryForm, type ParsedQuery, parseUserQuery, withLimit } from './parse.js';
export * from './results.js';
export { type QueryAnswer, answerQuery, selectBindings, askQuery, constructQuery } from './ox-engine.js';
/** @deprecated The query engine is oxigraph, shared with emission: use warmUpSparql. */
export { warmUpSparql as warmUpQueryEngine } from '../rdf/sparql.js';
export { type GraphSelection, type DatasetOptions, VIEW_QUERY_FILE, buildDatasetNQuads, indexQuads, linkQuads } from './graph.js';
export { type NamedQuery, queryHeader, listNamedQueries, findNamedQuery } from './named.js';
export { type EndpointOptions, endpointSelect, endpointAsk, endpointConstruct, defaultGraphStoreUrl } from './endpoint.js';
export {
  type DirectoryQueryOptions,
  type DirectoryAnswer,
  FORMATS_BY_FORM,
  answerOnEndpoint,
  queryDirectory,
  formatAnswer,
} from './run.js';
export { type GuardedQueryOptions, DEFAULT_QUERY_TIMEOUT_S, DEFAULT_QUERY_MAX_MEMORY_MB, queryDirectoryGuarded } from './guarded.js';
export { type CacheUsage, DEFAULT_CACHE_MAX_MB, cacheUsage, pruneCache, clearCache } from './cache-store.js';
export { type ServeOptions, type SparqlServer, negotiate, startSparqlServer } from './serve.js';
export { FIRST_PAGE_ROWS, PAGE_GROWTH, type QueryPage, queryPages } from './paging.js';
export { TABLE_PAGE_ROWS, type ResultPiece, type SelectStreamWriter, selectStreamWriter } from './result-stream.js';
export { type SyncOptions, type SyncProtocol, type SyncReport, syncDirectory } from './sync.js';
export { type SyncStateData, type SyncedFile, SYNC_STATE_VERSION, SyncState } from './sync-state.js';
export { type ScanPlan, type ScanOptions, WHOLE_ANSWER_MAX_ROWS, scanPlan, scanSelect } from './scan.js';
