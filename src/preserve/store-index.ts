// The store's catalogue and lock: STORE/index.json (format pe-trace-store/1, canonical, replaced atomically) and one writer at a time.
import { constants as fsConstants } from 'node:fs';
import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { fsErrorText } from '../hash/index.js';
import { JsonNumber, canonicalJsonBytes, isJsonObject, parseJson } from '../json/index.js';
import type { JsonValue } from '../json/index.js';
import { writeFileAtomic } from '../manifest/index.js';

/** The index format name, written in index.json so a reader knows what it is reading. */
export const STORE_FORMAT = 'pe-trace-store/1';
export const STORE_INDEX = 'index.json';
const LOCK = '.pe-trace-store.lock';
/** A store key: a sha256 composition fingerprint in lower-case hex. */
export const FINGERPRINT = /^[0-9a-f]{64}$/;

export interface StoredFile {
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
}

/** One record in the index: its composition fingerprint (the directory name), its TRO's file name, every file with its sha256. */
export interface StoreEntry {
  readonly fingerprint: string;
  readonly tro: string;
  readonly files: readonly StoredFile[];
}

/** index.json's records, sorted by fingerprint; an absent index is an empty store. */
export async function readIndex(storeDir: string, storeLabel: string = storeDir): Promise<StoreEntry[]> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(join(storeDir, STORE_INDEX));
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ENOENT') return [];
    throw new InputError('INPUT_UNREADABLE', `cannot read the store index (${fsErrorText(e)})`, { location: { file: `${storeLabel}/${STORE_INDEX}` }, cause: e });
  }
  const label = `${storeLabel}/${STORE_INDEX}`;
  const doc = parseJson(bytes, { label });
  const records = isJsonObject(doc) && doc['format'] === STORE_FORMAT ? doc['records'] : undefined;
  if (!Array.isArray(records)) throw new InputError('INPUT_UNREADABLE', `not a ${STORE_FORMAT} index`, { location: { file: label } });
  const out: StoreEntry[] = [];
  for (const [i, r] of records.entries()) {
    const files = isJsonObject(r) ? r['files'] : undefined;
    if (!isJsonObject(r) || typeof r['fingerprint'] !== 'string' || typeof r['tro'] !== 'string' || !Array.isArray(files)) {
      throw new InputError('INPUT_UNREADABLE', 'malformed index entry', { location: { file: label, pointer: `/records/${i}` } });
    }
    out.push({
      fingerprint: r['fingerprint'],
      tro: r['tro'],
      files: files.filter(isJsonObject).map((f) => ({
        path: typeof f['path'] === 'string' ? f['path'] : '',
        sha256: typeof f['sha256'] === 'string' ? f['sha256'] : '',
        size: sizeOf(f['size']),
      })),
    });
  }
  return out;
}

/** A non-negative integer size, else -1 (reported by verify as a difference, never written as NaN). */
function sizeOf(v: JsonValue | undefined): number {
  return v instanceof JsonNumber && v.int !== undefined && v.int >= 0n ? Number(v.int) : -1;
}

/** Deterministic bytes (canonical JSON, records by fingerprint, files by path), replaced atomically. */
export async function writeIndex(storeDir: string, entries: readonly StoreEntry[], storeLabel: string): Promise<void> {
  const sorted = [...entries].sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0));
  const doc = { format: STORE_FORMAT, records: sorted.map((e) => ({ fingerprint: e.fingerprint, tro: e.tro, files: e.files.map((f) => ({ ...f })) })) };
  await writeFileAtomic(join(storeDir, STORE_INDEX), canonicalJsonBytes(doc), { label: `${storeLabel}/${STORE_INDEX}` });
}

/** One writer at a time: an exclusive lock file, removed when done; a lock left by a crash is reported, never broken silently. */
export async function withLock<T>(storeDir: string, storeLabel: string, body: () => Promise<T>): Promise<T> {
  await mkdir(storeDir, { recursive: true }).catch((e: unknown) => {
    throw new InputError('INPUT_UNREADABLE', `cannot create the store (${fsErrorText(e)})`, { location: { file: storeLabel }, cause: e });
  });
  const lockPath = join(storeDir, LOCK);
  let handle;
  try {
    handle = await open(lockPath, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL, 0o644);
  } catch (e) {
    if ((e as { code?: unknown }).code === 'EEXIST') {
      throw new InputError('INPUT_UNREADABLE', `the store is locked by another writer (if no pe-trace store command is running, remove ${LOCK})`, { location: { file: storeLabel } });
    }
    throw new InputError('INPUT_UNREADABLE', `cannot lock the store (${fsErrorText(e)})`, { location: { file: storeLabel }, cause: e });
  }
  await handle.close();
  try {
    return await body();
  } finally {
    await unlink(lockPath).catch(() => undefined);
  }
}

/** The entry whose fingerprint is `fp` or starts with it (at least 8 hex digits, unique). */
export async function findRecord(storeDir: string, fp: string, storeLabel: string = storeDir): Promise<StoreEntry> {
  const want = fp.replace(/^sha256:/, '').toLowerCase();
  if (!/^[0-9a-f]{8,64}$/.test(want)) throw new InputError('USAGE', `not a fingerprint or a prefix of one (8 to 64 hex digits): ${fp}`);
  const matches = (await readIndex(storeDir, storeLabel)).filter((e) => e.fingerprint.startsWith(want));
  if (matches.length === 0) throw new InputError('INPUT_UNREADABLE', `no record with fingerprint ${want} in the store`, { location: { file: storeLabel } });
  if (matches.length > 1) throw new InputError('USAGE', `the prefix ${want} matches ${matches.length} records; give more digits`);
  return matches[0] as StoreEntry;
}

