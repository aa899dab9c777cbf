// The sync state: journal replay (a torn last line ignored), atomic save, and starting over for another server or lift rules.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SyncState, syncDirectory } from '../../../src/index.js';

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

  it('gives back the record of a corpus-wide graph only when it is what the state says the server holds', async () => {
    const path = join(dir, 'state.json');
    const s = SyncState.open(path, 'srv', '2');
    const g = 'https://pe-trace.invalid/graph/index';
    const text = '<https://a> <https://p> "x" .\n<https://b> <https://p> "y" .\n';
    expect(s.sentText(g)).toBeUndefined();
    await s.recordSent(g, text);
    // recorded, but the state has no digest for it yet (a run killed between the two steps): not trusted
    expect(s.sentText(g)).toBeUndefined();
    s.put(g, createHash('sha256').update(text).digest('hex'));
    expect(s.sentText(g)).toBe(text);
    await s.save();
    expect(SyncState.open(path, 'srv', '2').sentText(g)).toBe(text);
    // a record altered behind our back (or the digest of an interrupted diff) is not trusted either
    const other = readdirSync(dir).find((f) => f.endsWith('.nt')) ?? '';
    writeFileSync(join(dir, other), `${text}<https://c> <https://p> "z" .\n`);
    expect(SyncState.open(path, 'srv', '2').sentText(g)).toBeUndefined();
    s.put(g, 'patching');
    await s.recordSent(g, text);
    expect(s.sentText(g)).toBeUndefined();
    // another server: nothing is trusted
    expect(SyncState.open(path, 'srv-b', '2').sentText(g)).toBeUndefined();
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
