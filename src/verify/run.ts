// Verifies several TROs in one run: files and folders of TROs, optionally following a run record to its bundle TRO.
import { readdir, realpath, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { InputError, isPeTraceError } from '../errors.js';
import { parseJson } from '../json/parse.js';
import { type JsonValue, isJsonObject } from '../json/value.js';
import { DEFAULT_MAX_DOCUMENT_BYTES } from '../io/read-file.js';
import { EMPTY_CONTEXT, extendContext, literalString, nodeView, values } from '../tro/jsonld-view.js';
import { loadTroFile } from '../tro/load.js';
import type { TroModel } from '../tro/model.js';
import { readTroModel } from '../tro/read.js';
import { PE_NS } from '../vocab/namespaces.js';
import { FetchError, fetchHttpsBytes } from './fetch-https.js';
import { locateArtifact } from './locate.js';
import { checkMappingsUsed, mapLocation } from './map.js';
import type { VerifyReport, VerifyVerdict } from './report.js';
import { checkSkipIds } from './skip.js';
import { DEFAULT_HTTPS_DEADLINE_MS, DEFAULT_HTTPS_TIMEOUT_MS, type VerifyOptions, verifyTro } from './verify.js';

/** The files a folder argument stands for: `*.tro.jsonld` (so also `*.trace.tro.jsonld`) under it, hidden entries skipped. */
export const TRO_FILE_SUFFIX = '.tro.jsonld';

export interface VerifyRunOptions extends VerifyOptions {
  /** Follow a simulation/run TRO's pinned bundle TRO (local file first; `pe:bundleTroUrl` only when fetching). */
  readonly recursive?: boolean;
  /** How a path is shown in reports (default: as given). */
  readonly label?: (path: string) => string;
}

/** One TRO of the run: verified, or why it could not be (unreadable input, a bundle TRO not fetched). */
export interface VerifiedTro {
  /** The file as shown, or the URL a followed bundle TRO came from. */
  readonly file: string;
  /** The TRO that pins this one (set for TROs reached by `recursive`). */
  readonly reachedFrom?: string;
  readonly verdict: VerifyVerdict | 'unreadable';
  readonly report?: VerifyReport;
  /** Why there is no report (the error message of an unreadable input, or what was not fetched). */
  readonly detail?: string;
}

export interface VerifyRunReport {
  /** The worst verdict: unreadable > failed > incomplete > verified. */
  readonly verdict: VerifyVerdict | 'unreadable';
  readonly verified: boolean;
  readonly tros: readonly VerifiedTro[];
  readonly counts: Readonly<Record<VerifyVerdict | 'unreadable', number>>;
}

/** Files, and folders expanded to the TROs under them (sorted by path); a folder with none is a usage error. */
export async function expandVerifyInputs(paths: readonly string[], label: (path: string) => string = (p) => p): Promise<string[]> {
  const out: string[] = [];
  for (const path of paths) {
    let isDir = false;
    try {
      isDir = (await stat(path)).isDirectory();
    } catch {
      // A missing path is reported by the reader, with its own message.
    }
    if (!isDir) {
      out.push(path);
      continue;
    }
    const found = await findTroFiles(path);
    if (found.length === 0) throw new InputError('INPUT_UNREADABLE', `is a folder with no *${TRO_FILE_SUFFIX} file under it`, { location: { file: label(path) } });
    out.push(...found);
  }
  return out;
}

async function findTroFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const path = join(dir, e.name);
    // Symbolic links are not followed into folders (no cycles); a linked file is read like any file.
    if (e.isDirectory()) found.push(...(await findTroFiles(path)));
    else if (e.name.endsWith(TRO_FILE_SUFFIX) && (e.isFile() || e.isSymbolicLink())) found.push(path);
  }
  return found;
}

/**
 * Verifies every TRO named (folders expanded). A `skip` id must match an artifact of at least one TRO. Each TRO's
 * relative locations resolve against `baseDir` when given, else its own folder.
 */
export async function verifyRun(paths: readonly string[], options: VerifyRunOptions = {}): Promise<VerifyRunReport> {
  const label = options.label ?? ((p: string) => p);
  const files = await expandVerifyInputs(paths, label);
  const loaded: Array<{ path: string; model?: TroModel; json?: JsonValue; error?: string }> = [];
  for (const path of files) {
    try {
      const { model, json } = await loadTroFile(path, { label: label(path) });
      loaded.push({ path, model, json });
    } catch (e) {
      if (!isPeTraceError(e) || files.length === 1) throw e;
      loaded.push({ path, error: e.message });
    }
  }
  const models = loaded.flatMap((l) => (l.model === undefined ? [] : [l.model]));
  // With --recursive the followed TROs count too, so the check waits for them; otherwise a typo stops the run first.
  if (options.recursive !== true) checkNamesUsed(models, options);

  const tros: VerifiedTro[] = [];
  const seen = new Set<string>();
  for (const l of loaded) {
    if (l.model === undefined || l.json === undefined) {
      tros.push({ file: label(l.path), verdict: 'unreadable', detail: l.error ?? '' });
      continue;
    }
    seen.add(await realpathOr(l.path));
    const report = await verifyTro(l.model, { ...options, baseDir: options.baseDir ?? dirname(l.path) });
    tros.push({ file: label(l.path), verdict: report.verdict, report });
    if (options.recursive === true) tros.push(...(await followBundle(l.path, l.model, l.json, options, label, seen, models)));
  }
  // A pinned TRO that could not be read (not fetched) may be what a --skip or --map names: no check then.
  if (options.recursive === true && tros.every((t) => t.report !== undefined)) checkNamesUsed(models, options);
  const counts = { verified: 0, incomplete: 0, failed: 0, unreadable: 0 };
  for (const t of tros) counts[t.verdict] += 1;
  const verdict = counts.unreadable > 0 ? 'unreadable' : counts.failed > 0 ? 'failed' : counts.incomplete > 0 ? 'incomplete' : 'verified';
  return { verdict, verified: verdict === 'verified', tros, counts };
}

/** Every `--skip` id and `--map` location must match something in the TROs of the run. */
function checkNamesUsed(models: readonly TroModel[], options: VerifyRunOptions): void {
  checkSkipIds(options.skip ?? [], models.flatMap((m) => m.artifacts.map((a) => a.shortId)));
  checkMappingsUsed(options.maps ?? [], models.flatMap((m) => m.arrangements.flatMap((a) => a.locations.flatMap((x) => [x.location, ...(x.others ?? [])]))));
}

async function realpathOr(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return path;
  }
}

/** The bundle TRO a simulation/run TRO pins: its `bundle_tro` (or any JSON-LD) artifact, read locally, else fetched. */
async function followBundle(
  path: string,
  model: TroModel,
  json: JsonValue,
  options: VerifyRunOptions,
  label: (path: string) => string,
  seen: Set<string>,
  models: TroModel[],
): Promise<VerifiedTro[]> {
  const parent = label(path);
  const pinned = model.artifacts.filter((a) => a.shortId === 'bundle_tro' || a.mimeType === 'application/ld+json');
  const out: VerifiedTro[] = [];
  for (const artifact of pinned) {
    const locations = model.arrangements.flatMap((a) => a.locations.filter((l) => l.artifactId === artifact.id).map((l) => l.location));
    const local = await localCopy(locations, dirname(path), options);
    if (local !== undefined) {
      const real = await realpathOr(local.path);
      if (seen.has(real)) continue;
      seen.add(real);
      const shown = label(local.shown);
      try {
        const child = await loadTroFile(local.path, { label: shown });
        models.push(child.model);
        const report = await verifyTro(child.model, { ...options, baseDir: dirname(local.path) });
        out.push({ file: shown, reachedFrom: parent, verdict: report.verdict, report });
      } catch (e) {
        if (!isPeTraceError(e)) throw e;
        out.push({ file: shown, reachedFrom: parent, verdict: 'unreadable', detail: e.message });
      }
      continue;
    }
    const url = [...locations, ...bundleTroUrls(json, model, parent)].find((l) => l.startsWith('https://'));
    if (url === undefined) {
      out.push({ file: locations[0] ?? artifact.shortId, reachedFrom: parent, verdict: 'failed', detail: 'the pinned bundle TRO has no local copy and no https URL' });
    } else if (options.fetchHttps !== true) {
      out.push({ file: url, reachedFrom: parent, verdict: 'incomplete', detail: 'bundle TRO not fetched (pass --fetch, or --map LOCATION=PATH for a copy you have)' });
    } else if (!seen.has(url)) {
      seen.add(url);
      out.push(await verifyFetched(url, parent, options, models));
    }
  }
  return out;
}

/**
 * The first location of a pinned TRO that names an existing local file (through `--map`, else under the folder):
 * `path` to read (absolute, internal) and `shown`, the path as the user would write it (never absolute unless given so).
 */
async function localCopy(locations: readonly string[], dir: string, options: VerifyRunOptions): Promise<{ path: string; shown: string } | undefined> {
  for (const location of locations) {
    const mapped = mapLocation(location, options.maps ?? []);
    if (mapped?.kind === 'exact') return { path: mapped.path, shown: mapped.path };
    const [rel, under] = mapped?.kind === 'prefix' ? [mapped.rest, mapped.dir] : [location, dir];
    if (mapped === undefined && location.startsWith('https://')) continue;
    const source = await locateArtifact(rel, { baseDir: under, fetchHttps: false });
    if (source.kind === 'file') return { path: source.path, shown: join(under, rel.split('#')[0] ?? rel) };
  }
  return undefined;
}

/** `pe:bundleTroUrl` of the TRO's performances (simulation TROs record where their bundle TRO is published). */
function bundleTroUrls(json: JsonValue, model: TroModel, label: string): string[] {
  if (!isJsonObject(json)) return [];
  const ctx = json['@context'] === undefined ? EMPTY_CONTEXT : extendContext(EMPTY_CONTEXT, json['@context'], { label, pointer: '/@context' });
  const urls: string[] = [];
  for (const p of model.performances) {
    const node = atPointer(json, p.pointer);
    if (!isJsonObject(node)) continue;
    for (const v of values(nodeView(node, p.pointer, ctx, label), `${PE_NS}bundleTroUrl`)) {
      const text = literalString(v.value);
      if (text !== undefined) urls.push(text);
    }
  }
  return urls;
}

function atPointer(doc: JsonValue, pointer: string): JsonValue | undefined {
  let node: JsonValue | undefined = doc;
  for (const token of pointer.split('/').slice(1)) {
    const key = token.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) node = node[Number(key)];
    else if (isJsonObject(node)) node = node[key];
    else return undefined;
  }
  return node;
}

/** Downloads a bundle TRO (at most a document's size) and verifies it; its relative locations have no folder. */
async function verifyFetched(url: string, parent: string, options: VerifyRunOptions, models: TroModel[]): Promise<VerifiedTro> {
  try {
    const { bytes } = await fetchHttpsBytes(url, {
      timeoutMs: options.httpsTimeoutMs ?? DEFAULT_HTTPS_TIMEOUT_MS,
      deadlineMs: options.httpsDeadlineMs ?? DEFAULT_HTTPS_DEADLINE_MS,
      maxBytes: DEFAULT_MAX_DOCUMENT_BYTES,
      ...(options.ca === undefined ? {} : { ca: options.ca }),
    });
    const model = readTroModel(parseJson(bytes, { label: url }), { label: url });
    models.push(model);
    const { baseDir: _ignored, ...rest } = options;
    const report = await verifyTro(model, rest);
    return { file: url, reachedFrom: parent, verdict: report.verdict, report };
  } catch (e) {
    if (e instanceof FetchError || isPeTraceError(e)) return { file: url, reachedFrom: parent, verdict: 'unreadable', detail: e.message };
    throw e;
  }
}
