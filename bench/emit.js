// Benchmarks emission against dist/: emit bundle, emit results and record, median of N, split by pipeline stage.
// Usage: node bench/emit.js [--iterations 100] [--json]   (after `tsc -p .`; `npm run bench` builds first)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lib = await import(join(root, 'dist', 'src', 'index.js'));
const sparql = await import(join(root, 'dist', 'src', 'rdf', 'sparql.js'));

const args = process.argv.slice(2);
const iterations = Number(args[args.indexOf('--iterations') + 1]) || 100;
const asJson = args.includes('--json');
const fixture = (...p) => join(root, 'fixtures', 'policyengine-py', ...p);

// Inputs: the shipped US entry with the §3.3 drm facts; the §2.2 web-run payloads; the generated run-record payloads.
const country = lib.countryRelease(lib.parseBundleManifest(readFileSync(fixture('shipped', 'manifest.json'))), 'us');
const drm = {
  source_sha256: 'dd949ba3c4c7a56aff8442c6db5a031d2c84c3da59f5d14832f468c358604506',
  build: { built_at: '2026-07-28T03:56:03.415544+00:00' },
  artifacts: { populace_us_2024: { path: 'populace_us_2024.h5' } },
};
const bundleInput = { country, dataReleaseManifest: drm, emissionContext: { 'pe:emittedIn': 'repository-bundle' } };
const bundleTro = lib.parseJson(readFileSync(fixture('shipped', 'us.trace.tro.jsonld')));
const webRun = {
  bundleTro,
  reform: { 'gov.irs.credits.ctc.amount.base[0].amount': lib.JsonNumber.ofInt(3000) },
  input: { country: 'us', region: 'state/CA' },
  request: { path: '/us/economy/2/over/1' },
  runtime: { container_image_sha: 'sha256:abc', cloud_region: 'us-central1' },
  runtimeEnvironment: { runId: 'run-123', executionId: 'job-456', containerImageSha: 'sha256:abc', cloudRegion: 'us-central1' },
  results: { budgetary_impact: 1 },
  emissionContext: { 'pe:emittedIn': 'policyengine-api' },
  simulationId: 'run-123',
  createdAt: '2026-04-18T12:05:00Z',
  startedAt: '2026-04-18T12:00:00Z',
};
const payload = (f) => lib.parseJson(readFileSync(fixture('generated', 'run-record', f)));
const recordInput = {
  bundleTro,
  reform: payload('reform.json'),
  input: payload('input.json'),
  results: payload('results.json'),
  simulationId: 'run-1',
  createdAt: '2026-06-12T00:00:00Z',
  emissionContext: { 'pe:emittedIn': 'local' },
};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Runs `stages` (an async function returning per-stage ms) `iterations` times after warm-up; medians per stage and total. */
async function measure(name, once) {
  for (let i = 0; i < 10; i++) await once();
  const rows = [];
  for (let i = 0; i < iterations; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const stages = await once();
    const total = performance.now() - t0;
    const c = process.cpuUsage(c0);
    // CPU time (user + system, all threads) is the load-robust figure on a shared machine.
    rows.push({ total, cpu: (c.user + c.system) / 1000, ...stages });
  }
  const keys = Object.keys(rows[0]);
  const out = { operation: name, iterations };
  for (const k of keys) out[k] = Number(median(rows.map((r) => r[k])).toFixed(3));
  return out;
}

const clock = () => {
  let last = performance.now();
  return () => {
    const now = performance.now();
    const d = now - last;
    last = now;
    return d;
  };
};

async function stagesOf(request, findings) {
  const lap = clock();
  const lifted = lib.buildRequestGraph(request);
  const lift = lap();
  const quads = await lib.constructTroGraph(request, lifted);
  const construct = lap();
  const { document } = lib.framePeTro(quads, lifted.store);
  const frame = lap();
  const bytes = lib.canonicalJsonBytes(document);
  const canonical = lap();
  if (bytes.length === 0 || findings === undefined) throw new Error('no output');
  return { lift, construct, frame, canonical };
}

// One-off costs: the engine import and construction, the first query's parse.
const t0 = performance.now();
await sparql.warmUpSparql();
const engineLoad = performance.now() - t0;
const t1 = performance.now();
await lib.emitBundleTro(bundleInput);
const firstBundle = performance.now() - t1;

const results = [];
results.push(
  await measure('emit bundle', async () => {
    const lap = clock();
    const plan = await lib.planBundleTro(bundleInput);
    const planMs = lap();
    return { plan: planMs, ...(await stagesOf(plan.request, plan.findings)) };
  }),
);
results.push(
  await measure('emit results (in memory)', async () => {
    const lap = clock();
    const plan = lib.planSimulationTro(webRun);
    const planMs = lap();
    return { plan: planMs, ...(await stagesOf(plan.request, plan.findings)) };
  }),
);
const scratch = mkdtempSync(join(tmpdir(), 'pe-trace-bench-'));
let n = 0;
results.push(
  await measure('record (write to disk)', async () => {
    await lib.writeRunRecord({ ...recordInput, directory: join(scratch, `r${n++}`) });
    return {};
  }),
);
rmSync(scratch, { recursive: true, force: true });

const summary = { engineLoadMs: Number(engineLoad.toFixed(1)), firstBundleMs: Number(firstBundle.toFixed(1)), results };
if (asJson) {
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
} else {
  process.stdout.write(`SPARQL engine (oxigraph) load ${summary.engineLoadMs} ms; first bundle emission (query parse + JIT) ${summary.firstBundleMs} ms\n`);
  process.stdout.write(`median of ${iterations} per operation (ms; stage split is wall time):\n`);
  for (const r of results) {
    const stages = ['plan', 'lift', 'construct', 'frame', 'canonical'].filter((k) => k in r);
    const staged = stages.reduce((s, k) => s + r[k], 0);
    const split = stages.map((k) => `${k} ${r[k]} (${((100 * r[k]) / staged).toFixed(0)}%)`).join(', ');
    process.stdout.write(`  ${r.operation.padEnd(26)} wall ${String(r.total).padStart(8)}  cpu ${String(r.cpu).padStart(8)}${split ? `   ${split}` : ''}\n`);
  }
}
