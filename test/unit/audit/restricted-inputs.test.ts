// The restricted-input audit on small hand-made corpora: aliases, transitive reduction, gaps, truncation.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { auditDirectory } from '../../../src/index.js';

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

interface Art {
  id: string;
  sha256: string;
  location: string;
  restricted?: boolean;
}

/** A pe-0.1 TRO (policyengine.py / populace shape) with the given artifacts and performance facts. */
function tro(artifacts: Art[], performance: Record<string, string>, popNs = 'https://populace.dev/trace/0.1#'): string {
  return `${JSON.stringify(
    {
      '@context': [{ pe: 'https://policyengine.org/trace/0.1#', pop: popNs, schema: 'https://schema.org/', trov: 'https://w3id.org/trace/trov/0.1#' }],
      '@graph': [
        {
          '@id': 'tro',
          '@type': 'trov:TransparentResearchObject',
          'schema:name': 'test TRO',
          'trov:hasArrangement': [
            {
              '@id': 'arrangement/1',
              'trov:hasArtifactLocation': artifacts.map((a) => ({
                '@id': `arrangement/1/location/${a.id}`,
                'trov:hasArtifact': { '@id': `composition/1/artifact/${a.id}` },
                'trov:hasLocation': a.location,
                ...(a.restricted === true ? { 'pop:accessRestricted': true } : {}),
              })),
            },
          ],
          'trov:hasComposition': {
            '@id': 'composition/1',
            'trov:hasArtifact': artifacts.map((a) => ({ '@id': `composition/1/artifact/${a.id}`, '@type': 'trov:ResearchArtifact', 'trov:sha256': a.sha256 })),
            'trov:hasFingerprint': { '@id': 'composition/1/fingerprint', 'trov:sha256': sha(artifacts.map((a) => a.sha256).sort().join('\n')) },
          },
          'trov:hasPerformance': { '@id': 'trp/1', '@type': 'trov:TransparentResearchPerformance', ...performance },
        },
      ],
    },
    null,
    2,
  )}\n`;
}

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

function corpus(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pe-trace-audit-'));
  dirs.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

const INPUT = sha('restricted survey table');
const DATASET = sha('dataset');

/** A build TRO with one restricted input and one output, its release manifest, a bundle TRO and a run. */
function chain(options: { popNs?: string; withManifest?: boolean } = {}): Record<string, string> {
  const build = tro(
    [
      { id: 'input', sha256: INPUT, location: 'https://doi.org/10.5255/UKDA-SN-1-1', restricted: true },
      { id: 'dataset', sha256: DATASET, location: 'https://huggingface.co/datasets/o/r/resolve/b1/d.h5' },
    ],
    { 'pop:buildId': 'b1' },
    options.popNs,
  );
  const manifest = `${JSON.stringify({ schema_version: 1, data_package: { name: 'x', version: '1' }, build: { build_id: 'b1' }, artifacts: { d: { kind: 'microdata', path: 'd.h5', repo_id: 'o/r', revision: 'b1', sha256: DATASET } } })}\n`;
  const bundle = tro(
    [
      ...(options.withManifest === false ? [] : [{ id: 'data_release_manifest', sha256: sha(manifest), location: 'https://huggingface.co/datasets/o/r/resolve/b1/release_manifest.json' }]),
      { id: 'dataset', sha256: DATASET, location: 'https://huggingface.co/datasets/o/r/resolve/b1/d.h5' },
    ],
    { 'pe:dataBuildId': 'b1', 'pe:certifiedForModelVersion': '1' },
  );
  const fp = (JSON.parse(bundle) as { '@graph': { 'trov:hasComposition': { 'trov:hasFingerprint': { 'trov:sha256': string } } }[] })['@graph'][0]?.['trov:hasComposition']['trov:hasFingerprint']['trov:sha256'] ?? '';
  const run = tro([{ id: 'bundle_tro', sha256: sha(bundle), location: 'bundle.trace.tro.jsonld' }], { 'pe:bundleFingerprint': fp });
  return {
    'build.trace.tro.jsonld': build,
    ...(options.withManifest === false ? {} : { 'release_manifest.json': manifest }),
    'bundle.trace.tro.jsonld': bundle,
    'run.trace.tro.jsonld': run,
  };
}

describe('auditRestrictedInputs', () => {
  it('follows input → build → release manifest → bundle → run, not the shortcuts', async () => {
    const audit = await auditDirectory(corpus(chain()));
    expect(audit.paths.map((p) => p.steps.map((s) => `${s.type} ${s.documents.join(',')}`))).toEqual([
      ['Build build.trace.tro.jsonld', 'ReleaseManifest release_manifest.json', 'Bundle bundle.trace.tro.jsonld', 'Run run.trace.tro.jsonld'],
    ]);
    expect(audit.gaps.map((g) => g.kind)).toEqual([]);
  });

  it('goes straight from build to bundle when no release manifest is loaded', async () => {
    const audit = await auditDirectory(corpus(chain({ withManifest: false })));
    expect(audit.paths.map((p) => p.steps.map((s) => s.type))).toEqual([['Build', 'Bundle', 'Run']]);
    const toBundle = audit.paths[0]?.steps[1]?.evidence.map((e) => `${e.method}/${e.relation}`).sort();
    expect(toBundle).toEqual(['hash-match/same-content', 'id-match/uses-build', 'uri-match/same-location']);
  });

  it('reads pop:accessRestricted in the microcosm.institute namespace as the same term', async () => {
    const audit = await auditDirectory(corpus(chain({ popNs: 'https://microcosm.institute/trace/0.1#' })));
    expect(audit.inputs.map((i) => i.id)).toEqual([`sha256:${INPUT}`]);
    expect(audit.inputs[0]?.signals).toEqual([{ kind: 'access-restricted-flag', value: 'true', at: 'build.trace.tro.jsonld#/@graph/0/trov:hasArrangement/0/trov:hasArtifactLocation/0/pop:accessRestricted' }]);
    expect(audit.paths).toHaveLength(1);
  });

  it('reports a build without inputs, a missing bundle TRO and an unhashed restricted pin as gaps', async () => {
    const files = chain();
    const dir = corpus({
      'build.trace.tro.jsonld': tro([{ id: 'dataset', sha256: DATASET, location: 'd.h5' }], { 'pop:buildId': 'b1' }),
      'run.trace.tro.jsonld': tro([{ id: 'bundle_tro', sha256: sha('absent bundle'), location: 'bundle.trace.tro.jsonld' }], { 'pe:bundleFingerprint': sha('absent') }),
      'stages.json': JSON.stringify({ version: 1, country: 'uk', stages: [{ stage: 's', artifacts: [{ kind: 'private_microdata', locator: 'caller-supplied local input', filename: 'secret.tab' }] }] }),
      'bundle.trace.tro.jsonld': files['bundle.trace.tro.jsonld'] ?? '',
    });
    const audit = await auditDirectory(dir);
    expect(audit.gaps.map((g) => `${g.kind} ${g.subject}`)).toEqual([
      'build-without-inputs build.trace.tro.jsonld',
      'dataset-inputs-unknown build b1',
      'release-manifest-missing bundle.trace.tro.jsonld#/@graph/0/trov:hasComposition/trov:hasArtifact/0',
      'bundle-tro-missing run.trace.tro.jsonld#/@graph/0/trov:hasComposition/trov:hasArtifact/0',
      'restricted-without-hash source-pin at stages.json#/stages/0/artifacts/0',
    ]);
    expect(audit.gaps[1]?.message).toContain('the build records (build.trace.tro.jsonld) declare no inputs');
  });

  it('stops at --max-paths per input and says so', async () => {
    const files = chain();
    const bundleText = files['bundle.trace.tro.jsonld'] ?? '';
    const fp = (JSON.parse(bundleText) as { '@graph': { 'trov:hasComposition': { 'trov:hasFingerprint': { 'trov:sha256': string } } }[] })['@graph'][0]?.['trov:hasComposition']['trov:hasFingerprint']['trov:sha256'] ?? '';
    for (let i = 0; i < 5; i++) {
      files[`runs/run-${i}.trace.tro.jsonld`] = tro([{ id: 'bundle_tro', sha256: sha(bundleText), location: 'b' }, { id: 'input', sha256: sha(`in ${i}`), location: 'input.json' }], { 'pe:bundleFingerprint': fp });
    }
    const full = await auditDirectory(corpus(files));
    expect(full.paths).toHaveLength(6);
    expect(full.truncated).toBe(false);
    const cut = await auditDirectory(corpus(files), { maxPathsPerInput: 2 });
    expect(cut.paths).toHaveLength(2);
    expect(cut.truncated).toBe(true);
  });
});
