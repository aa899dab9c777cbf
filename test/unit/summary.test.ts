// Record summaries of the shipped bundle TROs, the generated run record, a bundle manifest and hostile inputs.
import { copyFileSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatSummaryText, loadRecord } from '../../src/summary/index.js';
import { FIXTURES } from '../support/cli.js';

const PY = join(FIXTURES, 'policyengine-py');

describe('record summary', () => {
  it('summarises the shipped US bundle TRO: kind, release facts, artifacts, manifest citation', async () => {
    const { summary: s } = await loadRecord(join(PY, 'shipped', 'us.trace.tro.jsonld'));
    expect(s.kind).toBe('bundle');
    expect(s.dialect).toBe('pe-0.1');
    expect(s.creator?.name).toBe('PolicyEngine');
    expect(s.producer).toEqual({ name: 'policyengine', version: '5.0.3' });
    expect(s.emittedIn).toBe('repository-bundle');
    expect(s.fingerprint?.value).toBe('66ceaf4c12243f1f6ccb5b01e10fd1cd0a6e1e2fc6a9915ae5bde114353a4377');
    expect(s.artifacts.map((a) => [a.id, a.role, a.shortHash])).toEqual([
      ['bundle_manifest', 'bundle-manifest', '6f113d9388d2'],
      ['data_release_manifest', 'data-release-manifest', 'dd949ba3c4c7'],
      ['dataset', 'dataset', '48b9d479fb4f'],
      ['model_wheel', 'model-wheel', '2b2c5c02c26a'],
    ]);
    const r = s.releases[0];
    expect(s.releases).toHaveLength(1);
    expect(r?.country).toBe('us');
    expect(r?.bundleId).toBe('us-5.0.3');
    expect(r?.model).toMatchObject({ name: 'policyengine-us', version: '1.764.6', wheelSha256: '2b2c5c02c26ab212270948db1f30129728b625fc6109fc9ca0c604b714546909' });
    expect(r?.data).toMatchObject({ package: 'populace-data', version: '0.1.0', buildId: 'populace-us-2024-buildp-sparse-rmloss100-cae8640-20260728T011454Z' });
    expect(r?.data.dataset?.name).toBe('populace_us_2024');
    expect(r?.certification.compatibilityBasis).toBe('built_with_model_package');
    // manifest.json sits beside the shipped TRO and its sha256 is the bundle_manifest claim: its citation is read.
    expect(s.citation).toEqual({ publisher: 'PolicyEngine', title: 'PolicyEngine bundle 5.0.3', type: 'software-bundle', version: '5.0.3' });
    expect(s.links.map((l) => l.kind)).toEqual(['data-release-manifest', 'build']);
  });

  it('summarises a run record folder through its bundle TRO and payloads', async () => {
    const { summary: s, warnings } = await loadRecord(join(PY, 'generated', 'run-record'));
    expect(warnings).toEqual([]);
    expect(s.source).toBe('run-record');
    expect(s.kind).toBe('run');
    expect(s.simulationId).toBe('run-1');
    expect(s.fingerprint?.value).toBe('8b68588a1b527c00c4a823d9908dadd7600d9d95dfb959dbc885d33bd57a2997');
    expect(s.bundle?.fingerprint).toBe('66ceaf4c12243f1f6ccb5b01e10fd1cd0a6e1e2fc6a9915ae5bde114353a4377');
    expect(s.bundle?.summary?.kind).toBe('bundle');
    expect(s.releases[0]?.model.version).toBe('1.764.6');
    expect(s.reform?.facts).toMatchObject({ name: 'ctc-base-3000', parameters: '2' });
    expect(s.input?.facts['dataset file']).toBe('input_dataset.h5');
    expect(s.results?.sha256).toMatch(/^2a2e1105/);
  });

  it('tells a results TRO (bundle at a URL or #fingerprint) from a run record', async () => {
    const { summary: s } = await loadRecord(join(PY, 'generated', 'web-run.simulation.trace.tro.jsonld'));
    expect(s.kind).toBe('results');
    expect(s.runtime?.sha256).toBeDefined();
    expect(Object.keys(s.runtimeEnvironment).length).toBeGreaterThan(0);
  });

  it('summarises a bundle manifest: one release per country, the citation block, its own sha256', async () => {
    const { summary: s } = await loadRecord(join(PY, 'shipped', 'manifest.json'));
    expect(s.kind).toBe('bundle-manifest');
    expect(s.releases.map((r) => [r.country, r.bundleId, r.model.name])).toEqual([
      ['uk', 'uk-5.0.3', 'policyengine-uk'],
      ['us', 'us-5.0.3', 'policyengine-us'],
    ]);
    expect(s.artifacts[0]?.hash?.value).toBe('6f113d9388d2b3dcc6a073a28ba3d0ae50b0cd32a317a574a38d6a673f96bfa6');
    expect(s.citation?.['title']).toBe('PolicyEngine bundle 5.0.3');
  });

  it('show text fits one screenful at 100 columns', async () => {
    for (const p of [join(PY, 'shipped', 'us.trace.tro.jsonld'), join(PY, 'generated', 'run-record'), join(PY, 'shipped', 'manifest.json')]) {
      const lines = formatSummaryText((await loadRecord(p)).summary);
      expect(lines.length).toBeLessThanOrEqual(40);
      for (const l of lines) expect([...l].length).toBeLessThanOrEqual(100);
    }
  });

  it('does not read a tampered payload or follow a symlink beside a run record', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pe-summary-'));
    for (const f of ['run.trace.tro.jsonld', 'bundle.trace.tro.jsonld', 'input.json', 'results.json']) copyFileSync(join(PY, 'generated', 'run-record', f), join(dir, f));
    writeFileSync(join(dir, 'results.json'), '{"forged": true}\n');
    symlinkSync(join(PY, 'generated', 'run-record', 'reform.json'), join(dir, 'reform.json'));
    const { summary: s, warnings } = await loadRecord(dir);
    expect(s.results?.facts).toEqual({});
    expect(s.reform?.facts).toEqual({});
    expect(warnings.some((w) => w.startsWith('results.json: its sha256 differs'))).toBe(true);
    expect(s.links.some((l) => l.kind === 'signature')).toBe(false);
    writeFileSync(join(dir, 'run.trace.tro.jsonld.sigstore.json'), '{}');
    expect((await loadRecord(dir)).summary.links[0]).toEqual({ kind: 'signature', target: 'run.trace.tro.jsonld.sigstore.json' });
  });

  it('a TRO with 500 artifacts still shows in one screen (the rest counted, all in the summary)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pe-summary-'));
    const hex = (i: number): string => i.toString(16).padStart(64, '0');
    const arts = Array.from({ length: 500 }, (_, i) => ({ '@id': `composition/1/artifact/a${i}`, '@type': 'trov:ResearchArtifact', 'trov:sha256': hex(i) }));
    const locs = arts.map((a, i) => ({ '@id': `arrangement/1/location/a${i}`, 'trov:hasArtifact': { '@id': a['@id'] }, 'trov:hasLocation': `f${i}.json` }));
    const tro = {
      '@context': [{ trov: 'https://w3id.org/trace/trov/0.1#', schema: 'https://schema.org/' }],
      '@graph': [
        {
          '@id': 'tro',
          '@type': 'trov:TransparentResearchObject',
          'trov:hasComposition': { '@id': 'composition/1', 'trov:hasArtifact': arts, 'trov:hasFingerprint': { '@id': 'composition/1/fingerprint', 'trov:sha256': hex(1) } },
          'trov:hasArrangement': [{ '@id': 'arrangement/1', 'trov:hasArtifactLocation': locs }],
        },
      ],
    };
    writeFileSync(join(dir, 'big.jsonld'), JSON.stringify(tro));
    const { summary } = await loadRecord(join(dir, 'big.jsonld'));
    expect(summary.artifacts).toHaveLength(500);
    expect(summary.kind).toBe('unknown');
    const lines = formatSummaryText(summary);
    expect(lines.length).toBeLessThanOrEqual(40);
    expect(lines).toContain('  … 488 more (see --json)');
  });

  it('a folder with exactly one TRO is read as that TRO; the buggy results writer\'s mismatch is a warning', async () => {
    const { summary: s, warnings, mainFile } = await loadRecord(join(PY, 'generated', 'results-demo'));
    expect(mainFile).toBe('results.trace.tro.jsonld');
    expect(s.kind).toBe('results');
    expect(s.source).toBe('tro');
    expect(warnings).toEqual(["results.json: its sha256 differs from the TRO's claim for artifact results; its content is not summarised (run verify)"]);
  });

  it('refuses what is not a record with a coded bad-input error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pe-summary-'));
    writeFileSync(join(dir, 'x.json'), '{"hello": 1}');
    await expect(loadRecord(join(dir, 'x.json'), { label: 'x.json' })).rejects.toMatchObject({ code: 'RECORD_UNRECOGNISED', exitCode: 3 });
    await expect(loadRecord(dir, { label: 'dir' })).rejects.toMatchObject({ code: 'RECORD_UNRECOGNISED' });
    await expect(loadRecord(join(dir, 'missing'), { label: 'missing' })).rejects.toMatchObject({ code: 'INPUT_UNREADABLE' });
  });
});
