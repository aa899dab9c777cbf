// A content-addressed, append-only store of verified records: STORE/<fingerprint>/<files>, plus STORE/index.json, servable as-is by any static host.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError, PeTraceError } from '../errors.js';
import { writeDirectoryAtomically } from '../emit/atomic-dir.js';
import { writeFileAtomic } from '../manifest/atomic-write.js';
import { fsErrorText, sha256Hex } from '../hash/index.js';
import { FINGERPRINT, type StoreEntry, readIndex, withLock, writeIndex } from './store-index.js';
import { changesSinceIndexed, firstDifference, listing, pickTro, readRecordDir, readStoredListing, verifyRecord } from './store-record.js';

export interface PutResult {
  readonly fingerprint: string;
  /**
   * `added`; `unchanged` when the same record was already stored (a no-op); `attached` when it was, and this copy
   * brings signatures or timestamps it lacked (added beside it; nothing stored is rewritten).
   */
  readonly status: 'added' | 'unchanged' | 'attached';
  readonly entry: StoreEntry;
  /** Record directories that were on disk but not in the index (a put interrupted before its index write, a lost index), verified and indexed again. */
  readonly recovered: readonly string[];
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
      // Signatures and timestamps are attachments: a record may gain them after it was stored, never lose or change one.
      const storedNames = new Set(existing.map((f) => f.path));
      const offeredNames = new Set(entry.files.map((f) => f.path));
      const diff = firstDifference(
        existing.filter((f) => !isAttachment(f.path) || offeredNames.has(f.path)),
        entry.files.filter((f) => !isAttachment(f.path) || storedNames.has(f.path)),
      );
      if (diff !== undefined) {
        throw new PeTraceError(
          'STORE_CONFLICT',
          `the store already holds a different record with fingerprint ${fingerprint} (${diff}); stored records are never rewritten — store this one elsewhere`,
          { location: { file: label } },
        );
      }
      const attachments = record.files.filter((f) => !storedNames.has(f.path));
      for (const a of attachments) await writeFileAtomic(join(target, a.path), a.bytes, { label: `${storeLabel}/${fingerprint}/${a.path}` });
      const stored: StoreEntry = { fingerprint, tro: index.find((e) => e.fingerprint === fingerprint)?.tro ?? tro, files: listing([...(await readRecordDir(target, `${storeLabel}/${fingerprint}`)).files]) };
      if (attachments.length > 0 || recovered.length > 0) await writeIndex(storeDir, [...index.filter((e) => e.fingerprint !== fingerprint), stored], storeLabel);
      return { fingerprint, status: attachments.length > 0 ? 'attached' : 'unchanged', entry: stored, recovered: recoveredIds };
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


/** Files that sit beside a TRO to attest it (`pe-trace sign`, tro-utils): `.sigstore.json`, `.sig`, `.asc`, `.tsr`. */
export function isAttachment(name: string): boolean {
  return /\.(sigstore\.json|sig|asc|tsr)$/.test(name);
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
