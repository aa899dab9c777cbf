// `pe-trace lift` end to end: N-Quads/Turtle output that parses back, the --json envelope, and one-line exit-3 errors.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Parser } from 'n3';
import { afterAll, describe, expect, it } from 'vitest';
import { envelope, runCli, expectOneLineError } from '../support/cli.js';

const US = 'fixtures/policyengine-py/shipped/us.trace.tro.jsonld';
const TRO_UTILS = 'fixtures/trace/tro-utils/GENERATED__tro-utils-HEAD-95ec41b-models-example.jsonld';
const TRS = 'fixtures/trace/trov-demos/exports__trs.jsonld';

interface LiftJson {
  documents: { file: string; dialect: string | null; graph: string; quads: number }[];
  quads: number;
}

const tmp = mkdtempSync(join(tmpdir(), 'pe-trace-lift-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('pe-trace lift', () => {
  it('writes N-Quads of the shipped US TRO that parse back to the reported quad count, independent of the path', () => {
    const r = runCli(['lift', US]);
    expect(r.status).toBe(0);
    const quads = new Parser({ format: 'N-Quads' }).parse(r.stdout);
    const json = envelope<LiftJson>(runCli(['lift', US, '--json']));
    expect(json.status).toBe(0);
    expect(quads).toHaveLength(json.result?.quads ?? -1);
    expect(json.result?.documents[0]?.quads).toBe(quads.length);
    expect(new Set(quads.map((q) => q.graph.value))).toEqual(new Set([json.result?.documents[0]?.graph]));
    const copy = join(tmp, 'renamed.jsonld');
    copyFileSync(US, copy);
    expect(runCli(['lift', copy]).stdout).toBe(r.stdout);
  });

  it('writes Turtle (ttl) and N-Triples (nt) of one file, and refuses them for several (exit 2, never TriG as Turtle)', () => {
    const one = runCli(['lift', US, '--format', 'turtle']);
    expect(one.status).toBe(0);
    expect(new Parser({ format: 'Turtle' }).parse(one.stdout)).toHaveLength(72);
    expect(runCli(['lift', US, '--format', 'ttl']).stdout).toBe(one.stdout);
    const nt = runCli(['lift', US, '--format', 'nt']);
    expect(nt.status).toBe(0);
    expect(new Parser({ format: 'N-Triples' }).parse(nt.stdout)).toHaveLength(72);
    for (const format of ['turtle', 'ttl', 'ntriples', 'nt']) {
      expectOneLineError(runCli(['lift', US, TRO_UTILS, '--format', format]), 2, /holds one graph and 2 files make 2: use --format trig, nquads or jsonld/);
    }
  });

  it('writes TriG and N-Quads (nq) of several files, every document in its own graph, both parseable', () => {
    const trig = runCli(['lift', US, TRO_UTILS, '--format', 'trig']);
    expect(trig.status).toBe(0);
    const quads = new Parser({ format: 'TriG' }).parse(trig.stdout);
    expect(new Set(quads.map((q) => q.graph.value)).size).toBe(2);
    const nq = runCli(['lift', US, TRO_UTILS, '--format', 'nq']);
    expect(nq.stdout).toBe(runCli(['lift', US, TRO_UTILS]).stdout);
    expect(new Parser({ format: 'N-Quads' }).parse(nq.stdout)).toHaveLength(quads.length);
  });

  it('writes JSON-LD that converts back to the same quads, one {@id, @graph} per document', async () => {
    const r = runCli(['lift', US, TRO_UTILS, '--format', 'jsonld']);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout) as { '@id': string; '@graph': unknown[] }[];
    expect(doc).toHaveLength(2);
    const nquads = runCli(['lift', US, TRO_UTILS]).stdout;
    const jsonld = (await import('jsonld')).default;
    const back = (await jsonld.toRDF(doc as never, { format: 'application/n-quads' })) as unknown as string;
    // Blank node labels differ after the round trip; with them blanked out the quads compare line by line.
    const canon = (text: string): string[] => text.split('\n').filter(Boolean).map((l) => l.replace(/_:\S+/g, '_:b')).sort();
    expect(canon(back)).toEqual(canon(nquads));
  });

  it('reports each document\'s dialect, graph and quad count in --json, and no RDF', () => {
    const r = runCli(['lift', US, TRO_UTILS, TRS, '--json']);
    const env = envelope<LiftJson>(r);
    expect(env.status).toBe(0);
    const docs = env.result?.documents ?? [];
    expect(docs.map((d) => [d.file, d.dialect])).toEqual([
      [US, 'pe-0.1'],
      [TRO_UTILS, 'trov-0.1'],
      [TRS, null],
    ]);
    expect(new Set(docs.map((d) => d.graph)).size).toBe(3);
    for (const d of docs) expect(d.graph).toMatch(/^https:\/\/pe-trace\.invalid\/doc\/[0-9a-f]{64}\/$/);
    expect(env.result?.quads).toBe(docs.reduce((n, d) => n + d.quads, 0));
    expect(Object.keys(env.result ?? {}).sort()).toEqual(['documents', 'quads']);
  });

  it('uses --base for a single file and refuses it for several (usage, exit 2)', () => {
    const env = envelope<LiftJson>(runCli(['lift', US, '--base', 'https://example.org/us/', '--json']));
    expect(env.result?.documents[0]?.graph).toBe('https://example.org/us/');
    expectOneLineError(runCli(['lift', US, TRO_UTILS, '--base', 'https://example.org/x/']), 2, /--base applies to a single FILE/);
    expectOneLineError(runCli(['lift', US, '--base', 'not an iri']), 2, /--base must be an absolute IRI/);
  });

  it('prints a warning for a key JSON-LD drops, and still lifts', () => {
    const file = join(tmp, 'foo.jsonld');
    writeFileSync(file, '{"@context": {"trov": "https://w3id.org/trace/trov/0.1#"}, "@graph": [{"@id": "tro", "@type": "trov:TransparentResearchObject", "foo": 1}]}');
    const r = runCli(['lift', file]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(`warning: ${file}: key "foo" at /@graph/0 is not mapped to an IRI and was dropped\n`);
  });

  it('fails with one error line and exit 3 on bad input', () => {
    const remote = join(tmp, 'remote.jsonld');
    writeFileSync(remote, '{"@context": "http://127.0.0.1:9/context.jsonld", "@id": "x"}');
    expectOneLineError(runCli(['lift', remote]), 3, /remote\.jsonld#\/@context: remote JSON-LD context refused: http:\/\/127\.0\.0\.1:9\/context\.jsonld/);
    const latin1 = join(tmp, 'latin1.json');
    writeFileSync(latin1, Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d]));
    expectOneLineError(runCli(['lift', latin1]), 3, /latin1\.json:1:7: .*UTF-8/);
    expectOneLineError(runCli(['lift', tmp]), 3, /is a directory/);
    const truncated = join(tmp, 'truncated.jsonld');
    writeFileSync(truncated, '{"@graph": [{"@id": "tro"');
    expectOneLineError(runCli(['lift', truncated]), 3, /truncated\.jsonld:1:\d+: /);
    const env = envelope(runCli(['lift', remote, '--json']));
    expect(env.status).toBe(3);
    expect(env.error?.code).toBe('JSONLD_INVALID');
  });
});
