// The library as a product: `npm pack`, installed into a scratch ESM project (offline), imported by name, type-checked
// with skipLibCheck false, and run: writeRunRecord writes a record that verifyTroFile verifies.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'pe-trace-package-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * Installs the packed tarball without the registry: npm's `--offline` cannot resolve the dependency ranges from a
 * cache that `npm ci` filled from a lockfile, so the tarball is unpacked into node_modules/pe-trace (exactly what npm
 * would put there) and each runtime dependency — only `dependencies`, never our devDependencies such as @types/n3 — is
 * linked from this repository's node_modules. The consumer's own @types/node and typescript are linked too.
 */
beforeAll(() => {
  const pack = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', scratch], { cwd: REPO_ROOT, encoding: 'utf8' })) as { filename: string }[];
  const tarball = join(scratch, pack[0]?.filename ?? '');
  const modules = join(scratch, 'node_modules');
  mkdirSync(join(modules, 'pe-trace'), { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', join(modules, 'pe-trace'), '--strip-components=1']);
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  for (const name of [...Object.keys(pkg.dependencies), '@types/node']) {
    mkdirSync(join(modules, name, '..'), { recursive: true });
    symlinkSync(join(REPO_ROOT, 'node_modules', name), join(modules, name), 'dir');
  }
  writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'scratch-web-service', private: true, type: 'module' }));
}, 120_000);

const CONSUMER = `import { writeRunRecord, verifyTroFile, emittedIn, type VerifyReport, type WrittenRecord } from 'pe-trace';
import { readFile } from 'node:fs/promises';

const bundleTro: unknown = JSON.parse(await readFile(process.argv[2] ?? '', 'utf8'));
const record: WrittenRecord = await writeRunRecord({
  directory: process.argv[3] ?? '',
  bundleTro: bundleTro as Parameters<typeof writeRunRecord>[0]['bundleTro'],
  input: { household: { people: 1 } },
  results: { net_income: 1234.5 },
  simulationId: 'web-service-1',
  createdAt: '2026-06-12T00:00:00Z',
  emissionContext: emittedIn('policyengine-api'),
});
const report: VerifyReport = await verifyTroFile(\`\${record.directory}/run.trace.tro.jsonld\`);
const verified: boolean = report.verified;
console.log(JSON.stringify({ fingerprint: record.fingerprint, files: record.files, verified }));
`;

describe('pe-trace as an installed package', () => {
  it('type-checks in an ESM project with skipLibCheck false (no untyped dependency types leak)', () => {
    writeFileSync(join(scratch, 'service.ts'), CONSUMER);
    writeFileSync(
      join(scratch, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: false, noEmit: true, types: ['node'] }, files: ['service.ts'] }),
    );
    const tsc = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', scratch], { cwd: scratch, encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  }, 120_000);

  it('runs from plain ESM: writeRunRecord, then verifyTroFile verifies the record', () => {
    writeFileSync(join(scratch, 'service.mjs'), CONSUMER.replace(/, type VerifyReport, type WrittenRecord/, '').replace(/: (WrittenRecord|VerifyReport|boolean|unknown)(?= =)/g, '').replace(/ as Parameters<[^>]+>\[0\]\['bundleTro'\]/, ''));
    const bundle = join(REPO_ROOT, 'fixtures', 'policyengine-py', 'shipped', 'us.trace.tro.jsonld');
    const r = spawnSync(process.execPath, ['service.mjs', bundle, join(scratch, 'record')], { cwd: scratch, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { fingerprint: string; files: string[]; verified: boolean };
    expect(out.verified).toBe(true);
    expect(out.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(out.files).toContain('run.trace.tro.jsonld');
    // The package root resolves through `exports` only: deep imports are closed.
    const deep = spawnSync(process.execPath, ['--input-type=module', '-e', "await import('pe-trace/dist/src/index.js')"], { cwd: scratch, encoding: 'utf8' });
    expect(deep.stderr).toMatch(/ERR_PACKAGE_PATH_NOT_EXPORTED/);
  });
});
