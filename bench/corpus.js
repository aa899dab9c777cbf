// Benchmark: verify + validate + lift of the 219-TRO historical corpus in one process, against a JSON.parse+sha256 floor.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fmt } from './lib.js';

const lib = await import('../dist/src/index.js');
const HISTORY = 'fixtures/policyengine-py/history';

function listTros() {
  const out = [];
  for (const v of readdirSync(HISTORY).sort()) {
    const walk = (d) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(d, e.name));
        else if (e.name.endsWith('.trace.tro.jsonld')) out.push({ dir: join(HISTORY, v), tro: join(d, e.name) });
      }
    };
    walk(join(HISTORY, v));
  }
  return out;
}

async function timed(fn) {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

export async function benchCorpus(rounds = 3) {
  const tros = listTros();
  const results = { documents: tros.length, floorMs: [], verifyMs: [], validateMs: [], liftMs: [] };
  for (let r = 0; r < rounds; r++) {
    results.floorMs.push(await timed(async () => {
      for (const { tro } of tros) {
        const bytes = readFileSync(tro);
        JSON.parse(bytes.toString('utf8'));
        createHash('sha256').update(bytes).digest('hex');
      }
    }));
    results.verifyMs.push(await timed(async () => {
      for (const { dir, tro } of tros) {
        const { model } = await lib.loadTroFile(tro);
        const https = new Set(model.arrangements.flatMap((a) => a.locations).filter((l) => l.location.startsWith('https://')).map((l) => l.artifactId));
        const skip = model.artifacts.filter((a) => https.has(a.id)).map((a) => a.shortId);
        await lib.verifyTro(model, { baseDir: dir, skip, fetchHttps: false });
      }
    }));
    results.validateMs.push(await timed(async () => {
      for (const { tro } of tros) {
        const json = lib.parseJson(readFileSync(tro), { label: tro });
        lib.validateJsonSchema(json, { label: tro });
      }
    }));
    results.liftMs.push(await timed(async () => {
      const store = lib.createStore();
      for (const { tro } of tros) {
        const bytes = readFileSync(tro);
        lib.addLifted(store, await lib.liftJsonLd(lib.parseJson(bytes, { label: tro }), { label: tro, bytes }));
      }
    }));
  }
  const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return {
    documents: tros.length,
    floorMs: med(results.floorMs),
    verifyMs: med(results.verifyMs),
    validateMs: med(results.validateMs),
    liftMs: med(results.liftMs),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchCorpus();
  const per = (ms) => `${fmt(ms, 0)} ms (${fmt(ms / r.documents, 3)} ms/doc, ${fmt(ms / r.floorMs, 1)}x the read+parse+sha256 floor)`;
  console.log(`corpus of ${r.documents} TROs: floor ${fmt(r.floorMs, 0)} ms`);
  console.log(`  verify   ${per(r.verifyMs)}`);
  console.log(`  validate ${per(r.validateMs)}`);
  console.log(`  lift     ${per(r.liftMs)}`);
}
