// Directory loading: what is read, what is skipped, identical copies, malformed files, the facts cache.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError, loadCorpus } from '../../../src/index.js';

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});
function temp(): string {
  const d = mkdtempSync(join(tmpdir(), 'pe-trace-load-'));
  dirs.push(d);
  return d;
}
const US = 'fixtures/policyengine-py/shipped/us.trace.tro.jsonld';

describe('loadCorpus', () => {
  it('loads an empty directory as an empty corpus', async () => {
    const c = await loadCorpus(temp());
    expect(c).toEqual({ documents: [], links: [], flowLinks: [], problems: [], skipped: [], cacheHits: 0 });
  });

  it('refuses a missing directory and a file, naming them as given', async () => {
    await expect(loadCorpus('no/such/dir')).rejects.toThrow(new InputError('INPUT_UNREADABLE', 'no such directory', { location: { file: 'no/such/dir' } }));
    await expect(loadCorpus(US)).rejects.toThrow(`${US}: is not a directory`);
  });

  it('reads nested files, merges identical copies, skips hidden entries, other extensions and symlinked folders', async () => {
    const d = temp();
    mkdirSync(join(d, 'a/b'), { recursive: true });
    mkdirSync(join(d, '.hidden'));
    cpSync(US, join(d, 'a/b/us.trace.tro.jsonld'));
    cpSync(US, join(d, 'copy.jsonld'));
    cpSync(US, join(d, '.hidden/us.jsonld'));
    writeFileSync(join(d, 'notes.txt'), 'not loaded');
    writeFileSync(join(d, 'graph.ttl'), '@prefix ex: <https://example.org/> .\nex:a ex:b "c" .\n');
    symlinkSync(join(d, 'a'), join(d, 'link'));
    const c = await loadCorpus(d);
    expect(c.documents.map((x) => [x.paths, x.facts.kind])).toEqual([
      [['a/b/us.trace.tro.jsonld', 'copy.jsonld'], 'tro'],
      [['graph.ttl'], 'turtle'],
    ]);
    expect(c.skipped).toEqual(['link/', 'notes.txt']);
  });

  it('reports a malformed file as a located problem and goes on; --strict stops', async () => {
    const d = temp();
    cpSync(US, join(d, 'good.jsonld'));
    writeFileSync(join(d, 'bad.json'), '{\n  "a": 1,\n  "a": 2\n}\n');
    const c = await loadCorpus(d);
    expect(c.documents.map((x) => x.path)).toEqual(['good.jsonld']);
    expect(c.problems).toEqual([{ path: 'bad.json', code: 'JSON_SYNTAX', message: expect.stringMatching(/^bad\.json:3:3: .*duplicate key "a"/) as unknown as string }]);
    await expect(loadCorpus(d, { strict: true })).rejects.toThrow(/^bad\.json:3:3: /);
  });

  it('caches facts by file sha256 and ignores a damaged entry', async () => {
    const d = temp();
    const cache = join(temp(), 'cache');
    cpSync(US, join(d, 'us.jsonld'));
    cpSync('fixtures/policyengine-py/shipped/manifest.json', join(d, 'manifest.json'));
    const cold = await loadCorpus(d, { cacheDir: cache });
    expect(cold.cacheHits).toBe(0);
    const warm = await loadCorpus(d, { cacheDir: cache });
    expect(warm.cacheHits).toBe(2);
    expect(JSON.stringify(warm.documents)).toBe(JSON.stringify(cold.documents));
    const shard = join(cache, 'facts-v1', '36');
    const [entry] = readdirSync(shard);
    writeFileSync(join(shard, entry ?? ''), '{"kind": "tro"'); // truncated
    const repaired = await loadCorpus(d, { cacheDir: cache });
    expect(repaired.cacheHits).toBe(1);
    expect(JSON.stringify(repaired.documents)).toBe(JSON.stringify(cold.documents));
  });
});
