// `diff` classification on historical policyengine.py pairs (expectations read off the fixtures by hand), run records and hostile inputs.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type DiffCategory, diffRecords, diffVerdict } from '../../src/diff/index.js';
import { sha256Hex } from '../../src/hash/index.js';
import { loadRecord } from '../../src/summary/index.js';
import { FIXTURES } from '../support/cli.js';
import { HISTORY_VERSIONS, historyTro } from '../support/history.js';

const PY = join(FIXTURES, 'policyengine-py');

/**
 * Consecutive versions of the same country's shipped bundle TRO. Each expectation was derived by reading the two
 * files side by side (`diff <(jq -S . A) <(jq -S . B)`), not from this code's output:
 */
const HISTORY_PAIRS: readonly { a: string; b: string; changed: DiffCategory[]; why: string }[] = [
  {
    a: '2026-06-01-f2ead65254960ea4',
    b: '2026-06-02-cbb79ef59b82f96b',
    changed: ['rules', 'metadata'],
    why: 'uk: policyengine-uk wheel 2.88.20 -> 2.88.40; dataset 584ae33d, drm 9f41a0f1 and build policyengine-uk-data-1.55.10 unchanged; bundle uk-4.12.1 -> uk-4.13.1, CI -> local',
  },
  {
    a: '2026-05-13-67428cb0af406c58',
    b: '2026-05-13-9230e52688ee7ccb',
    changed: ['data'],
    why: 'us: only the data release manifest hash moved (d6b29cef -> f73ccb68); same wheel, dataset, build, bundle manifest, dates',
  },
  {
    a: '2026-05-11-0e10b435abea26b6',
    b: '2026-05-11-b8b7a6061fa18ec2',
    changed: ['metadata'],
    why: 'us: same wheel 1.690.7, dataset 58a6639f, drm 17cfd2fb; bundle manifest hash, bundle id us-4.4.2 -> us-4.4.3 and local -> github-actions only',
  },
  {
    a: '2026-05-16-c6a262f4e644dede',
    b: '2026-05-17-f3992e21250467c3',
    changed: ['rules', 'data', 'metadata'],
    why: 'us: wheel 1.691.10 -> 1.691.12; drm 50fec0ba dropped (status unavailable), build policyengine-us-data-1.115.3 -> crfb-longrun-20260517; dataset 96965b0d unchanged',
  },
  {
    a: '2026-05-07-4d01b78855e5e0ae',
    b: '2026-05-09-035280d70ebb3e53',
    changed: ['data', 'metadata'],
    why: 'us: wheel 1.687.0 (cac7da3a) unchanged; a data release manifest (83aafd9f) appears where there was none; bundle manifest hash moved',
  },
];

describe('diff on historical bundle TRO pairs', () => {
  for (const p of HISTORY_PAIRS) {
    it(`${p.a} -> ${p.b}: ${p.changed.join(', ')}`, async () => {
      const a = await loadRecord(historyTro(p.a));
      const b = await loadRecord(historyTro(p.b));
      const d = diffRecords(a.summary, b.summary);
      expect(d.changed, p.why).toEqual(p.changed);
      expect(d.identicalInSubstance).toBe(p.changed.every((c) => c === 'metadata'));
    });
  }

  it('a record compared with itself changes nothing', async () => {
    const a = await loadRecord(historyTro('2026-06-01-f2ead65254960ea4'));
    const d = diffRecords(a.summary, a.summary);
    expect(d.changed).toEqual([]);
    expect(diffVerdict(d)).toBe('rules unchanged, data unchanged, metadata unchanged');
    expect(d.artifacts.every((x) => x.status === 'same')).toBe(true);
  });

  it('the rules-only pair names the wheel artifact as the change, with both hashes', async () => {
    const d = diffRecords((await loadRecord(historyTro('2026-06-01-f2ead65254960ea4'))).summary, (await loadRecord(historyTro('2026-06-02-cbb79ef59b82f96b'))).summary);
    const wheel = d.artifacts.find((x) => x.id === 'model_wheel');
    expect(wheel).toMatchObject({ status: 'changed', category: 'rules' });
    expect(wheel?.a?.hash).toMatch(/^8c3dacb8/);
    expect(wheel?.b?.hash).toMatch(/^15621283/);
    expect(d.artifacts.find((x) => x.id === 'dataset')?.status).toBe('same');
    expect(d.categories.rules.map((c) => c.field)).toContain('model version');
  });
});

/** An independent oracle over the raw JSON: the fields that make a bundle's rules and its data, read directly. */
function rawFacts(path: string): { cc: string; rules: string; data: string } {
  const node = (JSON.parse(readFileSync(path, 'utf8')) as { '@graph': Record<string, unknown>[] })['@graph'][0] as Record<string, Record<string, unknown>>;
  const arts = (node['trov:hasComposition']?.['trov:hasArtifact'] ?? []) as Record<string, string>[];
  const art = (id: string): Record<string, string> | undefined => arts.find((a) => a['@id'] === `composition/1/artifact/${id}`);
  const perf = node['trov:hasPerformance'] as Record<string, string>;
  const wheel = art('model_wheel');
  const drm = art('data_release_manifest');
  const ds = art('dataset');
  const cc = /policyengine (\S+) certified/.exec(String(node['schema:name']))?.[1] ?? '?';
  return {
    cc,
    rules: JSON.stringify([wheel?.['trov:sha256'], wheel?.['schema:name']]),
    data: JSON.stringify([
      ds?.['trov:sha256'], ds?.['schema:name'], drm?.['trov:sha256'], drm?.['schema:name'], perf['pe:dataReleaseManifestStatus'],
      perf['pe:dataBuildId'], perf['pe:dataBuildFingerprint'], perf['pe:builtWithModelVersion'], perf['pe:builtWithModelGitSha'],
    ]),
  };
}

describe('diff over every consecutive pair of the 219 historical versions', () => {
  it('agrees with a raw-JSON oracle on rules and data for each country', async () => {
    const last = new Map<string, string>();
    let pairs = 0;
    const seen = { rules: 0, data: 0, neither: 0 };
    for (const v of HISTORY_VERSIONS) {
      const path = historyTro(v);
      const cc = rawFacts(path).cc;
      const prev = last.get(cc);
      last.set(cc, path);
      if (prev === undefined) continue;
      const oa = rawFacts(prev);
      const ob = rawFacts(path);
      const d = diffRecords((await loadRecord(prev)).summary, (await loadRecord(path)).summary);
      expect(d.changed.includes('rules'), `${prev} -> ${v}`).toBe(oa.rules !== ob.rules);
      expect(d.changed.includes('data'), `${prev} -> ${v}`).toBe(oa.data !== ob.data);
      pairs += 1;
      if (oa.rules !== ob.rules) seen.rules += 1;
      if (oa.data !== ob.data) seen.data += 1;
      if (oa.rules === ob.rules && oa.data === ob.data) seen.neither += 1;
    }
    expect(pairs).toBe(HISTORY_VERSIONS.length - 2);
    // The history holds all three situations, so the oracle comparison is not vacuous.
    expect(seen.rules).toBeGreaterThan(0);
    expect(seen.data).toBeGreaterThan(0);
    expect(seen.neither).toBeGreaterThan(0);
  });
});

describe('diff on run records', () => {
  it('the same run with a bundle URL differs in metadata only', async () => {
    const d = diffRecords((await loadRecord(join(PY, 'generated', 'run-record'))).summary, (await loadRecord(join(PY, 'generated', 'run-record-with-url'))).summary);
    expect(d.changed).toEqual(['metadata']);
    expect(d.identicalInSubstance).toBe(true);
  });

  it('a us run and a uk run differ in rules, data, reform, inputs and results, traced through their bundles', async () => {
    const d = diffRecords((await loadRecord(join(PY, 'generated', 'run-record'))).summary, (await loadRecord(join(FIXTURES, 'corpus', 'emitted', 'run-record-uk'))).summary);
    expect(d.changed).toEqual(['rules', 'data', 'reform', 'inputs', 'results', 'metadata']);
  });

  it('a different reform payload (re-hashed into the TRO) is a reform change, nothing else of substance', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pe-diff-'));
    cpSync(join(PY, 'generated', 'run-record'), join(dir, 'b'), { recursive: true });
    const reform = '{\n  "name": "ctc-base-2500",\n  "parameter_values": []\n}\n';
    writeFileSync(join(dir, 'b', 'reform.json'), reform);
    const tro = join(dir, 'b', 'run.trace.tro.jsonld');
    writeFileSync(tro, readFileSync(tro, 'utf8').replace('f138646d48fce8d64a531cd8e5972ef8a77ba5568984ac67c5d36ddaa3de319a', sha256Hex(reform)));
    const b = await loadRecord(join(dir, 'b'));
    expect(b.warnings).toEqual([]);
    const d = diffRecords((await loadRecord(join(PY, 'generated', 'run-record'))).summary, b.summary);
    expect(d.changed).toEqual(['reform']);
    expect(d.categories.reform.map((c) => c.field)).toEqual(['artifact reform', 'reform name', 'reform parameter names', 'reform parameters']);
  });

  it('an unreadable (tampered) bundle TRO is never mistaken for a removed release', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pe-diff-'));
    cpSync(join(PY, 'generated', 'run-record'), join(dir, 'b'), { recursive: true });
    const bundle = join(dir, 'b', 'bundle.trace.tro.jsonld');
    writeFileSync(bundle, readFileSync(bundle, 'utf8').replace('1.764.6', '9.9.9'));
    const b = await loadRecord(join(dir, 'b'));
    expect(b.warnings.some((w) => w.startsWith('bundle.trace.tro.jsonld: its sha256 differs'))).toBe(true);
    const d = diffRecords((await loadRecord(join(PY, 'generated', 'run-record'))).summary, b.summary);
    // The run TRO's claims are identical; the tampering is verify's job (and is reported as a warning).
    expect(d.changed).toEqual([]);
  });
});

describe('diff on bundle manifests and mixed kinds', () => {
  it('two bundle manifests: the historical 927cf40 manifest against HEAD', async () => {
    const d = diffRecords((await loadRecord(join(PY, 'history-selected', '927cf40-manifest.json'))).summary, (await loadRecord(join(PY, 'shipped', 'manifest.json'))).summary);
    // By hand (jq over data_releases): uk model 2.89.2 -> 2.90.2 and dataset f17306cc -> e433e532; us model
    // 1.764.6 and dataset 48b9d479 unchanged; bundle ids 5.0.1 -> 5.0.3.
    expect(d.changed).toEqual(['rules', 'data', 'metadata']);
    const rules = d.categories.rules.map((c) => c.field);
    expect(rules).toContain('release uk: model version');
    expect(rules.some((f) => f.startsWith('release us:'))).toBe(false);
    expect(d.categories.data.map((c) => c.field)).toContain('release uk: dataset sha256');
    expect(d.categories.data.some((c) => c.field.startsWith('release us: dataset'))).toBe(false);
  });

  it('refuses to compare a bundle TRO with a run record (bad input, exit 3)', async () => {
    const a = await loadRecord(join(PY, 'shipped', 'us.trace.tro.jsonld'));
    const b = await loadRecord(join(PY, 'generated', 'run-record'));
    expect(() => diffRecords(a.summary, b.summary)).toThrow(expect.objectContaining({ code: 'RECORD_UNRECOGNISED', exitCode: 3 }));
  });
});
