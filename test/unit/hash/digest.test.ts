// Digest vectors for every permitted algorithm, streaming equivalence, progress, limits and file errors.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import {
  ByteLimitError,
  FILE_CHUNK_BYTES,
  HASH_ALGORITHMS,
  type HashAlgorithm,
  createHasher,
  hashBytes,
  hashFile,
  hashFileMany,
  hashStream,
  hashStreamMany,
  hexLength,
  parseHashAlgorithm,
  sha256Hex,
} from '../../../src/hash/digest.js';

/** Published digests of "abc" (FIPS 180-4 / 202, RFC 7693, the BLAKE3 reference). */
const ABC: Record<HashAlgorithm, string> = {
  sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  sha384: 'cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7',
  sha512:
    'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
  'sha3-256': '3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532',
  'sha3-384': 'ec01498288516fc926459f58e2c6ad8df9b473cb0fc08c2596da7cf0e49be4b298d88cea927ac7f539f1edf228376d25',
  'sha3-512':
    'b751850b1a57168a5693cd924b6b096e08f621827444f70d884f5d0240d2712e10e116e9192af3c91a7ec57647e3934057340b4cf408d5a56592f8274eec53f0',
  blake2b:
    'ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923',
  blake2s: '508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982',
  blake3: '6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85',
};

async function* chunksOf(data: Uint8Array, sizes: readonly number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  let i = 0;
  while (at < data.length) {
    const n = sizes[i % sizes.length] ?? 1;
    yield data.subarray(at, at + n);
    at += n;
    i += 1;
  }
}

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pe-trace-digest-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('algorithm names', () => {
  it('parses the spellings seen in the wild, case-insensitively', () => {
    expect(parseHashAlgorithm('SHA-256')).toBe('sha256');
    expect(parseHashAlgorithm('sha256')).toBe('sha256');
    expect(parseHashAlgorithm('Sha_512')).toBe('sha512');
    expect(parseHashAlgorithm('SHA3-384')).toBe('sha3-384');
    expect(parseHashAlgorithm('blake2b-512')).toBe('blake2b');
    expect(parseHashAlgorithm('BLAKE2s256')).toBe('blake2s');
    expect(parseHashAlgorithm('BLAKE3')).toBe('blake3');
  });
  it('rejects algorithms TROv does not permit', () => {
    for (const name of ['md5', 'sha1', 'none', 'hmac-sha256', '', 'sha', 'constructor', '__proto__']) {
      expect(parseHashAlgorithm(name), name).toBeUndefined();
    }
  });
  it('gives the hex length of each digest', () => {
    for (const a of HASH_ALGORITHMS) expect(hexLength(a), a).toBe(ABC[a].length);
  });
});

describe('one-shot hashing', () => {
  it.each(HASH_ALGORITHMS)('%s of "abc" equals the published vector', async (a) => {
    expect(await hashBytes('abc', a)).toBe(ABC[a]);
    expect(await hashBytes(new Uint8Array([0x61, 0x62, 0x63]), a)).toBe(ABC[a]);
  });
  it('hashes the empty input', async () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(await hashBytes('', 'blake3')).toBe('af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262');
  });
  it('hashes strings as UTF-8', () => {
    expect(sha256Hex('é')).toBe(sha256Hex(new Uint8Array([0xc3, 0xa9])));
  });
  it('refuses an unknown algorithm from untyped callers with a coded error', async () => {
    await expect(createHasher('md5' as HashAlgorithm)).rejects.toMatchObject({ code: 'HASH_UNSUPPORTED' });
  });
});

describe('streaming', () => {
  const data = new Uint8Array(100_000).map((_, i) => (i * 31 + 7) & 0xff);
  it.each(HASH_ALGORITHMS)('%s: any chunking gives the one-shot digest', async (a) => {
    const expected = await hashBytes(data, a);
    const result = await hashStream(chunksOf(data, [1, 7, 4096, 65_536, 3]), a);
    expect(result).toEqual({ hex: expected, bytes: data.length });
  });
  it('computes several digests in one pass', async () => {
    let passes = 0;
    async function* once(): AsyncGenerator<Uint8Array> {
      passes += 1;
      yield new TextEncoder().encode('ab');
      yield new TextEncoder().encode('c');
    }
    const result = await hashStreamMany(once(), ['sha256', 'blake3', 'sha3-512', 'sha256']);
    expect(passes).toBe(1);
    expect(result.bytes).toBe(3);
    expect(result.hex).toEqual({ sha256: ABC.sha256, blake3: ABC.blake3, 'sha3-512': ABC['sha3-512'] });
  });
  it('reports progress and stops past maxBytes', async () => {
    const seen: number[] = [];
    await hashStream(chunksOf(data, [40_000]), 'sha256', { onProgress: (b) => seen.push(b) });
    expect(seen).toEqual([40_000, 80_000, 100_000]);
    await expect(hashStream(chunksOf(data, [40_000]), 'sha256', { maxBytes: 99_999 })).rejects.toBeInstanceOf(ByteLimitError);
    await expect(hashStream(chunksOf(data, [40_000]), 'sha256', { maxBytes: 100_000 })).resolves.toMatchObject({ bytes: 100_000 });
  });
});

describe('hashFile', () => {
  it('streams a multi-chunk file in chunks of at most FILE_CHUNK_BYTES and matches sha256 of the whole', async () => {
    const size = 3 * FILE_CHUNK_BYTES + 12_345;
    const bytes = new Uint8Array(size).map((_, i) => (i * 131) & 0xff);
    const path = join(dir, 'big.bin');
    await writeFile(path, bytes);
    const progress: number[] = [];
    const result = await hashFile(path, 'sha256', { onProgress: (b) => progress.push(b) });
    expect(result).toEqual({ hex: createHash('sha256').update(bytes).digest('hex'), bytes: size });
    expect(progress.length).toBeGreaterThanOrEqual(4);
    expect(progress.at(-1)).toBe(size);
    progress.forEach((b, i) => expect(b - (progress[i - 1] ?? 0)).toBeLessThanOrEqual(FILE_CHUNK_BYTES));
  });
  it('lets the event loop turn while a large file is hashed (reads are synchronous between yields)', async () => {
    const size = 40 * 1024 * 1024;
    const path = join(dir, 'large.bin');
    await writeFile(path, new Uint8Array(size));
    let turns = 0;
    let hashing = true;
    const spin = (): void => {
      turns += 1;
      if (hashing) setImmediate(spin);
    };
    setImmediate(spin);
    let turnsAtFirstChunk: number | undefined;
    const result = await hashFile(path, 'sha256', { onProgress: () => (turnsAtFirstChunk ??= turns) });
    const turnsWhileHashing = turns - (turnsAtFirstChunk ?? turns);
    hashing = false;
    expect(result).toEqual({ hex: createHash('sha256').update(new Uint8Array(size)).digest('hex'), bytes: size });
    expect(turnsWhileHashing).toBeGreaterThanOrEqual(2);
  });
  it('agrees with openssl dgst on a file, for every algorithm openssl has', async () => {
    const path = join(dir, 'small.txt');
    await writeFile(path, 'provenance\n');
    const many = await hashFileMany(path, HASH_ALGORITHMS);
    const openssl: Record<string, string> = { blake2b: 'blake2b512', blake2s: 'blake2s256' };
    for (const a of HASH_ALGORITHMS.filter((x) => x !== 'blake3')) {
      const out = execFileSync('openssl', ['dgst', `-${openssl[a] ?? a}`, '-r', path], { encoding: 'utf8' });
      expect(many.hex[a], a).toBe(out.split(' ')[0]);
    }
  });
  it('raises located INPUT_UNREADABLE errors for missing files, directories and FIFOs', async () => {
    await expect(hashFile(join(dir, 'nope.bin'), 'sha256', { label: 'nope.bin' })).rejects.toThrow(
      new InputError('INPUT_UNREADABLE', 'no such file', { location: { file: 'nope.bin' } }),
    );
    const sub = join(dir, 'sub');
    await mkdir(sub);
    await expect(hashFile(sub, 'sha256', { label: 'sub' })).rejects.toThrow('sub: is a directory, not a file');
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    await expect(hashFile(fifo, 'sha256', { label: 'fifo' })).rejects.toThrow('fifo: is not a regular file');
  });
});
