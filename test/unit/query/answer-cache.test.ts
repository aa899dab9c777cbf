// The directory snapshot and the answer cache: unchanged files are not re-read, any change is seen, damaged entries are misses.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ANSWER_CACHE_VERSION, DirectorySnapshot, InputError, auditDirectory, parseUserQuery, queryDirectory, scanDirectory } from '../../../src/index.js';

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});
function temp(): string {
  const d = mkdtempSync(join(tmpdir(), 'pe-trace-answers-'));
  dirs.push(d);
  return d;
}
/** A copy of the example corpus whose files are old enough (1 hour) for their stat to be trusted. */
function corpusCopy(): string {
  const d = join(temp(), 'corpus');
  cpSync('fixtures/corpus', d, { recursive: true });
  const old = new Date(Date.now() - 3600_000);
  const walk = (p: string): void => {
    for (const e of readdirSync(p, { withFileTypes: true })) {
      const child = join(p, e.name);
      if (e.isDirectory()) walk(child);
      else utimesSync(child, old, old);
    }
  };
  walk(d);
  return d;
}
const BUILDS = parseUserQuery('PREFIX ptq: <https://w3id.org/pe-trace/query#> SELECT ?path ?id WHERE { ?r ptq:buildId ?id ; ptq:inDocument/ptq:path ?path } ORDER BY ?path ?id');
const snapshotFile = (cache: string): string => {
  const dir = join(cache, 'snapshots-v1');
  return join(dir, readdirSync(dir)[0] ?? 'missing');
};

describe('directory snapshot', () => {
  const id = { size: 10n, mtimeNs: 1_000_000_000_000n, ctimeNs: 1_000_000_000_000n, ino: 7n, dev: 1n };

  it('trusts a recorded sha256 only for the same identity, and only when the file was older than the snapshot by the racy margin', () => {
    const cache = temp();
    const first = DirectorySnapshot.open(cache, '/some/dir');
    expect(first.lookup('a.json', 'json', id)).toBeUndefined();
    first.record('a.json', 'json', id, 'f'.repeat(64), false);
    first.save(id.mtimeNs + 10_000_000_000n); // taken 10 s after the file was written
    const second = DirectorySnapshot.open(cache, '/some/dir');
    expect(second.lookup('a.json', 'json', id)).toBe('f'.repeat(64));
    expect(second.lookup('a.json', 'turtle', id)).toBeUndefined();
    for (const changed of [{ size: 11n }, { mtimeNs: id.mtimeNs + 1n }, { ctimeNs: id.ctimeNs + 1n }, { ino: 8n }, { dev: 2n }]) {
      expect(second.lookup('a.json', 'json', { ...id, ...changed })).toBeUndefined();
    }
    // Another directory's snapshot is another file.
    expect(DirectorySnapshot.open(cache, '/other/dir').lookup('a.json', 'json', id)).toBeUndefined();
    // Written in the same second as the snapshot: racily clean, so hashed again.
    second.record('a.json', 'json', id, 'f'.repeat(64), false);
    second.save(id.mtimeNs + 1_000_000_000n);
    expect(DirectorySnapshot.open(cache, '/some/dir').lookup('a.json', 'json', id)).toBeUndefined();
  });

  it('treats a damaged snapshot as empty', () => {
    const cache = temp();
    const s = DirectorySnapshot.open(cache, '/d');
    s.record('a.json', 'json', id, 'a'.repeat(64), false);
    s.save(id.mtimeNs + 10_000_000_000n);
    writeFileSync(snapshotFile(cache), '{"version":1,"dir":"/d","takenNs":"x"');
    expect(DirectorySnapshot.open(cache, '/d').lookup('a.json', 'json', id)).toBeUndefined();
  });

  it('lets the scan name an unchanged file without reading it, and sees a same-size rewrite with the old mtime', async () => {
    const dir = corpusCopy();
    const cache = temp();
    const first = await scanDirectory(dir, { cacheDir: cache });
    expect(first.digest).toMatch(/^[0-9a-f]{64}$/);
    const target = first.files.find((f) => f.rel.endsWith('.jsonld'));
    if (target?.sha256 === undefined) throw new Error('no TRO in the corpus copy');
    // Proof that the scan trusts the snapshot instead of reading: a forged sha256 in the snapshot is believed.
    const forged = readFileSync(snapshotFile(cache), 'utf8').replaceAll(target.sha256, '0'.repeat(64));
    writeFileSync(snapshotFile(cache), forged);
    const trusted = await scanDirectory(dir, { cacheDir: cache });
    expect(trusted.files.find((f) => f.rel === target.rel)?.sha256).toBe('0'.repeat(64));
    // Same size, same mtime, new bytes: the ctime (and the inode, for a replaced file) still tell.
    const path = join(dir, target.rel);
    const before = statSync(path);
    const bytes = readFileSync(path);
    bytes[bytes.length - 2] = bytes[bytes.length - 2] === 0x20 ? 0x0a : 0x20;
    writeFileSync(path, bytes);
    utimesSync(path, before.atime, before.mtime);
    const rescanned = await scanDirectory(dir, { cacheDir: cache });
    expect(rescanned.files.find((f) => f.rel === target.rel)?.sha256).not.toBe('0'.repeat(64));
    expect(rescanned.digest).not.toBe(first.digest);
  });

  it('gives no digest without a cache, or when a file cannot be read', async () => {
    const dir = corpusCopy();
    expect((await scanDirectory(dir)).digest).toBeUndefined();
    writeFileSync(join(dir, 'huge.json'), `[${'0,'.repeat(100)}0]`);
    const scan = await scanDirectory(dir, { cacheDir: temp(), maxFileBytes: 100 });
    expect(scan.digest).toBeUndefined();
  });
});

describe('answer cache', () => {
  it('answers a repeated query from the cache, and recomputes when any file changes', async () => {
    const dir = corpusCopy();
    const cacheDir = temp();
    const cold = await queryDirectory(dir, BUILDS, { graphs: 'index', cacheDir });
    expect(cold.cached).toBe(false);
    const warm = await queryDirectory(dir, BUILDS, { graphs: 'index', cacheDir });
    expect(warm.cached).toBe(true);
    expect(warm.answer).toEqual(cold.answer);
    expect({ documents: warm.documents, problems: warm.problems, warnings: warm.warnings }).toEqual({ documents: cold.documents, problems: cold.problems, warnings: cold.warnings });
    // Another query text, or another graph selection, is another question.
    expect((await queryDirectory(dir, parseUserQuery(`${BUILDS.text} LIMIT 1`), { graphs: 'index', cacheDir })).cached).toBe(false);
    expect((await queryDirectory(dir, BUILDS, { graphs: 'all', cacheDir })).cached).toBe(false);
    // A new build manifest: the answer must include it.
    const manifest = JSON.parse(readFileSync('fixtures/corpus/real/populace/uk-june-2023/build_manifest.json', 'utf8')) as { build_id: string };
    manifest.build_id = 'pe-trace-test-build';
    mkdirSync(join(dir, 'extra'));
    writeFileSync(join(dir, 'extra/build_manifest.json'), JSON.stringify(manifest));
    const changed = await queryDirectory(dir, BUILDS, { graphs: 'index', cacheDir });
    expect(changed.cached).toBe(false);
    expect(JSON.stringify(changed.answer)).toContain('pe-trace-test-build');
    expect(changed.documents).toBe(cold.documents + 1);
  });

  it('never answers a strict run from the cache, and recomputes over a damaged entry', async () => {
    const dir = corpusCopy();
    const cacheDir = temp();
    await queryDirectory(dir, BUILDS, { graphs: 'index', cacheDir });
    writeFileSync(join(dir, 'broken.json'), '{"a": 1,');
    const lenient = await queryDirectory(dir, BUILDS, { graphs: 'index', cacheDir });
    expect(lenient.problems.map((p) => p.path)).toEqual(['broken.json']);
    expect((await queryDirectory(dir, BUILDS, { graphs: 'index', cacheDir })).cached).toBe(true);
    await expect(queryDirectory(dir, BUILDS, { graphs: 'index', cacheDir, strict: true })).rejects.toThrow(InputError);
    const answers = join(cacheDir, `answers-v${ANSWER_CACHE_VERSION}`);
    for (const shard of readdirSync(answers)) for (const f of readdirSync(join(answers, shard))) writeFileSync(join(answers, shard, f), '{"documents": "x"}');
    const again = await queryDirectory(dir, BUILDS, { graphs: 'index', cacheDir });
    expect(again.cached).toBe(false);
    expect(again.answer).toEqual(lenient.answer);
  });

  it('keeps audits too: the same audit from the cache, a different one after a change', async () => {
    const dir = corpusCopy();
    const cacheDir = temp();
    const cold = await auditDirectory(dir, { cacheDir });
    const warm = await auditDirectory(dir, { cacheDir });
    expect(warm).toEqual(cold);
    expect(await auditDirectory(dir)).toEqual(cold); // and equal to an uncached run
    const limited = await auditDirectory(dir, { cacheDir, maxPathsPerInput: 1 });
    expect(limited.paths.length).toBeLessThan(cold.paths.length);
    rmSync(join(dir, 'emitted/build'), { recursive: true });
    expect(await auditDirectory(dir, { cacheDir })).toEqual(await auditDirectory(dir));
  });
});
