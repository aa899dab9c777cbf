// The sync state: journal replay (a torn last line ignored), atomic save, and starting over for another server or lift rules.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SyncState, syncDirectory } from '../../../src/index.js';
import type { SyncBasis } from '../../../src/query/sync-state.js';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pe-trace-sync-state-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('SyncState', () => {
  it('replays the journal of an interrupted run, ignoring a torn last line', () => {
    const path = join(dir, 'state.json');
    const s = SyncState.open(path, 'http://127.0.0.1:1/gsp', '2');
    expect(s.resumed).toBe(false);
    s.put('https://g/1', 'aa');
    s.put('https://g/2', 'bb');
    s.delete('https://g/1');
    s.file('a.json', 'bb', 'https://g/2');
    // a run killed in the middle of its next append
    writeFileSync(`${path}.journal`, `${readFileSync(`${path}.journal`, 'utf8')}{"put":"https://g/3","dig`);
    const again = SyncState.open(path, 'http://127.0.0.1:1/gsp', '2');
    expect(again.resumed).toBe(true);
    expect(again.graphs()).toEqual(['https://g/2']);
    expect(again.digestOf('https://g/2')).toBe('bb');
    expect(again.warnings).toEqual([]);
  });

  it('journals several writes in one append: an intent, then its completion; a torn append keeps its whole lines', () => {
    const path = join(dir, 'state.json');
    const s = SyncState.open(path, 'srv', '2');
    s.putMany([['https://g/1', 'partial'], ['https://g/2', 'partial']]);
    s.putMany([]);
    expect(SyncState.open(path, 'srv', '2').digestOf('https://g/1')).toBe('partial');
    s.putMany([['https://g/1', 'aa'], ['https://g/2', 'bb']]);
    const whole = readFileSync(`${path}.journal`, 'utf8');
    expect(whole.split('\n').filter(Boolean)).toHaveLength(4);
    // the second append cut inside its second line: its first line counts, the second graph stays an intent
    writeFileSync(`${path}.journal`, whole.slice(0, whole.lastIndexOf('"digest"')));
    const torn = SyncState.open(path, 'srv', '2');
    expect(torn.digestOf('https://g/1')).toBe('aa');
    expect(torn.digestOf('https://g/2')).toBe('partial');
  });

  it('saves atomically with sorted keys, drops the journal, and reads back the same', async () => {
    const path = join(dir, 'sub', 'state.json');
    const s = SyncState.open(path, 'srv', '2');
    s.put('https://g/b', '2');
    s.put('https://g/a', '1');
    s.file('z.json', '2', 'https://g/b');
    s.file('y.json', '1', 'https://g/a');
    await s.save();
    expect(existsSync(`${path}.journal`)).toBe(false);
    const text = readFileSync(path, 'utf8');
    expect(Object.keys((JSON.parse(text) as { graphs: object }).graphs)).toEqual(['https://g/a', 'https://g/b']);
    const back = SyncState.open(path, 'srv', '2');
    expect(back.graphs().sort()).toEqual(['https://g/a', 'https://g/b']);
    await back.save();
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  it('starts empty for another server, and marks every graph stale for other lift rules', async () => {
    const path = join(dir, 'state.json');
    const s = SyncState.open(path, 'srv-a', '2');
    s.put('https://g/a', 'sha');
    await s.save();
    const other = SyncState.open(path, 'srv-b', '2');
    expect(other.graphs()).toEqual([]);
    expect(other.warnings.join()).toMatch(/another server/);
    const relift = SyncState.open(path, 'srv-a', '3');
    expect(relift.graphs()).toEqual(['https://g/a']);
    expect(relift.digestOf('https://g/a')).not.toBe('sha');
  });

  it('gives back the corpus the corpus-wide graphs were computed from only when the state says the server holds them', async () => {
    const path = join(dir, 'state.json');
    const s = SyncState.open(path, 'srv', '2');
    const graphs = ['https://pe-trace.invalid/graph/index', 'https://pe-trace.invalid/graph/links'];
    const basis: SyncBasis = { tag: 'corpus:1', documents: [['ab.json', 'ab']], basis: [[12, ['a.json', 'b/a.json']]], flow: ['<https://a> <https://p> <https://b> <https://g> .'], triples: { [graphs[0] ?? '']: 3, [graphs[1] ?? '']: 1 } };
    // an earlier version's record of a graph's whole text: removed once a basis is kept
    const oldRecord = `${path}.sent-${createHash('sha256').update(graphs[0] ?? '').digest('hex').slice(0, 16)}.nt`;
    writeFileSync(oldRecord, '<https://a> <https://p> "x" .\n');
    expect(s.derivedBasis()).toBeUndefined();
    await s.recordDerivedBasis(basis);
    expect(existsSync(oldRecord)).toBe(false);
    expect(s.derivedBasis()).toEqual(basis);
    // recorded, but the state does not give a graph its tag yet (a run killed between the two steps): not vouched for
    const vouched = (st: SyncState): boolean[] => graphs.map((g) => st.vouchedFor(g, basis));
    expect(vouched(s)).toEqual([false, false]);
    s.put(graphs[0] ?? '', 'corpus:1');
    expect(vouched(s)).toEqual([true, false]);
    s.put(graphs[1] ?? '', 'corpus:1');
    await s.save();
    expect(vouched(SyncState.open(path, 'srv', '2'))).toEqual([true, true]);
    expect(SyncState.open(path, 'srv', '2').derivedBasis()).toEqual(basis);
    // a graph being patched (or replaced) names no corpus
    s.put(graphs[1] ?? '', 'partial');
    expect(vouched(s)).toEqual([true, false]);
    // another server: no graph is vouched for
    expect(vouched(SyncState.open(path, 'srv-b', '2'))).toEqual([false, false]);
    // a damaged record is no record
    const record = readdirSync(dir).find((f) => f.endsWith('.derived-basis.json')) ?? '';
    writeFileSync(join(dir, record), '{"tag": "corpus:1", "documents": [');
    expect(s.derivedBasis()).toBeUndefined();
  });

  it('a damaged state file is a warning, not an error', () => {
    const path = join(dir, 'state.json');
    writeFileSync(path, '{"version": 1, "server": ');
    const s = SyncState.open(path, 'srv', '2');
    expect(s.graphs()).toEqual([]);
    expect(s.warnings.join()).toMatch(/damaged/);
  });
});

describe('syncDirectory refusals (no request sent)', () => {
  it('refuses plain http to a non-loopback host and a non-http scheme', async () => {
    const opts = { statePath: join(dir, 's.json') };
    await expect(syncDirectory(dir, { ...opts, endpoint: 'http://10.0.0.1/sparql' })).rejects.toMatchObject({ code: 'USAGE' });
    await expect(syncDirectory(dir, { ...opts, endpoint: 'https://127.0.0.1/sparql', graphStore: 'ftp://127.0.0.1/x' })).rejects.toMatchObject({ code: 'USAGE' });
    expect(existsSync(join(dir, 's.json'))).toBe(false);
  });
});
