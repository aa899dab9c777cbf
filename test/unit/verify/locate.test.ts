// Location resolution: https only by exact prefix, every other scheme refused unfetched, relative paths confined to the record dir.
import { execFileSync } from 'node:child_process';
import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { locateArtifact } from '../../../src/verify/locate.js';
import { verifyTro } from '../../../src/verify/verify.js';
import { TLS_CERT, httpServer, httpsServer, model, sha256, scratch } from './support.js';

const { dir, server } = scratch();
const DATA = 'artifact bytes\n';

async function verifyOne(location: string, baseDir: string | undefined, extra: { fetchHttps?: boolean } = {}) {
  const m = model([{ id: 'a', sha256: sha256(DATA), location }]);
  const report = await verifyTro(m, { ...(baseDir === undefined ? {} : { baseDir }), ca: TLS_CERT, ...extra });
  const [a] = report.artifacts;
  return { status: a?.status, detail: a?.detail, notes: report.notes, verified: report.verified };
}

describe('URL schemes', () => {
  it('never requests http://, file://, hf:// or any other scheme, and names the location', async () => {
    const plain = await server(httpServer((_req, res) => res.end(DATA)));
    const base = await dir({ 'a.txt': DATA });
    const locations = [
      `${plain.origin}/a.txt`,
      `file://${base}/a.txt`,
      'hf://datasets/policyengine/populace-us/a.h5',
      'gs://bucket/a.txt',
      's3://bucket/a.txt',
      'ftp://127.0.0.1/a.txt',
      'urn:uuid:2f1d6a1e-0000-4000-8000-000000000000',
      `HTTPS://127.0.0.1:1/a.txt`,
      `Https://127.0.0.1:1/a.txt`,
      'data:text/plain,artifact',
    ];
    for (const loc of locations) {
      expect(await verifyOne(loc, base), loc).toMatchObject({ status: 'unfetchable', detail: `unsupported artifact location scheme: ${loc}` });
    }
    expect(plain.requests).toEqual([]);
  });

  it('does not fetch https unless asked (off by default): "not-fetched", never a mismatch', async () => {
    const s = await server(httpsServer((_req, res) => res.end(DATA)));
    for (const extra of [{}, { fetchHttps: false }]) {
      const r = await verifyOne(`${s.origin}/a.txt`, undefined, extra);
      expect(r).toMatchObject({ status: 'not-fetched', verified: false });
      expect(r.detail).toBe(`${s.origin}/a.txt not fetched (pass --fetch to download it, or --map LOCATION=PATH for a copy you have)`);
    }
    expect(s.requests).toEqual([]);
    expect(await verifyOne(`${s.origin}/a.txt`, undefined, { fetchHttps: true })).toMatchObject({ status: 'ok', verified: true });
    expect(s.requests).toEqual(['/a.txt']);
  });
});

describe('relative paths', () => {
  it('needs a base directory', async () => {
    expect(await verifyOne('a.txt', undefined)).toMatchObject({ status: 'unfetchable', detail: 'no base directory for relative artifact locations' });
  });

  it('refuses absolute paths, including Windows drive paths', async () => {
    const base = await dir({ 'a.txt': DATA });
    for (const loc of [join(base, 'a.txt'), '/etc/hostname', 'C:\\data\\a.txt', 'c:/data/a.txt', '\\\\server\\share\\a.txt']) {
      expect(await verifyOne(loc, base), loc).toMatchObject({ status: 'unfetchable', detail: `absolute artifact location refused: ${loc}` });
    }
  });

  it('accepts an inner .. that stays inside and refuses one that leaves, existing or not', async () => {
    const root = await dir({ 'outside.json': DATA, 'rec/data/a.txt': DATA });
    const base = join(root, 'rec');
    expect(await verifyOne('data/../data/a.txt', base)).toMatchObject({ status: 'ok', verified: true });
    expect(await verifyOne('./data/./a.txt', base)).toMatchObject({ status: 'ok' });
    for (const loc of ['../outside.json', 'data/../../outside.json', '../does-not-exist.json', '..']) {
      expect(await verifyOne(loc, base), loc).toMatchObject({ status: 'unfetchable', detail: `artifact location escapes the record directory: ${loc}` });
    }
  });

  it('follows symlinks and confines their targets to the record directory', async () => {
    const root = await dir({ 'secret.txt': DATA, 'outdir/x.txt': DATA, 'rec/real/a.txt': DATA });
    const base = join(root, 'rec');
    await symlink(join(root, 'secret.txt'), join(base, 'leak.txt'));
    await symlink(join(root, 'outdir'), join(base, 'outlink'));
    await symlink('real/a.txt', join(base, 'inside.txt'));
    await symlink(join(base, 'real'), join(base, 'reallink'));
    expect(await verifyOne('leak.txt', base)).toMatchObject({ status: 'unfetchable', detail: 'artifact location escapes the record directory: leak.txt' });
    expect(await verifyOne('outlink/x.txt', base)).toMatchObject({ status: 'unfetchable', detail: 'artifact location escapes the record directory: outlink/x.txt' });
    // `..` applies after the symlink is followed (kernel semantics): outlink/.. is root, not rec.
    expect(await verifyOne('outlink/../secret.txt', base)).toMatchObject({
      status: 'unfetchable',
      detail: 'artifact location escapes the record directory: outlink/../secret.txt',
    });
    expect(await verifyOne('inside.txt', base)).toMatchObject({ status: 'ok' });
    expect(await verifyOne('reallink/a.txt', base)).toMatchObject({ status: 'ok' });
  });

  it('works when the base directory itself is reached through a symlink', async () => {
    const root = await dir({ 'rec/a.txt': DATA });
    await symlink(join(root, 'rec'), join(root, 'alias'));
    expect(await verifyOne('a.txt', join(root, 'alias'))).toMatchObject({ status: 'ok' });
  });

  it('strips a #fragment from a relative location, reads the file and says so', async () => {
    const fp = '66ceaf4c12243f1f6ccb5b01e10fd1cd0a6e1e2fc6a9915ae5bde114353a4377';
    const base = await dir({ 'bundle.trace.tro.jsonld': DATA });
    const loc = `bundle.trace.tro.jsonld#${fp}`;
    expect(await verifyOne(loc, base)).toEqual({
      status: 'ok',
      detail: undefined,
      verified: true,
      notes: [`a: stripped the fragment #${fp} from location ${loc} and read the file it names`],
    });
  });

  it('does not decode percent-encoding', async () => {
    const base = await dir({ 'a%20b.txt': DATA, 'c d.txt': DATA });
    expect(await verifyOne('a%20b.txt', base)).toMatchObject({ status: 'ok' });
    expect(await verifyOne('c%20d.txt', base)).toMatchObject({ status: 'unfetchable', detail: 'no such file: c%20d.txt' });
  });

  it('refuses directories, FIFOs and missing files without blocking or leaking paths', async () => {
    const base = await dir({ 'sub/a.txt': DATA });
    execFileSync('mkfifo', [join(base, 'pipe')]);
    await mkdir(join(base, 'empty'));
    expect(await verifyOne('sub', base)).toMatchObject({ status: 'unfetchable', detail: 'is a directory: sub' });
    expect(await verifyOne('sub/', base)).toMatchObject({ status: 'unfetchable', detail: 'is a directory: sub/' });
    expect(await verifyOne('pipe', base)).toMatchObject({ status: 'unfetchable', detail: 'not a regular file: pipe' });
    expect(await verifyOne('empty/none.txt', base)).toMatchObject({ status: 'unfetchable', detail: 'no such file: empty/none.txt' });
    expect(await verifyOne('sub/a.txt/x', base)).toMatchObject({ status: 'unfetchable', detail: 'a parent of this path is not a directory: sub/a.txt/x' });
  });
});

describe('locateArtifact', () => {
  it('classifies without touching the network', async () => {
    const base = await dir({ 'a.txt': DATA });
    expect(await locateArtifact('https://example.org/a', { fetchHttps: true })).toEqual({ kind: 'https', url: 'https://example.org/a' });
    const file = await locateArtifact('a.txt#frag', { fetchHttps: true, baseDir: base });
    expect(file).toMatchObject({ kind: 'file', fragment: '#frag' });
    expect(await locateArtifact('a.txt', { fetchHttps: true, baseDir: join(base, 'nope') })).toEqual({
      kind: 'refused',
      detail: 'base directory is not readable (no such file)',
    });
  });
});
