// `npm run bench`: every benchmark, reported as ratios against a reference measured in the same run.
import { spawnSync } from 'node:child_process';
import { benchColdStart } from './cold-start.js';
import { benchCorpus } from './corpus.js';
import { benchLift } from './lift.js';
import { fmt } from './lib.js';
import { benchVerifyLarge } from './verify-large.js';

const only = process.argv.slice(2);
const want = (name) => only.length === 0 || only.includes(name);

if (want('cold-start')) {
  const r = await benchColdStart();
  console.log(`cold start: pe-trace --version ${fmt(r.oursMs, 0)} ms vs node -e 0 ${fmt(r.nodeMs, 0)} ms = ${fmt(r.ratio)}x`);
}
if (want('corpus')) {
  const r = await benchCorpus();
  const per = (ms) => `${fmt(ms, 0)} ms (${fmt(ms / r.documents, 3)} ms/doc, ${fmt(ms / r.floorMs, 1)}x the read+JSON.parse+sha256 floor)`;
  console.log(`corpus of ${r.documents} TROs (floor ${fmt(r.floorMs, 0)} ms):`);
  console.log(`  verify   ${per(r.verifyMs)}`);
  console.log(`  validate ${per(r.validateMs)}`);
  console.log(`  lift     ${per(r.liftMs)}`);
}
if (want('lift')) {
  for (const r of await benchLift()) {
    console.log(`lift ${r.name} (${r.documents} docs): fast ${fmt(r.fastMs / r.documents, 3)} vs jsonld.js ${fmt(r.jsonldMs / r.documents, 3)} ms/doc = ${fmt(r.ratio, 1)}x end to end; conversion alone ${fmt(r.coreRatio, 1)}x`);
  }
}
if (want('verify-large')) {
  const sizes = process.env.BENCH_SIZES_MIB ? process.env.BENCH_SIZES_MIB.split(',').map(Number) : [1024, 256];
  for (const r of await benchVerifyLarge({ sizesMib: sizes })) {
    console.log(`verify ${r.mib} MiB artifact: ${fmt(r.oursMs / 1000)} s vs openssl dgst -sha256 ${fmt(r.opensslMs / 1000)} s = ${fmt(r.ratio)}x; peak RSS ${fmt(r.peakRssMb, 0)} MB`);
  }
}
// These are scripts of their own (each prints its report); run them as child processes.
// query-index, serve and scale take many minutes (10,000 and 100,000 documents): run only when named.
const LONG = ['query-index', 'serve', 'scale'];
for (const name of ['emit', 'shacl', 'query', 'query-stream', 'attest', 'report', 'sync', ...LONG]) {
  if (!want(name) || (LONG.includes(name) && !only.includes(name))) continue;
  const r = spawnSync(process.execPath, [new URL(`./${name}.js`, import.meta.url).pathname], { stdio: 'inherit' });
  if (r.status !== 0) process.exitCode = r.status ?? 1;
}
