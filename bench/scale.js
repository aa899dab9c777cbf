// Benchmark: where in-process answering stops and a SPARQL server should take over (issue 15): N generated documents
// (default 100,000), `pe-trace query` in fresh processes (first question with a cold cache, a new question over the
// unchanged directory, the same question again) side by side with Virtuoso's bulk load of the same quads and the
// same five query shapes answered by Virtuoso.
//
//   node bench/scale.js                       # 100,000 documents (long: tens of minutes on 2 cores)
//   BENCH_SCALE_DOCS=20000 node bench/scale.js
//   BENCH_SCALE_DIR=/big/disk node bench/scale.js   # where the corpus and caches go (default: the OS temp dir)
//   BENCH_SCALE_PARTS=virtuoso node --max-old-space-size=16000 bench/scale.js   # only the Virtuoso side
//
// The dataset for the bulk load is read from the directory's index after the in-process runs (the document graphs)
// plus the index and links graphs; Virtuoso steps are skipped (and say so) without virtuoso-t and isql-vt.
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt, freePort, measure } from './lib.js';
import { generateCorpus } from './query.js';

const ROOT = new URL('..', import.meta.url).pathname;
const bin = join(ROOT, 'bin', 'run.js');
const P = 'PREFIX trov: <https://w3id.org/trace/trov/0.1#> PREFIX ptq: <https://w3id.org/pe-trace/query#> ';
const SHAPES = {
  'GRAPH ?g aggregate': `${P}SELECT ?g (COUNT(?a) AS ?n) WHERE { GRAPH ?g { ?c trov:hasArtifact ?a } } GROUP BY ?g`,
  'constant-predicate SELECT': `${P}SELECT ?a ?h WHERE { ?a trov:sha256 ?h }`,
  '?p FILTER': `${P}SELECT ?s ?o WHERE { ?s ?p ?o FILTER(?p = trov:hasLocation) }`,
  'property path': `${P}SELECT ?tro ?a WHERE { ?tro trov:hasComposition/trov:hasArtifact ?a }`,
  'index: documents by kind': `${P}SELECT ?k (COUNT(?d) AS ?n) WHERE { ?d ptq:documentKind ?k } GROUP BY ?k`,
};

const say = (line) => console.log(line);

async function query(dir, cache, text, extra = []) {
  const r = await measure(process.execPath, [bin, 'query', '--dir', dir, '--cache', cache, '--cache-max-mb', '100000', '--sparql', text, '--format', 'csv', '--timeout', '7200', ...extra]);
  const rows = Math.max(0, r.stdout.split('\n').length - 2);
  const outcome = r.status === 0 ? `${rows} rows` : `exit ${r.status}: ${r.stderr.trim().split('\n').pop()}`;
  return { ...r, outcome };
}

export async function benchScale(n = Number(process.env.BENCH_SCALE_DOCS ?? 100000)) {
  const work = mkdtempSync(join(process.env.BENCH_SCALE_DIR ?? tmpdir(), 'pe-trace-bench-scale-'));
  const dir = join(work, 'corpus');
  const cache = join(work, 'cache');
  try {
    generateCorpus(dir, n);
    say(`${n} documents generated`);
    const [first, ...others] = Object.entries(SHAPES);
    const inProcess = process.env.BENCH_SCALE_PARTS !== 'virtuoso';
    if (inProcess) {
    let cold = await query(dir, cache, first[1]);
    say(`in-process, first question (${first[0]}), cold cache: ${fmt(cold.wallMs / 1000)} s, peak RSS ${fmt(cold.peakRssMb, 0)} MB, ${cold.outcome}`);
    if (cold.status === 3) {
      // Past the default heap bound: the same question with room, to see what it would take.
      cold = await query(dir, cache, first[1], ['--max-memory', '16000']);
      say(`in-process, first question again with --max-memory 16000: ${fmt(cold.wallMs / 1000)} s, peak RSS ${fmt(cold.peakRssMb, 0)} MB, ${cold.outcome}`);
    }
    if (cold.status !== 0) return;
    for (const [name, text] of others) {
      const fresh = await query(dir, cache, text);
      say(`in-process, new question over the unchanged directory (${name}): ${fmt(fresh.wallMs / 1000)} s, ${fmt(fresh.peakRssMb, 0)} MB, ${fresh.outcome}`);
    }
    const again = await query(dir, cache, others[1][1]);
    say(`in-process, the same question again (${others[1][0]}): ${fmt(again.wallMs / 1000)} s, ${fmt(again.peakRssMb, 0)} MB, ${again.outcome}`);
    }

    if (spawnSync('sh', ['-c', 'command -v virtuoso-t && command -v isql-vt']).status !== 0) {
      say('Virtuoso: skipped (virtuoso-t / isql-vt not installed)');
      return;
    }
    const state = join(work, 'virtuoso');
    const env = { ...process.env, PE_TRACE_VIRTUOSO_HTTP_PORT: String(await freePort()), PE_TRACE_VIRTUOSO_SQL_PORT: String(await freePort()) };
    const start = spawnSync('bash', ['scripts/sparql-endpoint.sh', 'start', state], { cwd: ROOT, encoding: 'utf8', env });
    if (start.status !== 0) throw new Error(`virtuoso start failed: ${start.stderr}`);
    const url = start.stdout.trim();
    try {
    // The same quads: every partition of the document index, and the kept index and links graphs.
    // Virtuoso reads bulk-load files only from the folders its ini allows: the server's own state folder.
    const loadDir = join(state, 'load');
    mkdirSync(loadDir, { recursive: true });
    const nq = join(loadDir, 'dataset.nq');
    writeFileSync(nq, '');
    let quads = 0;
    if (!inProcess) {
      // No in-process runs made the cache's index: build the same dataset here (run with a large --max-old-space-size).
      const lib = await import(join(ROOT, 'dist', 'src', 'index.js'));
      const { parts } = await lib.buildDatasetNQuads(await lib.loadCorpus(dir), { dir, graphs: 'all' });
      for (const p of parts) {
        appendFileSync(nq, p);
        for (let i = p.indexOf('\n'); i >= 0; i = p.indexOf('\n', i + 1)) quads++;
      }
    }
    for (const tree of inProcess ? ['index-v1', 'derived-v2'] : []) {
      for (const key of readdirSync(join(cache, tree))) {
        for (const f of readdirSync(join(cache, tree, key)).filter((x) => x.endsWith('.nq'))) {
          const text = readFileSync(join(cache, tree, key, f), 'utf8');
          appendFileSync(nq, text);
          for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) quads++;
        }
      }
    }
      const t0 = process.hrtime.bigint();
      const r = spawnSync('isql-vt', [`127.0.0.1:${env.PE_TRACE_VIRTUOSO_SQL_PORT}`, 'dba', 'dba', `exec=ld_dir('${loadDir}', '*.nq', 'https://pe-trace.invalid/default'); rdf_loader_run();`], { encoding: 'utf8' });
      const bulkMs = Number(process.hrtime.bigint() - t0) / 1e6;
      if (r.status !== 0 || /\*\*\* Error/.test(r.stdout + r.stderr)) throw new Error(`bulk load failed: ${r.stdout}${r.stderr}`);
      say(`Virtuoso bulk load of the same ${quads} quads: ${fmt(bulkMs / 1000)} s`);
      for (const [name, text] of Object.entries(SHAPES)) {
        const q = await measure(process.execPath, [bin, 'query', '--endpoint', url, '--sparql', text, '--format', 'csv', '--timeout', '600']);
        say(`Virtuoso (pe-trace query --endpoint, process start included), ${name}: ${fmt(q.wallMs / 1000)} s, ${q.status === 0 ? `${Math.max(0, q.stdout.split('\n').length - 2)} rows` : `exit ${q.status}: ${q.stderr.trim().split('\n').filter((l) => l.startsWith('error:')).pop() ?? ''}`}`);
      }
    } finally {
      spawnSync('bash', ['scripts/sparql-endpoint.sh', 'stop', state], { cwd: ROOT, env });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchScale();
