// The verifier against interop §6 and the reference's tests (tests/test_trace_tro_verify.py), plus our additions.
import { describe, expect, it } from 'vitest';
import { FILE_CHUNK_BYTES } from '../../../src/hash/digest.js';
import { verifyTro } from '../../../src/verify/verify.js';
import type { VerifyReport } from '../../../src/verify/report.js';
import { TLS_CERT, TROV_DIALECT, closedPort, httpsServer, model, newlineFingerprint, sha256, scratch } from './support.js';

const RESULTS = '{"value": 42}\n';
const INPUT = '{"reform": {}}\n';
const { dir, server } = scratch();
const statuses = (r: VerifyReport): Record<string, string> => Object.fromEntries(r.artifacts.map((a) => [a.id, a.status]));

describe('reference behaviour (tests/test_trace_tro_verify.py)', () => {
  it('given matching local files then all ok', async () => {
    const base = await dir({ 'results.json': RESULTS, 'input.json': INPUT });
    const m = model([
      { id: 'results', sha256: sha256(RESULTS), location: 'results.json' },
      { id: 'input', sha256: sha256(INPUT), location: 'input.json' },
    ]);
    const report = await verifyTro(m, { baseDir: base });
    expect(report).toEqual({
      verified: true,
      verdict: 'verified',
      dialect: 'pe-0.1',
      fingerprint: {
        algorithm: 'sha256-newline',
        claimed: newlineFingerprint([sha256(RESULTS), sha256(INPUT)]),
        computed: newlineFingerprint([sha256(RESULTS), sha256(INPUT)]),
        status: 'ok',
      },
      artifacts: [
        { id: 'results', location: 'results.json', status: 'ok', expected: sha256(RESULTS), actual: sha256(RESULTS) },
        { id: 'input', location: 'input.json', status: 'ok', expected: sha256(INPUT), actual: sha256(INPUT) },
      ],
      notes: [],
    });
  });

  it('given a corrupted file then mismatch and not ok', async () => {
    const base = await dir({ 'results.json': '{"value": 43}\n' });
    const report = await verifyTro(model([{ id: 'results', sha256: sha256(RESULTS), location: 'results.json' }]), { baseDir: base });
    expect(report.verified).toBe(false);
    expect(report.fingerprint.status).toBe('ok');
    expect(report.artifacts[0]).toEqual({
      id: 'results',
      location: 'results.json',
      status: 'mismatch',
      expected: sha256(RESULTS),
      actual: sha256('{"value": 43}\n'),
      detail: `sha256 ${sha256('{"value": 43}\n')} != claimed ${sha256(RESULTS)}`,
    });
  });

  it('given an https location then it is fetched once with the exact URL', async () => {
    const s = await server(httpsServer((_req, res) => res.end(RESULTS)));
    const url = `${s.origin}/data/results.json?rev=1.2&x=%20y`;
    const report = await verifyTro(model([{ id: 'results', sha256: sha256(RESULTS), location: url }]), { ca: TLS_CERT, fetchHttps: true });
    expect(s.requests).toEqual(['/data/results.json?rev=1.2&x=%20y']);
    expect(s.headers[0]?.authorization).toBeUndefined();
    expect(s.headers[0]?.cookie).toBeUndefined();
    expect(report.artifacts[0]).toMatchObject({ status: 'ok', location: url });
    expect(report.verified).toBe(true);
  });

  it('given an unreachable location then unfetchable with the error in the detail', async () => {
    const port = await closedPort();
    const report = await verifyTro(model([{ id: 'dataset', sha256: 'c'.repeat(64), location: `https://127.0.0.1:${port}/x.h5` }]), { fetchHttps: true });
    expect(report.artifacts[0]?.status).toBe('unfetchable');
    expect(report.artifacts[0]?.detail).toBe(`connect ECONNREFUSED 127.0.0.1:${port}`);
    expect(report.verified).toBe(false);
  });

  it('given skip then the artifact is skipped, never fetched, and the report is ok', async () => {
    const s = await server(httpsServer((_req, res) => res.end('whatever')));
    const base = await dir({ 'results.json': RESULTS });
    const m = model([
      { id: 'results', sha256: sha256(RESULTS), location: 'results.json' },
      { id: 'dataset', sha256: 'c'.repeat(64), location: `${s.origin}/dataset.h5` },
    ]);
    const report = await verifyTro(m, { baseDir: base, skip: ['dataset'], ca: TLS_CERT });
    expect(statuses(report)).toEqual({ results: 'ok', dataset: 'skipped' });
    expect(report.artifacts[1]).toEqual({ id: 'dataset', location: `${s.origin}/dataset.h5`, status: 'skipped', expected: 'c'.repeat(64) });
    expect(s.requests).toEqual([]);
    expect(report.verified).toBe(true);
  });

  it('given a forged fingerprint then fingerprint mismatch', async () => {
    const base = await dir({ 'results.json': RESULTS });
    const report = await verifyTro(model([{ id: 'results', sha256: sha256(RESULTS), location: 'results.json' }], { fingerprint: 'f'.repeat(64) }), {
      baseDir: base,
    });
    expect(report.fingerprint).toEqual({ algorithm: 'sha256-newline', claimed: 'f'.repeat(64), computed: newlineFingerprint([sha256(RESULTS)]), status: 'mismatch' });
    expect(report.artifacts[0]?.status).toBe('ok');
    expect(report.verified).toBe(false);
  });

  it('given absolute or traversal locations then unfetchable', async () => {
    const outer = await dir({ 'outside.json': RESULTS, 'record/results.json': RESULTS });
    const m = model([
      { id: 'abs', sha256: sha256(RESULTS), location: `${outer}/outside.json` },
      { id: 'up', sha256: sha256(RESULTS), location: '../outside.json' },
    ]);
    const report = await verifyTro(m, { baseDir: `${outer}/record` });
    expect(report.artifacts.map((a) => a.detail)).toEqual([
      `absolute artifact location refused: ${outer}/outside.json`,
      'artifact location escapes the record directory: ../outside.json',
    ]);
    expect(statuses(report)).toEqual({ abs: 'unfetchable', up: 'unfetchable' });
  });
});

describe('beyond the reference', () => {
  it('detects every single-byte tamper of an artifact', async () => {
    const original = new TextEncoder().encode('{"v":[1,2,3]}\n');
    const m = model([{ id: 'a', sha256: sha256(original), location: 'a.json' }]);
    for (let i = 0; i < original.length; i += 1) {
      const tampered = Uint8Array.from(original);
      tampered[i] = (tampered[i] ?? 0) ^ 0x01;
      const base = await dir({ 'a.json': tampered });
      const report = await verifyTro(m, { baseDir: base });
      expect(report.artifacts[0]?.status, `byte ${i}`).toBe('mismatch');
      expect(report.verified).toBe(false);
    }
    const intact = await verifyTro(m, { baseDir: await dir({ 'a.json': original }) });
    expect(intact.verified).toBe(true);
  });

  it('reports an artifact without a hash as unverifiable instead of crashing', async () => {
    const base = await dir({ 'results.json': RESULTS, 'x.json': 'x' });
    const m = model(
      [
        { id: 'results', sha256: sha256(RESULTS), location: 'results.json' },
        { id: 'nohash', location: 'x.json' },
      ],
      { fingerprint: newlineFingerprint([sha256(RESULTS)]) },
    );
    const report = await verifyTro(m, { baseDir: base });
    expect(report.artifacts[1]).toEqual({ id: 'nohash', location: 'x.json', status: 'unverifiable', expected: null, detail: 'artifact has no hash' });
    expect(report.fingerprint.status).toBe('ok');
    expect(report.verified).toBe(false);
    expect(report.notes).toEqual(['nohash: artifact has no hash, so it contributes nothing to the recomputed fingerprint']);
  });

  it('checks several hashes of one artifact in a single fetch, and all must match', async () => {
    const blake3 = 'b5e8f3f0d69b8d2b7dc41a8a4c4bd5b8fc0a8a7f3c2cb0b6a8c5dd2a0f5c1234';
    const s = await server(httpsServer((_req, res) => res.end('abc')));
    const abcBlake3 = '6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85';
    const good = model([{ id: 'a', hashes: [{ algorithm: 'sha256', value: sha256('abc') }, { algorithm: 'blake3', value: abcBlake3 }], location: `${s.origin}/abc` }], {
      dialect: TROV_DIALECT,
      fingerprint: sha256([sha256('abc'), abcBlake3].sort().join('')),
    });
    const ok = await verifyTro(good, { ca: TLS_CERT, fetchHttps: true });
    expect(s.requests).toHaveLength(1);
    expect(ok.artifacts[0]).toEqual({
      id: 'a',
      location: `${s.origin}/abc`,
      status: 'ok',
      expected: sha256('abc'),
      actual: sha256('abc'),
      hashes: [
        { algorithm: 'sha256', expected: sha256('abc'), actual: sha256('abc') },
        { algorithm: 'blake3', expected: abcBlake3, actual: abcBlake3 },
      ],
    });
    expect(ok.verified).toBe(true);

    const bad = model([{ id: 'a', hashes: [{ algorithm: 'sha256', value: sha256('abc') }, { algorithm: 'BLAKE3', value: blake3 }], location: `${s.origin}/abc` }], {
      dialect: TROV_DIALECT,
    });
    const report = await verifyTro(bad, { ca: TLS_CERT, fetchHttps: true });
    expect(report.artifacts[0]?.status).toBe('mismatch');
    expect(report.artifacts[0]?.detail).toBe(`BLAKE3 ${abcBlake3} != claimed ${blake3}`);
  });

  it('names the algorithm in a mismatch of a non-sha256 artifact', async () => {
    const base = await dir({ 'a.txt': 'abd' });
    const expected = 'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f';
    const m = model([{ id: 'a', hashes: [{ algorithm: 'sha512', value: expected }], location: 'a.txt' }], { dialect: TROV_DIALECT });
    const report = await verifyTro(m, { baseDir: base });
    expect(report.artifacts[0]?.detail).toMatch(new RegExp(`^sha512 [0-9a-f]{128} != claimed ${expected}$`));
    const fixed = await verifyTro(m, { baseDir: await dir({ 'a.txt': 'abc' }) });
    expect(fixed.artifacts[0]?.status).toBe('ok');
  });

  it('reports unsupported hash algorithms as unverifiable', async () => {
    const base = await dir({ 'a.txt': 'abc' });
    const onlyMd5 = model([{ id: 'a', hashes: [{ algorithm: 'md5', value: '900150983cd24fb0d6963f7d28e17f72' }], location: 'a.txt' }], { dialect: TROV_DIALECT });
    expect((await verifyTro(onlyMd5, { baseDir: base })).artifacts[0]).toMatchObject({ status: 'unverifiable', detail: 'unsupported hash algorithm: md5' });
    const mixed = model(
      [{ id: 'a', hashes: [{ algorithm: 'sha256', value: sha256('abc') }, { algorithm: 'md5', value: '900150983cd24fb0d6963f7d28e17f72' }], location: 'a.txt' }],
      { dialect: TROV_DIALECT },
    );
    const report = await verifyTro(mixed, { baseDir: base });
    expect(report.artifacts[0]).toMatchObject({ status: 'unverifiable', detail: 'unsupported hash algorithm: md5', actual: sha256('abc') });
  });

  it('verifies an empty composition whose claimed fingerprint is sha256("")', async () => {
    const report = await verifyTro(model([], { fingerprint: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' }), {});
    expect(report).toMatchObject({ verified: true, artifacts: [], fingerprint: { status: 'ok' } });
  });

  it('does not verify a TRO without a claimed fingerprint', async () => {
    const base = await dir({ 'results.json': RESULTS });
    const report = await verifyTro(model([{ id: 'results', sha256: sha256(RESULTS), location: 'results.json' }], { fingerprint: null }), { baseDir: base });
    expect(report.fingerprint).toMatchObject({ claimed: null, status: 'missing', computed: newlineFingerprint([sha256(RESULTS)]) });
    expect(report.verified).toBe(false);
  });

  it('checks every location of an artifact (matched by its full @id): one tampered copy fails it', async () => {
    const base = await dir({ 'good.json': RESULTS, 'bad.json': 'tampered' });
    const m = model([{ id: 'results', sha256: sha256(RESULTS), location: 'good.json' }], {
      extraArrangements: [
        {
          pointer: '/@graph/0/trov:hasArrangement/1',
          locations: [
            { artifactId: 'composition/1/artifact/results', location: 'bad.json', pointer: '/x' },
            { artifactId: 'composition/2/artifact/other', location: 'bad.json', pointer: '/y' },
          ],
        },
      ],
    });
    const both = (await verifyTro(m, { baseDir: base })).artifacts[0];
    expect(both).toMatchObject({ status: 'mismatch', location: 'good.json' });
    expect(both?.detail).toMatch(/^bad\.json: sha256 [0-9a-f]{64} != claimed /);
    expect(both?.locations?.map((l) => [l.location, l.status])).toEqual([
      ['good.json', 'ok'],
      ['bad.json', 'mismatch'],
    ]);
    // A location recorded for a different full @id with the same short id does not apply.
    const other = model([{ id: 'other', fullId: 'composition/1/artifact/other', sha256: sha256(RESULTS) }], {
      extraArrangements: [{ pointer: '/z', locations: [{ artifactId: 'composition/2/artifact/other', location: 'good.json', pointer: '/w' }] }],
    });
    expect((await verifyTro(other, { baseDir: base })).artifacts[0]).toMatchObject({ status: 'unfetchable', location: null, detail: 'no arrangement location for artifact' });
  });

  it('reports progress per artifact and never puts an absolute path in the report', async () => {
    const big = new Uint8Array(2 * FILE_CHUNK_BYTES + 500_000).fill(7);
    const base = await dir({ 'big.bin': big, 'gone/.keep': '' });
    const events: Array<{ artifact: string; bytes: number; totalBytes: number | null }> = [];
    const m = model([
      { id: 'big', sha256: sha256(big), location: 'big.bin' },
      { id: 'missing', sha256: 'a'.repeat(64), location: 'gone/missing.bin' },
      { id: 'folder', sha256: 'a'.repeat(64), location: 'gone' },
    ]);
    const report = await verifyTro(m, { baseDir: base, onProgress: (e) => events.push({ ...e }) });
    expect(events.at(-1)).toEqual({ artifact: 'big', bytes: big.length, totalBytes: big.length });
    expect(events.length).toBeGreaterThanOrEqual(3);
    expect(report.artifacts.map((a) => a.detail)).toEqual([undefined, 'no such file: gone/missing.bin', 'is a directory: gone']);
    expect(JSON.stringify(report)).not.toContain(base);
  });

  it('notes when a TROv artifact has several hashes and tro-utils would fingerprint differently', async () => {
    const base = await dir({ 'a.txt': 'abc' });
    const sha512 = 'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f';
    const hashes = [{ algorithm: 'sha512', value: sha512 }, { algorithm: 'sha256', value: sha256('abc') }];
    const specRule = sha256([sha256('abc'), sha512].sort().join(''));
    const troUtilsRule = sha256(sha256('abc'));
    const m = model([{ id: 'a', hashes, location: 'a.txt' }], { dialect: TROV_DIALECT, fingerprint: specRule });
    const report = await verifyTro(m, { baseDir: base });
    expect(report.fingerprint).toMatchObject({ algorithm: 'sha256-concat', computed: specRule, status: 'ok' });
    expect(report.notes).toEqual([
      `fingerprint: tro-utils' rule (one hash value per artifact, preferring sha256) gives ${troUtilsRule}, not the spec rule's ${specRule} used here`,
    ]);
    expect(report.verified).toBe(true);
    const claimedByTroUtils = await verifyTro(model([{ id: 'a', hashes, location: 'a.txt' }], { dialect: TROV_DIALECT, fingerprint: troUtilsRule }), { baseDir: base });
    expect(claimedByTroUtils.fingerprint.status).toBe('mismatch');
    expect(claimedByTroUtils.notes[0]).toMatch(/the claimed fingerprint matches that rule$/);
  });

  it('recomputes a TROv fingerprint that declares another hash algorithm', async () => {
    const base = await dir({ 'a.txt': 'abc' });
    const { createHash } = await import('node:crypto');
    const claimed = createHash('sha512').update(sha256('abc')).digest('hex');
    const m = model([{ id: 'a', hashes: [{ algorithm: 'sha256', value: sha256('abc') }], location: 'a.txt' }], {
      dialect: TROV_DIALECT,
      fingerprint: claimed,
      fingerprintAlgorithm: 'SHA-512',
    });
    const report = await verifyTro(m, { baseDir: base });
    expect(report.fingerprint).toEqual({ algorithm: 'sha256-concat', hashAlgorithm: 'sha512', claimed, computed: claimed, status: 'ok' });
  });

  it('notes a duplicated hash value, which the multiset fingerprint counts twice', async () => {
    const base = await dir({ 'a.txt': 'abc', 'b.txt': 'abc' });
    const m = model([
      { id: 'a', sha256: sha256('abc'), location: 'a.txt' },
      { id: 'b', sha256: sha256('abc'), location: 'b.txt' },
    ]);
    const report = await verifyTro(m, { baseDir: base });
    expect(report.fingerprint.computed).toBe(sha256(`${sha256('abc')}\n${sha256('abc')}`));
    expect(report.notes).toEqual([`fingerprint: hash value ${sha256('abc')} appears 2 times in the composition and is counted each time`]);
    expect(report.verified).toBe(true);
  });
});
