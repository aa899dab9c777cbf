// Replaces a file atomically: a temp file in the same directory, fsync, rename; on any failure the original is untouched and no temp file remains.
// The one writer behind every `--out FILE`: missing parent folders are created first (the same rule as `--out DIR`).
import { randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../errors.js';
import { fsErrorText } from '../hash/digest.js';

/**
 * Writes `bytes` to `path` so a reader (or a crash) sees the old file or the new one, never a mix. The
 * replacement keeps the old file's permission bits. Missing parent folders are created (every command's
 * `--out FILE` goes through here, so they all follow that one rule). `label` names the file in errors (no
 * absolute paths).
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array, options: { label?: string } = {}): Promise<void> {
  const label = options.label ?? path;
  const dir = dirname(path);
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    throw new InputError('INPUT_UNREADABLE', `cannot create the output folder: ${fsErrorText(e)}`, { location: { file: label }, cause: e });
  }
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let mode = 0o644;
  try {
    mode = (await stat(path)).mode & 0o777;
  } catch {
    // a new file: default mode
  }
  let created = false;
  try {
    const handle = await open(tmp, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL, mode);
    created = true;
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
    created = false;
  } catch (e) {
    if (created) await unlink(tmp).catch(() => undefined);
    throw new InputError('INPUT_UNREADABLE', `cannot write the file: ${fsErrorText(e)}`, { location: { file: label }, cause: e });
  }
  await syncDirectory(dir);
}

/** Makes the rename durable; some platforms cannot open a directory for fsync, which is harmless. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, fsConstants.O_RDONLY);
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort
  }
}
