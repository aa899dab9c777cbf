// A record as the store sees it: a flat folder of plain files, its TRO, its listing (path, sha256, size) and its offline verification.
import { lstat, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { fsErrorText, sha256Hex } from '../hash/index.js';
import { verifyTroFile } from '../verify/index.js';
import type { VerifyReport } from '../verify/index.js';
import { FINGERPRINT, type StoredFile } from './store-index.js';

export interface LoadedRecord {
  readonly files: readonly { readonly path: string; readonly bytes: Uint8Array }[];
}


/** The record's TRO: `troName` if given, else run.trace.tro.jsonld, else the only `*.tro.jsonld`. */
export function pickTro(names: readonly string[], troName: string | undefined, label: string): string {
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
export async function readRecordDir(dir: string, label: string): Promise<LoadedRecord> {
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

export function listing(files: readonly { readonly path: string; readonly bytes: Uint8Array }[]): StoredFile[] {
  return files.map((f) => ({ path: f.path, sha256: sha256Hex(f.bytes), size: f.bytes.length }));
}

/** Verifies a record offline (relative locations confined to its directory); the verified fingerprint, or why not. */
export async function verifyRecord(dir: string, tro: string, label: string): Promise<{ report: VerifyReport; fingerprint: string | undefined; problem: string | undefined }> {
  const report = await verifyTroFile(join(dir, tro), { baseDir: dir, fetchHttps: false, label: `${label}/${tro}` });
  const bad = report.artifacts.find((a) => a.status !== 'ok');
  let problem: string | undefined;
  if (report.fingerprint.status !== 'ok') problem = `fingerprint ${report.fingerprint.status} (claimed ${report.fingerprint.claimed ?? 'none'}, computed ${report.fingerprint.computed})`;
  else if (bad !== undefined) problem = `${bad.status}: ${bad.id}${bad.detail === undefined ? '' : ` \u2014 ${bad.detail}`}`;
  const fp = report.fingerprint.computed.replace(/^sha256:/, '').toLowerCase();
  return { report, fingerprint: FINGERPRINT.test(fp) ? fp : undefined, problem };
}


/** The first difference between two listings, in words; undefined when they are the same record. */
export function firstDifference(stored: readonly StoredFile[], offered: readonly StoredFile[]): string | undefined {
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
export function changesSinceIndexed(indexed: readonly StoredFile[], onDisk: readonly StoredFile[]): string[] {
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
export async function readStoredListing(dir: string): Promise<StoredFile[] | undefined> {
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

