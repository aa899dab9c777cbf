// `pe-trace shacl-validate` end to end: verdicts and exit codes 0/4/3/2, the four output formats, both engines, the --json envelope.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Parser } from 'n3';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, envelope, runCli } from '../support/cli.js';

const BUNDLE = 'fixtures/policyengine-py/shipped/us.trace.tro.jsonld';
const TRO_UTILS = 'fixtures/trace/tro-utils/GENERATED__tro-utils-HEAD-95ec41b-models-example.jsonld';
const SPEC = 'fixtures/trace/trace-specification/docs__tro-declaration-format.md__complete-example.jsonld';
const PRE = 'fixtures/trace/trov-demos/demo__02-tro-examples__02-three-artifacts-one-trp__tro__tro.jsonld';

interface Result {
  conforms: boolean;
  documents: { file: string; dialect: string; profile: string; kind?: string; shapesGraphs: string[]; conforms: boolean; results: { focusNode: string; path?: string; component: string; message: string; value?: string }[] }[];
  errors: { file: string; code: string; message: string }[];
}

describe('pe-trace shacl-validate', () => {
  it('conforming files: exit 0, one ok line each naming dialect and shapes', () => {
    const r = runCli(['shacl-validate', BUNDLE, TRO_UTILS]);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n').filter(Boolean)).toEqual([
      `ok: ${BUNDLE} (pe-0.1; profile auto: pe-0.1 + pe-extension + profile-bundle)`,
      `ok: ${TRO_UTILS} (trov-0.1; profile auto: trov-0.1 + pe-extension)`,
    ]);
    expect(r.status).toBe(0);
  });

  it('a TROv 0.1 TRO that declares its own @base (convert --base output) validates without a warning about it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pe-trace-shacl-base-'));
    try {
      const out = join(dir, 'run.trov.jsonld');
      const converted = runCli(['convert', 'fixtures/policyengine-py/generated/run-record/run.trace.tro.jsonld', '--to', 'trov-0.1', '--base', 'https://policyengine.org/trace/tro/run-1/', '--out', out]);
      expect(converted.status).toBe(0);
      expect(readFileSync(out, 'utf8')).toContain('"@base": "https://policyengine.org/trace/tro/run-1/"');
      const r = runCli(['shacl-validate', out]);
      expect(r.status).toBe(0);
      expect(r.stderr).toBe('');
      expect(envelope(runCli(['shacl-validate', out, '--json'])).warnings).toEqual([]);
      // Lifting it (query, lift) still says the document's own @base wins over the one pe-trace assigns.
      expect(runCli(['lift', out]).stderr).toMatch(/sets its own @base https:\/\/policyengine\.org\/trace\/tro\/run-1\//);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the spec example: exit 4, results grouped by focus node, fingerprint recomputed', () => {
    const r = runCli(['shacl-validate', SPEC, PRE]);
    expect(r.status).toBe(4);
    const out = r.stdout.split('\n');
    expect(out[0]).toBe(`not conforming: ${SPEC} (trov-0.1; profile auto: trov-0.1 + pe-extension), 9 results`);
    expect(out).toContain('  fingerprint (/@graph/0/trov:hasComposition/trov:hasFingerprint)');
    expect(out.some((l) => l.includes('is 01bd1ca2d49e84ce74fdab67e8acdca7fe3846cceb14aab6206cb57a5b157fc1 (value "a1b2c3d4...") [ptc:FingerprintConstraintComponent]'))).toBe(true);
    expect(out).toContain(`not conforming: ${PRE} (trov-2023-05; profile auto: trov-2023-05), 1 result`);
  });

  it('--profile trov-0.1 --format json: a pe-0.1 TRO with each dialect difference as a message', () => {
    const r = runCli(['shacl-validate', BUNDLE, '--profile', 'trov-0.1', '--format', 'json']);
    expect(r.status).toBe(4);
    const result = JSON.parse(r.stdout) as Result;
    const doc = result.documents[0];
    expect(doc).toMatchObject({ file: BUNDLE, dialect: 'pe-0.1', profile: 'trov-0.1', shapesGraphs: ['trov-0.1'], conforms: false });
    const messages = new Set(doc?.results.map((x) => x.message));
    for (const m of [
      'uses trov:sha256; TROv 0.1 requires trov:hash {trov:hashAlgorithm, trov:hashValue}',
      'uses trov:hasLocation; TROv 0.1 gives a location\'s path as trov:path',
      'uses trov:hasArtifact on an artifact location; TROv 0.1 places the artifact with trov:artifact',
      'is typed trov:TransparentResearchSystem; TROv 0.1 names the class trov:TrustedResearchSystem',
      'is typed trov:TransparentResearchPerformance; TROv 0.1 names the class trov:TrustedResearchPerformance',
      'the TRO must state trov:vocabularyVersion exactly once (TROv 0.1 requires "0.1")',
    ]) expect([m, messages.has(m)]).toEqual([m, true]);
  });

  it('--format turtle and jsonld: W3C validation reports', () => {
    const ttl = runCli(['shacl-validate', SPEC, TRO_UTILS, '--format', 'turtle']);
    expect(ttl.status).toBe(4);
    const quads = new Parser({ format: 'text/turtle' }).parse(ttl.stdout);
    const SH = 'http://www.w3.org/ns/shacl#';
    expect(quads.filter((q) => q.object.value === `${SH}ValidationReport`)).toHaveLength(2);
    expect(quads.filter((q) => q.object.value === `${SH}ValidationResult`)).toHaveLength(9);
    expect(quads.filter((q) => q.predicate.value === `${SH}conforms`).map((q) => q.object.value)).toEqual(['false', 'true']);
    const jsonld = runCli(['shacl-validate', SPEC, '--format', 'jsonld']);
    expect(jsonld.status).toBe(4);
    const doc = JSON.parse(jsonld.stdout) as { '@graph': { '@type': string; 'sh:result': unknown[] }[] };
    expect(doc['@graph'][0]?.['@type']).toBe('sh:ValidationReport');
    expect(doc['@graph'][0]?.['sh:result']).toHaveLength(9);
  });

  it('an unreadable file and a non-TRO: exit 3 with one error line each, the other files still validated', () => {
    const r = runCli(['shacl-validate', 'missing.jsonld', 'fixtures/trace/trace-model/demo__02-tro-examples__01-two-artifacts-no-trp__trs__trs.jsonld', TRO_UTILS, '--json']);
    expect(r.status).toBe(3);
    const env = envelope<Result>(r);
    expect(env.status).toBe(3);
    expect(env.result?.errors.map((e) => e.code)).toEqual(['INPUT_UNREADABLE', 'TRO_UNKNOWN_DIALECT']);
    expect(env.result?.documents.map((d) => [d.file, d.conforms])).toEqual([[TRO_UTILS, true]]);
  });

  it('a bad --profile is a usage error (exit 2)', () => {
    const r = runCli(['shacl-validate', BUNDLE, '--profile', 'strict']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: .*profile/);
  });

  it('rdf-validate-shacl gives the same results as the core engine on real documents', () => {
    const history = join(REPO_ROOT, 'fixtures', 'policyengine-py', 'history');
    const some = readdirSync(history, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.trace.tro.jsonld'))
      .sort()
      .filter((_f, i) => i % 80 === 0)
      .map((f) => `fixtures/policyengine-py/history/${f}`);
    expect(some).toHaveLength(3);
    const files = [SPEC, BUNDLE, PRE, ...some];
    const strip = (stdout: string) => (JSON.parse(stdout) as Result).documents.map((d) => ({ ...d, engine: undefined }));
    const a = runCli(['shacl-validate', ...files, '--profile', 'trov-0.1', '--format', 'json']);
    const b = runCli(['shacl-validate', ...files, '--profile', 'trov-0.1', '--format', 'json', '--engine', 'rdf-validate-shacl']);
    expect(a.status).toBe(4);
    expect(strip(b.stdout)).toEqual(strip(a.stdout));
    expect((JSON.parse(b.stdout) as { documents: { engine: string }[] }).documents[0]?.engine).toBe('rdf-validate-shacl');
  });
});
