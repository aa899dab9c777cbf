// Reads microcosm's sources.yaml and source-stage manifests into a registry of hash-pinned inputs with identifiers and restriction signals.
import { basename } from 'node:path';
import type { parseDocument as ParseDocument } from 'yaml';
import { lazyRequire } from '../lazy.js';

const yamlModule = lazyRequire<{ parseDocument: typeof ParseDocument }>('yaml');
import { InputError } from '../errors.js';
import { sha256Hex } from '../hash/digest.js';
import { parseJson } from '../json/parse.js';
import { JsonNumber, isJsonObject, newJsonObject } from '../json/value.js';
import type { JsonObject, JsonValue } from '../json/value.js';
import { optional } from '../manifest/data-release-manifest.js';
import { childPointer } from '../manifest/fields.js';
import { IdentifierError, normaliseDoi, normaliseSha256, normaliseUkdsStudyNumber, ukdsFromDoi } from './identifiers.js';
import { RESTRICTED_ACCESS, RESTRICTED_SOURCE_KINDS, type RestrictionSignal, privateReposIn } from './signals.js';

/** One pinned input as a registry file records it: a `sources[]` pin of sources.yaml, or an artifact of a stage. */
export interface RegistryRecord {
  /** A source pin's `id`, or `<stage>.<table|role|file stem|kind>` for a stage artifact (`-2`, `-3` … when a stage repeats one). */
  readonly id: string;
  readonly origin: 'source-pin' | 'stage-artifact';
  /** The registry file's name (no directories: machine output carries no paths). */
  readonly file: string;
  /** sha256 of the registry file's bytes, so a TRO can cite exactly which registry it read. */
  readonly fileSha256: string;
  readonly pointer: string;
  readonly sha256?: string;
  readonly sizeBytes?: number;
  /** File name of the input (`filename`, or a file-like `locator`). */
  readonly name?: string;
  readonly kind?: string;
  readonly access?: string;
  readonly licence?: string;
  readonly locator?: string;
  readonly stage?: string;
  readonly survey?: string;
  /** The stage's `source` text when it is an http(s) URL: the public page about the data. */
  readonly stageSourceUrl?: string;
  readonly ukdsStudyNumber?: string;
  readonly ukdsEdition?: number;
  readonly doi?: string;
  readonly signals: readonly RestrictionSignal[];
}

/** A registry file as read: its kind, country and hash (for reports and the stage-asset cross-check). */
export interface RegistryFile {
  readonly file: string;
  readonly format: 'sources-yaml' | 'source-stages';
  readonly sha256: string;
  readonly country?: string;
  readonly records: number;
}

export interface SourceRegistry {
  readonly records: readonly RegistryRecord[];
  readonly files: readonly RegistryFile[];
  /** Data-quality observations: an identifier that does not parse, a DOI that names another study, a stage asset whose hash differs. */
  readonly notes: readonly string[];
}

/** A registry file's bytes and how to name it in messages (the path as the user gave it). */
export interface RegistryInput {
  readonly bytes: Uint8Array;
  readonly label: string;
}

/**
 * Reads every registry file into one registry. A file is JSON when its first non-blank byte is `{`, YAML otherwise;
 * either way it must hold `sources` (a list of pins) or `stages` (stage records with artifacts). Identifiers are
 * normalised (`9563` and `"SN 9422"` → digits, DOIs upper-cased, an edition read from a UKDS DOI); one that does not
 * parse is noted and left out, never guessed.
 */
export function readSourceRegistry(inputs: readonly RegistryInput[]): SourceRegistry {
  const records: RegistryRecord[] = [];
  const files: RegistryFile[] = [];
  const notes: string[] = [];
  const stageAssets: { file: string; country?: string; sha256: string }[] = [];
  for (const input of inputs) {
    const doc = parseRegistryDocument(input);
    const file = basename(input.label);
    const fileSha256 = sha256Hex(input.bytes);
    if (!isJsonObject(doc) || (!Array.isArray(doc['sources']) && !Array.isArray(doc['stages']))) {
      throw new InputError('MANIFEST_INVALID', 'not a sources.yaml or source-stage manifest: expected an object with a "sources" or "stages" list', {
        location: { file: input.label, pointer: '' },
      });
    }
    const reader = new RecordReader(file, fileSha256, notes);
    const before = records.length;
    if (Array.isArray(doc['sources'])) records.push(...reader.pins(doc['sources']));
    if (Array.isArray(doc['stages'])) records.push(...reader.stages(doc['stages']));
    const stageManifest = isJsonObject(doc['stage_manifest']) ? doc['stage_manifest'] : doc;
    const country = typeof stageManifest['country'] === 'string' ? stageManifest['country'] : undefined;
    const format = Array.isArray(doc['sources']) ? 'sources-yaml' : 'source-stages';
    files.push({ file, format, sha256: fileSha256, ...(country === undefined ? {} : { country }), records: records.length - before });
    const asset = doc['stage_asset'];
    if (isJsonObject(asset) && typeof asset['sha256'] === 'string') stageAssets.push({ file, ...(country === undefined ? {} : { country }), sha256: asset['sha256'].toLowerCase() });
  }
  for (const asset of stageAssets) {
    for (const f of files) {
      if (f.format !== 'source-stages' || f.country !== asset.country) continue;
      notes.push(
        f.sha256 === asset.sha256
          ? `${f.file} is byte-for-byte the stage asset ${asset.file} pins (sha256 ${asset.sha256})`
          : `${f.file} (sha256 ${f.sha256}) is not the stage asset ${asset.file} pins (sha256 ${asset.sha256}): they may describe different builds`,
      );
    }
  }
  return { records: uniqueAcrossFiles(records, notes), files, notes };
}

/** Parses JSON (lossless) or YAML (1.2 core schema: dates stay strings), with located errors. */
export function parseRegistryDocument(input: RegistryInput): JsonValue {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(input.bytes);
  } catch {
    throw new InputError('JSON_SYNTAX', 'not valid UTF-8', { location: { file: input.label } });
  }
  if (/^\s*\{/.test(text)) return parseJson(input.bytes, { label: input.label });
  const doc = yamlModule().parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const error = doc.errors[0];
  if (error !== undefined) {
    const pos = error.linePos?.[0];
    const message = (error.message.split('\n')[0] ?? 'invalid YAML').replace(/ at line \d+, column \d+:?$/, '');
    throw new InputError('JSON_SYNTAX', `invalid YAML: ${message}`, {
      location: { file: input.label, ...(pos === undefined ? {} : { line: pos.line, column: pos.col }) },
    });
  }
  let js: unknown;
  try {
    js = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new InputError('JSON_LIMIT', `YAML cannot be read: ${e instanceof Error ? e.message : String(e)}`, { location: { file: input.label } });
  }
  return fromYaml(js, input.label);
}

function fromYaml(v: unknown, label: string): JsonValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new InputError('JSON_SYNTAX', `YAML holds ${v}, which has no JSON form`, { location: { file: label } });
    return Number.isInteger(v) ? JsonNumber.ofInt(v) : JsonNumber.ofFloat(v);
  }
  if (typeof v === 'bigint') return JsonNumber.ofInt(v);
  if (Array.isArray(v)) return v.map((x) => fromYaml(x, label));
  if (typeof v === 'object') {
    const out = newJsonObject();
    for (const [k, x] of Object.entries(v)) out[k] = fromYaml(x, label);
    return out;
  }
  throw new InputError('JSON_SYNTAX', `YAML holds a ${typeof v}, which has no JSON form`, { location: { file: label } });
}

/** Two files describing the same stage (sources.yaml embeds the stage manifest) give the same ids: keep one record per id and hash. */
function uniqueAcrossFiles(records: readonly RegistryRecord[], notes: string[]): RegistryRecord[] {
  const byId = new Map<string, RegistryRecord>();
  const out: RegistryRecord[] = [];
  for (const record of records) {
    const seen = byId.get(record.id);
    if (seen === undefined) {
      byId.set(record.id, record);
      out.push(record);
      continue;
    }
    if (seen.sha256 === record.sha256) continue;
    let n = 2;
    while (byId.has(`${record.id}-${n}`)) n += 1;
    const renamed = { ...record, id: `${record.id}-${n}` };
    notes.push(`${record.file}#${record.pointer}: id ${record.id} is already taken by ${seen.file}#${seen.pointer} with another hash; this record is ${renamed.id}`);
    byId.set(renamed.id, renamed);
    out.push(renamed);
  }
  return out;
}

class RecordReader {
  constructor(
    private readonly file: string,
    private readonly fileSha256: string,
    private readonly notes: string[],
  ) {}

  pins(list: readonly JsonValue[]): RegistryRecord[] {
    const out: RegistryRecord[] = [];
    list.forEach((item, i) => {
      const pointer = childPointer('/sources', i);
      if (!isJsonObject(item)) return this.note(pointer, 'a source pin that is not an object is ignored');
      const id = str(item, 'id');
      if (id === undefined) return this.note(pointer, 'a source pin without an id is ignored');
      out.push({ ...this.common(item, pointer, cleanId(id)), origin: 'source-pin', ...optional('sizeBytes', int(item, 'byte_size')) });
      return undefined;
    });
    return out;
  }

  stages(list: readonly JsonValue[]): RegistryRecord[] {
    const out: RegistryRecord[] = [];
    list.forEach((stage, s) => {
      if (!isJsonObject(stage)) return;
      const stageName = str(stage, 'stage') ?? `stage${s}`;
      const artifacts = stage['artifacts'];
      if (!Array.isArray(artifacts)) return;
      const stageSource = str(stage, 'source');
      const used = new Set<string>();
      artifacts.forEach((artifact, a) => {
        const pointer = childPointer(childPointer(childPointer('/stages', s), 'artifacts'), a);
        if (!isJsonObject(artifact)) return;
        const name = fileName(artifact);
        const stem = str(artifact, 'table') ?? str(artifact, 'role') ?? (name === undefined ? undefined : name.replace(/\.[^.]*$/, '')) ?? str(artifact, 'kind') ?? `artifact${a}`;
        let id = cleanId(`${stageName}.${stem}`);
        for (let n = 2; used.has(id); n += 1) id = cleanId(`${stageName}.${stem}-${n}`);
        used.add(id);
        out.push({
          ...this.common(artifact, pointer, id),
          origin: 'stage-artifact',
          stage: stageName,
          ...optional('sizeBytes', int(artifact, 'size_bytes')),
          ...optional('survey', str(artifact, 'survey') ?? str(stage, 'survey')),
          ...optional('stageSourceUrl', stageSource !== undefined && /^https?:\/\/\S+$/.test(stageSource) ? stageSource : undefined),
        });
      });
    });
    return out;
  }

  /** The fields both record kinds share: hash, names, kind/access/licence, identifiers and the signals they carry. */
  private common(o: JsonObject, pointer: string, id: string): Omit<RegistryRecord, 'origin'> {
    const record = `${this.file}#${pointer}`;
    const sha = str(o, 'sha256');
    let sha256: string | undefined;
    if (sha !== undefined) {
      try {
        sha256 = normaliseSha256(sha);
      } catch (e) {
        this.note(childPointer(pointer, 'sha256'), message(e));
      }
    }
    const kind = str(o, 'kind');
    const access = str(o, 'access');
    const locator = str(o, 'locator');
    const signals: RestrictionSignal[] = [];
    if (kind !== undefined && RESTRICTED_SOURCE_KINDS.includes(kind)) signals.push({ kind: 'source-kind', detail: `source-stage kind ${kind}`, record: `${this.file}#${childPointer(pointer, 'kind')}` });
    if (access !== undefined && RESTRICTED_ACCESS.includes(access)) signals.push({ kind: 'access', detail: `source-stage access ${access}`, record: `${this.file}#${childPointer(pointer, 'access')}` });
    for (const key of ['locator', 'reviewed_source']) {
      const text = str(o, key);
      if (text === undefined) continue;
      for (const repo of privateReposIn(text)) signals.push({ kind: 'private-repo', detail: `private repo ${repo} named in ${key}`, record: `${this.file}#${childPointer(pointer, key)}` });
    }
    const ids = this.identifiers(o, pointer, record);
    return {
      id,
      file: this.file,
      fileSha256: this.fileSha256,
      pointer,
      ...optional('sha256', sha256),
      ...optional('name', fileName(o)),
      ...optional('kind', kind),
      ...optional('access', access),
      ...optional('licence', str(o, 'licence') ?? str(o, 'license')),
      ...optional('locator', locator),
      ...ids,
      signals,
    };
  }

  private identifiers(o: JsonObject, pointer: string, record: string): { ukdsStudyNumber?: string; ukdsEdition?: number; doi?: string } {
    let study: string | undefined;
    const rawStudy = o['ukds_study_number'];
    if (typeof rawStudy === 'string' || rawStudy instanceof JsonNumber) {
      try {
        study = normaliseUkdsStudyNumber(typeof rawStudy === 'string' ? rawStudy : rawStudy.float);
      } catch (e) {
        this.note(childPointer(pointer, 'ukds_study_number'), message(e));
      }
    }
    let doi: string | undefined;
    const rawDoi = str(o, 'doi');
    if (rawDoi !== undefined) {
      try {
        doi = normaliseDoi(rawDoi);
      } catch (e) {
        this.note(childPointer(pointer, 'doi'), message(e));
      }
    }
    const fromDoi = doi === undefined ? undefined : ukdsFromDoi(doi);
    if (fromDoi !== undefined && study !== undefined && fromDoi.study !== study) {
      this.notes.push(`${record}: the DOI ${doi ?? ''} names UKDS study ${fromDoi.study}, not the study number ${study}; the study number is kept and the DOI's edition is not used`);
      return { ukdsStudyNumber: study, ...optional('doi', doi) };
    }
    study ??= fromDoi?.study;
    return { ...optional('ukdsStudyNumber', study), ...optional('ukdsEdition', fromDoi?.edition), ...optional('doi', doi) };
  }

  private note(pointer: string, text: string): undefined {
    this.notes.push(`${this.file}#${pointer}: ${text}`);
    return undefined;
  }
}

/** `filename`, else a `locator` that looks like one file name (`adult.tab`), else nothing. */
function fileName(o: JsonObject): string | undefined {
  const filename = str(o, 'filename');
  if (filename !== undefined) return filename;
  const locator = str(o, 'locator');
  return locator !== undefined && /^[\w.-]+\.[A-Za-z0-9]+$/.test(locator) ? locator : undefined;
}

/** Registry ids become TRO id segments: letters, digits, `.`, `_` and `-` only. */
function cleanId(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]/g, '_');
}

function str(o: JsonObject, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

function int(o: JsonObject, key: string): number | undefined {
  const v = o[key];
  return v instanceof JsonNumber && Number.isSafeInteger(v.float) ? v.float : undefined;
}

function message(e: unknown): string {
  return e instanceof IdentifierError ? e.message : String(e);
}

