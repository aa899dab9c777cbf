// A content-addressed, append-only store of verified records: STORE/<fingerprint>/<files>, plus STORE/index.json, servable as-is by any static host.
import { constants as fsConstants } from 'node:fs';
import { lstat, mkdir, open, readFile, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError, PeTraceError } from '../errors.js';
import { writeDirectoryAtomically } from '../emit/atomic-dir.js';
import { fsErrorText, sha256Hex } from '../hash/index.js';
import { JsonNumber, canonicalJsonBytes, isJsonObject, parseJson } from '../json/index.js';
import type { JsonValue } from '../json/index.js';
import { writeFileAtomic } from '../manifest/index.js';
import { verifyTroFile } from '../verify/index.js';
import type { VerifyReport } from '../verify/index.js';

/** The index format name, written in index.json so a reader knows what it is reading. */
export const STORE_FORMAT = 'pe-trace-store/1';
export const STORE_INDEX = 'index.json';
const LOCK = '.pe-trace-store.lock';
const FINGERPRINT = /^[0-9a-f]{64}$/;

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

export interface PutResult {
  readonly fingerprint: string;
  /** `added`, or `unchanged` when the identical record was already stored (a no-op). */
  readonly status: 'added' | 'unchanged';
  readonly entry: StoreEntry;
  /** Record directories that were on disk but not in the index (a put interrupted before its index write, a lost index), verified and indexed again. */
  readonly recovered: readonly string[];
}

interface LoadedRecord {
  readonly files: readonly { readonly path: string; readonly bytes: Uint8Array }[];
}

/** The record's TRO: `troName` if given, else run.trace.tro.jsonld, else the only `*.tro.jsonld`. */
function pickTro(names: readonly string[], troName: string | undefined, label: string): string {
  if (troName !== undefined) {
    if (!names.includes(troName)) throw new InputError('USAGE', `the record has no file ${troName}`, { location: { file: label } });
    return troName;
  }
  if (names.includes('run.trace.tro.jsonld')) return 'run.trace.tro.jsonld';
  const tros = names.filter((n) => n.endsWith('.tro.jsonld'));
  if (tros.length === 1 && tros[0] !== undefined) return tros[0];
  throw new InputError('USAGE', `cannot tell which TRO is the record's (${tros.length === 0 ? 'none' : tros.join(', ')}); name it with --tro`, { location: { file: label } });
}

/** Every file of a flat record directory; symlinks, subdirectories and special files are refused (a record is plain files). */
async function readRecordDir(dir: string, label: string): Promise<LoadedRecord> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    throw new InputError('INPUT_UNREADABLE', `cannot read the record directory (${fsErrorText(e)})`, { location: { file: label }, cause: e });
  }
  const files: { path: string; bytes: Uint8Array }[] = [];
  for (const name of names.sort()) {
    const path = join(dir, name);
    const info = await lstat(path);
    if (!info.isFile()) {
      const what = info.isSymbolicLink() ? 'a symbolic link' : info.isDirectory() ? 'a subdirectory' : 'not a regular file';
      throw new InputError('INPUT_UNREADABLE', `${name} is ${what}; a stored record holds plain files only`, { location: { file: label } });
    }
    files.push({ path: name, bytes: await readFile(path) });
  }
  if (files.length === 0) throw new InputError('INPUT_UNREADABLE', 'the record directory is empty', { location: { file: label } });
  return { files };
}

function listing(files: readonly { readonly path: string; readonly bytes: Uint8Array }[]): StoredFile[] {
  return files.map((f) => ({ path: f.path, sha256: sha256Hex(f.bytes), size: f.bytes.length }));
}

/** Verifies a record offline (relative locations confined to its directory); the verified fingerprint, or why not. */
async function verifyRecord(dir: string, tro: string, label: string): Promise<{ report: VerifyReport; fingerprint: string | undefined; problem: string | undefined }> {
  const report = await verifyTroFile(join(dir, tro), { baseDir: dir, fetchHttps: false, label: `${label}/${tro}` });
  const bad = report.artifacts.find((a) => a.status !== 'ok');
  let problem: string | undefined;
  if (report.fingerprint.status !== 'ok') problem = `fingerprint ${report.fingerprint.status} (claimed ${report.fingerprint.claimed ?? 'none'}, computed ${report.fingerprint.computed})`;
  else if (bad !== undefined) problem = `${bad.status}: ${bad.id}${bad.detail === undefined ? '' : ` \u2014 ${bad.detail}`}`;
  const fp = report.fingerprint.computed.replace(/^sha256:/, '').toLowerCase();
  return { report, fingerprint: FINGERPRINT.test(fp) ? fp : undefined, problem };
}

/**
 * Adds a record (a flat directory with a TRO and the payloads it locates) under its composition
 * fingerprint. Accepted only if it verifies offline. The same record again is a no-op; a different record
 * under the same fingerprint is a STORE_CONFLICT and changes nothing. The record directory appears at once
 * (renamed from a temp directory), then index.json is rewritten atomically; writers hold a lock file.
 */
export async function putRecord(recordDir: string, storeDir: string, options: { tro?: string; label?: string; storeLabel?: string } = {}): Promise<PutResult> {
  const label = options.label ?? recordDir;
  const storeLabel = options.storeLabel ?? storeDir;
  const record = await readRecordDir(recordDir, label);
  const tro = pickTro(
    record.files.map((f) => f.path),
    options.tro,
    label,
  );
  const checked = await verifyRecord(recordDir, tro, label);
  if (checked.problem !== undefined || !checked.report.verified) {
    throw new PeTraceError('RECORD_UNVERIFIED', `the record does not verify, so it is not stored (${checked.problem ?? 'not verified'})`, { location: { file: `${label}/${tro}` } });
  }
  const fingerprint = checked.fingerprint;
  if (fingerprint === undefined) {
    throw new PeTraceError('RECORD_UNVERIFIED', `the composition fingerprint ${checked.report.fingerprint.computed} is not a sha256 hex digest; the store is keyed by sha256 fingerprints`, { location: { file: `${label}/${tro}` } });
  }
  const entry: StoreEntry = { fingerprint, tro, files: listing(record.files) };
  return withLock(storeDir, storeLabel, async () => {
    const known = await readIndex(storeDir, storeLabel);
    // The index must never lose a record: directories it does not list are verified and listed again.
    const recovered = await unindexedRecords(storeDir, known, storeLabel);
    const index = [...known, ...recovered];
    const recoveredIds = recovered.map((e) => e.fingerprint);
    const target = join(storeDir, fingerprint);
    const existing = await readStoredListing(target);
    if (existing !== undefined) {
      const diff = firstDifference(existing, entry.files);
      if (diff !== undefined) {
        throw new PeTraceError(
          'STORE_CONFLICT',
          `the store already holds a different record with fingerprint ${fingerprint} (${diff}); stored records are never rewritten — store this one elsewhere`,
          { location: { file: label } },
        );
      }
      if (recovered.length > 0) await writeIndex(storeDir, index, storeLabel);
      return { fingerprint, status: 'unchanged', entry, recovered: recoveredIds };
    }
    await writeDirectoryAtomically(
      target,
      record.files.map((f) => ({ name: f.path, bytes: f.bytes })),
      { label: `${storeLabel}/${fingerprint}` },
    );
    await writeIndex(storeDir, [...index.filter((e) => e.fingerprint !== fingerprint), entry], storeLabel);
    return { fingerprint, status: 'added', entry, recovered: recoveredIds };
  });
}

/**
 * Fingerprint directories the index does not list, each verified (its TRO verifies offline under the
 * fingerprint it is named by) so it can be listed again; one that does not verify stops the put
 * (RECORD_UNVERIFIED): `store verify` shows it, and nothing is removed.
 */
async function unindexedRecords(storeDir: string, index: readonly StoreEntry[], storeLabel: string): Promise<StoreEntry[]> {
  const listed = new Set(index.map((e) => e.fingerprint));
  const out: StoreEntry[] = [];
  for (const name of (await readdir(storeDir)).sort()) {
    if (!FINGERPRINT.test(name) || listed.has(name)) continue;
    const dir = join(storeDir, name);
    const label = `${storeLabel}/${name}`;
    const files = await readStoredListing(dir);
    const problem = (why: string): PeTraceError =>
      new PeTraceError('RECORD_UNVERIFIED', `a record directory the index does not list cannot be indexed again (${why}); nothing was changed — inspect it with pe-trace store verify`, { location: { file: label } });
    if (files === undefined || files.length === 0 || files.some((f) => f.sha256 === 'symlink' || f.sha256 === 'not-a-file')) throw problem('it is empty or holds something other than plain files');
    let tro: string;
    try {
      tro = pickTro(
        files.map((f) => f.path),
        undefined,
        label,
      );
    } catch {
      throw problem('no single TRO in it');
    }
    const checked = await verifyRecord(dir, tro, label);
    if (checked.problem !== undefined || !checked.report.verified) throw problem(checked.problem ?? 'it does not verify');
    if (checked.fingerprint !== name) throw problem(`its TRO has fingerprint ${checked.fingerprint ?? checked.report.fingerprint.computed}`);
    out.push({ fingerprint: name, tro, files });
  }
  return out;
}

/** The first difference between two listings, in words; undefined when they are the same record. */
function firstDifference(stored: readonly StoredFile[], offered: readonly StoredFile[]): string | undefined {
  const a = new Map(stored.map((f) => [f.path, f.sha256]));
  const b = new Map(offered.map((f) => [f.path, f.sha256]));
  for (const [path, sha] of b) {
    if (!a.has(path)) return `${path} is not in the stored record`;
    if (a.get(path) !== sha) return `${path} differs: stored sha256 ${a.get(path) ?? ''}, offered ${sha}`;
  }
  for (const path of a.keys()) if (!b.has(path)) return `the stored record also has ${path}`;
  return undefined;
}

/** Every file added, removed or changed on disk since the index recorded it. */
function changesSinceIndexed(indexed: readonly StoredFile[], onDisk: readonly StoredFile[]): string[] {
  const was = new Map(indexed.map((f) => [f.path, f.sha256]));
  const now = new Map(onDisk.map((f) => [f.path, f.sha256]));
  const out: string[] = [];
  for (const [path, sha] of was) {
    if (!now.has(path)) out.push(`${path} was removed`);
    else if (now.get(path) !== sha) out.push(`${path} changed (indexed sha256 ${sha}, now ${now.get(path) ?? ''})`);
  }
  for (const path of now.keys()) if (!was.has(path)) out.push(`${path} was added`);
  return out;
}

/** The files of a stored record directory with their sha256, or undefined when there is none. */
async function readStoredListing(dir: string): Promise<StoredFile[] | undefined> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ENOENT') return undefined;
    throw e;
  }
  const out: StoredFile[] = [];
  for (const name of names.sort()) {
    const info = await lstat(join(dir, name));
    if (!info.isFile()) {
      out.push({ path: name, sha256: info.isSymbolicLink() ? 'symlink' : 'not-a-file', size: 0 });
      continue;
    }
    const bytes = await readFile(join(dir, name));
    out.push({ path: name, sha256: sha256Hex(bytes), size: bytes.length });
  }
  return out;
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
async function writeIndex(storeDir: string, entries: readonly StoreEntry[], storeLabel: string): Promise<void> {
  const sorted = [...entries].sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0));
  const doc = { format: STORE_FORMAT, records: sorted.map((e) => ({ fingerprint: e.fingerprint, tro: e.tro, files: e.files.map((f) => ({ ...f })) })) };
  await writeFileAtomic(join(storeDir, STORE_INDEX), canonicalJsonBytes(doc), { label: `${storeLabel}/${STORE_INDEX}` });
}

/** One writer at a time: an exclusive lock file, removed when done; a lock left by a crash is reported, never broken silently. */
async function withLock<T>(storeDir: string, storeLabel: string, body: () => Promise<T>): Promise<T> {
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

/** A stored record's files, each checked against the index (a changed byte is a verification failure, never returned). */
export async function readStoredRecord(storeDir: string, entry: StoreEntry, storeLabel: string = storeDir): Promise<{ path: string; bytes: Uint8Array }[]> {
  const out: { path: string; bytes: Uint8Array }[] = [];
  for (const f of entry.files) {
    const label = `${storeLabel}/${entry.fingerprint}/${f.path}`;
    let bytes: Uint8Array;
    try {
      bytes = await readFile(join(storeDir, entry.fingerprint, f.path));
    } catch (e) {
      throw new PeTraceError('RECORD_UNVERIFIED', `stored file unreadable (${fsErrorText(e)}); run pe-trace store verify`, { location: { file: label } });
    }
    if (sha256Hex(bytes) !== f.sha256) throw new PeTraceError('RECORD_UNVERIFIED', `stored file changed since it was stored (sha256 ${sha256Hex(bytes)}, indexed ${f.sha256}); run pe-trace store verify`, { location: { file: label } });
    out.push({ path: f.path, bytes });
  }
  return out;
}

/** Copies a stored record out to `outDir` (written atomically; an existing non-empty directory is refused). */
export async function exportRecord(storeDir: string, entry: StoreEntry, outDir: string, options: { storeLabel?: string; outLabel?: string } = {}): Promise<void> {
  const files = await readStoredRecord(storeDir, entry, options.storeLabel ?? storeDir);
  await writeDirectoryAtomically(
    outDir,
    files.map((f) => ({ name: f.path, bytes: f.bytes })),
    { label: options.outLabel ?? outDir },
  );
}

export interface StoreFinding {
  /** The fingerprint directory concerned (or `index.json`). */
  readonly fingerprint: string;
  readonly problem: string;
}

export interface StoreVerifyReport {
  readonly verified: boolean;
  readonly records: number;
  readonly findings: readonly StoreFinding[];
}

/**
 * Re-checks the whole store: every indexed record's files equal the index (no file added, removed or
 * changed), its TRO verifies offline with the fingerprint its directory is named by, and no fingerprint
 * directory is missing from the index. Findings are data, not exceptions.
 */
export async function verifyStore(storeDir: string, storeLabel: string = storeDir): Promise<StoreVerifyReport> {
  const index = await readIndex(storeDir, storeLabel);
  const findings: StoreFinding[] = [];
  for (const entry of index) {
    const dir = join(storeDir, entry.fingerprint);
    const stored = await readStoredListing(dir);
    if (stored === undefined) {
      findings.push({ fingerprint: entry.fingerprint, problem: 'the record directory is missing' });
      continue;
    }
    for (const problem of changesSinceIndexed(entry.files, stored)) findings.push({ fingerprint: entry.fingerprint, problem: `the stored files differ from the index: ${problem}` });
    if (!stored.some((f) => f.path === entry.tro)) continue;
    const checked = await verifyRecord(dir, entry.tro, `${storeLabel}/${entry.fingerprint}`);
    if (checked.problem !== undefined || !checked.report.verified) findings.push({ fingerprint: entry.fingerprint, problem: `${entry.tro} does not verify: ${checked.problem ?? 'not verified'}` });
    else if (checked.fingerprint !== entry.fingerprint) findings.push({ fingerprint: entry.fingerprint, problem: `${entry.tro} has fingerprint ${checked.fingerprint ?? checked.report.fingerprint.computed}, not the one it is stored under` });
  }
  const indexed = new Set(index.map((e) => e.fingerprint));
  let names: string[] = [];
  try {
    names = await readdir(storeDir);
  } catch (e) {
    if ((e as { code?: unknown }).code !== 'ENOENT') throw new InputError('INPUT_UNREADABLE', `cannot read the store (${fsErrorText(e)})`, { location: { file: storeLabel }, cause: e });
  }
  for (const name of names.sort()) if (FINGERPRINT.test(name) && !indexed.has(name)) findings.push({ fingerprint: name, problem: 'a record directory that the index does not list' });
  return { verified: findings.length === 0, records: index.length, findings };
}
