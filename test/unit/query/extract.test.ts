// Facts extracted from real files: kinds, roles, build ids, signals, and the dialect label agreeing with detectDialect.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataFactory } from 'n3';
import { type DocumentFacts, detectDialect, extractFacts, isPeTraceError, liftJsonLd, parseJson, toTurtle } from '../../../src/index.js';

const read = (p: string): Uint8Array => new Uint8Array(readFileSync(p));
const facts = (p: string): DocumentFacts => extractFacts(read(p), p.endsWith('.ttl') ? 'turtle' : 'json', p);
const R = 'fixtures/corpus/real';

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) walk(join(dir, e.name), out);
    else if (e.name.endsWith('.jsonld') || e.name.endsWith('.json')) out.push(join(dir, e.name));
  }
  return out;
}

describe('extractFacts', () => {
  it('reads a certified bundle TRO: entity, data build, fingerprint, artifact roles', () => {
    const f = facts(`${R}/policyengine-py/data/bundle/us.trace.tro.jsonld`);
    expect(f.kind).toBe('tro');
    expect(f.dialect).toBe('pe-0.1');
    const [e] = f.entities;
    expect(e?.type).toBe('Bundle');
    expect(e?.iri).toBe(`${f.graph}tro`);
    expect(e?.dataBuildIds.map((b) => b.value)).toEqual(['populace-us-2024-buildp-sparse-rmloss100-cae8640-20260728T011454Z']);
    expect(e?.fingerprint?.value).toBe('66ceaf4c12243f1f6ccb5b01e10fd1cd0a6e1e2fc6a9915ae5bde114353a4377');
    expect(f.artifacts.map((a) => `${a.key}:${a.role}:${a.sha256[0]?.value.slice(0, 8) ?? ''}`)).toEqual([
      'bundle_manifest:bundle-manifest:6f113d93',
      'data_release_manifest:release-manifest:dd949ba3',
      'dataset:dataset:48b9d479',
      'model_wheel:model-wheel:2b2c5c02',
    ]);
    // the pointer is where the artifact is defined, not where a location first refers to it
    expect(f.artifacts[2]?.pointer).toBe('/@graph/0/trov:hasComposition/trov:hasArtifact/2');
    expect(f.signals).toEqual([]);
  });

  it('marks a private-repo dataset location as a restriction signal (and not the manifest stored beside it)', () => {
    const f = facts(`${R}/policyengine-py/data/bundle/uk.trace.tro.jsonld`);
    expect(f.signals.map((s) => `${s.kind} ${s.value} ${s.pointer}`)).toEqual([
      'private-repo policyengine/policyengine-uk-data-private /@graph/0/trov:hasArrangement/0/trov:hasArtifactLocation/2/trov:hasLocation',
    ]);
  });

  it('reads a run record: bundle fingerprint and the bound bundle TRO', () => {
    const f = facts(`${R}/policyengine-py/run-record-with-url/run.trace.tro.jsonld`);
    expect(f.entities[0]?.type).toBe('Run');
    expect(f.entities[0]?.bundleFingerprints.map((b) => b.value)).toEqual(['66ceaf4c12243f1f6ccb5b01e10fd1cd0a6e1e2fc6a9915ae5bde114353a4377']);
    expect(f.entities[0]?.bundleTroUrls.map((b) => b.value)).toEqual(['https://example.org/bundle.trace.tro.jsonld']);
    expect(f.artifacts.map((a) => a.role)).toEqual(['bundle-tro', 'run-input', 'run-input', 'run-output']);
  });

  it('reads the populace build TRO: build id, outputs and payloads, no input', () => {
    const f = facts(`${R}/populace/us/populace_us_2024.trace.tro.jsonld`);
    expect(f.entities[0]?.type).toBe('Build');
    expect(f.entities[0]?.buildIds.map((b) => b.value)).toEqual(['populace-us-2024-9f1260b-20260611']);
    expect(f.artifacts.map((a) => a.role)).toEqual(['output', 'output', 'payload', 'payload', 'payload']);
  });

  it('reads an emitted build TRO: inputs typed pop:RestrictedInput, flagged, with identifiers and bases', () => {
    const f = facts('fixtures/corpus/emitted/build/populace-uk-2023-dd68c73-4aa4b14-20260619T023711Z.build.trace.tro.jsonld');
    const inputs = f.artifacts.filter((a) => a.role === 'input');
    expect(inputs.map((a) => a.key)).toEqual(['frs_spine.adult', 'frs_spine.househol', 'was_wealth.was_qrf_donor']);
    expect(inputs[0]?.externalIds.map((x) => x.value)).toEqual(
      expect.arrayContaining(['pop:ukdsStudyNumber=9563', 'pop:doi=10.5255/UKDA-SN-9563-1', 'pop:sourceKind=licensed_microdata']),
    );
    const flags = f.signals.filter((s) => s.kind === 'access-restricted-flag');
    expect(flags).toHaveLength(3);
    expect(flags[0]?.value).toMatch(/^true \(illustrative binding .*source-stage kind licensed_microdata/);
  });

  it('reads release manifests of both shapes, a build manifest, the bundle manifest with overlays, a country bundle', () => {
    const june = facts(`${R}/populace/uk-june-2023/release_manifest.json`);
    expect(june.kind).toBe('release-manifest');
    expect(june.entities[0]?.buildIds.map((b) => b.value)).toEqual(['populace-uk-2023-dd68c73-4aa4b14-20260619T023711Z']);
    expect(june.artifacts.map((a) => a.locations[0]?.value)).toContain('hf://policyengine/populace-uk-private/populace_uk_2023.h5@populace-uk-2023-dd68c73-4aa4b14-20260619T023711Z');
    expect(new Set(june.signals.map((s) => s.kind))).toEqual(new Set(['private-repo', 'free-text']));

    const early = facts(`${R}/populace/us/release_manifest.json`);
    expect(early.kind).toBe('release-manifest');
    expect(early.entities[0]?.notes[0]?.value).toMatch(/IRS PUF 2015/);

    const build = facts(`${R}/populace/uk-june-2023/build_manifest.json`);
    expect(build.kind).toBe('build-manifest');
    expect(build.entities[0]?.notes.map((n) => n.value)).toEqual([
      'code PolicyEngine/policyengine-uk-data@dd68c7396bd9624d655fb355af192060d57a02cf',
      'related code PolicyEngine/populace@4aa4b14cdd8bb693df594d822256a843dd8a8645',
    ]);

    const bundle = facts(`${R}/policyengine-py/data/bundle/manifest.json`);
    expect(bundle.entities.map((e) => e.label)).toEqual(['bundle manifest entry uk-5.0.3', 'bundle manifest entry us-5.0.3']);
    const overlay = bundle.artifacts.find((a) => a.pointer === '/dataset_overlays/uk/populace_uk_2023');
    expect(overlay?.sha256[0]?.value).toBe('f17306ccb2aad7ff0130be3589b560afb2e2a12a943570911cd0c77f07934833');
    expect(overlay?.fromBuild).toBeUndefined();
    expect(bundle.artifacts.find((a) => a.pointer === '/data_releases/uk/datasets/enhanced_frs_2024_25')?.fromBuild?.value).toBe('policyengine-uk-data-1.56.16');

    const country = facts(`${R}/policyengine-bundles/4.4.5/countries/uk.json`);
    expect(country.kind).toBe('country-bundle');
    const ref = country.artifacts.find((a) => a.role === 'release-manifest');
    expect(ref?.sha256.map((s) => s.value)).toEqual(['31de03e0bedc1ad29d5809fb16ca925f26485c86fc1b14bf911636ebb83863a4']);
    expect(country.signals.filter((s) => s.kind === 'visibility')).toHaveLength(6);
  });

  it('reads source stages: kinds, access, study numbers (both spellings), the hashless PUF locator', () => {
    const uk = facts(`${R}/microcosm/source-stages/uk_hmrc_income_source_stages.json`);
    const spi = uk.artifacts.find((a) => a.key.endsWith('put2223uk.tab'));
    expect(spi?.externalIds.map((x) => x.value)).toEqual(['ukds_study_number=9422', 'doi=10.5255/UKDA-SN-9422-1']);
    expect(uk.signals.filter((s) => s.artifact === spi?.iri).map((s) => s.kind)).toEqual(['source-kind', 'private-local-input']);
    const us = facts(`${R}/microcosm/source-stages/us_source_stages.json`);
    const puf = us.artifacts.find((a) => a.sha256.length === 0);
    expect(puf?.locations[0]?.value).toMatch(/^release:\/\/policyengine\/irs-soi-puf\//);
    expect(us.signals.map((s) => `${s.kind} ${s.value}`)).toEqual(['private-repo policyengine/irs-soi-puf']);
  });

  it('reads run payloads by the dataset they name', () => {
    const input = facts('fixtures/corpus/emitted/run-record-uk/input.json');
    expect(input.kind).toBe('run-payload');
    expect(input.artifacts.map((a) => `${a.role} ${a.sha256[0]?.value ?? ''}`)).toEqual(['dataset f17306ccb2aad7ff0130be3589b560afb2e2a12a943570911cd0c77f07934833']);
    expect(facts(`${R}/policyengine-py/run-record/results.json`).artifacts[0]?.role).toBe('run-output');
    expect(facts(`${R}/policyengine-py/run-record/reform.json`).kind).toBe('other');
  });

  it('labels every TRO fixture with the dialect detectDialect gives (or refuses what it refuses)', () => {
    const files = [...walk('fixtures/policyengine-py'), ...walk('fixtures/trace'), ...walk('fixtures/pe-data')];
    let tros = 0;
    for (const file of files) {
      const bytes = read(file);
      let expected: string | undefined;
      let refused = false;
      try {
        expected = detectDialect(parseJson(bytes, { label: file })).id;
      } catch (e) {
        if (!isPeTraceError(e)) throw e;
        refused = e.code === 'JSONLD_INVALID' || e.code === 'JSON_SYNTAX';
      }
      if (expected !== undefined) {
        tros++;
        const f = extractFacts(bytes, 'json', file);
        expect({ file, kind: f.kind, dialect: f.dialect }).toEqual({ file, kind: 'tro', dialect: expected });
      } else if (refused) {
        expect(() => extractFacts(bytes, 'json', file)).toThrow();
      } else {
        expect({ file, kind: extractFacts(bytes, 'json', file).kind }).not.toEqual({ file, kind: 'tro' });
      }
    }
    expect(tros).toBeGreaterThan(240);
  });

  it('reads a TRO written as Turtle to the same facts as its JSON-LD', async () => {
    const path = `${R}/policyengine-py/data/bundle/uk.trace.tro.jsonld`;
    const bytes = read(path);
    const lifted = await liftJsonLd(parseJson(bytes), { bytes });
    const turtle = toTurtle(lifted.quads.map((q) => DataFactory.quad(q.subject, q.predicate, q.object)), lifted.prefixes);
    const fromTurtle = extractFacts(new TextEncoder().encode(turtle), 'turtle', 'uk.ttl');
    const fromJson = extractFacts(bytes, 'json', path);
    const shape = (f: DocumentFacts): unknown => ({
      kind: f.kind,
      dialect: f.dialect,
      entity: f.entities.map((e) => [e.type, e.dataBuildIds.map((b) => b.value), e.fingerprint?.value]),
      artifacts: f.artifacts.map((a) => [a.iri.replace(f.graph, ''), a.role, a.sha256.map((h) => h.value), a.locations.map((l) => l.value)]).sort(),
      signals: f.signals.map((s) => [s.kind, s.value]),
    });
    expect(shape(fromTurtle)).toEqual({ ...(shape(fromJson) as object), artifacts: expect.anything() });
    // same artifacts: the Turtle was lifted against the JSON file's base, so the IRIs are the JSON ones
    expect(fromTurtle.artifacts.map((a) => [a.iri, a.role, a.sha256[0]?.value]).sort()).toEqual(fromJson.artifacts.map((a) => [a.iri, a.role, a.sha256[0]?.value]).sort());
  });

  it('throws located errors for malformed input and classifies unknown JSON as other', () => {
    expect(() => extractFacts(new TextEncoder().encode('{"a": 1,}'), 'json', 'bad.json')).toThrow(/^bad\.json:1:\d+: /);
    expect(() => extractFacts(new TextEncoder().encode('<a> <b> .'), 'turtle', 'bad.ttl')).toThrow(/^bad\.ttl:1: Turtle syntax error/);
    expect(() => extractFacts(new TextEncoder().encode('{"@context": "https://example.org/ctx", "@id": "x"}'), 'json', 'remote.jsonld')).toThrow(/remote JSON-LD context refused/);
    expect(extractFacts(new TextEncoder().encode('{"hello": "world"}'), 'json', 'x.json').kind).toBe('other');
  });
});
