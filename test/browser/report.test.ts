// `pe-trace report` opened in a real browser (Debian chromium via playwright-core): no request, no console error, axe clean.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from '../support/cli.js';

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const ARTIFACTS = join(REPO_ROOT, 'test-artifacts', 'report');

type BrowserContext = import('playwright-core').BrowserContext;
type Page = import('playwright-core').Page;

interface Opened {
  readonly page: Page;
  readonly requests: string[];
  readonly consoleErrors: string[];
  close(): Promise<void>;
}

describe.skipIf(!HAVE_CHROMIUM)(`pe-trace report in chromium (skipped when ${CHROMIUM} is absent: .ci/run installs Debian's chromium)`, () => {
  let browser: BrowserContext;
  let scratch: string;
  let profile: string;

  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    scratch = mkdtempSync(join(tmpdir(), 'pe-trace-report-'));
    profile = join(scratch, 'profile');
    mkdirSync(ARTIFACTS, { recursive: true });
    // A fresh profile folder per run (playwright passes it as --user-data-dir).
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  });

  /** Opens the file with every request other than the file itself counted and aborted. */
  async function open(file: string, viewport = { width: 1200, height: 900 }): Promise<Opened> {
    const page = await browser.newPage();
    await page.setViewportSize(viewport);
    const url = pathToFileURL(file).href;
    const requests: string[] = [];
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
    await page.route('**/*', async (route) => {
      const u = route.request().url();
      if (u === url) return route.continue();
      requests.push(u);
      return route.abort();
    });
    await page.goto(url, { waitUntil: 'load' });
    return { page, requests, consoleErrors, close: () => page.close() };
  }

  async function axeSerious(page: Page): Promise<string[]> {
    const source = readFileSync(join(REPO_ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
    // Injected through the DevTools protocol's evaluate, which the page's CSP does not govern (as a browser extension would).
    await page.evaluate(source);
    const result = (await page.evaluate('axe.run(document, { resultTypes: ["violations"] })')) as { violations: { id: string; impact: string | null; nodes: { target: unknown }[] }[] };
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))}`);
  }

  function report(args: readonly string[], name: string): string {
    const out = join(scratch, name);
    const r = runCli(['report', ...args, '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    return out;
  }

  it('a verified run record: verdict, fingerprint, artifacts, lineage, checks; no request, no console error, axe clean', async () => {
    const file = report(['fixtures/corpus/emitted/run-record-uk/run.trace.tro.jsonld'], 'verified.html');
    const o = await open(file);
    try {
      const { page } = o;
      expect(await page.textContent('#overall-verdict')).toBe('Verified');
      expect(await page.textContent('#record-0 .fingerprint')).toBe('b05d6754fdadc5663986798794566a8dca761fcbdd216392f0edb205d8c3a9a2');
      expect(await page.getAttribute('#record-0 [data-fingerprint-status]', 'data-fingerprint-status')).toBe('ok');
      const verdicts = await page.$$eval('#record-0 tr[data-artifact]', (rows) => rows.map((r) => `${r.getAttribute('data-artifact')}=${r.getAttribute('data-verdict')}`));
      expect(verdicts).toEqual(['bundle_tro=ok', 'reform=ok', 'input=ok', 'results=ok']);
      // The lineage: the run binds its bundle, the arrow says by which fingerprint.
      expect(await page.locator('#lineage svg .node.stage-run').count()).toBe(1);
      expect(await page.locator('#lineage svg .node.stage-bundle').count()).toBe(1);
      expect(await page.textContent('#lineage svg .edge-label')).toContain('fingerprint d60ee6f14475');
      expect(await page.locator('details.conformance').count()).toBe(1);
      // The citation, keyed by the fingerprint, copied with its button (clipboard or, where refused, a selection).
      expect(await page.textContent('#record-0-citation-text')).toContain('Composition fingerprint sha256:b05d6754fdadc5663986798794566a8dca761fcbdd216392f0edb205d8c3a9a2');
      await page.locator('button[data-copy="record-0-citation-text"]').click();
      await page.locator('#record-0-copy-status').filter({ hasText: /\S/ }).waitFor();
      expect(await page.textContent('#record-0-copy-status')).toMatch(/^(Copied\.|Selected: press Ctrl\+C)/);
      expect(await page.textContent('#record-0-badge .rules')).toContain('policyengine-uk');
      expect(await page.textContent('#record-0-badge .data')).toContain('policyengine-uk-data-1.56.16');
      expect(await page.textContent('#record-0-badge .bundle')).toContain('uk-5.0.3');
      expect(o.consoleErrors).toEqual([]);
      expect(await axeSerious(page)).toEqual([]);
      await page.screenshot({ path: join(ARTIFACTS, 'verified-record.png'), fullPage: true });
      expect(o.requests).toEqual([]);
    } finally {
      await o.close();
    }
  }, 120_000);

  it('a tampered record folder: the changed artifact is a mismatch and the page says Not verified', async () => {
    const dir = join(scratch, 'tampered');
    cpSync(join(REPO_ROOT, 'fixtures/corpus/emitted/run-record-uk'), dir, { recursive: true });
    const results = join(dir, 'results.json');
    writeFileSync(results, `${readFileSync(results, 'utf8')} `);
    const file = report([dir], 'tampered.html');
    const o = await open(file, { width: 390, height: 844 });
    try {
      const { page } = o;
      expect(await page.textContent('#overall-verdict')).toBe('Not verified');
      expect(await page.getAttribute('#record-0 tr[data-artifact="results"]', 'data-verdict')).toBe('mismatch');
      expect(await page.getAttribute('#record-0 [data-record-verdict]', 'data-record-verdict')).toBe('not-verified');
      expect(await page.textContent('#record-1 [data-record-verdict]')).toBe('Partly verified: 4 artifact(s) not checked');
      // A phone-wide page does not scroll sideways (wide tables and the graph scroll inside their own boxes).
      expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth + 1')).toBe(true);
      expect(o.consoleErrors).toEqual([]);
      expect(await axeSerious(page)).toEqual([]);
      await page.screenshot({ path: join(ARTIFACTS, 'tampered-record-phone.png'), fullPage: true });
      expect(o.requests).toEqual([]);
    } finally {
      await o.close();
    }
  }, 120_000);

  it('the example corpus (--dir): the answer first, paths expandable to their evidence, keyboard reachable', async () => {
    const file = report(['--dir', 'fixtures/corpus'], 'corpus.html');
    const o = await open(file);
    try {
      const { page } = o;
      // The answer is the first section of the page.
      expect(await page.$eval('main > section', (s) => s.id)).toBe('answer');
      expect(await page.textContent('#answer-summary')).toContain('19 restricted input(s) reach 1 run(s) and 3 bundle(s)');
      expect(await page.getAttribute('#runs-reached tbody tr', 'data-fingerprint')).toBe('b05d6754fdadc5663986798794566a8dca761fcbdd216392f0edb205d8c3a9a2');
      expect(await page.locator('#lineage svg .node.restricted').count()).toBeGreaterThan(0);
      expect(await page.locator('#path-list > li').count()).toBe(23);
      // Evidence is hidden until the path is opened with the keyboard.
      const first = page.locator('#path-list > li details').first();
      expect(await first.evaluate((d) => d.hasAttribute('open'))).toBe(false);
      await first.locator('summary').focus();
      await page.keyboard.press('Enter');
      expect(await first.evaluate((d) => d.hasAttribute('open'))).toBe(true);
      expect(await first.locator('ul.evidence').first().isVisible()).toBe(true);
      expect(o.consoleErrors).toEqual([]);
      expect(await axeSerious(page)).toEqual([]);
      await page.screenshot({ path: join(ARTIFACTS, 'corpus.png'), fullPage: true });
      await page.emulateMedia({ media: 'print' });
      await page.screenshot({ path: join(ARTIFACTS, 'corpus-print.png'), fullPage: true });
      expect(o.requests).toEqual([]);
    } finally {
      await o.close();
    }
  }, 180_000);

  it('hostile ids and locations stay text: no script runs, no markup is injected', async () => {
    const dir = join(scratch, 'hostile');
    mkdirSync(dir);
    const evil = `</style><script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">"'`;
    const hash = 'ab'.repeat(32);
    const tro = {
      '@context': [{ trov: 'https://w3id.org/trace/trov/0.1#', schema: 'https://schema.org/', pe: 'https://policyengine.org/trace/0.1#' }],
      '@graph': [
        {
          '@id': 'tro',
          '@type': 'trov:TransparentResearchObject',
          'schema:name': `TRO ${evil}`,
          'trov:hasComposition': {
            '@id': 'composition/1',
            '@type': 'trov:ArtifactComposition',
            'trov:hasArtifact': [{ '@id': `composition/1/artifact/${evil}`, '@type': 'trov:ResearchArtifact', 'schema:name': evil, 'trov:sha256': hash }],
            'trov:hasFingerprint': { '@id': 'composition/1/fingerprint', '@type': 'trov:CompositionFingerprint', 'trov:sha256': hash },
          },
          'trov:hasArrangement': [
            {
              '@id': 'arrangement/1',
              '@type': 'trov:ArtifactArrangement',
              'trov:hasArtifactLocation': [{ '@id': 'arrangement/1/location/1', '@type': 'trov:ArtifactLocation', 'trov:hasArtifact': { '@id': `composition/1/artifact/${evil}` }, 'trov:hasLocation': evil }],
            },
          ],
          'trov:hasPerformance': { '@id': 'trp/1', '@type': 'trov:TransparentResearchPerformance', 'pe:bundleFingerprint': hash, 'trov:accessedArrangement': { '@id': 'arrangement/1' } },
        },
      ],
    };
    writeFileSync(join(dir, 'run.trace.tro.jsonld'), JSON.stringify(tro, null, 2));
    const file = report([join(dir, 'run.trace.tro.jsonld')], 'hostile.html');
    const html = readFileSync(file, 'utf8');
    expect(html).not.toContain('<script>window.__pwned');
    expect(html).not.toContain('<img src=x');
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html.match(/<\/style>/g)).toHaveLength(1);
    const o = await open(file);
    try {
      const { page } = o;
      expect(await page.evaluate('window.__pwned === undefined')).toBe(true);
      expect(await page.locator('img').count()).toBe(0);
      expect(await page.textContent('h1 + p code')).toContain('hostile');
      expect(await page.locator(`#record-0 td:has-text('${'</style><script>'}')`).count()).toBeGreaterThan(0);
      expect(o.consoleErrors).toEqual([]);
      expect(o.requests).toEqual([]);
    } finally {
      await o.close();
    }
    // The example corpus with a hostile input name and a hostile run file name, so both appear in the audit's paths.
    const hostileDir = join(scratch, 'hostile-corpus');
    cpSync(join(REPO_ROOT, 'fixtures/corpus'), hostileDir, { recursive: true });
    const buildFile = join(hostileDir, 'emitted/build/populace-uk-2023-dd68c73-4aa4b14-20260619T023711Z.build.trace.tro.jsonld');
    writeFileSync(buildFile, readFileSync(buildFile, 'utf8').replace('"schema:name": "adult.tab"', `"schema:name": ${JSON.stringify(`adult.tab ${evil}`)}`));
    const runDir = join(hostileDir, 'emitted/run-record-uk');
    writeFileSync(join(runDir, `${evil.replace(/\//g, '_')}.trace.tro.jsonld`), readFileSync(join(runDir, 'run.trace.tro.jsonld')));
    rmSync(join(runDir, 'run.trace.tro.jsonld'));
    const dirPage = report(['--dir', hostileDir], 'hostile-dir.html');
    const dirHtml = readFileSync(dirPage, 'utf8');
    expect(dirHtml.match(/<script>/g)).toHaveLength(1);
    expect(dirHtml).toContain('adult.tab &lt;/style&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt;&lt;img src=x onerror=&quot;window.__pwned=2&quot;&gt;&quot;&#39;');
    expect(dirHtml).toContain('&lt;_style&gt;&lt;script&gt;window.__pwned=1&lt;_script&gt;');
    const d = await open(dirPage);
    try {
      expect(await d.page.evaluate('window.__pwned === undefined')).toBe(true);
      expect(d.consoleErrors).toEqual([]);
      expect(d.requests).toEqual([]);
    } finally {
      await d.close();
    }
  }, 120_000);
});
