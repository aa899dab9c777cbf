// Benchmark: the fast JSON-LD lifter against jsonld.js on the same documents in the same process (issue 15: ≥ 20×).
//
//   node bench/lift.js                    # the 219 historical TROs and 1,000 generated documents
//   BENCH_LIFT_DOCS=10000 node bench/lift.js
//
// Both sides run liftJsonLd (same parse, same base, same relabelling, same warnings); the only difference is
// `jsonldOnly`. The text path (liftJsonLdTerms + quadsText, no n3 terms) is timed against jsonld.js's lift written by
// quadsToNQuads, after checking that every document's bytes are equal. Each side is timed over the whole set ROUNDS times (the first rounds warm the JIT) and the best
// round is reported, per document and as a ratio.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fmt } from './lib.js';
import { generateCorpus } from './query.js';

const { parseJson } = await import('../dist/src/json/parse.js');
const { liftJsonLd, liftJsonLdTerms, toJsonLdInput, documentBaseIri } = await import('../dist/src/rdf/lift.js');
const { quadsText } = await import('../dist/src/rdf/nquads-text.js');
const { quadsToNQuads } = await import('../dist/src/query/results.js');
const { fastToRdf } = await import('../dist/src/rdf/fast-lift.js');
const jsonld = createRequire(import.meta.url)('jsonld');

function files(dir, suffix) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...files(path, suffix));
    else if (e.name.endsWith(suffix)) out.push(path);
  }
  return out.sort();
}

const ROUNDS = 5;

async function timeLift(docs, jsonldOnly) {
  const t0 = process.hrtime.bigint();
  let quads = 0;
  for (const d of docs) quads += (await liftJsonLd(d.json, { label: d.label, bytes: d.bytes, jsonldOnly })).quads.length;
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, quads };
}

export async function benchLift(generated = Number(process.env.BENCH_LIFT_DOCS ?? 1000)) {
  const dir = mkdtempSync(join(tmpdir(), 'pe-trace-bench-lift-'));
  try {
    generateCorpus(dir, generated);
    const sets = {
      'historical TROs': files('fixtures/policyengine-py/history', '.trace.tro.jsonld'),
      [`${generated} generated TROs`]: files(dir, '.jsonld'),
    };
    const out = [];
    for (const [name, paths] of Object.entries(sets)) {
      const docs = paths.map((p) => {
        const bytes = new Uint8Array(readFileSync(p));
        return { label: p, bytes, json: parseJson(bytes, { label: p }) };
      });
      const best = async (jsonldOnly) => {
        let top;
        for (let r = 0; r < ROUNDS; r++) {
          const t = await timeLift(docs, jsonldOnly);
          if (top === undefined || t.ms < top.ms) top = t;
        }
        return top;
      };
      const reference = await best(true);
      const fast = await best(false);
      // N-Quads text per document (what the query index and sync store): the plain-record path against jsonld.js's
      // lift serialised by our n3 serializer; the bytes must be equal.
      const textOf = async (d, viaJsonld) => (viaJsonld ? quadsToNQuads((await liftJsonLd(d.json, { label: d.label, bytes: d.bytes, jsonldOnly: true })).quads) : quadsText((await liftJsonLdTerms(d.json, { label: d.label, bytes: d.bytes })).quads));
      for (const d of docs) if ((await textOf(d, true)) !== (await textOf(d, false))) throw new Error(`${d.label}: text lift differs from jsonld.js`);
      const bestText = async (viaJsonld) => {
        let top = Infinity;
        for (let r = 0; r < ROUNDS; r++) {
          const t0 = process.hrtime.bigint();
          for (const d of docs) await textOf(d, viaJsonld);
          top = Math.min(top, Number(process.hrtime.bigint() - t0) / 1e6);
        }
        return top;
      };
      const textJsonld = await bestText(true);
      const textFast = await bestText(false);
      // The conversion step alone (JSON-LD → quads on the same input, no parse, hashing or relabelling around it).
      const inputs = docs.map((d) => ({ plain: toJsonLdInput(d.json), json: d.json, base: documentBaseIri(d.bytes) }));
      const core = async (fn) => {
        let top = Infinity;
        for (let r = 0; r < ROUNDS; r++) {
          const t0 = process.hrtime.bigint();
          for (const x of inputs) await fn(x);
          top = Math.min(top, Number(process.hrtime.bigint() - t0) / 1e6);
        }
        return top;
      };
      const coreJsonld = await core((x) => jsonld.toRDF(x.plain, { base: x.base }));
      const coreFast = await core((x) => fastToRdf(x.json, x.base));
      if (fast.quads !== reference.quads) throw new Error(`${name}: ${fast.quads} quads vs jsonld.js ${reference.quads}`);
      out.push({ name, documents: docs.length, quads: fast.quads, fastMs: fast.ms, jsonldMs: reference.ms, ratio: reference.ms / fast.ms, coreFastMs: coreFast, coreJsonldMs: coreJsonld, coreRatio: coreJsonld / coreFast, textFastMs: textFast, textJsonldMs: textJsonld, textRatio: textJsonld / textFast, textVsQuadsRatio: reference.ms / textFast });
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await benchLift()) {
    console.log(`lift ${r.name} (${r.documents} docs, ${r.quads} quads): fast ${fmt(r.fastMs / r.documents, 3)} ms/doc vs jsonld.js ${fmt(r.jsonldMs / r.documents, 3)} ms/doc = ${fmt(r.ratio, 1)}x faster end to end (liftJsonLd); conversion alone ${fmt(r.coreFastMs / r.documents, 3)} vs ${fmt(r.coreJsonldMs / r.documents, 3)} ms/doc = ${fmt(r.coreRatio, 1)}x; N-Quads text ${fmt(r.textFastMs / r.documents, 3)} vs jsonld.js lift + quadsToNQuads ${fmt(r.textJsonldMs / r.documents, 3)} ms/doc = ${fmt(r.textRatio, 1)}x (${fmt(r.textVsQuadsRatio, 1)}x vs jsonld.js quads alone)`);
  }
}
