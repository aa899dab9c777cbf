// Benchmark: the fast JSON-LD lifter against jsonld.js on the same documents in the same process (issue 15: ≥ 20×).
//
//   node bench/lift.js                    # the 219 historical TROs and 1,000 generated documents
//   BENCH_LIFT_DOCS=10000 node bench/lift.js
//
// Both sides run liftJsonLd (same parse, same base, same relabelling, same warnings); the only difference is
// `jsonldOnly`. The text path (liftJsonLdTerms + quadsText, no n3 terms) is timed against jsonld.js's lift written by
// quadsToNQuads, after checking that every document's bytes are equal. From the bytes (the query index's path, graph.ts):
// liftJsonLdBytes (JSON.parse where it reads what parseJson reads, the text written by the walk) against parseJson +
// jsonld.js's lift + quadsText, both ending in the same N-Quads text. Each side is timed over the whole set in
// each of ROUNDS rounds (BENCH_LIFT_ROUNDS, default 7; the sides interleaved, the first rounds warm the JIT) and its
// best pass is reported, per document and as a ratio, in CPU time (user + system of this process: what a
// shared machine's load does not inflate) and wall time.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fmt } from './lib.js';
import { generateCorpus } from './query.js';

const { parseJson } = await import('../dist/src/json/parse.js');
const { liftJsonLd, liftJsonLdBytes, liftJsonLdTerms, toJsonLdInput, documentBaseIri } = await import('../dist/src/rdf/lift.js');
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

const ROUNDS = Number(process.env.BENCH_LIFT_ROUNDS ?? 7);

/** Wall and CPU (user + system, this process) milliseconds of one pass of `fn` over every input. */
async function timed(inputs, fn) {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (const x of inputs) await fn(x);
  const c = process.cpuUsage(c0);
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, cpu: (c.user + c.system) / 1000 };
}

/**
 * Each side's best pass (wall and CPU separately) over ROUNDS rounds, the sides interleaved within each round so
 * that a burst of load on this shared machine hits both sides alike.
 */
async function interleaved(inputs, sides) {
  const best = Object.fromEntries(Object.keys(sides).map((k) => [k, { ms: Infinity, cpu: Infinity }]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const [k, fn] of Object.entries(sides)) {
      const t = await timed(inputs, fn);
      best[k].ms = Math.min(best[k].ms, t.ms);
      best[k].cpu = Math.min(best[k].cpu, t.cpu);
    }
  }
  return best;
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
      // Same quads from both sides, and (N-Quads text, what the query index and sync store) the same bytes.
      let quads = 0;
      for (const d of docs) {
        const reference = await liftJsonLd(d.json, { label: d.label, bytes: d.bytes, jsonldOnly: true });
        const fast = await liftJsonLd(d.json, { label: d.label, bytes: d.bytes });
        if (fast.quads.length !== reference.quads.length) throw new Error(`${d.label}: ${fast.quads.length} quads vs jsonld.js ${reference.quads.length}`);
        if (quadsText((await liftJsonLdTerms(d.json, { label: d.label, bytes: d.bytes })).quads) !== quadsToNQuads(reference.quads)) throw new Error(`${d.label}: text lift differs from jsonld.js`);
        // From the bytes (the query index's path): the text the walk wrote equals jsonld.js's lift written by n3.
        const fromBytes = await liftJsonLdBytes(d.bytes, { label: d.label });
        if ((fromBytes.text ?? quadsText(fromBytes.quads)) !== quadsToNQuads(reference.quads)) throw new Error(`${d.label}: lift from the bytes differs from jsonld.js`);
        quads += fast.quads.length;
      }
      // The conversion step alone works on the same input (no parse, hashing or relabelling around it).
      for (const d of docs) Object.assign(d, { plain: toJsonLdInput(d.json), base: documentBaseIri(d.bytes) });
      const t = await interleaved(docs, {
        // End to end, the Quad API: liftJsonLd with and without `jsonldOnly` (same parse, base, relabelling, warnings).
        jsonld: (d) => liftJsonLd(d.json, { label: d.label, bytes: d.bytes, jsonldOnly: true }),
        fast: (d) => liftJsonLd(d.json, { label: d.label, bytes: d.bytes }),
        // N-Quads text: the plain-record path against jsonld.js's lift written by our n3 serializer.
        textJsonld: async (d) => quadsToNQuads((await liftJsonLd(d.json, { label: d.label, bytes: d.bytes, jsonldOnly: true })).quads),
        textFast: async (d) => quadsText((await liftJsonLdTerms(d.json, { label: d.label, bytes: d.bytes })).quads),
        // From the file's bytes to the N-Quads text the query index stores (graph.ts): parseJson + jsonld.js + quadsText
        // (our own writer, the fastest we have) against liftJsonLdBytes (JSON.parse where safe, the walk's own text).
        bytesJsonld: async (d) => quadsText((await liftJsonLdTerms(parseJson(d.bytes, { label: d.label }), { label: d.label, bytes: d.bytes, jsonldOnly: true })).quads),
        bytesFast: async (d) => {
          const l = await liftJsonLdBytes(d.bytes, { label: d.label });
          return l.text ?? quadsText(l.quads);
        },
        coreJsonld: (d) => jsonld.toRDF(d.plain, { base: d.base }),
        coreFast: (d) => fastToRdf(d.json, d.base),
      });
      const ratio = (a, b) => ({ wall: t[a].ms / t[b].ms, cpu: t[a].cpu / t[b].cpu });
      out.push({ name, documents: docs.length, quads, times: t, ratio: ratio('jsonld', 'fast'), textRatio: ratio('textJsonld', 'textFast'), coreRatio: ratio('coreJsonld', 'coreFast'), textVsQuadsRatio: ratio('jsonld', 'textFast'), bytesRatio: ratio('bytesJsonld', 'bytesFast') });
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === `file://${process.argv[1]}`) {
  const us = (ms, n) => fmt((ms * 1000) / n, 1);
  for (const r of await benchLift()) {
    const t = r.times;
    const line = (label, fast, ref, ratio) => `  ${label}: ${us(t[fast].cpu, r.documents)} vs ${us(t[ref].cpu, r.documents)} µs/doc CPU = ${fmt(ratio.cpu, 1)}x (wall ${us(t[fast].ms, r.documents)} vs ${us(t[ref].ms, r.documents)} = ${fmt(ratio.wall, 1)}x)`;
    console.log(`lift ${r.name} (${r.documents} docs, ${r.quads} quads), best of ${ROUNDS} interleaved rounds, fast vs jsonld.js:`);
    console.log(line('liftJsonLd end to end (Quad API)', 'fast', 'jsonld', r.ratio));
    console.log(line('N-Quads text (liftJsonLdTerms + quadsText vs jsonld.js lift + quadsToNQuads)', 'textFast', 'textJsonld', r.textRatio));
    console.log(`  N-Quads text vs jsonld.js quads alone: ${fmt(r.textVsQuadsRatio.cpu, 1)}x CPU (wall ${fmt(r.textVsQuadsRatio.wall, 1)}x)`);
    console.log(line('conversion alone (fastToRdf vs jsonld.toRDF, same input)', 'coreFast', 'coreJsonld', r.coreRatio));
    console.log(line('bytes to N-Quads text (liftJsonLdBytes vs parseJson + jsonld.js lift + quadsText)', 'bytesFast', 'bytesJsonld', r.bytesRatio));
  }
}
