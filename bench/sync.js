// Benchmark: `pe-trace sync` of N generated documents into Virtuoso, against Virtuoso's own bulk loader (ld_dir +
// rdf_loader_run via isql) of the same quads, as a ratio; then a no-op second sync and a sync after 10 files change.
//
//   node bench/sync.js                     # 1,000 documents
//   BENCH_SYNC_DOCS=10000 node bench/sync.js
//   BENCH_SYNC_CONCURRENCY=1 node bench/sync.js   # graph writes in flight (sync --concurrency; default: sync's own)
//   BENCH_SYNC_COMPARE=1 node bench/sync.js       # also a first sync with --no-multi-graph (one PUT per graph) into a
//                                                 # third fresh server, as the in-run reference for multi-graph writes
//
// Each side gets a fresh Virtuoso (scripts/sparql-endpoint.sh, free loopback ports). The quads for the bulk load are
// exactly the dataset `query --dir` builds (library buildDatasetNQuads), written before the clock starts; the bulk
// load is timed from ld_dir to the end of rdf_loader_run (a checkpoint is not included: sync does not make one
// either). The sync side is a fresh `pe-trace sync` process with an empty cache (lifting included), timed by
// wall clock with peak RSS and its CPU time (user + sys); the server's CPU is read from /proc. Needs virtuoso-t and
// isql-vt; without them the bench says so and exits 0.
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt, freePort, measure } from './lib.js';
import { generateCorpus } from './query.js';

const ROOT = new URL('..', import.meta.url).pathname;
const lib = await import(join(ROOT, 'dist', 'src', 'index.js'));

async function startVirtuoso(state) {
  const env = { ...process.env, PE_TRACE_VIRTUOSO_HTTP_PORT: String(await freePort()), PE_TRACE_VIRTUOSO_SQL_PORT: String(await freePort()) };
  const r = spawnSync('bash', ['scripts/sparql-endpoint.sh', 'start', state], { cwd: ROOT, encoding: 'utf8', env });
  if (r.status !== 0) throw new Error(`virtuoso start failed: ${r.stderr}`);
  const pid = Number(readFileSync(join(state, 'virtuoso.pid'), 'utf8'));
  return { url: r.stdout.trim(), env, cpuMs: () => serverCpuMs(pid), stop: () => spawnSync('bash', ['scripts/sparql-endpoint.sh', 'stop', state], { cwd: ROOT, env }) };
}

/** CPU time (user + system, ms) a live server process has used: the server's work, whatever else runs on the machine. */
function serverCpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime in clock ticks (100 per second on Linux)
}

/** `measure` of a command, with its CPU time (user + sys, ms) from GNU time wrapped around it. */
async function measureCpu(args) {
  const r = await measure('/usr/bin/time', ['-f', '__CPU__ %U %S', process.execPath, ...args]);
  const m = /__CPU__ ([\d.]+) ([\d.]+)/.exec(r.stderr);
  return { ...r, cpuMs: m ? (Number(m[1]) + Number(m[2])) * 1000 : NaN, stderr: r.stderr.replace(/__CPU__ .*\n?/, '') };
}

/** A first sync (empty cache, fresh server) with `extra` flags: wall, peak RSS, client and server CPU. */
async function firstSync(work, name, dir, bin, extra) {
  const server = await startVirtuoso(join(work, name));
  try {
    const args = [bin, 'sync', '--dir', dir, '--endpoint', server.url, '--cache', join(work, `cache-${name}`), '--json', ...extra];
    const c0 = server.cpuMs();
    const run = await measureCpu(args);
    const serverCpuMs = server.cpuMs() - c0;
    if (run.status !== 0) throw new Error(`sync failed: ${run.stdout}${run.stderr}`);
    return { ...run, serverCpuMs, result: JSON.parse(run.stdout).result };
  } finally {
    server.stop();
  }
}

export async function benchSync(n = Number(process.env.BENCH_SYNC_DOCS ?? 1000)) {
  const work = mkdtempSync(join(tmpdir(), 'pe-trace-bench-sync-'));
  const dir = join(work, 'corpus');
  const bin = join(ROOT, 'bin', 'run.js');
  try {
    generateCorpus(dir, n);

    // Reference: Virtuoso's bulk loader over the same quads.
    const refState = join(work, 'virtuoso-ref');
    const ref = await startVirtuoso(refState);
    const corpus = await lib.loadCorpus(dir);
    const { parts } = await lib.buildDatasetNQuads(corpus, { dir, graphs: 'all' });
    const loadDir = join(refState, 'load');
    mkdirSync(loadDir);
    const nq = join(loadDir, 'dataset.nq');
    writeFileSync(nq, '');
    let quads = 0;
    for (const p of parts) {
      appendFileSync(nq, p);
      for (let i = p.indexOf('\n'); i >= 0; i = p.indexOf('\n', i + 1)) quads++;
    }
    let bulkMs;
    let bulkServerCpuMs;
    try {
      const sqlPort = ref.env.PE_TRACE_VIRTUOSO_SQL_PORT;
      const c0 = ref.cpuMs();
      const t0 = process.hrtime.bigint();
      const r = spawnSync('isql-vt', [`127.0.0.1:${sqlPort}`, 'dba', 'dba', `exec=ld_dir('${loadDir}', '*.nq', 'https://pe-trace.invalid/default'); rdf_loader_run();`], { encoding: 'utf8' });
      bulkMs = Number(process.hrtime.bigint() - t0) / 1e6;
      bulkServerCpuMs = ref.cpuMs() - c0;
      if (r.status !== 0 || /\*\*\* Error/.test(r.stdout + r.stderr)) throw new Error(`bulk load failed: ${r.stdout}${r.stderr}`);
      const count = spawnSync('isql-vt', [`127.0.0.1:${sqlPort}`, 'dba', 'dba', 'exec=SPARQL SELECT COUNT(*) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "https://pe-trace.invalid/")) };'], { encoding: 'utf8' });
      const loaded = Number(/^\s*(\d+)\s*$/m.exec(count.stdout)?.[1] ?? NaN);
      if (loaded !== quads) console.log(`  (bulk load holds ${loaded} quads of ${quads}: duplicate triples within a graph count once)`);
    } finally {
      ref.stop();
    }

    // pe-trace sync into a fresh server, with an empty cache.
    const syncState = join(work, 'virtuoso-sync');
    const server = await startVirtuoso(syncState);
    try {
      const cache = join(work, 'cache');
      const conc = process.env.BENCH_SYNC_CONCURRENCY;
      const args = ['sync', '--dir', dir, '--endpoint', server.url, '--cache', cache, '--json', ...(conc === undefined ? [] : ['--concurrency', conc])];
      const c0 = server.cpuMs();
      const first = await measureCpu([bin, ...args]);
      const firstServerCpuMs = server.cpuMs() - c0;
      if (first.status !== 0) throw new Error(`sync failed: ${first.stdout}${first.stderr}`);
      const second = await measure(process.execPath, [bin, ...args]);
      const secondResult = JSON.parse(second.stdout).result;
      // 10 documents change (trailing white space: new bytes, the same JSON).
      const files = corpus.documents.slice(0, 10).map((d) => join(dir, d.path));
      for (const f of files) writeFileSync(f, `${readFileSync(f, 'utf8')} `);
      const third = await measure(process.execPath, [bin, ...args]);
      const thirdResult = JSON.parse(third.stdout).result;
      server.stop();
      const perGraph = process.env.BENCH_SYNC_COMPARE === '1' ? await firstSync(work, 'virtuoso-put', dir, bin, ['--no-multi-graph', ...(conc === undefined ? [] : ['--concurrency', conc])]) : undefined;
      return { documents: n, quads, bulkMs, bulkServerCpuMs, first, firstServerCpuMs, firstResult: JSON.parse(first.stdout).result, second, secondResult, third, thirdResult, perGraph };
    } finally {
      server.stop();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (spawnSync('sh', ['-c', 'command -v virtuoso-t && command -v isql-vt']).status !== 0) {
    console.log('sync: skipped (virtuoso-t / isql-vt not installed)');
  } else {
    const load = loadavg()[0];
    const r = await benchSync();
    console.log(`sync of ${r.documents} documents (${r.quads} quads) into Virtuoso (load average ${fmt(load, 1)} before, ${fmt(loadavg()[0], 1)} after):`);
    console.log(`  first sync ${fmt(r.first.wallMs / 1000)} s, peak RSS ${fmt(r.first.peakRssMb, 0)} MB, client CPU ${fmt(r.first.cpuMs / 1000)} s (${r.firstResult.put} graphs, ${r.firstResult.batched} of them several per request, ${r.firstResult.requests} write requests, ${r.firstResult.retries} deadlock retries) vs Virtuoso bulk load ${fmt(r.bulkMs / 1000)} s = ${fmt(r.first.wallMs / r.bulkMs, 1)}x`);
    console.log(`  server CPU: first sync ${fmt(r.firstServerCpuMs / 1000)} s vs bulk load ${fmt(r.bulkServerCpuMs / 1000)} s = ${fmt(r.firstServerCpuMs / r.bulkServerCpuMs, 1)}x`);
    if (r.perGraph !== undefined) {
      const p = r.perGraph;
      console.log(`  reference, first sync with --no-multi-graph (one PUT per graph): ${fmt(p.wallMs / 1000)} s, peak RSS ${fmt(p.peakRssMb, 0)} MB, client CPU ${fmt(p.cpuMs / 1000)} s, server CPU ${fmt(p.serverCpuMs / 1000)} s (${p.result.requests} write requests); multi-graph / per-graph: wall ${fmt(r.first.wallMs / p.wallMs, 2)}x, server CPU ${fmt(r.firstServerCpuMs / p.serverCpuMs, 2)}x, client CPU ${fmt(r.first.cpuMs / p.cpuMs, 2)}x`);
    }
    console.log(`  unchanged: ${fmt(r.second.wallMs / 1000)} s, ${r.secondResult.requests} write requests`);
    console.log(`  10 files changed: ${fmt(r.third.wallMs / 1000)} s, ${r.thirdResult.put} graphs replaced, ${r.thirdResult.patched} patched (${r.thirdResult.patchedTriples} triples), ${r.thirdResult.deleted} removed, ${r.thirdResult.requests} write requests`);
  }
}
