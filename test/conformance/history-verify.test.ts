// The 219 historical policyengine.py TROs: pe-trace gives exactly the per-artifact verdicts of the reference algorithm.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTroFile, verifyTro } from '../../src/index.js';
import { FIXTURES, REPO_ROOT } from '../support/cli.js';
import { HISTORY, HISTORY_VERSIONS, historyTro } from '../support/history.js';

const GOLDEN = join(FIXTURES, 'policyengine-py', 'history-verdicts.json');

interface Verdict {
  fingerprint: string;
  artifacts: [string, string][];
}


const versions = HISTORY_VERSIONS;
const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Record<string, Verdict>;

describe('historical policyengine.py TROs (219 versions)', () => {
  it('has all 219 versions and a golden verdict for each', () => {
    expect(versions).toHaveLength(219);
    expect(Object.keys(golden).sort()).toEqual(versions);
  });

  it('golden verdicts equal what the independent Python oracle computes now', (ctx) => {
    const py = spawnSync('python3', ['--version']);
    if (py.status !== 0) ctx.skip('python3 is not installed: the committed golden file is used as it is');
    const r = spawnSync('python3', [join(REPO_ROOT, 'test', 'oracle', 'reference_verify.py'), HISTORY], { maxBuffer: 32 * 1024 * 1024 });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout.toString('utf8'))).toEqual(golden);
  });

  it.each(versions)('%s: same verdicts as the reference, https artifacts skipped', async (version) => {
    const dir = join(HISTORY, version);
    const tro = historyTro(version);
    const { model } = await loadTroFile(tro, { label: relative(REPO_ROOT, tro) });
    expect(model.dialect.id).toBe('pe-0.1');
    const located = new Map<string, string>();
    for (const arr of model.arrangements) for (const l of arr.locations) if (!located.has(l.artifactId)) located.set(l.artifactId, l.location);
    const skip = model.artifacts.filter((a) => (located.get(a.id) ?? '').startsWith('https://')).map((a) => a.shortId);
    const report = await verifyTro(model, { baseDir: dir, skip, fetchHttps: false });
    const expected = golden[version] as Verdict;
    expect(report.fingerprint.status).toBe(expected.fingerprint);
    expect(report.artifacts.map((a) => [a.id, a.status])).toEqual(expected.artifacts);
    // Before 2026-06-18 the bundle_manifest hash covered a re-serialised model dump, never the file bytes.
    if (version < '2026-06-18') expect(report.artifacts[0]).toMatchObject({ id: 'bundle_manifest', status: 'mismatch' });
  });
});
