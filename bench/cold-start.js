// Benchmark: CLI cold start (`pe-trace --version`) as a ratio to a bare `node -e 0`, medians of 10.
import { fmt, measure, median } from './lib.js';

export async function benchColdStart(runs = 10) {
  const node = [];
  const ours = [];
  for (let i = 0; i < runs; i++) {
    node.push((await measure(process.execPath, ['-e', '0'])).wallMs);
    const r = await measure(process.execPath, ['bin/run.js', '--version']);
    if (r.status !== 0) throw new Error(`--version failed: ${r.stderr}`);
    ours.push(r.wallMs);
  }
  return { nodeMs: median(node), oursMs: median(ours), ratio: median(ours) / median(node) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchColdStart();
  console.log(`cold start: pe-trace --version ${fmt(r.oursMs, 0)} ms vs node -e 0 ${fmt(r.nodeMs, 0)} ms = ${fmt(r.ratio)}x`);
}
