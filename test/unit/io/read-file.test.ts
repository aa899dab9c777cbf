// The document readers, asynchronous and synchronous: the same bytes and the same located errors.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hashFile, openRegularFile, readDocumentFile, readDocumentFileSync } from '../../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'pe-trace-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'doc.json'), '{"a": "é"}\n');
writeFileSync(join(dir, 'empty.json'), '');
mkdirSync(join(dir, 'folder.json'));
// A FIFO with no writer: a blocking open() would wait for one forever (issue 9 item 16).
execFileSync('mkfifo', [join(dir, 'fifo.json')]);

async function both(name: string, maxBytes?: number): Promise<[string, string]> {
  const options = { label: name, ...(maxBytes === undefined ? {} : { maxBytes }) };
  const outcome = async (f: () => Promise<Uint8Array> | Uint8Array): Promise<string> => {
    try {
      return `bytes ${Buffer.from(await f()).toString('hex')}`;
    } catch (e) {
      return `${(e as { code?: string }).code ?? '?'} ${(e as Error).message}`;
    }
  };
  return [await outcome(() => readDocumentFile(join(dir, name), options)), await outcome(() => readDocumentFileSync(join(dir, name), options))];
}

describe('readDocumentFile and readDocumentFileSync', () => {
  it.each([
    ['doc.json', undefined, 'bytes 7b2261223a2022c3a9227d0a'],
    ['empty.json', undefined, 'bytes '],
    ['doc.json', 5, 'JSON_LIMIT doc.json: file is 12 bytes, over the 5-byte limit for a document'],
    ['folder.json', undefined, 'INPUT_UNREADABLE folder.json: is a directory, not a file'],
    ['missing.json', undefined, 'INPUT_UNREADABLE missing.json: no such file'],
    ['fifo.json', undefined, 'INPUT_UNREADABLE fifo.json: is not a regular file'],
  ])('%s (limit %s) → %s, from both', async (name, maxBytes, expected) => {
    expect(await both(name, maxBytes)).toEqual([expected, expected]);
  });
});

describe('the one reader refuses what is not a regular file, before reading (issue 9 item 16)', () => {
  it('a FIFO, /dev/zero and a directory are refused by the streaming opener and the hasher too, without blocking', async () => {
    for (const [path, label, message] of [
      [join(dir, 'fifo.json'), 'fifo.json', 'fifo.json: is not a regular file'],
      ['/dev/zero', '/dev/zero', '/dev/zero: is not a regular file'],
      [join(dir, 'folder.json'), 'folder.json', 'folder.json: is a directory, not a file'],
    ] as const) {
      await expect(openRegularFile(path, { label })).rejects.toThrow(message);
      await expect(hashFile(path, 'sha256', { label })).rejects.toThrow(message);
      await expect(readDocumentFile(path, { label })).rejects.toThrow(message);
    }
  });

  it('a size cap names what the input is', async () => {
    await expect(readDocumentFile(join(dir, 'doc.json'), { label: 'ca.pem', maxBytes: 4, what: 'a CA certificate' })).rejects.toThrow(
      'ca.pem: file is 12 bytes, over the 4-byte limit for a CA certificate',
    );
  });
});
