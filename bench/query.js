// Benchmark: directory loading, the restricted-input audit and named queries over 1k / 10k (/ 50k) generated documents.
//
//   node bench/query.js                 # 1,000 and 10,000 documents
//   BENCH_QUERY_SIZES=1000,10000,50000 node bench/query.js
//
// Each size is generated once into a temporary folder as chains of TRO-sized documents shaped like the real ones
// (per chain: a populace build TRO binding two restricted inputs, its release manifest, a certified bundle TRO
// binding that manifest and dataset by hash, and seven run TROs binding the bundle TRO by hash and fingerprint).
// Every measurement is a fresh `pe-trace` process (wall time and peak RSS from GNU time or /proc):
//   - cold load + audit: `audit restricted-inputs --json`, no cache;
//   - the two named queries over the index/links graphs, `query builds` and `query runs-of-bundle`: cold; a new
//     question over a directory whose facts are cached; and repeated over the unchanged directory (`--cache`: the
//     stat snapshot names every file's sha256 without reading it, and the answer is kept under the corpus digest
//     and the query text). Cached answers are checked byte for byte against computed ones;
//   - a full-graph query (`--graphs all`: every document lifted and given its TROv 0.1 view), cold and warm.
// The oxigraph reference (the same index + links graphs in oxigraph's in-memory store, the same two named
// queries) runs in a child process, killed after 180 s, and only when the `oxigraph` package is installed.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt, measure } from './lib.js';

const sha = (s) => createHash('sha256').update(s).digest('hex');
const CTX = [{ pe: 'https://policyengine.org/trace/0.1#', pop: 'https://populace.dev/trace/0.1#', rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#', rdfs: 'http://www.w3.org/2000/01/rdf-schema#', schema: 'https://schema.org/', trov: 'https://w3id.org/trace/trov/0.1#' }];

/** A pe-0.1 TRO with the given artifacts `{id, sha256, location, name, restricted?}` and performance facts. */
function tro(name, artifacts, performance, extra = {}) {
  const fingerprint = sha([...artifacts.map((a) => a.sha256)].sort().join('\n'));
  const doc = {
    '@context': CTX,
    '@graph': [
      {
        '@id': 'tro',
        '@type': 'trov:TransparentResearchObject',
        'schema:name': name,
        ...extra,
        'trov:hasArrangement': [
          {
            '@id': 'arrangement/1',
            '@type': 'trov:ArtifactArrangement',
            'trov:hasArtifactLocation': artifacts.map((a) => ({
              '@id': `arrangement/1/location/${a.id}`,
              '@type': 'trov:ArtifactLocation',
              'trov:hasArtifact': { '@id': `composition/1/artifact/${a.id}` },
              'trov:hasLocation': a.location,
              ...(a.restricted ? { 'pop:accessRestricted': true } : {}),
            })),
          },
        ],
        'trov:hasComposition': {
          '@id': 'composition/1',
          '@type': 'trov:ArtifactComposition',
          'trov:hasArtifact': artifacts.map((a) => ({ '@id': `composition/1/artifact/${a.id}`, '@type': 'trov:ResearchArtifact', 'schema:name': a.name, 'trov:mimeType': 'application/octet-stream', 'trov:sha256': a.sha256 })),
          'trov:hasFingerprint': { '@id': 'composition/1/fingerprint', '@type': 'trov:CompositionFingerprint', 'trov:sha256': fingerprint },
        },
        'trov:hasPerformance': { '@id': 'trp/1', '@type': 'trov:TransparentResearchPerformance', 'trov:accessedArrangement': { '@id': 'arrangement/1' }, 'trov:wasConductedBy': { '@id': 'trs' }, ...performance },
        'trov:wasAssembledBy': { '@id': 'trs', '@type': 'trov:TransparentResearchSystem', 'schema:name': 'bench pipeline' },
      },
    ],
  };
  return { text: `${JSON.stringify(doc, null, 2)}\n`, fingerprint };
}

/** Writes `n` documents (chains of 10) into `dir`; returns the count written. */
export function generateCorpus(dir, n) {
  let written = 0;
  const write = (rel, text) => {
    const path = join(dir, rel);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
    written++;
  };
  const inputPool = Array.from({ length: 50 }, (_, i) => ({ sha256: sha(`restricted input ${i}`), name: `frs_table_${i}.tab` }));
  for (let c = 0; written < n; c++) {
    const buildId = `bench-build-${c}`;
    const dataset = sha(`dataset ${c}`);
    const inputs = [inputPool[c % 50], inputPool[(c * 7 + 3) % 50]].map((x, i) => ({ id: `input_${i}`, sha256: x.sha256, name: x.name, location: 'https://doi.org/10.5255/UKDA-SN-9563-1', restricted: true }));
    const build = tro(`populace build TRO (${buildId})`, [{ id: 'dataset', sha256: dataset, name: 'dataset.h5', location: `https://huggingface.co/datasets/org/repo/resolve/${buildId}/dataset.h5` }, ...inputs], { 'pop:buildId': buildId });
    write(`chain-${c}/build.trace.tro.jsonld`, build.text);
    if (written >= n) break;
    const manifest = `${JSON.stringify({ schema_version: 1, data_package: { name: 'populace-data', version: '0.1.0' }, build: { build_id: buildId, built_at: '2026-01-01T00:00:00Z' }, artifacts: { dataset: { kind: 'microdata', path: 'dataset.h5', repo_id: 'org/repo-private', revision: buildId, sha256: dataset } }, default_datasets: { national: 'dataset' } }, null, 2)}\n`;
    write(`chain-${c}/release_manifest.json`, manifest);
    if (written >= n) break;
    const bundle = tro('policyengine bench certified bundle TRO', [
      { id: 'data_release_manifest', sha256: sha(manifest), name: 'release manifest', location: `https://huggingface.co/datasets/org/repo/resolve/${buildId}/release_manifest.json` },
      { id: 'dataset', sha256: dataset, name: 'dataset', location: `https://huggingface.co/datasets/org/repo/resolve/${buildId}/dataset.h5` },
      { id: 'model_wheel', sha256: sha('wheel'), name: 'wheel', location: 'https://files.pythonhosted.org/x.whl' },
    ], { 'pe:dataBuildId': buildId, 'pe:certifiedForModelVersion': '1.0.0', 'pe:compatibilityBasis': 'built_with_model_package' });
    write(`chain-${c}/bundle.trace.tro.jsonld`, bundle.text);
    for (let r = 0; r < 7 && written < n; r++) {
      const run = tro(`policyengine simulation TRO (run-${c}-${r})`, [
        { id: 'bundle_tro', sha256: sha(bundle.text), name: 'bundle', location: 'bundle.trace.tro.jsonld' },
        { id: 'input', sha256: sha(`input ${c} ${r}`), name: 'input', location: 'input.json' },
        { id: 'results', sha256: sha(`results ${c} ${r}`), name: 'results', location: 'results.json' },
      ], { 'pe:bundleFingerprint': bundle.fingerprint });
      write(`chain-${c}/run-${r}.trace.tro.jsonld`, run.text);
    }
  }
  return written;
}

async function cli(args) {
  const r = await measure(process.execPath, ['bin/run.js', ...args]);
  if (r.status !== 0) throw new Error(`pe-trace ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 500)}`);
  return r;
}

/** The oxigraph reference, in its own process (its queries are synchronous WASM: a timeout must kill it). */
async function oxigraphReference(dir, timeoutMs = 180_000) {
  try {
    await import('oxigraph');
  } catch {
    return undefined;
  }
  const { spawn } = await import('node:child_process');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [new URL(import.meta.url).pathname, '--oxigraph-worker', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', () => {
      clearTimeout(timer);
      const lines = out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
      resolve({ steps: lines, timedOut: lines.length < 4, timeoutMs });
    });
  });
}

/** Worker: load the same index + links graphs into oxigraph's in-memory store and run the two named queries. */
async function oxigraphWorker(dir) {
  const ox = await import('oxigraph');
  const lib = await import('../dist/src/index.js');
  const say = (step, ms, extra = {}) => process.stdout.write(`${JSON.stringify({ step, ms, ...extra })}\n`);
  let t = performance.now();
  const corpus = await lib.loadCorpus(dir);
  const text = lib.quadsToNQuads([...lib.indexQuads(corpus), ...lib.linkQuads(corpus)]);
  say('facts + graphs', performance.now() - t);
  t = performance.now();
  const store = new ox.Store();
  store.load(text, { format: 'application/n-quads' });
  say('oxigraph load', performance.now() - t);
  for (const name of ['builds', 'runs-of-bundle']) {
    t = performance.now();
    const rows = store.query(lib.findNamedQuery(name).text, { use_default_graph_as_union: true });
    say(`query ${name}`, performance.now() - t, { rows: rows.length });
  }
}

/** Runs the benchmark for each size; returns one row of measurements per size. */
export async function benchQuery(sizes = [1000, 10000]) {
  const rows = [];
  for (const n of sizes) {
    const root = mkdtempSync(join(tmpdir(), 'pe-trace-bench-query-'));
    const dir = join(root, 'corpus');
    const cache = join(root, 'cache');
    try {
      generateCorpus(dir, n);
      const audit = await cli(['audit', 'restricted-inputs', '--dir', dir, '--json']);
      const result = JSON.parse(audit.stdout).result;
      const coldBuilds = await cli(['query', 'builds', '--dir', dir, '--format', 'tsv', '--cache', cache]);
      const coldRuns = await cli(['query', 'runs-of-bundle', '--dir', dir, '--format', 'tsv']);
      const newQueryWarm = await cli(['query', 'runs-of-bundle', '--dir', dir, '--format', 'tsv', '--cache', cache]);
      const warmBuilds = await cli(['query', 'builds', '--dir', dir, '--format', 'tsv', '--cache', cache]);
      const warmRuns = await cli(['query', 'runs-of-bundle', '--dir', dir, '--format', 'tsv', '--cache', cache]);
      if (warmBuilds.stdout !== coldBuilds.stdout || warmRuns.stdout !== coldRuns.stdout || newQueryWarm.stdout !== coldRuns.stdout) throw new Error('a cached answer differs from the computed one');
      const firstCachedAudit = await cli(['audit', 'restricted-inputs', '--dir', dir, '--json', '--cache', cache]);
      const warmAudit = await cli(['audit', 'restricted-inputs', '--dir', dir, '--json', '--cache', cache]);
      if (warmAudit.stdout !== audit.stdout || firstCachedAudit.stdout !== audit.stdout) throw new Error('a cached audit differs from the computed one');
      const fullSizes = (process.env.BENCH_QUERY_FULL_MAX ?? '10000').split(',').map(Number)[0] ?? 10000;
      let fullCold;
      let fullWarm;
      if (n <= fullSizes) {
        const q = ['query', '--graphs', 'all', '--format', 'tsv', '--cache', cache, '--dir', dir, '--sparql', 'PREFIX trov: <https://w3id.org/trace/trov/0.1#> SELECT (COUNT(*) AS ?n) WHERE { ?a trov:hash ?h . ?h trov:hashValue ?v }'];
        fullCold = await cli(q);
        fullWarm = await cli(q);
      }
      rows.push({
        documents: n,
        paths: result.paths.length,
        gaps: result.gaps.length,
        audit,
        firstCachedAudit,
        warmAudit,
        newQueryWarm,
        coldBuilds,
        coldRuns,
        warmBuilds,
        warmRuns,
        fullCold,
        fullWarm,
        oxigraph: n <= 10000 ? await oxigraphReference(dir) : undefined,
      });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
  return rows;
}

function line(label, r) {
  return r === undefined ? `  ${label}: skipped` : `  ${label}: ${fmt(r.wallMs / 1000)} s, peak RSS ${fmt(r.peakRssMb, 0)} MB`;
}

if (import.meta.url === `file://${process.argv[1]}` && process.argv[2] === '--oxigraph-worker') {
  await oxigraphWorker(process.argv[3]);
} else if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = (process.env.BENCH_QUERY_SIZES ?? '1000,10000').split(',').map(Number);
  for (const r of await benchQuery(sizes)) {
    console.log(`${r.documents} documents (${r.paths} audit paths, ${r.gaps} gaps):`);
    console.log(line('cold load + audit', r.audit));
    console.log(line('audit with a warm facts cache (first time: computed, stored)', r.firstCachedAudit));
    console.log(line('audit repeated over the unchanged directory (answer cache)', r.warmAudit));
    console.log(line('query builds, cold (fills the cache)', r.coldBuilds));
    console.log(line('query runs-of-bundle, cold (no cache)', r.coldRuns));
    console.log(line('query runs-of-bundle, new question over the cached directory (facts cached, answer computed)', r.newQueryWarm));
    console.log(line('query builds repeated over the unchanged directory (answer cache)', r.warmBuilds));
    console.log(line('query runs-of-bundle repeated over the unchanged directory (answer cache)', r.warmRuns));
    console.log(line('full-graph query (lift + views), cold', r.fullCold));
    console.log(line('full-graph query, warm cache', r.fullWarm));
    if (r.oxigraph === undefined) console.log('  oxigraph reference: skipped (the oxigraph package is not installed, or over 10,000 documents)');
    else {
      const parts = r.oxigraph.steps.map((s) => `${s.step} ${fmt(s.ms / 1000)} s${s.rows === undefined ? '' : ` (${s.rows} rows)`}`);
      console.log(`  oxigraph reference (index + links graphs, same named queries): ${parts.join(', ')}${r.oxigraph.timedOut ? `, then stopped at the ${r.oxigraph.timeoutMs / 1000} s limit` : ''}`);
    }
  }
}
