// Benchmark: `pe-trace serve` over a generated corpus: time to the printed URL, then per-request time of five query
// shapes, against the same five shapes asked of `pe-trace query --dir` (new process each, cache warm) in the same run;
// then, with --watch, how long after a file is written its change is visible in an answer (three changes), against
// the time serve took to load the directory in the same run.
//
//   node bench/serve.js            # 1,000 documents
//   BENCH_SERVE_DOCS=10000 node bench/serve.js
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt, measure } from './lib.js';
import { generateCorpus } from './query.js';

const P = 'PREFIX trov: <https://w3id.org/trace/trov/0.1#> PREFIX ptq: <https://w3id.org/pe-trace/query#> ';
export const SHAPES = {
  'named (documents by kind)': `${P}SELECT ?kind (COUNT(?d) AS ?n) WHERE { ?d ptq:documentKind ?kind } GROUP BY ?kind`,
  'constant-predicate SELECT': `${P}SELECT ?a ?h WHERE { ?a trov:sha256 ?h }`,
  'GRAPH ?g aggregate': `${P}SELECT ?g (COUNT(?a) AS ?n) WHERE { GRAPH ?g { ?c trov:hasArtifact ?a } } GROUP BY ?g`,
  '?p FILTER': `${P}SELECT ?s ?o WHERE { ?s ?p ?o FILTER(?p = trov:hasLocation) }`,
  'property path': `${P}SELECT ?tro ?a WHERE { ?tro trov:hasComposition/trov:hasArtifact ?a }`,
};

export async function benchServe(n = Number(process.env.BENCH_SERVE_DOCS ?? 1000)) {
  const dir = mkdtempSync(join(tmpdir(), 'pe-trace-bench-serve-'));
  const cache = mkdtempSync(join(tmpdir(), 'pe-trace-bench-serve-cache-'));
  const bin = new URL('../bin/run.js', import.meta.url).pathname;
  try {
    generateCorpus(dir, n);
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, [bin, 'serve', '--dir', dir, '--port', '0', '--cache', cache, '--watch'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const url = await new Promise((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c) => {
        out += c;
        if (out.includes('\n')) resolve(out.split('\n')[0]);
      });
      child.once('exit', (code) => reject(new Error(`serve exited ${code}`)));
    });
    const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const rows = [];
    const visible = [];
    try {
      for (const [name, query] of Object.entries(SHAPES)) {
        const times = [];
        for (let i = 0; i < 3; i++) {
          const s = process.hrtime.bigint();
          const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/sparql-query', accept: 'text/csv' }, body: query });
          await r.text();
          times.push(Number(process.hrtime.bigint() - s) / 1e6);
        }
        const cli = await measure(process.execPath, [bin, 'query', '--sparql', query, '--dir', dir, '--cache', cache, '--format', 'csv']);
        rows.push({ name, serveMs: Math.min(...times), cliMs: cli.wallMs });
      }
      // A changed file: the time from writing it to the first answer that shows it (polled every 20 ms).
      const chain = join(dir, 'chain-1');
      const file = join(chain, readdirSync(chain).filter((f) => f.endsWith('.trace.tro.jsonld')).sort()[0]);
      const original = readFileSync(file, 'utf8');
      for (let i = 0; i < 3; i++) {
        const marker = `bench change ${i}`;
        const s = process.hrtime.bigint();
        writeFileSync(file, original.replace('"@id": "tro",', `"@id": "tro", "rdfs:comment": "${marker}",`));
        const ask = `ASK { ?s <http://www.w3.org/2000/01/rdf-schema#comment> "${marker}" }`;
        for (;;) {
          const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/sparql-query', accept: 'application/sparql-results+json' }, body: ask });
          if (((await r.json()).boolean) === true) break;
          if (Number(process.hrtime.bigint() - s) / 1e9 > 600) throw new Error('the change was not visible after 600 s');
          await new Promise((res) => setTimeout(res, 20));
        }
        visible.push(Number(process.hrtime.bigint() - s) / 1e6);
      }
    } finally {
      child.kill('SIGTERM');
    }
    return { documents: n, loadMs, rows, visible };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchServe();
  console.log(`serve ${r.documents} documents: URL printed after ${fmt(r.loadMs / 1000)} s (cold cache)`);
  for (const x of r.rows) console.log(`  ${x.name}: ${fmt(x.serveMs, 1)} ms per request vs query --dir (cache warm, new process) ${fmt(x.cliMs / 1000)} s = ${fmt(x.cliMs / x.serveMs, 0)}x`);
  console.log(`  a changed file visible after ${r.visible.map((ms) => `${fmt(ms / 1000, 2)} s`).join(' / ')} (--watch; ${r.visible.map((ms) => fmt(ms / r.loadMs, 3)).join(' / ')} of the load)`);
}
