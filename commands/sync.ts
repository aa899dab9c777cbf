// `pe-trace sync --dir DIR --endpoint URL`: keeps a SPARQL server's named graphs in step with a directory (only changes sent).
import { homedir } from 'node:os';
import { Flags } from '@oclif/core';
import { extraThreads } from '../src/cli/threads.js';
import { BaseCommand, type Outcome } from '../src/cli/base-command.js';
import { ttyProgress } from '../src/cli/progress.js';
import { defaultSyncStatePath, syncSummary } from '../src/cli/sync-cli.js';
import { EXIT, InputError, type SyncReport, defaultGraphStoreUrl, resolveCacheDirectory, syncDirectory } from '../src/index.js';

type SyncResult = Omit<SyncReport, 'warnings'>;

export default class Sync extends BaseCommand<SyncResult> {
  static override summary = 'Keep a SPARQL server\'s named graphs in step with a directory (only changed documents are sent).';
  static override description = [
    'Writes the graphs `pe-trace query --dir DIR` builds (each document\'s own graph and TROv 0.1 view, the index and',
    'links graphs; same graph names, same triples) to a SPARQL server through the SPARQL 1.1 Graph Store HTTP',
    'Protocol: a graph the server does not hold yet is replaced with PUT, the graphs of removed or changed files are',
    'removed with DELETE, the index and links graphs are patched (SPARQL Update DELETE DATA / INSERT DATA of the',
    'triples that changed, computed from the changed documents against the corpus kept beside the state; with',
    '--no-cache they are replaced whole) or replaced when most changed,',
    'and up to --concurrency writes are in flight (a server\'s deadlock answer is retried). A second run over an',
    'unchanged directory sends no writes. What the server holds is recorded in a state file (by default in the cache',
    'directory, one per directory and server; or --state FILE) after every graph, so an interrupted run continues',
    'where it stopped. When the server has no Graph Store Protocol (HTTP 404/405 on --graph-store), or with',
    '--update-only, SPARQL 1.1 Update is used instead (DROP SILENT GRAPH + INSERT DATA, several graphs per request).',
    'Documents whose graphs the state says the server lacks (a first sync, new files) go several hundred per SPARQL',
    'Update INSERT DATA request, checked by a count of the triples that landed; a server that refuses',
    'that, or answers success and holds less, gets one write per graph instead (--no-multi-graph asks for that).',
    'Then `pe-trace query --endpoint URL` answers as `pe-trace query --dir DIR` does. Plain http is sent only to',
    'loopback (127.0.0.1, ::1, localhost); any other server needs https. A server error ends the run with one line',
    'naming the step and the HTTP status (ENDPOINT_ERROR, exit 3); run again to continue.',
  ].join(' ');
  static override examples = [
    '<%= config.bin %> sync --dir records --endpoint http://127.0.0.1:8890/sparql',
    '<%= config.bin %> sync --dir records --endpoint https://sparql.example.org/sparql --graph-store https://sparql.example.org/rdf-graph-store',
    '<%= config.bin %> sync --dir records --endpoint http://127.0.0.1:8890/sparql --update-only --state records-sync.json',
  ];
  static override flags = {
    dir: Flags.string({ description: 'directory whose documents to sync (recursively)', required: true }),
    endpoint: Flags.string({ description: 'SPARQL 1.1 Protocol endpoint URL (used for SPARQL Update when there is no Graph Store)', required: true }),
    'graph-store': Flags.string({ description: 'SPARQL 1.1 Graph Store Protocol URL (default: <endpoint>-graph-crud when the endpoint ends in /sparql, as on Virtuoso; otherwise SPARQL Update is used)' }),
    'update-only': Flags.boolean({ description: 'write with SPARQL 1.1 Update even when a Graph Store URL is known', default: false }),
    state: Flags.string({ description: 'state file recording what the server holds (default: in the cache directory, named after the directory and server)' }),
    full: Flags.boolean({ description: 'ignore the state and send every graph again (after the server was emptied or restored)', default: false }),
    cache: Flags.string({ description: 'cache directory for facts, lifted graphs and the sync state (default: $XDG_CACHE_HOME/pe-trace, else ~/.cache/pe-trace)' }),
    'no-cache': Flags.boolean({ description: 'lift everything afresh and write no cache (then --state is needed)', default: false }),
    strict: Flags.boolean({ description: 'fail on the first unreadable or malformed file, before anything is written (default: report it and go on)', default: false }),
    concurrency: Flags.integer({ description: 'graph writes in flight at once (Virtuoso\'s deadlock answers, SQLSTATE 40001, are retried); more helps when the server has CPU cores of its own. Default 1', default: 1, min: 1, max: 32 }),
    'multi-graph': Flags.boolean({ description: 'send graphs the server lacks several documents per SPARQL Update INSERT DATA request, checked by a count of what landed (--no-multi-graph: one Graph Store PUT per graph). Default on', default: true, allowNo: true }),
    timeout: Flags.integer({ description: 'seconds of silence after which one HTTP request is abandoned. Default 120', default: 120, min: 1 }),
  };

  protected async exec(): Promise<Outcome<SyncResult>> {
    const { flags } = await this.parse(Sync);
    if (flags['no-cache'] && flags.cache !== undefined) throw new InputError('USAGE', 'give either --cache DIR or --no-cache, not both');
    const cacheDir = flags['no-cache'] ? undefined : resolveCacheDirectory(flags.cache ?? 'auto', { xdgCacheHome: process.env['XDG_CACHE_HOME'], home: homedir() });
    const graphStore = flags['graph-store'] ?? defaultGraphStoreUrl(flags.endpoint);
    let statePath = flags.state;
    if (statePath === undefined) {
      if (cacheDir === undefined) throw new InputError('USAGE', '--no-cache needs --state FILE (the sync state lives in the cache directory by default)');
      statePath = defaultSyncStatePath(cacheDir, flags.dir, graphStore ?? flags.endpoint);
    }
    const progress = ttyProgress(!this.wantsJson);
    const report = await syncDirectory(flags.dir, {
      endpoint: flags.endpoint,
      ...(graphStore === undefined ? {} : { graphStore }),
      updateOnly: flags['update-only'],
      statePath,
      full: flags.full,
      strict: flags.strict,
      ...(cacheDir === undefined ? {} : { cacheDir }),
      workers: extraThreads(),
      timeoutMs: flags.timeout * 1000,
      concurrency: flags.concurrency,
      multiGraph: flags['multi-graph'],
      ...(progress === undefined ? {} : { onProgress: (d: number, t: number) => progress.update(`syncing ${d}/${t} documents`) }),
    });
    progress?.done();
    const { warnings, ...result } = report;
    const text = [syncSummary(report)];
    return { result, status: EXIT.OK, text, warnings };
  }
}
