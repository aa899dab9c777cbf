// Benchmark: `report --dir` over 1k / 10k generated documents: wall time (as a ratio to `audit --json` on the same
// corpus, the work it builds on), the HTML file's size, and, with Debian's chromium, the time the page takes to load.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fmt, measure } from './lib.js';
import { generateCorpus } from './query.js';

async function cli(args) {
  const r = await measure(process.execPath, ['bin/run.js', ...args]);
  if (r.status !== 0) throw new Error(`pe-trace ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 500)}`);
  return r;
}

/** Load time of the page in headless chromium (no network; every request but the file is aborted and counted). */
async function pageLoad(file) {
  if (!existsSync('/usr/bin/chromium')) return undefined;
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  try {
    const page = await browser.newPage();
    const url = pathToFileURL(file).href;
    let requests = 0;
    await page.route('**/*', (route) => (route.request().url() === url ? route.continue() : (requests++, route.abort())));
    const t0 = performance.now();
    await page.goto(url, { waitUntil: 'load' });
    const loadMs = performance.now() - t0;
    const domNodes = await page.evaluate('document.getElementsByTagName("*").length');
    return { loadMs, domNodes, requests };
  } finally {
    await browser.close();
  }
}

export async function benchReport(sizes = [1000, 10000]) {
  const rows = [];
  for (const n of sizes) {
    const root = mkdtempSync(join(tmpdir(), 'pe-trace-bench-report-'));
    const dir = join(root, 'corpus');
    try {
      generateCorpus(dir, n);
      const audit = await cli(['audit', 'restricted-inputs', '--dir', dir, '--json']);
      const paths = JSON.parse(audit.stdout).result.paths.length;
      const out = join(root, 'report.html');
      const report = await cli(['report', '--dir', dir, '--out', out]);
      rows.push({ documents: n, paths, audit, report, bytes: statSync(out).size, page: await pageLoad(out) });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = (process.env.BENCH_REPORT_SIZES ?? '1000,10000').split(',').map(Number);
  for (const r of await benchReport(sizes)) {
    console.log(`report --dir on ${r.documents} documents (${r.paths} audit paths):`);
    console.log(`  report: ${fmt(r.report.wallMs / 1000)} s = ${fmt(r.report.wallMs / r.audit.wallMs)}x audit --json (${fmt(r.audit.wallMs / 1000)} s); peak RSS ${fmt(r.report.peakRssMb, 0)} MB`);
    console.log(`  file: ${fmt(r.bytes / 1024, 0)} KiB`);
    console.log(r.page === undefined ? '  page load: skipped (no /usr/bin/chromium)' : `  page load in chromium: ${fmt(r.page.loadMs, 0)} ms, ${r.page.domNodes} DOM elements, ${r.page.requests} request(s)`);
  }
}
