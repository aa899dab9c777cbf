// A directory snapshot in the cache: each file's stat identity and sha256, so an unchanged file is not read again.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeCacheEntry } from './cache.js';

/** The identity of a file's current bytes as far as `stat` can tell (nanosecond times, inode, device). */
export interface FileIdentity {
  readonly size: bigint;
  readonly mtimeNs: bigint;
  readonly ctimeNs: bigint;
  readonly ino: bigint;
  readonly dev: bigint;
}

interface Entry {
  readonly format: string;
  readonly identity: string;
  readonly mtimeNs: bigint;
  readonly sha256: string;
}

/**
 * How long after a snapshot was taken a file's modification time must lie for its stat to be trusted. Like
 * git's "racily clean" rule: a file written in the same clock tick as the snapshot (or on a file system
 * with coarse timestamps: FAT has 2 s) could change again without its stat changing, so it is hashed.
 */
const RACY_MARGIN_NS = 3_000_000_000n;

/** Snapshot file format version: bump when the layout changes (old files are then ignored). */
const SNAPSHOT_VERSION = 1;

/**
 * A snapshot of one directory (keyed by its resolved path) under `<cache>/snapshots-v1/`. `lookup` gives the
 * sha256 of a file whose stat identity is unchanged since a snapshot older than the file by the racy margin;
 * `record` notes what this run found; `save` writes the snapshot only when something differs. A damaged or
 * unreadable snapshot is an empty one: every file is simply read and hashed again.
 */
export class DirectorySnapshot {
  private readonly current = new Map<string, Entry>();
  private changed = false;

  private constructor(
    private readonly file: string,
    private readonly dir: string,
    private readonly previous: ReadonlyMap<string, Entry>,
    private readonly previousTakenNs: bigint,
  ) {}

  /** Opens the snapshot of `resolvedDir` (the directory's real path) in `cacheDir`. */
  static open(cacheDir: string, resolvedDir: string): DirectorySnapshot {
    const key = createHash('sha256').update(resolvedDir).digest('hex');
    const file = join(cacheDir, `snapshots-v${SNAPSHOT_VERSION}`, `${key}.json`);
    const previous = new Map<string, Entry>();
    let takenNs = 0n;
    try {
      const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (isSnapshotFile(parsed) && parsed.dir === resolvedDir) {
        takenNs = BigInt(parsed.takenNs);
        for (const [rel, [format, identity, mtimeNs, sha256]] of Object.entries(parsed.files)) {
          previous.set(rel, { format, identity, mtimeNs: BigInt(mtimeNs), sha256 });
        }
      }
    } catch {
      // No snapshot yet, or a damaged one: start empty.
    }
    return new DirectorySnapshot(file, resolvedDir, previous, takenNs);
  }

  /** The recorded sha256 of `rel` if its identity is unchanged and it was already old when the snapshot was taken. */
  lookup(rel: string, format: string, id: FileIdentity): string | undefined {
    const entry = this.previous.get(rel);
    if (entry === undefined || entry.format !== format || entry.identity !== identityKey(id)) return undefined;
    return entry.mtimeNs + RACY_MARGIN_NS < this.previousTakenNs ? entry.sha256 : undefined;
  }

  /** Notes the file as found in this run (with the sha256 it was looked up or hashed to). */
  record(rel: string, format: string, id: FileIdentity, sha256: string, trusted: boolean): void {
    const entry: Entry = { format, identity: identityKey(id), mtimeNs: id.mtimeNs, sha256 };
    this.current.set(rel, entry);
    if (!trusted) this.changed = true;
  }

  /** Writes this run's snapshot (atomically) when any file was new, changed, untrusted or gone (`nowNs`: the wall clock). */
  save(nowNs: bigint): void {
    if (!this.changed && this.current.size === this.previous.size) return;
    const files: Record<string, [string, string, string, string]> = {};
    for (const [rel, e] of this.current) files[rel] = [e.format, e.identity, String(e.mtimeNs), e.sha256];
    // Not written (a read-only cache): the next run hashes the files again.
    writeCacheEntry(this.file, JSON.stringify({ version: SNAPSHOT_VERSION, dir: this.dir, takenNs: String(nowNs), files }));
  }
}

function identityKey(id: FileIdentity): string {
  return `${id.size}:${id.mtimeNs}:${id.ctimeNs}:${id.ino}:${id.dev}`;
}

interface SnapshotFile {
  readonly version: number;
  readonly dir: string;
  readonly takenNs: string;
  readonly files: Record<string, [string, string, string, string]>;
}

function isSnapshotFile(v: unknown): v is SnapshotFile {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  if (o['version'] !== SNAPSHOT_VERSION || typeof o['dir'] !== 'string' || typeof o['takenNs'] !== 'string' || !/^\d+$/.test(o['takenNs'])) return false;
  const files = o['files'];
  if (typeof files !== 'object' || files === null) return false;
  return Object.values(files).every((e) => Array.isArray(e) && e.length === 4 && e.every((x) => typeof x === 'string') && /^\d+$/.test(e[2] as string));
}
