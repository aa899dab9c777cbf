// Benchmark: shacl-validate of N generated TRO-sized documents, one at a time: wall time, per-document cost, peak RSS, per engine.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { fmt } from './lib.js';

const SELF = fileURLToPath(import.meta.url);
const sha = (text) => createHash('sha256').update(text).digest('hex');

/**
 * The i-th generated document: a pe-0.1 certified bundle TRO like policyengine.py's (4–8 artifacts, one
 * arrangement, a performance with certification and CI metadata), about the size of the shipped ones. Every
 * 100th document carries a wrong fingerprint, so the benchmark also exercises result reporting.
 */
export function generateTro(i) {
  const names = ['bundle_manifest', 'data_release_manifest', 'dataset', 'model_wheel', 'calibration', 'weights', 'targets', 'extra'];
  const count = 4 + (i % 5);
  const artifacts = names.slice(0, count).map((name, k) => ({ name, hash: sha(`doc ${i} artifact ${k}`) }));
  const fingerprint = i % 100 === 99 ? sha(`wrong ${i}`) : sha(artifacts.map((a) => a.hash).sort().join('\n'));
  const doc = {
    '@context': [{ pe: 'https://policyengine.org/trace/0.1#', rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#', rdfs: 'http://www.w3.org/2000/01/rdf-schema#', schema: 'https://schema.org/', trov: 'https://w3id.org/trace/trov/0.1#' }],
    '@graph': [
      {
        '@id': 'tro',
        '@type': 'trov:TransparentResearchObject',
        'schema:creator': { '@type': 'schema:Organization', 'schema:name': 'PolicyEngine', 'schema:url': 'https://policyengine.org' },
        'schema:dateCreated': `2026-07-${String(1 + (i % 28)).padStart(2, '0')}T03:56:03.415544+00:00`,
        'schema:description': `Generated bundle TRO number ${i} for the shacl-validate benchmark.`,
        'schema:name': 'policyengine us certified bundle TRO',
        'trov:createdWith': { '@type': 'schema:SoftwareApplication', 'schema:name': 'policyengine', 'schema:softwareVersion': `5.0.${i % 10}` },
        'trov:hasArrangement': [
          {
            '@id': 'arrangement/1',
            '@type': 'trov:ArtifactArrangement',
            'rdfs:comment': `Certified arrangement for bundle us-${i}.`,
            'trov:hasArtifactLocation': artifacts.map((a) => ({
              '@id': `arrangement/1/location/${a.name}`,
              '@type': 'trov:ArtifactLocation',
              'trov:hasArtifact': { '@id': `composition/1/artifact/${a.name}` },
              'trov:hasLocation': a.name === 'bundle_manifest' ? 'data/bundle/manifest.json' : `https://huggingface.co/datasets/policyengine/populace-us/resolve/build-${i}/${a.name}.h5`,
            })),
          },
        ],
        'trov:hasComposition': {
          '@id': 'composition/1',
          '@type': 'trov:ArtifactComposition',
          'trov:hasArtifact': artifacts.map((a) => ({
            '@id': `composition/1/artifact/${a.name}`,
            '@type': 'trov:ResearchArtifact',
            'schema:name': `${a.name} of build ${i}`,
            'trov:mimeType': 'application/x-hdf5',
            'trov:sha256': a.hash,
          })),
          'trov:hasFingerprint': { '@id': 'composition/1/fingerprint', '@type': 'trov:CompositionFingerprint', 'trov:sha256': fingerprint },
        },
        'trov:hasPerformance': {
          '@id': 'trp/1',
          '@type': 'trov:TransparentResearchPerformance',
          'pe:builtWithModelVersion': '1.764.6',
          'pe:certifiedBy': 'policyengine.py bundle certification',
          'pe:certifiedForModelVersion': '1.764.6',
          'pe:ciGitRef': 'refs/heads/main',
          'pe:ciGitSha': sha(`commit ${i}`).slice(0, 40),
          'pe:ciRunUrl': `https://github.com/PolicyEngine/policyengine.py/actions/runs/${25595153031 + i}`,
          'pe:compatibilityBasis': 'built_with_model_package',
          'pe:dataBuildId': `populace-us-2024-build-${i}`,
          'pe:emittedIn': 'github-actions',
          'rdfs:comment': `Certification of build ${i}.`,
          'trov:accessedArrangement': { '@id': 'arrangement/1' },
          'trov:startedAtTime': '2026-07-28T03:56:03.415544+00:00',
          'trov:wasConductedBy': { '@id': 'trs' },
        },
        'trov:wasAssembledBy': { '@id': 'trs', '@type': 'trov:TransparentResearchSystem', 'rdfs:comment': 'PolicyEngine certification workflow.', 'schema:name': 'PolicyEngine release pipeline' },
      },
    ],
  };
  return new TextEncoder().encode(`${JSON.stringify(doc, null, 2)}\n`);
}

/**
 * The SHACL step alone (no parsing, lifting or integrity checks): `n` documents lifted beforehand, then each
 * validated against the auto profile's compiled shapes by one engine. Isolates the engine choice.
 */
async function shaclOnly(n, engine) {
  const lib = await import('../dist/src/index.js');
  const { Store } = await import('n3');
  const shapes = await lib.loadShapesGraphs(['pe-0.1', 'pe-extension', 'profile-bundle'], { engine });
  const docs = [];
  for (let i = 0; i < n; i++) {
    const bytes = generateTro(i);
    docs.push((await lib.liftJsonLd(lib.parseJson(bytes), { bytes })).quads);
  }
  for (let i = 0; i < Math.min(20, n); i++) lib.validateShapes(new Store([...docs[i]]), shapes);
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (const quads of docs) lib.validateShapes(new Store([...quads]), shapes);
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(`${JSON.stringify({ n, mode: `shacl-only:${engine}`, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
}

/** The child process: validates documents 0..n-1 one at a time and prints one JSON line of measurements. */
async function worker(n, mode) {
  if (mode.startsWith('shacl-only:')) return shaclOnly(n, mode.slice('shacl-only:'.length));
  const lib = await import('../dist/src/index.js');
  const engine = mode === 'floor' ? undefined : mode;
  const run = async (i) => {
    const bytes = generateTro(i);
    if (engine === undefined) {
      JSON.parse(new TextDecoder().decode(bytes));
      return true;
    }
    return (await lib.shaclValidateDocument(bytes, { label: `doc-${i}.jsonld`, engine })).conforms;
  };
  for (let i = 0; i < 20; i++) await run(i); // warm-up: shapes compiled, JIT settled
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  let nonConforming = 0;
  let rssAtTenth = 0;
  for (let i = 0; i < n; i++) {
    if (!(await run(i))) nonConforming++;
    if (i === Math.floor(n / 10)) rssAtTenth = process.memoryUsage().rss;
  }
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(
    `${JSON.stringify({
      n,
      mode,
      wallMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      nonConforming,
      rssAtTenthMb: rssAtTenth / 1048576,
      rssAtEndMb: process.memoryUsage().rss / 1048576,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    })}\n`,
  );
}

function runWorker(n, mode) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SELF, '--worker', String(n), mode], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.on('error', reject);
    child.on('close', (status) => (status === 0 ? resolve(JSON.parse(out)) : reject(new Error(`shacl bench worker (${mode}) exited ${status}`))));
  });
}

/**
 * `n` documents through pe-trace's engine, `zazukoN` through rdf-validate-shacl (30× slower: a full 10,000 would
 * take minutes), and the generate+JSON.parse floor. Each in its own process, so peak RSS is the run's own.
 */
export async function benchShacl({ n = 10000, zazukoN = 500 } = {}) {
  const floor = await runWorker(n, 'floor');
  const peTrace = await runWorker(n, 'pe-trace');
  const zazuko = zazukoN > 0 ? await runWorker(zazukoN, 'rdf-validate-shacl') : undefined;
  const engineN = Math.min(n, 1000);
  const coreOnly = await runWorker(engineN, 'shacl-only:pe-trace');
  const zazukoOnly = zazukoN > 0 ? await runWorker(Math.min(zazukoN, engineN), 'shacl-only:rdf-validate-shacl') : undefined;
  const per = (r) => ({ ...r, perDocMs: r.wallMs / r.n, perDocCpuMs: r.cpuMs / r.n });
  return {
    floor: per(floor),
    peTrace: per(peTrace),
    ...(zazuko === undefined ? {} : { rdfValidateShacl: per(zazuko) }),
    shaclOnly: { peTrace: per(coreOnly), ...(zazukoOnly === undefined ? {} : { rdfValidateShacl: per(zazukoOnly) }) },
  };
}

export function formatShaclBench(r) {
  const line = (name, x) =>
    `  ${name}: ${x.n} docs in ${fmt(x.wallMs / 1000)} s = ${fmt(x.perDocMs, 3)} ms/doc wall, ${fmt(x.perDocCpuMs, 3)} ms/doc CPU; ` +
    `RSS ${fmt(x.rssAtTenthMb, 0)} MB at 10% → ${fmt(x.rssAtEndMb, 0)} MB at end, peak ${fmt(x.peakRssMb, 0)} MB` +
    (x.mode === 'floor' ? '' : `; ${x.nonConforming} not conforming`);
  const lines = ['shacl-validate, one document at a time (generated pe-0.1 bundle TROs):', line('generate + JSON.parse floor', r.floor), line('pe-trace engine', r.peTrace)];
  if (r.rdfValidateShacl) {
    lines.push(line('rdf-validate-shacl', r.rdfValidateShacl));
    lines.push(`  rdf-validate-shacl / pe-trace per document: ${fmt(r.rdfValidateShacl.perDocCpuMs / r.peTrace.perDocCpuMs, 1)}x (CPU)`);
  }
  const only = (name, x) => `  SHACL step alone, ${name}: ${fmt(x.perDocMs, 3)} ms/doc wall, ${fmt(x.perDocCpuMs, 3)} ms/doc CPU (${x.n} pre-lifted docs)`;
  lines.push(only('pe-trace engine', r.shaclOnly.peTrace));
  if (r.shaclOnly.rdfValidateShacl) lines.push(only('rdf-validate-shacl', r.shaclOnly.rdfValidateShacl));
  return lines;
}

if (process.argv[2] === '--worker') {
  await worker(Number(process.argv[3]), process.argv[4]);
} else if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.env.BENCH_SHACL_N ?? 10000);
  const zazukoN = Number(process.env.BENCH_SHACL_ZAZUKO_N ?? 500);
  for (const l of formatShaclBench(await benchShacl({ n, zazukoN }))) console.log(l);
}
