// Atomic directory writes: every file written in a temp directory beside the target, then renamed into place.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError, PeTraceError } from '../errors.js';
import { fsErrorText } from '../hash/digest.js';

/** One file of a directory write: a plain name (no separators) and its bytes. */
export interface DirectoryEntry {
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface AtomicDirectoryOptions {
  /** Replace an existing non-empty directory (its old content is removed after the new one is in place). */
  readonly force?: boolean;
  /** How the directory is named in messages (default: the path as given). */
  readonly label?: string;
}

/**
 * Writes `entries` as the whole content of `directory`: everything is written and flushed in a temporary
 * directory beside it, then renamed into place, so a crash leaves either no record or a complete one, never
 * half of one. An existing non-empty directory is refused (USAGE) unless `force`; parents are created.
 */
export async function writeDirectoryAtomically(directory: string, entries: readonly DirectoryEntry[], options: AtomicDirectoryOptions = {}): Promise<void> {
  const label = options.label ?? directory;
  for (const e of entries) {
    if (e.name === '' || e.name === '.' || e.name === '..' || /[/\\\0]/.test(e.name)) throw new PeTraceError('INTERNAL', `bad file name in a record: ${JSON.stringify(e.name)}`);
  }
  const target = resolve(directory);
  const existing = await inspectTarget(target, label);
  if (existing === 'non-empty' && options.force !== true) {
    throw new InputError('USAGE', 'the output directory exists and is not empty (use --force to replace it)', { location: { file: label } });
  }
  const parent = dirname(target);
  await fsStep(() => mkdir(parent, { recursive: true }), label);
  // mkdir (not mkdtemp, which makes 0700) so the record gets the usual umask-derived permissions.
  const temp = join(parent, `.${basename(target)}.tmp-${randomBytes(6).toString('hex')}`);
  await fsStep(() => mkdir(temp), label);
  try {
    for (const e of entries) await writeFlushed(join(temp, e.name), e.bytes);
    await flushDirectory(temp);
    if (existing === 'non-empty') {
      // Move the old record aside first: rename cannot replace a non-empty directory.
      const old = join(parent, `.${basename(target)}.old-${randomBytes(6).toString('hex')}`);
      await rename(target, old);
      try {
        await rename(temp, target);
      } catch (e) {
        await rename(old, target);
        throw e;
      }
      await rm(old, { recursive: true, force: true });
    } else {
      // rename(2) replaces an empty directory, so this is one atomic step.
      await rename(temp, target);
    }
    await flushDirectory(parent);
  } catch (e) {
    await rm(temp, { recursive: true, force: true });
    if (e instanceof InputError) throw e;
    throw new InputError('INPUT_UNREADABLE', `cannot write the record (${fsErrorText(e)})`, { location: { file: label }, cause: e });
  }
}

async function inspectTarget(target: string, label: string): Promise<'absent' | 'empty' | 'non-empty'> {
  let info;
  try {
    info = await stat(target);
  } catch (e) {
    if (typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'ENOENT') return 'absent';
    throw new InputError('INPUT_UNREADABLE', fsErrorText(e), { location: { file: label }, cause: e });
  }
  if (!info.isDirectory()) throw new InputError('USAGE', 'the output path exists and is not a directory', { location: { file: label } });
  const names = await fsStep(() => readdir(target), label);
  return names.length === 0 ? 'empty' : 'non-empty';
}

async function writeFlushed(path: string, bytes: Uint8Array): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** fsync of a directory makes the renames in it durable; some filesystems refuse it, which is harmless here. */
async function flushDirectory(path: string): Promise<void> {
  try {
    const handle = await open(path, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort
  }
}

async function fsStep<T>(step: () => Promise<T>, label: string): Promise<T> {
  try {
    return await step();
  } catch (e) {
    throw new InputError('INPUT_UNREADABLE', `cannot prepare the output (${fsErrorText(e)})`, { location: { file: label }, cause: e });
  }
}
