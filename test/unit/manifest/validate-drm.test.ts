// The data release manifest's own schema and SHACL shapes: real manifests conform, each defect is caught, the two contracts agree.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJson } from '../../../src/json/parse.js';
import { validateDataReleaseManifest, validateDrmSchema } from '../../../src/manifest/validate-drm.js';
import { FIXTURES } from '../../support/cli.js';
import { POPULACE_UK_DRM, SHA_C, artifact, usDrm } from '../../support/manifest-samples.js';
import type { JsonDoc } from '../../support/manifest-samples.js';

const PE = 'https://policyengine.org/trace/0.1#';

function json(doc: unknown): ReturnType<typeof parseJson> {
  return parseJson(JSON.stringify(doc));
}

/** SHACL violations of a document (or of JSON text, to keep a float like `1.0` a float). */
async function shaclViolations(doc: unknown): Promise<{ path: string | undefined; message: string }[]> {
  const parsed = typeof doc === 'string' ? parseJson(doc) : json(doc);
  const report = await validateDataReleaseManifest(parsed, { base: 'https://pe-trace.invalid/doc/t/' });
  return report.shacl.filter((r) => r.severity === 'violation').map((r) => ({ path: r.path?.replace(PE, 'pe:'), message: r.message }));
}

/** The retired bundle repo's schema for the same documents: an oracle, never shipped. */
const theirs = new Ajv2020({ strict: false, validateFormats: false }).compile(
  JSON.parse(readFileSync(join(FIXTURES, 'pe-data', 'policyengine-bundles', 'schemas__data-release-manifest.schema.json'), 'utf8')) as object,
);

describe('real and representative manifests', () => {
  it('the published populace UK manifest conforms to everything (one ignored key reported)', async () => {
    const report = await validateDataReleaseManifest(parseJson(readFileSync(POPULACE_UK_DRM)), { label: 'uk.json' });
    expect(report.conforms).toBe(true);
    expect(report.schema).toEqual([]);
    expect(report.shacl).toEqual([]);
    expect(report.reading.map((f) => f.severity)).toEqual(['info']);
  });

  it('the interop §10 manifest conforms, with a warning for its placeholder fingerprint', async () => {
    const report = await validateDataReleaseManifest(json(usDrm()));
    expect(report.conforms).toBe(true);
    expect(report.shacl.map((r) => [r.severity, r.message])).toEqual([['warning', 'data_build_fingerprint should be sha256:<64 hex digits>']]);
  });

  it('agrees with the retired bundle repo schema on manifests within its vocabulary', () => {
    const good = [usDrm(), usDrm({ build: null }), usDrm({ preservation_dois: ['10.5281/zenodo.1'] })];
    const bad = [
      usDrm({ data_package: { name: 'populace-data' } }),
      usDrm({ artifacts: { a: { path: 'a.h5', repo_id: 'o/r', revision: 'v' } } }),
      usDrm({ schema_version: 'one' }),
      usDrm({ artifacts: { a: artifact('a.h5', { size_bytes: 'big' }) } }),
    ];
    const uk = JSON.parse(readFileSync(POPULACE_UK_DRM, 'utf8')) as unknown;
    for (const doc of [...good, uk]) {
      expect(validateDrmSchema(json(doc)), JSON.stringify(doc)).toEqual([]);
      expect(theirs(doc), JSON.stringify(theirs.errors)).toBe(true);
    }
    for (const doc of bad) {
      expect(validateDrmSchema(json(doc)).length, JSON.stringify(doc)).toBeGreaterThan(0);
      expect(theirs(doc)).toBe(false);
    }
  });
});

describe('each defect is caught by the shapes', () => {
  it('a missing national default: a warning (local-area releases have none), which certification refuses', async () => {
    const report = await validateDataReleaseManifest(json(usDrm({ default_datasets: { baseline: 'populace_us_2024' } })));
    expect(report.conforms).toBe(true);
    expect(report.shacl).toContainEqual(
      expect.objectContaining({
        severity: 'warning',
        sourceShape: 'https://policyengine.org/trace/0.1/shapes#NationalDefaultProperty',
        message: 'default_datasets declares no national default dataset: the release cannot be certified as a country default',
      }),
    );
  });

  it('a default that is not an artifact', async () => {
    expect(await shaclViolations(usDrm({ default_datasets: { national: 'ghost' } }))).toEqual([
      { path: 'pe:defaultDataset', message: 'a default dataset is not among the manifest artifacts' },
    ]);
  });

  it('an artifact without revision, or with an empty one', async () => {
    const missing = usDrm({ artifacts: { populace_us_2024: { kind: 'microdata', path: 'p.h5', repo_id: 'o/r', sha256: SHA_C } } });
    expect(await shaclViolations(missing)).toEqual([{ path: 'pe:revision', message: 'an artifact has no revision pin' }]);
    expect(await shaclViolations(usDrm({ artifacts: { populace_us_2024: artifact('p.h5', { revision: '' }) } }))).toEqual([
      { path: 'pe:revision', message: 'an artifact has no revision pin' },
    ]);
  });

  it('wrong types and malformed values', async () => {
    const doc = usDrm({
      schema_version: 1.0,
      artifacts: { populace_us_2024: artifact('p.h5', { sha256: 'ABC', size_bytes: -5, revision: 7 }) },
      build: { built_at: 'yesterday' },
    });
    const text = JSON.stringify(doc).replace('"schema_version":1', '"schema_version":1.0');
    const violations = await shaclViolations(text);
    expect(violations.map((v) => v.path).sort()).toEqual(['pe:builtAt', 'pe:revision', 'pe:schemaVersion', 'pe:sha256', 'pe:sizeBytes']);
  });

  it('reports warnings and info apart from violations', async () => {
    const report = await validateDataReleaseManifest(json(usDrm({ schema_version: 2, artifacts: { populace_us_2024: artifact('p.h5', { sha256: null, kind: 'novel' }) } })));
    expect(report.conforms).toBe(true);
    expect(report.shacl.map((r) => `${r.severity}: ${r.message}`).sort()).toEqual([
      'info: an artifact kind outside the kinds published so far',
      'warning: an artifact has no sha256: its bytes cannot be verified',
      'warning: data_build_fingerprint should be sha256:<64 hex digits>',
      'warning: schema_version is not 1 (the only version published so far)',
    ]);
  });

  it('reports a document policyengine.py would reject without throwing', async () => {
    const report = await validateDataReleaseManifest(json({ artifacts: {} }));
    expect(report.conforms).toBe(false);
    expect(report.reading.map((f) => f.pointer)).toEqual(['/schema_version', '/data_package']);
    expect(report.schema.length).toBeGreaterThan(0);
    expect((await validateDataReleaseManifest(json([1]))).shacl).toEqual([]);
  });
});

describe('contract alignment', () => {
  const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,11}(\/[A-Z]{2})?$/);
  const hex = fc.stringMatching(/^[0-9a-f]{64}$/);
  const art = fc.record(
    {
      kind: fc.constantFrom('microdata', 'weights', 'diagnostics'),
      path: fc.stringMatching(/^[a-z0-9_/]{1,12}\.(h5|json)$/),
      repo_id: fc.constant('policyengine/populace-us'),
      revision: fc.stringMatching(/^[a-z0-9.-]{1,20}$/),
      sha256: hex,
      size_bytes: fc.nat(),
    },
    { requiredKeys: ['kind', 'path', 'repo_id', 'revision'] },
  );

  it('every manifest our schema accepts (with a national default) has no SHACL violation', async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(name, art, { minKeys: 1, maxKeys: 4 }), fc.boolean(), async (artifacts, withBuild) => {
        const first = Object.keys(artifacts)[0] ?? 'x';
        const doc: JsonDoc = usDrm({ artifacts: artifacts as JsonDoc, default_datasets: { national: first } });
        if (!withBuild) delete doc['build'];
        expect(validateDrmSchema(json(doc))).toEqual([]);
        expect(await shaclViolations(doc)).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });
});
