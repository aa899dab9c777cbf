// Issue 9's verify seams at the library level: --map parsing and matching, --skip typos, every location, lone surrogates, pe:bundleTroUrl, the printed command.
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTroModel } from '../../../src/tro/read.js';
import { parseJson } from '../../../src/json/parse.js';
import { verifyCommandFor, shellQuote } from '../../../src/verify/command.js';
import { checkMappingsUsed, mapLocation, parseLocationMapping } from '../../../src/verify/map.js';
import { verifyRun } from '../../../src/verify/run.js';
import { checkSkipIds } from '../../../src/verify/skip.js';
import { verifyTro } from '../../../src/verify/verify.js';
import { TLS_CERT, httpsServer, model, sha256, scratch } from './support.js';

const { dir, server } = scratch();
const WITH_URL = 'fixtures/policyengine-py/generated/run-record-with-url';

describe('--map', () => {
  it('splits at the last "=" (URLs with queries keep theirs) and refuses an empty side', () => {
    expect(parseLocationMapping('https://x/a?rev=1=./a')).toEqual({ location: 'https://x/a?rev=1', path: './a' });
    expect(() => parseLocationMapping('=./a')).toThrow(/expected LOCATION=PATH/);
    expect(() => parseLocationMapping('data/x.json=')).toThrow(/expected LOCATION=PATH/);
    expect(() => parseLocationMapping('nothing')).toThrow(/expected LOCATION=PATH/);
  });

  it('exact wins over a prefix, the longest prefix wins, and a prefix must end in /', () => {
    const maps = [
      { location: 'https://h/r/', path: 'short' },
      { location: 'https://h/r/deep/', path: 'long' },
      { location: 'https://h/r/deep/x.h5', path: 'exact.h5' },
      { location: 'https://h/r', path: 'not-a-prefix' },
    ];
    expect(mapLocation('https://h/r/deep/x.h5', maps)).toMatchObject({ kind: 'exact', path: 'exact.h5' });
    expect(mapLocation('https://h/r/deep/y.h5', maps)).toMatchObject({ kind: 'prefix', dir: 'long', rest: 'y.h5' });
    expect(mapLocation('https://h/r/z.json', maps)).toMatchObject({ kind: 'prefix', dir: 'short', rest: 'z.json' });
    expect(mapLocation('https://h/rz', maps)).toBeUndefined();
    expect(() => checkMappingsUsed([{ location: 'https://h/q', path: 'p' }], ['https://h/q/a'])).toThrow(/no artifact has that location \(a prefix must end in \/\)/);
    expect(() => checkMappingsUsed([{ location: 'https://h/q/', path: 'p' }], ['https://h/q/a'])).not.toThrow();
  });

  it('a mapped copy is read instead of fetching; a prefix remainder may not climb out of its folder', async () => {
    const data = 'downloaded\n';
    const base = await dir({ 'dl/sub/a.bin': data, 'outside.bin': data });
    const m = model([
      { id: 'a', sha256: sha256(data), location: 'https://127.0.0.1:9/x/sub/a.bin' },
      { id: 'b', sha256: sha256(data), location: 'https://127.0.0.1:9/x/../outside.bin' },
    ]);
    const report = await verifyTro(m, { maps: [{ location: 'https://127.0.0.1:9/x/', path: join(base, 'dl') }] });
    expect(report.artifacts.map((a) => [a.id, a.status])).toEqual([
      ['a', 'ok'],
      ['b', 'unfetchable'],
    ]);
    expect(report.artifacts[1]?.detail).toMatch(/escapes the record directory: \.\.\/outside\.bin$/);
  });
});

describe('--skip', () => {
  it('an id matching nothing names it, suggests the nearest and lists the ids nearest first', () => {
    expect(() => checkSkipIds(['dataset'], ['dataset', 'model_wheel'])).not.toThrow();
    expect(() => checkSkipIds(['datset'], ['bundle_manifest', 'dataset', 'model_wheel'])).toThrow(
      '--skip datset matches no artifact (did you mean dataset?); the artifact ids are: dataset, model_wheel, bundle_manifest',
    );
    expect(() => checkSkipIds(['zzzzzzzzzzzz'], ['a'])).toThrow('--skip zzzzzzzzzzzz matches no artifact; the artifact ids are: a');
  });
});

describe('locations', () => {
  it('the reader keeps every location a node gives (an array, or both keys), and verify checks each', async () => {
    const data = 'x\n';
    const base = await dir({ 'a.txt': data, 'b.txt': 'not x\n' });
    const doc = parseJson(`{"@context": {"trov": "https://w3id.org/trace/trov/0.1#"}, "@graph": [{"@id": "tro", "@type": "trov:TransparentResearchObject",
      "trov:hasComposition": {"@id": "c", "trov:hasFingerprint": {"@id": "c/fp", "trov:hash": {"trov:hashAlgorithm": "sha256", "trov:hashValue": "${sha256(sha256(data))}"}},
        "trov:hasArtifact": [{"@id": "c/artifact/a", "trov:hash": {"trov:hashAlgorithm": "sha256", "trov:hashValue": "${sha256(data)}"}}]},
      "trov:hasArrangement": [{"@id": "arr", "trov:hasArtifactLocation": [{"@id": "arr/l", "trov:artifact": {"@id": "c/artifact/a"}, "trov:path": ["a.txt", "b.txt"]}]}]}]}`);
    const m = readTroModel(doc);
    expect(m.arrangements[0]?.locations[0]).toMatchObject({ location: 'a.txt', others: ['b.txt'] });
    const report = await verifyTro(m, { baseDir: base });
    expect(report.artifacts[0]).toMatchObject({ status: 'mismatch', location: 'a.txt' });
    expect(report.artifacts[0]?.locations?.map((l) => l.status)).toEqual(['ok', 'mismatch']);
  });

  it('a lone surrogate is refused; a well-formed astral character (a surrogate pair) is read', async () => {
    const data = 'y\n';
    const base = await dir({ '\u{1F600}.txt': data, '\uFFFD.txt': data });
    const lone = await verifyTro(model([{ id: 'a', sha256: sha256(data), location: '\uD800.txt' }]), { baseDir: base });
    expect(lone.artifacts[0]).toMatchObject({ status: 'unfetchable', detail: 'artifact location is not valid Unicode (a lone surrogate), refused: "\\ud800.txt"' });
    const pair = await verifyTro(model([{ id: 'a', sha256: sha256(data), location: '\u{1F600}.txt' }]), { baseDir: base });
    expect(pair.artifacts[0]?.status).toBe('ok');
  });
});

describe('--recursive with fetching', () => {
  it('follows pe:bundleTroUrl only with fetching allowed, when the pinned bundle TRO has no local copy', async () => {
    const bundle = readFileSync(join(WITH_URL, 'bundle.trace.tro.jsonld'));
    const s = await server(httpsServer((_req, res) => res.end(bundle)));
    const base = await dir({});
    cpSync(WITH_URL, base, { recursive: true });
    rmSync(join(base, 'bundle.trace.tro.jsonld'));
    const tro = join(base, 'run.trace.tro.jsonld');
    writeFileSync(tro, readFileSync(tro, 'utf8').replace('https://example.org/bundle.trace.tro.jsonld', `${s.origin}/bundle.trace.tro.jsonld`));
    const skip = ['bundle_manifest', 'data_release_manifest', 'dataset', 'model_wheel'];

    const offline = await verifyRun([tro], { recursive: true, skip, ca: TLS_CERT, label: () => 'run' });
    expect(offline.tros.map((t) => [t.file, t.verdict])).toEqual([
      ['run', 'failed'],
      [`${s.origin}/bundle.trace.tro.jsonld`, 'incomplete'],
    ]);
    expect(s.requests).toEqual([]);

    const online = await verifyRun([tro], { recursive: true, skip, ca: TLS_CERT, fetchHttps: true, label: () => 'run' });
    expect(online.tros[1]).toMatchObject({ file: `${s.origin}/bundle.trace.tro.jsonld`, reachedFrom: 'run', verdict: 'verified' });
    expect(s.requests).toEqual(['/bundle.trace.tro.jsonld']);
  });
});

describe('the printed verify command', () => {
  it('maps a local copy only when its bytes match, uses --payload-dir once, skips the rest, and quotes for the shell', async () => {
    const base = await dir({ 'copy.json': 'same\n', 'other.json': 'different\n' });
    const cmd = await verifyCommandFor({
      tro: 'out dir/t.tro.jsonld',
      artifacts: [
        { id: 'written', location: 'results.json', sha256: 'a'.repeat(64) },
        { id: 'copy', location: 'data/m.json', sha256: sha256('same\n') },
        { id: 'stale', location: 'https://h/o.json', sha256: sha256('same\n') },
        { id: 'p1', location: 'urn:pop:payload:p1:x', sha256: 'x' },
        { id: 'p2', location: 'urn:pop:payload:p2:y', sha256: 'y' },
      ],
      written: ['results.json'],
      copies: [
        { location: 'data/m.json', path: join(base, 'copy.json') },
        { location: 'https://h/o.json', path: join(base, 'other.json') },
      ],
      payloadDir: 'pay',
      payloadsWritten: ['urn:pop:payload:p1:x', 'urn:pop:payload:p2:y'],
    });
    expect(cmd.argv).toEqual(['verify', 'out dir/t.tro.jsonld', '--map', `data/m.json=${join(base, 'copy.json')}`, '--skip', 'stale', '--payload-dir', 'pay']);
    expect(cmd.command.startsWith("pe-trace verify 'out dir/t.tro.jsonld' --map ")).toBe(true);
    expect(cmd.skipped).toEqual(['stale']);
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });
});
