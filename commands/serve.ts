// `pe-trace serve --dir DIR`: a read-only SPARQL 1.1 Protocol endpoint over a directory of TROs and manifests.
import { homedir } from 'node:os';
import { Flags } from '@oclif/core';
import { BaseCommand, type Outcome } from '../src/cli/base-command.js';
import { EXIT, InputError, resolveCacheDirectory, startSparqlServer } from '../src/index.js';

interface ServeResult {
  readonly url: string;
  readonly documents: number;
}

export default class Serve extends BaseCommand<ServeResult> {
  static override summary = 'Serve a directory as a read-only SPARQL 1.1 Protocol endpoint (GET and POST, content negotiation).';
  static override description = [
    'Loads every graph `pe-trace query --dir DIR` would (documents, TROv views, index and links graphs) into one',
    'resident oxigraph store and answers SPARQL 1.1 Protocol requests at http://HOST:PORT/sparql until stopped',
    '(Ctrl-C). SELECT/ASK answer as SPARQL JSON (default), XML, CSV or TSV; CONSTRUCT/DESCRIBE as N-Triples',
    '(default), Turtle or N-Quads, by the Accept header. The default graph is the union of all graphs. SPARQL',
    'Update is refused (403) and SERVICE is not run (400). It listens on 127.0.0.1 unless --host says otherwise;',
    'the first line printed is the endpoint URL. With --watch a change under DIR is applied to the loaded store in',
    'place: the changed documents\' graphs are swapped and the index and links graphs patched line by line (a fresh',
    'load only after many changes, or when a removed document wrote into graphs other than its own). Use it with',
    '`pe-trace query --endpoint URL`, curl or any SPARQL client.',
  ].join(' ');
  static override examples = [
    '<%= config.bin %> serve --dir fixtures/corpus',
    '<%= config.bin %> serve --dir fixtures/corpus --port 7878 --watch',
    'curl -H "Accept: text/csv" --data-urlencode "query=SELECT * WHERE { ?s ?p ?o } LIMIT 5" http://127.0.0.1:7878/sparql',
  ];
  static override flags = {
    dir: Flags.string({ description: 'directory to serve (recursively)', required: true }),
    port: Flags.integer({ description: 'TCP port (0: any free port; the printed URL names it)', default: 7878, min: 0, max: 65535 }),
    host: Flags.string({ description: 'address to listen on (127.0.0.1: this machine only; 0.0.0.0 exposes the data to the network)', default: '127.0.0.1' }),
    watch: Flags.boolean({ description: 'apply changes under --dir to the served store as they happen (in place; see the description below)', default: false }),
    cache: Flags.string({ description: 'cache directory (default: $XDG_CACHE_HOME/pe-trace, else ~/.cache/pe-trace)' }),
    'no-cache': Flags.boolean({ description: 'read and lift everything afresh, and write no cache', default: false }),
  };

  protected async exec(): Promise<Outcome<ServeResult>> {
    const { flags } = await this.parse(Serve);
    if (flags['no-cache'] && flags.cache !== undefined) throw new InputError('USAGE', 'give either --cache DIR or --no-cache, not both');
    const cacheDir = flags['no-cache'] ? undefined : resolveCacheDirectory(flags.cache ?? 'auto', { xdgCacheHome: process.env['XDG_CACHE_HOME'], home: homedir() });
    let server;
    try {
      server = await startSparqlServer({ dir: flags.dir, host: flags.host, port: flags.port, watch: flags.watch, ...(cacheDir === undefined ? {} : { cacheDir }) });
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
        throw new InputError('USAGE', `cannot listen on ${flags.host}:${flags.port} (${String(code)}); choose another --port or --host`);
      }
      throw e;
    }
    const close = (): void => void server.close().then(() => process.exit(0));
    process.once('SIGINT', close);
    process.once('SIGTERM', close);
    // The outcome is printed now; the listening server keeps the process running until it is stopped.
    return { result: { url: server.url, documents: server.documents() }, status: EXIT.OK, text: [server.url, `serving ${server.documents()} document(s) from ${flags.dir} (read-only; Ctrl-C stops)`] };
  }
}
