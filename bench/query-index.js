// Benchmark: the partitioned directory index (issue 15) — five query shapes, each a fresh `pe-trace query` process:
// first question with no cache, first question with a cold cache, a new question over the unchanged directory, the
// same question again, and a new question after 10 files change; against oxigraph loading the same document quads
// (every line of the index) in a child process of the same run.
//
// The export question (every quad, issue 15) is measured too, streamed: time to the first stdout byte, all rows, peak
// RSS and CPU time, warm (the index built by the questions before) and cold (a fresh cache).
//
//   node bench/query-index.js                  # 1,000 documents
//   BENCH_INDEX_DOCS=10000 node bench/query-index.js
//   BENCH_INDEX_PARTS=export BENCH_INDEX_DOCS=10000 node bench/query-index.js   # the export question and the reference only
//   BENCH_INDEX_PARTS=new BENCH_INDEX_ROUNDS=3 BENCH_INDEX_DOCS=10000 node bench/query-index.js   # only the new questions
//
// With BENCH_INDEX_PARTS=new, each of the five shapes is asked as a new question over the unchanged directory
// BENCH_INDEX_ROUNDS times (default 1), with CPU time (user+sys) and the load average per run; with
// BENCH_INDEX_REFERENCE_BIN=<another build's bin/run.js> (e.g. a checkout of main), every question is also asked
// through that build, alternating, over the same cache, and the medians are compared shape by shape.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { loadavg } from 'node:os';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt, measure } from './lib.js';
import { generateCorpus } from './query.js';

const P = 'PREFIX trov: <https://w3id.org/trace/trov/0.1#> PREFIX ptq: <https://w3id.org/pe-trace/query#> ';
/** The issue's five shapes; each entry is the CLI arguments naming the query. */
const SHAPES = {
  'named query (runs-of-bundle)': ['runs-of-bundle'],
  'constant-predicate SELECT': ['--sparql', `${P}SELECT ?a ?h WHERE { ?a trov:sha256 ?h }`],
  'GRAPH ?g aggregate': ['--sparql', `${P}SELECT ?g (COUNT(?a) AS ?n) WHERE { GRAPH ?g { ?c trov:hasArtifact ?a } } GROUP BY ?g`],
  '?p FILTER': ['--sparql', `${P}SELECT ?s ?o WHERE { ?s ?p ?o FILTER(?p = trov:hasLocation) }`],
  'property path': ['--sparql', `${P}SELECT ?tro ?a WHERE { ?tro trov:hasComposition/trov:hasArtifact ?a }`],
};
/** A variant of each shape: the same data read, a different question (no stored answer). */
const variant = (args) => (args[0] === '--sparql' ? ['--sparql', `${args[1]} LIMIT 100000000`] : [...args, '--limit', '100000000']);

const bin = new URL('../bin/run.js', import.meta.url).pathname;

async function cli(args) {
  const r = await measure(process.execPath, [bin, 'query', ...args, '--format', 'csv']);
  if (r.status !== 0) throw new Error(`pe-trace query ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 500)}`);
  return r;
}

/** The export question: what a user runs to export or inspect everything. */
const EXPORT = 'SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }';

/**
 * Runs `pe-trace query ARGS --format csv` reading stdout as it arrives (never holding it): seconds to the first
 * stdout byte and to the end, bytes, lines, the sha256 of the output, and GNU time's peak RSS and CPU (user+sys).
 */
function measureStream(args, cli = bin) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('/usr/bin/time', ['-f', '__RES__ %M %U %S', process.execPath, cli, 'query', ...args, '--format', 'csv'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const hash = createHash('sha256');
    let firstMs;
    let bytes = 0;
    let lines = 0;
    let stderr = '';
    child.stdout.on('data', (d) => {
      firstMs ??= performance.now() - t0;
      bytes += d.length;
      hash.update(d);
      for (const b of d) if (b === 10) lines++;
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => {
      const m = /__RES__ (\d+) ([\d.]+) ([\d.]+)/.exec(stderr);
      if (status !== 0) return reject(new Error(`pe-trace query ${args.join(' ')} exited ${status}: ${stderr.slice(0, 500)}`));
      resolve({ wallMs: performance.now() - t0, firstMs, bytes, lines, sha256: hash.digest('hex'), peakRssMb: m ? Number(m[1]) / 1024 : NaN, cpuS: m ? Number(m[2]) + Number(m[3]) : NaN, load: loadavg()[0] });
    });
  });
}

/** Every line of the directory's index (the document graphs and views), for the oxigraph reference. */
function indexText(cache) {
  const root = join(cache, 'index-v1');
  const [key] = readdirSync(root);
  return readdirSync(join(root, key))
    .filter((f) => f.endsWith('.nq'))
    .map((f) => readFileSync(join(root, key, f), 'utf8'))
    .join('');
}

/** oxigraph in a child process: load the N-Quads file, then each shape's SPARQL (the named one skipped). */
function oxigraphReference(file) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [new URL(import.meta.url).pathname, '--oxigraph-worker', file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('close', () => resolve(out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l))));
  });
}

async function oxigraphWorker(file) {
  const ox = await import('oxigraph');
  const text = readFileSync(file, 'utf8');
  const say = (step, ms, extra = {}) => process.stdout.write(`${JSON.stringify({ step, ms, ...extra })}\n`);
  const store = new ox.Store();
  let t = performance.now();
  for (let start = 0; start < text.length; ) {
    const cut = text.indexOf('\n', Math.min(start + (1 << 20), text.length - 1));
    const end = cut === -1 ? text.length : cut + 1;
    store.load(text.slice(start, end), { format: 'application/n-quads', no_transaction: true, lenient: true });
    start = end;
  }
  say('load', performance.now() - t, { quads: store.size, rssMb: process.memoryUsage().rss / 2 ** 20 });
  for (const [name, args] of Object.entries(SHAPES)) {
    if (args[0] !== '--sparql') continue;
    t = performance.now();
    store.query(args[1], { use_default_graph_as_union: true });
    say(name, performance.now() - t);
  }
}

/**
 * The new-question step alone: each shape asked BENCH_INDEX_ROUNDS times, each time a question the answer cache has
 * not seen (its own LIMIT), through this build and, when BENCH_INDEX_REFERENCE_BIN is set, that build too, alternating.
 */
async function newQuestions(names, dir, cache, rows) {
  const rounds = Number(process.env.BENCH_INDEX_ROUNDS ?? 1);
  const builds = [['this build', bin], ...(process.env.BENCH_INDEX_REFERENCE_BIN ? [['reference build', process.env.BENCH_INDEX_REFERENCE_BIN]] : [])];
  const cpu = new Map();
  let asked = 0;
  for (let r = 0; r < rounds; r++) {
    for (const name of names) {
      for (const [build, cli] of builds) {
        const limit = 100000000 + asked++;
        const args = SHAPES[name][0] === '--sparql' ? ['--sparql', `${SHAPES[name][1]} LIMIT ${limit}`] : [...SHAPES[name], '--limit', String(limit)];
        const m = await measureStream([...args, '--dir', dir, '--cache', cache], cli);
        rows.push({ label: `${build}: new question: ${name}`, ...m });
        console.log(`  ${build}, new question, ${name}: ${fmt(m.wallMs / 1000)} s wall, CPU ${fmt(m.cpuS)} s, ${fmt(m.peakRssMb, 0)} MB, ${fmt(m.lines - 1, 0)} rows, load ${fmt(m.load, 1)}, sha256 ${m.sha256.slice(0, 12)}`);
        const key = `${name}\u0000${build}`;
        cpu.set(key, [...(cpu.get(key) ?? []), m]);
      }
    }
  }
  const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  for (const name of names) {
    const [mine, ref] = builds.map(([build]) => cpu.get(`${name}\u0000${build}`) ?? []);
    const c = med(mine.map((m) => m.cpuS));
    const w = med(mine.map((m) => m.wallMs / 1000));
    const vs = ref === undefined ? '' : `; reference build ${fmt(med(ref.map((m) => m.cpuS)))} s CPU, ${fmt(med(ref.map((m) => m.wallMs / 1000)))} s wall: CPU ${fmt(c / med(ref.map((m) => m.cpuS)))}x`;
    const same = ref === undefined ? '' : mine.every((m) => m.sha256 === ref[0]?.sha256) && ref.every((m) => m.sha256 === ref[0]?.sha256) ? ', same output' : ', OUTPUT DIFFERS';
    console.log(`  median, ${name}: ${fmt(c)} s CPU, ${fmt(w)} s wall${vs}${same}`);
  }
}

/** Rewrites the first location of `count` run TROs (a new sha256 each), as a user's edit would. */
function changeFiles(dir, count) {
  let changed = 0;
  for (const chain of readdirSync(dir).sort()) {
    if (changed >= count) break;
    const file = join(dir, chain, 'run-0.trace.tro.jsonld');
    try {
      const text = readFileSync(file, 'utf8');
      writeFileSync(file, text.replace('"trov:hasLocation": "input.json"', '"trov:hasLocation": "input-edited.json"'));
      changed++;
    } catch {
      // A chain cut short by the document count has no run TRO.
    }
  }
  return changed;
}

export async function benchIndex(n = Number(process.env.BENCH_INDEX_DOCS ?? 1000)) {
  const dir = mkdtempSync(join(tmpdir(), 'pe-trace-bench-index-'));
  const cache = mkdtempSync(join(tmpdir(), 'pe-trace-bench-index-cache-'));
  const nq = join(cache, '..', `${cache.split('/').pop()}.nq`);
  const rows = [];
  const line = (label, r) => {
    rows.push({ label, ...r });
    console.log(`  ${label}: ${fmt(r.wallMs / 1000)} s, ${fmt(r.peakRssMb, 0)} MB`);
  };
  const exportLine = (label, r) => {
    rows.push({ label, ...r });
    console.log(`  ${label}: first row ${fmt(r.firstMs / 1000)} s, all ${fmt(r.lines - 1, 0)} rows ${fmt(r.wallMs / 1000)} s, ${fmt(r.peakRssMb, 0)} MB, CPU ${fmt(r.cpuS)} s, load ${fmt(r.load, 1)}, sha256 ${r.sha256.slice(0, 12)}`);
  };
  const coldCache = mkdtempSync(join(tmpdir(), 'pe-trace-bench-index-cold-'));
  try {
    generateCorpus(dir, n);
    console.log(`${n} documents`);
    const names = Object.keys(SHAPES);
    const first = SHAPES[names[2]];
    if (process.env.BENCH_INDEX_PARTS === 'new') {
      line(`cold cache, first question (${names[2]}; builds the index)`, await cli([...first, '--dir', dir, '--cache', cache]));
      await newQuestions(names, dir, cache, rows);
      return { documents: n, rows };
    }
    if (process.env.BENCH_INDEX_PARTS === 'export') {
      // The index built by an aggregate first (as a user's earlier question would), then the export alone.
      line(`cold cache, first question (${names[2]}; builds the index)`, await cli([...first, '--dir', dir, '--cache', cache]));
    } else {
      line(`no cache, first question (${names[2]})`, await cli([...first, '--dir', dir, '--no-cache']));
      line(`cold cache, first question (${names[2]}; builds the index)`, await cli([...first, '--dir', dir, '--cache', cache]));
      for (const name of names) line(`new question over the unchanged directory: ${name}`, await cli([...variant(SHAPES[name]), '--dir', dir, '--cache', cache]));
      line(`same question again (${names[3]})`, await cli([...variant(SHAPES[names[3]]), '--dir', dir, '--cache', cache]));
    }
    // A new question text each run (a comment), so no stored answer is read: the index is scanned every time.
    exportLine('export, every quad, index built (warm)', await measureStream(['--sparql', `# 1\n${EXPORT}`, '--dir', dir, '--cache', cache]));
    exportLine('export again, a new question text (warm)', await measureStream(['--sparql', `# 2\n${EXPORT}`, '--dir', dir, '--cache', cache]));
    exportLine('export as the first question (cold cache: builds the index)', await measureStream(['--sparql', EXPORT, '--dir', dir, '--cache', coldCache]));
    if (process.env.BENCH_INDEX_PARTS !== 'export') {
      const changed = changeFiles(dir, 10);
      for (const [i, name] of names.entries()) {
        // Only the first run after the change updates the index; the others find it current.
        line(`after ${changed} files changed${i === 0 ? ' (updates the index)' : ''}: ${name}`, await cli([...SHAPES[name], '--dir', dir, '--cache', cache]));
      }
    }
    writeFileSync(nq, indexText(cache));
    const ox = await oxigraphReference(nq);
    const load = ox.find((s) => s.step === 'load');
    if (load !== undefined) {
      console.log(`  oxigraph reference: load of the same ${load.quads} document quads ${fmt(load.ms / 1000)} s (${fmt(load.rssMb, 0)} MB); queries ${ox.filter((s) => s.step !== 'load').map((s) => `${fmt(s.ms / 1000)} s`).join(', ')}`);
      for (const r of rows) console.log(`    ${r.label}: ${r.firstMs === undefined ? '' : `first row ${fmt(r.firstMs / load.ms)}x, all rows `}${fmt(r.wallMs / load.ms)}x the oxigraph load`);
    }
    return { documents: n, rows, oxigraph: ox };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
    rmSync(coldCache, { recursive: true, force: true });
    rmSync(nq, { force: true });
  }
}

if (process.argv[2] === '--oxigraph-worker') await oxigraphWorker(process.argv[3]);
else if (process.argv[1] !== undefined && import.meta.url === `file://${process.argv[1]}`) await benchIndex();
