// Streamed SELECT on oxigraph: cost of paging (LIMIT/OFFSET pages) against one whole evaluation of the same query, same process.
import { performance } from 'node:perf_hooks';
import { fmt } from './lib.js';

const { answerOnNQuads } = await import('../dist/src/query/ox-engine.js');
const { parseUserQuery } = await import('../dist/src/query/parse.js');

const EX = 'https://example.org/';
const sizes = (process.env.BENCH_STREAM_TRIPLES ?? '20000,200000').split(',').map(Number);
const queries = {
  scan: 'SELECT ?s ?p ?o WHERE { ?s ?p ?o }',
  join: `SELECT ?s ?t ?v WHERE { ?s <${EX}q> ?t . ?t <${EX}p> ?v }`,
};

for (const triples of sizes) {
  const n = triples / 2;
  const lines = [];
  for (let i = 0; i < n; i++) {
    lines.push(`<${EX}s${i}> <${EX}p> "value ${i % 97}" <${EX}g${i % 5}> .`);
    lines.push(`<${EX}s${i}> <${EX}q> <${EX}s${(i * 7) % n}> <${EX}g${i % 3}> .`);
  }
  const data = `${lines.join('\n')}\n`;
  for (const [name, text] of Object.entries(queries)) {
    const q = parseUserQuery(text, name);
    await answerOnNQuads(data, q); // warm-up: WASM compiled, JIT warm
    // Alternating runs, median of each: the machine is shared, so neither side gets the quiet moments alone.
    const wholeRuns = [];
    const pagedRuns = [];
    const firstRuns = [];
    let whole;
    let paged;
    for (let k = 0; k < 3; k++) {
      let t = performance.now();
      whole = await answerOnNQuads(data, q);
      wholeRuns.push(performance.now() - t);
      let first;
      t = performance.now();
      paged = await answerOnNQuads(data, q, { onRows: () => { first ??= performance.now() - t; } });
      pagedRuns.push(performance.now() - t);
      firstRuns.push(first);
    }
    const median = (xs) => [...xs].sort((a, b) => a - b)[1];
    const wholeMs = median(wholeRuns);
    const pagedMs = median(pagedRuns);
    const firstMs = median(firstRuns);
    const rows = whole.results.results.bindings.length;
    if (paged.results.results.bindings.length !== rows) throw new Error('paged and whole answers differ in size');
    // Both include loading the store: the figure is the whole query as `pe-trace query` runs it.
    console.log(`query stream ${name} over ${triples} triples (${rows} rows): paged ${fmt(pagedMs / wholeMs)}x the whole evaluation; first rows after ${fmt(firstMs / wholeMs, 3)}x of it`);
  }
}
