// Loads a record for summarising: a TRO file, a run record folder (run TRO + bundle TRO + payloads) or a bundle manifest.
import { lstat, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../errors.js';
import { sha256Hex } from '../hash/digest.js';
import { readDocumentFile } from '../io/read-file.js';
import { parseJson } from '../json/parse.js';
import { isJsonObject, type JsonValue } from '../json/value.js';
import { RUN_TRO_FILE } from '../emit/run-record.js';
import { readTroModel } from '../tro/read.js';
import { looksLikeBundleManifest, manifestCitation, summarizeBundleManifest } from './manifest-summary.js';
import { summarizeTro } from './tro-summary.js';
import type { RecordSummary } from './types.js';

/** A loaded record: its summary, the files it was read from (relative to the record) and data-quality warnings. */
export interface LoadedRecord {
  /** How the record is named in messages (the path as the user gave it, or the caller's label). */
  readonly label: string;
  readonly summary: RecordSummary;
  /** The main document's bytes (the TRO or the manifest). */
  readonly bytes: Uint8Array;
  /** Absolute-free description of what was read: the main file name and the sibling files used. */
  readonly mainFile: string;
  /** Folder the record's relative locations resolve against. */
  readonly baseDir: string;
  readonly warnings: readonly string[];
}

export interface LoadRecordOptions {
  /** How the input is named in messages (default: the path as given). */
  readonly label?: string;
}


/**
 * Reads `path`: a folder is a run record (`run.trace.tro.jsonld` with its `bundle.trace.tro.jsonld` and payloads);
 * a file is a TRO (any dialect) or a bundle manifest. Sibling files a TRO names by a plain relative file name
 * (the bundle TRO, payloads, the bundle manifest) are read only from the record's own folder, never elsewhere,
 * and the bundle manifest only when its sha256 matches the TRO's claim. Bad input throws an InputError (exit 3).
 */
export async function loadRecord(path: string, options: LoadRecordOptions = {}): Promise<LoadedRecord> {
  const label = options.label ?? path;
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch {
    throw new InputError('INPUT_UNREADABLE', 'no such file or folder', { location: { file: label } });
  }
  const warnings: string[] = [];
  if (isDir) {
    const troPath = join(path, RUN_TRO_FILE);
    const shown = `${label.replace(/\/$/, '')}/${RUN_TRO_FILE}`;
    if (!(await isFile(troPath))) {
      // Not a run record: a folder holding exactly one TRO (e.g. results.json + results.trace.tro.jsonld) is read as that TRO.
      const tros = (await readdir(path)).filter((n) => n.endsWith('.trace.tro.jsonld')).sort();
      const only = tros.length === 1 ? (tros[0] as string) : undefined;
      if (only === undefined || !(await isFile(join(path, only)))) {
        throw new InputError('RECORD_UNRECOGNISED', `a record folder must hold ${RUN_TRO_FILE} (a policyengine.py run record) or exactly one *.trace.tro.jsonld (found ${tros.length})`, {
          location: { file: label },
        });
      }
      const loaded = await loadTroWithSiblings(join(path, only), `${label.replace(/\/$/, '')}/${only}`, path, 'tro', warnings);
      return { ...(await withSignature(loaded, path, only)), label, mainFile: only, baseDir: path, warnings };
    }
    const loaded = await loadTroWithSiblings(troPath, shown, path, 'run-record', warnings);
    return { ...(await withSignature(loaded, path, RUN_TRO_FILE)), label, mainFile: RUN_TRO_FILE, baseDir: path, warnings };
  }
  const bytes = await readDocumentFile(path, { label });
  const json = parseJson(bytes, { label });
  if (isJsonObject(json) && !('@graph' in json) && !('@context' in json) && looksLikeBundleManifest(json)) {
    return { label, summary: summarizeBundleManifest(json, bytes, basename(path)), bytes, mainFile: basename(path), baseDir: dirname(path), warnings };
  }
  if (!isJsonObject(json) || (!('@graph' in json) && !('@context' in json) && !('@type' in json))) {
    throw new InputError('RECORD_UNRECOGNISED', 'not a TRO (JSON-LD), a run record folder or a bundle manifest', { location: { file: label } });
  }
  const loaded = await loadTroWithSiblings(path, label, dirname(path), 'tro', warnings, { bytes, json });
  return { ...(await withSignature(loaded, dirname(path), basename(path))), label, mainFile: basename(path), baseDir: dirname(path), warnings };
}

async function loadTroWithSiblings(
  troPath: string,
  label: string,
  baseDir: string,
  source: 'tro' | 'run-record',
  warnings: string[],
  preloaded?: { bytes: Uint8Array; json: JsonValue },
): Promise<{ summary: RecordSummary; bytes: Uint8Array }> {
  const bytes = preloaded?.bytes ?? (await readDocumentFile(troPath, { label }));
  const json = preloaded?.json ?? parseJson(bytes, { label });
  const model = readTroModel(json, { label });
  const first = summarizeTro(json, model, { fileName: basename(troPath), source });
  const payloads = new Map<string, JsonValue>();
  let bundle: RecordSummary | undefined;
  for (const a of first.artifacts) {
    // A results TRO places its bundle at `bundle.trace.tro.jsonld#<fingerprint>`: the file is the part before `#`.
    const loc = a.role === 'bundle-tro' ? a.locations[0]?.split('#')[0] : a.locations[0];
    if (loc === undefined || !isPlainFileName(loc)) continue;
    const sibling = await readSibling(baseDir, loc);
    if (sibling === undefined) continue;
    if (a.hash !== undefined && a.hash.algorithm === 'sha256' && sha256Hex(sibling) !== a.hash.value) {
      warnings.push(`${loc}: its sha256 differs from the TRO's claim for artifact ${a.id}; its content is not summarised (run verify)`);
      continue;
    }
    try {
      const content = parseJson(sibling, { label: loc });
      if (a.role === 'bundle-tro') {
        const bundleModel = readTroModel(content, { label: loc });
        bundle = summarizeTro(content, bundleModel, { fileName: loc });
        bundle = await withManifestCitation(bundle, baseDir);
      } else payloads.set(a.id, content);
    } catch (e) {
      warnings.push(`${loc}: not read (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  let summary = first;
  if (bundle !== undefined || payloads.size > 0) {
    summary = summarizeTro(json, model, { fileName: basename(troPath), source, ...(bundle === undefined ? {} : { bundle }), payloads });
    if (bundle?.citation !== undefined) summary = { ...summary, citation: bundle.citation };
  }
  if (summary.kind === 'bundle') summary = await withManifestCitation(summary, baseDir);
  return { summary, bytes };
}

/** Adds the bundle manifest's `citation` block when the manifest sits beside the TRO and matches its hash. */
async function withManifestCitation(summary: RecordSummary, baseDir: string): Promise<RecordSummary> {
  const art = summary.artifacts.find((a) => a.role === 'bundle-manifest');
  if (art?.hash === undefined) return summary;
  const candidates = [...new Set([...(art.locations[0] !== undefined && isPlainFileName(art.locations[0]) ? [art.locations[0]] : []), basename(art.locations[0] ?? ''), 'manifest.json'])].filter(isPlainFileName);
  for (const name of candidates) {
    const bytes = await readSibling(baseDir, name);
    if (bytes === undefined) continue;
    if (sha256Hex(new TextDecoder().decode(bytes).replace(/\r\n?/g, '\n')) !== art.hash.value) continue;
    try {
      const doc = parseJson(bytes, { label: name });
      const citation = isJsonObject(doc) ? manifestCitation(doc) : undefined;
      if (citation !== undefined) return { ...summary, citation };
    } catch {
      // A sibling that does not parse is simply not a citation source.
    }
  }
  return summary;
}

/** A location we may read beside the record: one path segment, no separators, not `.`/`..`. */
function isPlainFileName(loc: string): boolean {
  return loc !== '' && loc !== '.' && loc !== '..' && !/[/\\:#?\0]/.test(loc);
}

async function readSibling(baseDir: string, name: string): Promise<Uint8Array | undefined> {
  try {
    // lstat: a symlink beside a record could point anywhere, so it is not followed.
    const s = await lstat(join(baseDir, name));
    if (!s.isFile()) return undefined;
    return await readDocumentFile(join(baseDir, name), { label: name });
  } catch {
    return undefined;
  }
}

/** A regular file (not a folder, not a symlink). */
async function isFile(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isFile();
  } catch {
    return false;
  }
}

/** Links the signature `<TRO>.sigstore.json` (written by `pe-trace sign`) when it sits beside the TRO. It is not checked here. */
async function withSignature<T extends { summary: RecordSummary }>(loaded: T, baseDir: string, troFile: string): Promise<T> {
  const name = `${troFile}.sigstore.json`;
  if (!(await isFile(join(baseDir, name)))) return loaded;
  return { ...loaded, summary: { ...loaded.summary, links: [{ kind: 'signature', target: name }, ...loaded.summary.links] } };
}
